/// `tf.strided_slice`, the operation behind Python's `x[1:, ::-1, tf.newaxis, ..., 0]`.
///
/// `begin`, `end` and `strides` have one entry per item of the index; bit i of
/// a mask says what item i is: `beginMask`/`endMask` leave the start/end out
/// (the whole dimension in the stride's direction), `ellipsisMask` makes it
/// `...` (as many whole dimensions as the other items leave), `newAxisMask` a
/// new dimension of size 1, `shrinkAxisMask` a single index (`x[2]`) that
/// removes the dimension. Negative positions count from the end; a range is
/// clamped to the dimension, and an index must lie inside it.
///
///     // x[:, 1:3]
///     let columns = try stridedSlice(x, begin: [0, 1], end: [0, 3], strides: [1, 1], beginMask: 1, endMask: 1)
/// - Throws: `TensorError` for a zero stride, more than one ellipsis, too many
///   items for the rank, or an index outside its dimension.
public func stridedSlice(_ x: Tensor, begin: [Int], end: [Int], strides: [Int]? = nil, beginMask: Int = 0, endMask: Int = 0,
                         ellipsisMask: Int = 0, newAxisMask: Int = 0, shrinkAxisMask: Int = 0) throws -> Tensor {
    let layout = try StridedLayout(x.shape, begin: begin, end: end, strides: strides, masks: [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask])
    let out = Tensor(uninitializedShape: layout.shape)
    layout.copy(from: x.storage.base, to: out.storage.base)
    if let tape = GradientTape.active {
        // TensorFlow's StridedSliceGrad: the gradient scattered back into zeros where the slice came from.
        tape.record("strided_slice", out, [x]) { g, _ in
            let result = try Tensor(shape: x.shape, repeating: 0)
            layout.scatterAdd(from: g.storage.base, to: result.storage.base)
            return [result]
        }
    }
    return out
}

/// Which elements of a source shape a strided slice takes: per source dimension the first index,
/// step and count, and the result's shape.
private struct StridedLayout {
    var shape: [Int] = [], starts: [Int] = [], steps: [Int] = [], counts: [Int] = []
    let sourceStrides: [Int]

    init(_ sourceShape: [Int], begin: [Int], end: [Int], strides: [Int]?, masks: [Int]) throws {
        sourceStrides = rowMajorStrides(sourceShape)
        let (beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask) = (masks[0], masks[1], masks[2], masks[3], masks[4])
        let x = (shape: sourceShape, rank: sourceShape.count)
        let strides = strides ?? Array(repeating: 1, count: begin.count)
        func fail(_ reason: String) -> TensorError { TensorError(op: "strided_slice", shapes: [sourceShape], reason: reason) }
        guard begin.count == end.count, end.count == strides.count else {
            throw fail("needs begin \(begin), end \(end) and strides \(strides) of one length")
        }
        guard [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask].allSatisfy({ $0 >= 0 }) else { throw fail("has a negative mask") }
        guard ellipsisMask & (ellipsisMask - 1) == 0 else { throw fail("has more than one ellipsis") }
        var items = begin.count
        var ellipsis = ellipsisMask
        if ellipsis == 0 { ellipsis = 1 << items; items += 1 }  // an implicit `...` at the end
        let bit = { (mask: Int, i: Int) in mask & (1 << i) != 0 }
        let dimensionItems = (0..<items).filter { !bit(newAxisMask, $0) && !bit(ellipsis, $0) }.count
        guard dimensionItems <= x.rank else { throw fail("has \(dimensionItems) indices for \(x.rank) dimensions") }
        // Per dimension of x: first index, step and count; and the result's shape.
        var dimension = 0
        for i in 0..<items {
            if bit(ellipsis, i) {
                for _ in 0..<(x.rank - dimensionItems) {
                    starts.append(0); steps.append(1); counts.append(x.shape[dimension]); shape.append(x.shape[dimension])
                    dimension += 1
                }
                continue
            }
            if bit(newAxisMask, i) { shape.append(1); continue }
            let size = x.shape[dimension], stride = strides[i]
            dimension += 1
            guard stride != 0, stride != .min else { throw fail("has stride \(stride) at item \(i)") }
            if bit(shrinkAxisMask, i) {
                let index = begin[i] < 0 ? begin[i] + size : begin[i]
                guard index >= 0, index < size else { throw fail("has index \(begin[i]) outside dimension \(dimension - 1) of size \(size)") }
                starts.append(index); steps.append(1); counts.append(1)
                continue
            }
            let (low, high) = stride > 0 ? (0, size) : (-1, size - 1)
            func position(_ value: Int, masked: Bool, whole: Int) -> Int {
                if masked { return whole }
                return Swift.min(Swift.max(value < 0 ? value + size : value, low), high)
            }
            let first = position(begin[i], masked: bit(beginMask, i), whole: stride > 0 ? low : high)
            let last = position(end[i], masked: bit(endMask, i), whole: stride > 0 ? high : low)
            let span = stride > 0 ? last - first : first - last
            let count = span <= 0 ? 0 : (span - 1) / Swift.abs(stride) + 1
            starts.append(first); steps.append(stride); counts.append(count); shape.append(count)
        }
        while dimension < x.rank {  // dimensions after the items: whole
            starts.append(0); steps.append(1); counts.append(x.shape[dimension]); shape.append(x.shape[dimension])
            dimension += 1
        }
    }

    func copy<Scalar>(from src: UnsafePointer<Scalar>, to dst: UnsafeMutablePointer<Scalar>) {
        forEachSource { o, offset in dst[o] = src[offset] }
    }

    /// The inverse of `copy`: each scalar of `src` (a slice) added where it was taken from in `dst`.
    func scatterAdd(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
        forEachSource { o, offset in dst[offset] += src[o] }
    }

    /// Calls `body(o, offset)` for each element of the slice in row-major order: its position
    /// in the slice and in the source.
    private func forEachSource(_ body: (_ o: Int, _ offset: Int) -> Void) {
        guard elementCount(of: counts) > 0 else { return }
        forEachIndex(of: counts) { o, index in
            var offset = 0
            for d in counts.indices { offset += (starts[d] + index[d] * steps[d]) * sourceStrides[d] }
            body(o, offset)
        }
    }
}
