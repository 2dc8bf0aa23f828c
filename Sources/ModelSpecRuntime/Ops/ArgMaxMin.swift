/// The index of the largest entry along `axis` (default: the last), as
/// `tf.math.argmax` and `np.argmax`: the predicted class of each row of logits.
/// The axis is removed from the shape; of equal largest entries the first is
/// taken (NumPy's rule), and a NaN counts as the largest (as in NumPy).
///
///     let classes = try argmax(logits)          // [batch, 10] -> [batch]
///     print(classes.scalars)                   // [7, 2, 1, ...]
/// - Throws: `TensorError` when the axis does not exist or has size 0.
public func argmax(_ x: Tensor, axis: Int = -1) throws -> IndexTensor {
    try argExtreme(x, axis: axis, op: "argmax", before: >)
}

/// The index of the smallest entry along `axis` (default: the last), as
/// `tf.math.argmin`: the first of equal smallest entries; a NaN counts as the smallest.
/// - Throws: `TensorError` when the axis does not exist or has size 0.
public func argmin(_ x: Tensor, axis: Int = -1) throws -> IndexTensor {
    try argExtreme(x, axis: axis, op: "argmin", before: <)
}

/// The index along `axis` of the entry that comes `before` every other (the first of equals; NaN first).
private func argExtreme(_ x: Tensor, axis: Int, op: String, before: (Float, Float) -> Bool) throws -> IndexTensor {
    try argExtreme(x.shape, x.storage.base, axis: axis, op: op, wins: { $0.isNaN || before($0, $1) }, settles: \.isNaN)
}

/// The index along `axis` of the entry of `shape`'s scalars at `src` that `wins` over every one before it
/// (the first of equals); an entry that `settles` wins over every one after it (a NaN).
func argExtreme<S>(_ shape: [Int], _ src: UnsafePointer<S>, axis: Int, op: String,
                   wins: (_ candidate: S, _ best: S) -> Bool, settles: (S) -> Bool = { _ in false }) throws -> IndexTensor {
    let a = try normalizeAxis(axis, rank: shape.count, op: op, shape: shape)
    let n = shape[a]
    guard n > 0 else {
        throw TensorError(op: op, shapes: [shape], reason: "has no entries on axis \(axis)")
    }
    let outer = product(shape, 0..<a), inner = product(shape, (a + 1)..<shape.count)
    var result = shape
    result.remove(at: a)
    return try IndexTensor(shape: result) { dst in
        for o in 0..<outer {
            for i in 0..<inner {
                let base = src + o * n * inner + i
                var best = 0, bestValue = base[0]
                if !settles(bestValue) {
                    for k in 1..<n {
                        let v = base[k * inner]
                        guard wins(v, bestValue) else { continue }
                        best = k
                        bestValue = v
                        if settles(v) { break }
                    }
                }
                dst[o * inner + i] = Int32(best)
            }
        }
    }
}
