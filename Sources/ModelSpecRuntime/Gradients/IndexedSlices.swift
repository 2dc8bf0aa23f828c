/// The gradient of a table read only by `gather`/`embedding_lookup` (and Keras `Embedding`),
/// as TensorFlow's `tf.IndexedSlices`: one row of `values` per row looked up, `indices` saying
/// which, duplicates kept, in the order they were looked up. Rows not looked up have gradient 0.
public struct IndexedSlices: Sendable {
    /// `[indices.count] + denseShape[1...]`: the gradient of each looked-up row.
    public let values: Tensor
    /// The table row of each row of `values`.
    public let indices: [Int]
    /// The table's shape.
    public let denseShape: [Int]

    public init(values: Tensor, indices: [Int], denseShape: [Int]) throws {
        guard !denseShape.isEmpty, values.shape == [indices.count] + denseShape.dropFirst(),
              indices.allSatisfy({ $0 >= 0 && $0 < denseShape[0] }) else {
            throw TensorError(op: "IndexedSlices", shapes: [values.shape, [indices.count], denseShape],
                              reason: "do not fit: values need one row per index, each index a row of the dense shape")
        }
        self.values = values
        self.indices = indices
        self.denseShape = denseShape
    }

    /// The length of one row.
    var rowLength: Int { indices.isEmpty ? elementCount(of: Array(denseShape.dropFirst())) : values.scalarCount / indices.count }

    /// Several slices of one table as one, values and indices concatenated in order (TensorFlow's
    /// aggregation of `IndexedSlices` gradients).
    init(concatenating parts: [IndexedSlices]) throws {
        precondition(!parts.isEmpty)
        if parts.count == 1 { self = parts[0]; return }
        let rows = parts.reduce(0) { $0 + $1.indices.count }
        let shape = parts[0].denseShape
        let values = Tensor(uninitializedShape: [rows] + shape.dropFirst())
        var offset = 0
        for part in parts {
            values.storage.base.advanced(by: offset).update(from: part.values.storage.base, count: part.values.scalarCount)
            offset += part.values.scalarCount
        }
        try self.init(values: values, indices: parts.flatMap(\.indices), denseShape: shape)
    }

    /// The dense gradient: each row added into its table row, in order (`unsorted_segment_sum`).
    public var dense: Tensor {
        let result = Tensor(uninitializedShape: denseShape)
        result.storage.base.initialize(repeating: 0, count: result.scalarCount)
        addRows(into: result.storage.base)
        return result
    }

    /// Adds each row into `table` (a buffer of `denseShape`), in order.
    func addRows(into table: UnsafeMutablePointer<Float>) {
        let n = rowLength, source = values.storage.base
        for (k, row) in indices.enumerated() {
            let from = source + k * n, to = table + row * n
            for j in 0..<n { to[j] += from[j] }
        }
    }

    /// The distinct rows in order of first appearance, each with the sum of its values in order
    /// (`_deduplicate_indexed_slices`: `unique`, then `unsorted_segment_sum`), as TF1's optimizers
    /// give them to their sparse kernels.
    public func deduplicated() -> IndexedSlices {
        var position: [Int: Int] = [:]
        var unique: [Int] = []
        for row in indices where position[row] == nil {
            position[row] = unique.count
            unique.append(row)
        }
        if unique.count == indices.count { return self }
        let n = rowLength
        let summed = Tensor(uninitializedShape: [unique.count] + denseShape.dropFirst())
        summed.storage.base.initialize(repeating: 0, count: summed.scalarCount)
        for (k, row) in indices.enumerated() {
            let from = values.storage.base + k * n, to = summed.storage.base + position[row]! * n
            for j in 0..<n { to[j] += from[j] }
        }
        // Cannot fail: the rows are a subset of valid ones.
        return try! IndexedSlices(values: summed, indices: unique, denseShape: denseShape)
    }
}

/// A variable's gradient as TensorFlow hands it to an optimizer: a dense tensor, or
/// ``IndexedSlices`` when the variable was read only by row lookups.
public enum VariableGradient: Sendable {
    case dense(Tensor)
    case indexedSlices(IndexedSlices)

    /// The gradient as a dense tensor of the variable's shape.
    public var dense: Tensor {
        switch self {
        case let .dense(tensor): tensor
        case let .indexedSlices(slices): slices.dense
        }
    }

    /// The variable's shape, as the gradient has it.
    public var shape: [Int] {
        switch self {
        case let .dense(tensor): tensor.shape
        case let .indexedSlices(slices): slices.denseShape
        }
    }
}
