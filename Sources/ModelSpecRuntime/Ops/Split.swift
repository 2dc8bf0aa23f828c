/// Splitting a tensor into several: `tf.split` and `tf.unstack`.

/// `tf.split(x, count, axis)`: `count` equal parts along `axis`.
/// - Throws: `TensorError` when the axis does not exist or its size is not a multiple of `count`.
public func split(_ x: Tensor, count: Int, axis: Int = 0) throws -> [Tensor] {
    let a = try normalizeAxis(axis, rank: x.rank, op: "split", shape: x.shape)
    guard count > 0, x.shape[a] % count == 0 else {
        throw TensorError(op: "split", shapes: [x.shape], reason: "cannot be split into \(count) equal parts on axis \(axis) (size \(x.shape[a]))")
    }
    return try split(x, sizes: Array(repeating: x.shape[a] / count, count: count), axis: axis)
}

/// `tf.split(x, sizes, axis)`: parts of the given sizes along `axis`; one size may be -1, the rest.
/// - Throws: `TensorError` when the sizes do not add up to the axis's size.
public func split(_ x: Tensor, sizes: [Int], axis: Int = 0) throws -> [Tensor] {
    let a = try normalizeAxis(axis, rank: x.rank, op: "split", shape: x.shape)
    let length = x.shape[a]
    let known = sizes.filter { $0 != -1 }
    guard sizes.count - known.count <= 1, known.allSatisfy({ $0 >= 0 }),
          known.reduce(0, +) == length || (known.count < sizes.count && known.reduce(0, +) <= length) else {
        throw TensorError(op: "split", shapes: [x.shape], reason: "cannot be split into sizes \(sizes) on axis \(axis) (size \(length))")
    }
    var start = 0
    return try sizes.map { size in
        let count = size == -1 ? length - known.reduce(0, +) : size
        defer { start += count }
        return try slice(x, start..<(start + count), axis: a)
    }
}

/// `tf.unstack(x, axis)`: the slices along `axis`, each without it.
/// - Throws: `TensorError` when the axis does not exist.
public func unstack(_ x: Tensor, axis: Int = 0) throws -> [Tensor] {
    let a = try normalizeAxis(axis, rank: x.rank, op: "unstack", shape: x.shape)
    var shape = x.shape
    shape.remove(at: a)
    return try (0..<x.shape[a]).map { try reshape(slice(x, $0..<($0 + 1), axis: a), shape) }
}
