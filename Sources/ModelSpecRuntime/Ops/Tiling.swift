/// Tensors repeated, stacked, padded and sliced: `tf.tile`, `tf.stack`, `tf.pad` and `tf.slice`.

/// `x` repeated `multiples[d]` times along each dimension d, as `tf.tile`.
/// - Throws: `TensorError` when `multiples` does not have one entry per dimension,
///   has a negative entry, or makes more elements than can be counted.
public func tile(_ x: Tensor, multiples: [Int]) throws -> Tensor {
    func fail(_ reason: String) -> TensorError { TensorError(op: "tile", shapes: [x.shape], reason: reason) }
    guard multiples.count == x.rank else {
        throw fail("has rank \(x.rank), but multiples \(multiples) has \(multiples.count) entries")
    }
    if let bad = multiples.first(where: { $0 < 0 }) { throw fail("cannot be repeated a negative number of times (\(bad))") }
    let shape = zip(x.shape, multiples).compactMap { checkedProduct([$0, $1]) }
    guard shape.count == x.rank, let count = checkedProduct(shape) else {
        throw fail("repeated \(multiples) has more elements than can be counted")
    }
    let out = Tensor(uninitializedShape: shape)
    guard count > 0 else { return out }
    let src = x.storage.base, dst = out.storage.base
    let strides = rowMajorStrides(x.shape)
    // Each source index is the output's modulo the input's shape.
    func source(_ index: [Int]) -> Int? {
        var offset = 0
        for d in 0..<x.rank { offset += (index[d] % x.shape[d]) * strides[d] }
        return offset
    }
    forEachIndex(of: shape) { flat, index in dst[flat] = src[source(index)!] }
    if let tape = GradientTape.active {
        // Every copy's gradient added into the element it copied.
        tape.record("tile", out, [x]) { g, _ in [try gathered(g, into: x.shape, from: source)] }
    }
    return out
}

/// The gradient of an operation whose every output element copies the input element `source(index)`
/// (nil: a constant): each output's gradient added into its source, zeros elsewhere.
private func gathered(_ g: Tensor, into shape: [Int], from source: ([Int]) -> Int?) throws -> Tensor {
    let result = try Tensor(shape: shape, repeating: 0)
    let pg = g.storage.base, pr = result.storage.base
    forEachIndex(of: g.shape) { flat, index in
        if let offset = source(index) { pr[offset] += pg[flat] }
    }
    return result
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

extension Tensor {
    /// How `pad` fills the new elements (`tf.pad`'s `mode`).
    public enum PadMode: String, Sendable {
        /// `constantValue`.
        case constant
        /// The input mirrored without its edge element: `[1, 2, 3]` padded by 2 gives `3 2 [1 2 3] 2 1`.
        case reflect
        /// The input mirrored with its edge element: `2 1 [1 2 3] 3 2`.
        case symmetric
    }
}

/// `x` padded by `paddings[d] = [before, after]` elements along each dimension d, as `tf.pad`.
/// - Throws: `TensorError` when `paddings` does not have one non-negative pair per
///   dimension, or a reflection has no room (reflect: less than the size; symmetric: at most).
public func pad(_ x: Tensor, paddings: [[Int]], mode: Tensor.PadMode = .constant, constantValue: Float = 0) throws -> Tensor {
    func fail(_ reason: String) -> TensorError { TensorError(op: "pad", shapes: [x.shape], reason: reason) }
    guard paddings.count == x.rank, paddings.allSatisfy({ $0.count == 2 && $0[0] >= 0 && $0[1] >= 0 }) else {
        throw fail("needs one pair of non-negative sizes per dimension, not \(paddings)")
    }
    var shape: [Int] = []
    for (size, pair) in zip(x.shape, paddings) {
        let limit = mode == .reflect ? size - 1 : size
        if mode != .constant, Swift.max(pair[0], pair[1]) > 0, Swift.max(pair[0], pair[1]) > limit {
            throw fail("cannot be padded by \(pair) in \(mode.rawValue) mode along a dimension of size \(size)")
        }
        let (grown, overflow) = size.addingReportingOverflow(pair[0] &+ pair[1])
        guard !overflow, pair[0] &+ pair[1] >= 0 else { throw fail("padded by \(paddings) has more elements than can be counted") }
        shape.append(grown)
    }
    guard let count = checkedProduct(shape) else { throw fail("padded by \(paddings) has more elements than can be counted") }
    let out = Tensor(uninitializedShape: shape)
    guard count > 0 else { return out }
    let src = x.storage.base, dst = out.storage.base
    let strides = rowMajorStrides(x.shape)
    /// The input element an output element is (or mirrors), nil for a constant one.
    func source(_ index: [Int]) -> Int? {
        var offset = 0
        for d in 0..<x.rank {
            let n = x.shape[d]
            var i = index[d] - paddings[d][0]
            if i < 0 || i >= n {
                switch mode {
                case .constant: return nil
                case .reflect: i = i < 0 ? -i : 2 * (n - 1) - i
                case .symmetric: i = i < 0 ? -i - 1 : 2 * n - 1 - i
                }
            }
            offset += i * strides[d]
        }
        return offset
    }
    if let tape = GradientTape.active {
        tape.record("pad", out, [x]) { g, _ in [try gathered(g, into: x.shape, from: source)] }
    }
    forEachIndex(of: shape) { flat, index in dst[flat] = source(index).map { src[$0] } ?? constantValue }
    return out
}

/// The part of `x` that starts at `begin` and has `size` elements along each
/// dimension (-1: the rest of it), as `tf.slice`.
/// - Throws: `TensorError` when the slice does not lie inside `x`.
public func slice(_ x: Tensor, begin: [Int], size: [Int]) throws -> Tensor {
    func fail() -> TensorError {
        TensorError(op: "slice", shapes: [x.shape], reason: "has no slice from \(begin) of size \(size)")
    }
    guard begin.count == x.rank, size.count == x.rank else { throw fail() }
    var shape: [Int] = []
    for (length, (start, count)) in zip(x.shape, zip(begin, size)) {
        guard start >= 0, start <= length, count >= -1 else { throw fail() }
        let taken = count == -1 ? length - start : count
        guard taken <= length - start else { throw fail() }
        shape.append(taken)
    }
    let out = Tensor(uninitializedShape: shape)
    guard out.scalarCount > 0 else { return out }
    let src = x.storage.base, dst = out.storage.base
    let strides = rowMajorStrides(x.shape)
    func source(_ index: [Int]) -> Int? {
        var offset = 0
        for d in 0..<x.rank { offset += (begin[d] + index[d]) * strides[d] }
        return offset
    }
    forEachIndex(of: shape) { flat, index in dst[flat] = src[source(index)!] }
    if let tape = GradientTape.active {
        tape.record("slice", out, [x]) { g, _ in [try gathered(g, into: x.shape, from: source)] }
    }
    return out
}

/// The product of `values`, or nil when it overflows `Int`.
func checkedProduct(_ values: [Int]) -> Int? {
    var product = 1
    for value in values {
        let (next, overflow) = product.multipliedReportingOverflow(by: value)
        if overflow { return nil }
        product = next
    }
    return product
}

/// Calls `body(flat, index)` for every index of a non-empty `shape`, in row-major order.
@inline(__always)
func forEachIndex(of shape: [Int], _ body: (_ flat: Int, _ index: [Int]) -> Void) {
    var index = [Int](repeating: 0, count: shape.count)
    for flat in 0..<shape.reduce(1, *) {
        body(flat, index)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
}
