/// Tensors repeated and stacked: `tf.tile` and `tf.stack`.

/// `x` repeated `multiples[d]` times along each dimension d, as `tf.tile`.
/// - Throws: `TensorError` when `multiples` does not have one entry per dimension,
///   has a negative entry, or makes more elements than can be counted.
public func tile(_ x: Tensor, multiples: [Int]) throws -> Tensor {
    func fail(_ reason: String) -> TensorError { TensorError(op: "tile", shapes: [x.shape], reason: reason) }
    guard multiples.count == x.rank else {
        throw fail("has rank \(x.rank), but multiples \(multiples) has \(multiples.count) entries")
    }
    if let bad = multiples.first(where: { $0 < 0 }) { throw fail("cannot be repeated a negative number of times (\(bad))") }
    var shape: [Int] = []
    var count = 1
    for (size, times) in zip(x.shape, multiples) {
        let (tiled, overflow) = size.multipliedReportingOverflow(by: times)
        let (total, overflowTotal) = count.multipliedReportingOverflow(by: tiled)
        guard !overflow, !overflowTotal else { throw fail("repeated \(multiples) has more elements than can be counted") }
        shape.append(tiled)
        count = total
    }
    let out = Tensor(uninitializedShape: shape)
    guard count > 0 else { return out }
    let src = x.storage.base, dst = out.storage.base
    let strides = rowMajorStrides(x.shape)
    // An odometer over the output index; each source index is the output's modulo the input's shape.
    var index = [Int](repeating: 0, count: x.rank)
    for flat in 0..<count {
        var offset = 0
        for d in 0..<x.rank { offset += (index[d] % x.shape[d]) * strides[d] }
        dst[flat] = src[offset]
        var d = x.rank - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
    return out
}

/// Tensors of one shape stacked along a new dimension at `axis` (in `-rank-1 ... rank`), as `tf.stack`.
/// - Throws: `TensorError` when there are none, their shapes differ, or the axis is out of range.
public func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else {
        throw TensorError(op: "stack", shapes: [], reason: "needs at least one tensor")
    }
    if let other = tensors.first(where: { $0.shape != first.shape }) {
        throw TensorError(op: "stack", shapes: [first.shape, other.shape], reason: "differ: stacked tensors have one shape")
    }
    return try concat(tensors.map { try expandDims($0, axis: axis) }, axis: axis)
}
