/// Slices along one axis (a batch out of a data set, a window of a sequence).

/// The entries `range` of `axis` (default: the first, batch, axis), as NumPy's
/// `x[start:end]` and `tf.slice` with the other axes whole. The result owns a
/// copy of its scalars.
///
///     let firstEight = try slice(images, 0..<8)          // [8, 28, 28, 1]
///     let lastStep = try slice(sequence, 9..<10, axis: 1)
/// - Throws: `TensorError` when `range` is not inside the axis, or the axis does not exist.
public func slice(_ x: Tensor, _ range: Range<Int>, axis: Int = 0) throws -> Tensor {
    let (shape, layout) = try sliceLayout(x.shape, range, axis: axis)
    let out = Tensor(uninitializedShape: shape)
    copySlice(from: x.storage.base, to: out.storage.base, layout)
    if let tape = GradientTape.active {
        tape.record("slice", out, [x]) { g, _ in
            // The gradient written back into zeros where the slice came from.
            let result = try Tensor(shape: x.shape, repeating: 0)
            for block in 0..<layout.outer where layout.count > 0 {
                (result.storage.base + block * layout.stride + layout.start)
                    .update(from: g.storage.base + block * layout.count, count: layout.count)
            }
            return [result]
        }
    }
    return out
}

/// `slice(_:_:axis:)` of an integer tensor (ids, labels).
public func slice(_ x: IndexTensor, _ range: Range<Int>, axis: Int = 0) throws -> IndexTensor {
    let (shape, layout) = try sliceLayout(x.shape, range, axis: axis)
    return try IndexTensor(shape: shape) { dst in
        copySlice(from: x.storage.base, to: dst.baseAddress!, layout)
    }
}

/// Blocks of a slice in row-major order: `outer` blocks, each `count` scalars at `start` of a `stride`.
private struct SliceLayout {
    var outer: Int, stride: Int, start: Int, count: Int
}

private func sliceLayout(_ shape: [Int], _ range: Range<Int>, axis: Int) throws -> ([Int], SliceLayout) {
    let a = try normalizeAxis(axis, rank: shape.count, op: "slice", shape: shape)
    guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
        throw TensorError(op: "slice", shapes: [shape],
                          reason: "has no entries \(range.lowerBound)..<\(range.upperBound) on axis \(axis) (size \(shape[a]))")
    }
    let inner = product(shape, (a + 1)..<shape.count)
    var result = shape
    result[a] = range.count
    let layout = SliceLayout(outer: product(shape, 0..<a), stride: shape[a] * inner,
                             start: range.lowerBound * inner, count: range.count * inner)
    return (result, layout)
}

private func copySlice<Scalar>(from src: UnsafePointer<Scalar>, to dst: UnsafeMutablePointer<Scalar>, _ layout: SliceLayout) {
    guard layout.count > 0 else { return }
    for block in 0..<layout.outer {
        (dst + block * layout.count).update(from: src + block * layout.stride + layout.start, count: layout.count)
    }
}
