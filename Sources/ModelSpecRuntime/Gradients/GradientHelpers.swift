/// What backward rules share: undoing broadcasting, and elementwise maps of
/// two or three tensors of one shape. Called only while a tape back-propagates
/// (nothing of theirs is recorded).

/// `g` summed down to `shape`, the shape of an operand that was broadcast to `g`'s
/// (NumPy rules: the axes it lacked, and those where it had 1).
func unbroadcast(_ g: Tensor, to shape: [Int]) throws -> Tensor {
    if g.shape == shape { return g }
    let lead = g.rank - shape.count
    var axes = Array(0..<Swift.max(lead, 0))
    for (i, size) in shape.enumerated() where size == 1 && g.shape[lead + i] != 1 {
        axes.append(lead + i)
    }
    let summed = axes.isEmpty ? g : try reduceSum(g, axes: axes, keepDims: true)
    return summed.viewed(as: shape)
}

/// `g` repeated along the axes a reduction removed: `reduced` has `shape` with those
/// axes at size 1 (keepdims) or left out.
func broadcast(_ reduced: Tensor, to shape: [Int], axes: [Int]) throws -> Tensor {
    var kept = shape
    for a in axes { kept[a] = 1 }
    return try add(Tensor(shape: shape, repeating: 0), reduced.viewed(as: kept))
}

/// `f(a[i], b[i])` for two tensors of one shape.
@inline(__always)
func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(a.scalarCount == b.scalarCount, "zipMap: \(a.shape) and \(b.shape)")
    let out = Tensor(uninitializedShape: a.shape)
    let pa = a.storage.base, pb = b.storage.base, po = out.storage.base
    for i in 0..<a.scalarCount { po[i] = f(pa[i], pb[i]) }
    return out
}

/// `f(a[i], b[i], c[i])` for three tensors of one shape.
@inline(__always)
func zipMap(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
    precondition(a.scalarCount == b.scalarCount && b.scalarCount == c.scalarCount, "zipMap: \(a.shape), \(b.shape), \(c.shape)")
    let out = Tensor(uninitializedShape: a.shape)
    let pa = a.storage.base, pb = b.storage.base, pc = c.storage.base, po = out.storage.base
    for i in 0..<a.scalarCount { po[i] = f(pa[i], pb[i], pc[i]) }
    return out
}
