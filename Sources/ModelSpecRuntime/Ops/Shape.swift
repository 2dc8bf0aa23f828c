/// Shape operations. Those that only change the shape (reshape, flatten,
/// expandDims, squeeze) share the input's storage and copy nothing.

/// The same scalars with a new shape; at most one dimension may be -1 and is
/// inferred (`tf.reshape`).
/// - Throws: `TensorError` when the counts differ, more than one -1 is given,
///   or a dimension is below -1.
public func reshape(_ x: Tensor, _ shape: [Int]) throws -> Tensor {
    func fail(_ reason: String) -> TensorError {
        TensorError(op: "reshape", shapes: [x.shape, shape], reason: reason)
    }
    var inferred: Int?
    var known = 1
    for (i, d) in shape.enumerated() {
        if d == -1 {
            guard inferred == nil else { throw fail("do not fit: only one dimension can be -1") }
            inferred = i
        } else if d < 0 {
            throw fail("do not fit: dimension \(d) is negative")
        } else {
            known *= d
        }
    }
    var resolved = shape
    if let i = inferred {
        guard known > 0, x.scalarCount % known == 0 else {
            throw fail("do not fit: \(x.scalarCount) scalars cannot be split into dimensions of \(known)")
        }
        resolved[i] = x.scalarCount / known
    } else if known != x.scalarCount {
        throw fail("do not fit: \(x.scalarCount) scalars cannot take a shape of \(known)")
    }
    return x.viewed(as: resolved)
}

/// Keeps the first (batch) dimension and flattens the rest, as Keras
/// `Flatten` does: `[n, a, b, ...] → [n, a·b·...]` and `[n] → [n, 1]`.
/// - Throws: `TensorError` for a scalar.
public func flatten(_ x: Tensor) throws -> Tensor {
    guard x.rank >= 1 else {
        throw TensorError(op: "flatten", shapes: [x.shape], reason: "has no batch dimension")
    }
    return x.viewed(as: [x.shape[0], product(x.shape, 1..<x.rank)])
}

/// Inserts a dimension of size 1 at `axis` (in `-rank-1 ... rank`), as `tf.expand_dims`.
public func expandDims(_ x: Tensor, axis: Int) throws -> Tensor {
    let a = axis < 0 ? axis + x.rank + 1 : axis
    guard a >= 0, a <= x.rank else {
        throw TensorError(op: "expandDims", shapes: [x.shape],
                          reason: "has no position \(axis) to insert at (rank \(x.rank))")
    }
    var shape = x.shape
    shape.insert(1, at: a)
    return x.viewed(as: shape)
}

/// Removes dimensions of size 1: the given `axes`, or all of them when nil (`tf.squeeze`).
/// - Throws: `TensorError` when a listed axis is not of size 1.
public func squeeze(_ x: Tensor, axes: [Int]? = nil) throws -> Tensor {
    let remove: Set<Int>
    if let axes {
        let list = try normalizeAxes(axes, rank: x.rank, op: "squeeze", shape: x.shape)
        for a in list where x.shape[a] != 1 {
            throw TensorError(op: "squeeze", shapes: [x.shape],
                              reason: "cannot drop axis \(a): its size is \(x.shape[a]), not 1")
        }
        remove = Set(list)
    } else {
        remove = Set(x.shape.indices.filter { x.shape[$0] == 1 })
    }
    return x.viewed(as: x.shape.indices.filter { !remove.contains($0) }.map { x.shape[$0] })
}

/// Permutes the dimensions: output dimension i is input dimension `perm[i]`
/// (`tf.transpose`); nil reverses them.
/// - Throws: `TensorError` unless `perm` is a permutation of `0..<rank`.
public func transpose(_ x: Tensor, perm: [Int]? = nil) throws -> Tensor {
    let perm = perm ?? Array((0..<x.rank).reversed())
    guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else {
        throw TensorError(op: "transpose", shapes: [x.shape],
                          reason: "cannot be permuted by \(describe(perm)): not a permutation of its \(x.rank) axes")
    }
    let outShape = perm.map { x.shape[$0] }
    let out = Tensor(uninitializedShape: outShape)
    if let tape = GradientTape.active {
        var inverse = perm
        for (i, p) in perm.enumerated() { inverse[p] = i }
        tape.record("transpose", out, [x]) { g, _ in [try transpose(g, perm: inverse)] }
    }
    if perm == Array(0..<x.rank) {
        out.storage.base.update(from: x.storage.base, count: x.scalarCount)
        return out
    }
    if out.scalarCount == 0 { return out }
    let inStrides = rowMajorStrides(x.shape)
    let strides = perm.map { inStrides[$0] }     // input stride along each output axis
    let r = outShape.count
    let inner = outShape[r - 1], innerStride = strides[r - 1]
    let src = x.storage.base, dst = out.storage.base
    let outer = out.scalarCount / inner
    var index = [Int](repeating: 0, count: r)
    var offset = 0
    for o in 0..<outer {
        let d = dst + o * inner
        for j in 0..<inner { d[j] = src[offset + j * innerStride] }
        var axis = r - 2
        while axis >= 0 {
            index[axis] += 1
            offset += strides[axis]
            if index[axis] < outShape[axis] { break }
            offset -= strides[axis] * outShape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
    return out
}

/// Joins tensors along `axis` (`tf.concat`); all other dimensions must agree.
/// - Throws: `TensorError` for an empty list, differing ranks or dimensions.
public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
    guard let first = tensors.first else {
        throw TensorError(op: "concat", shapes: [], reason: "needs at least one tensor")
    }
    let a = try normalizeAxis(axis, rank: first.rank, op: "concat", shape: first.shape)
    var outShape = first.shape
    outShape[a] = 0
    for t in tensors {
        var s = t.shape
        guard s.count == first.rank else {
            throw TensorError(op: "concat", shapes: tensors.map(\.shape), reason: "differ in rank")
        }
        s[a] = first.shape[a]
        guard s == first.shape else {
            throw TensorError(op: "concat", shapes: tensors.map(\.shape),
                              reason: "differ outside the concatenation axis \(axis)")
        }
        outShape[a] += t.shape[a]
    }
    let out = Tensor(uninitializedShape: outShape)
    let outer = product(outShape, 0..<a), inner = product(outShape, (a + 1)..<outShape.count)
    var dst = out.storage.base
    for o in 0..<outer {
        for t in tensors {
            let chunk = t.shape[a] * inner
            dst.update(from: t.storage.base + o * chunk, count: chunk)
            dst += chunk
        }
    }
    if let tape = GradientTape.active {
        tape.record("concat", out, tensors) { g, needed in
            // Each operand's part of the gradient, sliced back out along the axis.
            var begin = [Int](repeating: 0, count: outShape.count)
            return try tensors.indices.map { i in
                defer { begin[a] += tensors[i].shape[a] }
                return needed[i] ? try slice(g, begin: begin, size: tensors[i].shape) : nil
            }
        }
    }
    return out
}
