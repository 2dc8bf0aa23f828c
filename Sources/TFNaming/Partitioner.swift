/// A `variable_scope(partitioner=...)`: how graph-mode TensorFlow 1 splits a
/// variable into `name/part_0`, `name/part_1`, ... along one axis, from
/// `tensorflow/python/ops/partitioned_variables.py` and `_iter_slices` of
/// `variable_scope.py`. A `Saver` writes the parts as slices of one checkpoint key,
/// the variable's full name with its full shape.
///
/// The `track_tf1_style_variables` shim refuses partitioners (TensorFlow 2 raises
/// "`partitioner` arg for `get_variable` is unsupported in TF2"); ModelSpec keeps
/// one variable of the full shape and reports the parts graph mode would make.
public enum Partitioner: Hashable, Sendable {
    /// `tf.compat.v1.fixed_size_partitioner(num_shards, axis)`: `min(num_shards, shape[axis])` parts.
    case fixedSize(shards: Int, axis: Int)
    /// `tf.compat.v1.min_max_variable_partitioner(max_partitions, axis, min_slice_size)`:
    /// parts of at least `min_slice_size` bytes, at most `max_partitions` and `shape[axis]`.
    case minMax(maxPartitions: Int, axis: Int, minSliceSize: Int)
    /// `tf.compat.v1.variable_axis_size_partitioner(max_shard_bytes, axis, max_shards)`:
    /// parts of at most `max_shard_bytes` bytes (at least one slice each), at most `max_shards`.
    case variableAxisSize(maxShardBytes: Int, axis: Int, maxShards: Int?)

    /// The axis the parts are cut along.
    public var axis: Int {
        switch self {
        case let .fixedSize(_, axis), let .minMax(_, axis, _), let .variableAxisSize(_, axis, _): axis
        }
    }

    /// The number of parts of a variable of this shape and dtype, or why TensorFlow refuses it.
    /// A scalar is never partitioned (nil); every other variable has at least one part.
    public func partCount(shape: [Int], dtype: DType) -> Result<Int, PartitionError>? {
        guard !shape.isEmpty else { return nil }
        guard axis >= 0, axis < shape.count else {
            return .failure(PartitionError(message: "cannot partition variable along axis \(axis) when shape is only \(shape)"))
        }
        let size = shape[axis]
        let elementBytes = Double(dtype.partitionBytes)
        let count: Int
        switch self {
        case let .fixedSize(shards, _):
            count = min(shards, size)
        case let .minMax(maxPartitions, _, minSliceSize):
            let total = Double(shape.reduce(1, *)) * elementBytes
            let wanted = (total / Double(minSliceSize)).rounded(.up)
            count = max(1, min(size, maxPartitions, wanted < Double(Int.max) ? Int(wanted) : Int.max))
        case let .variableAxisSize(maxShardBytes, _, maxShards):
            guard size > 0 else { return .failure(PartitionError(message: "cannot partition variable of shape \(shape): dimension \(axis) is 0")) }
            let bytesPerSlice = Double(shape.reduce(1, *)) / Double(size) * elementBytes
            let slicesPerShard = max(1, (Double(maxShardBytes) / bytesPerSlice).rounded(.down))
            var shards = Int((Double(size) / slicesPerShard).rounded(.up))
            if let maxShards, maxShards > 0 { shards = min(maxShards, shards) }
            count = shards
        }
        guard count >= 1 else {
            return .failure(PartitionError(message: "the partitioner returned zero partitions for shape \(shape)"))
        }
        return .success(count)
    }

    /// The parts of a variable cut in `count` along `axis`, as `_iter_slices`: the
    /// first `shape[axis] % count` parts are one longer.
    public static func parts(of name: String, shape: [Int], count: Int, axis: Int) -> [VariablePart] {
        let base = shape[axis] / count
        let longer = shape[axis] % count
        var offset = [Int](repeating: 0, count: shape.count)
        var parts: [VariablePart] = []
        for index in 0..<count {
            var partShape = shape
            partShape[axis] = base + (index < longer ? 1 : 0)
            parts.append(VariablePart(name: "\(name)/part_\(index)", shape: partShape, offset: offset))
            offset[axis] += partShape[axis]
        }
        return parts
    }
}

/// One part of a partitioned variable: `kernel/part_1`, its shape and where it starts in the full variable.
public struct VariablePart: Hashable, Sendable, Codable {
    public var name: String
    public var shape: [Int]
    public var offset: [Int]

    public init(name: String, shape: [Int], offset: [Int]) {
        self.name = name
        self.shape = shape
        self.offset = offset
    }
}

/// Why TensorFlow refuses to partition a variable.
public struct PartitionError: Error, Hashable, Sendable {
    public var message: String
}

extension DType {
    /// The bytes per element the partitioners count (`bytes_per_string_element` 16 for strings).
    var partitionBytes: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        case .string: 16
        }
    }
}
