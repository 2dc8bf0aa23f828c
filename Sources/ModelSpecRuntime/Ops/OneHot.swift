/// `tf.one_hot(indices, depth, on_value, off_value, axis)`: a dimension of
/// `depth` inserted at `axis` (default: last), `onValue` at each index and
/// `offValue` elsewhere; an index outside `0..<depth` gives a row of `offValue`.
///
///     let targets = try oneHot(labels, depth: 10)   // [batch] -> [batch, 10]
/// - Throws: `TensorError` when `depth` is negative or `axis` is not in `-1...rank`.
public func oneHot<S>(_ indices: IntegerTensor<S>, depth: Int, onValue: Float = 1, offValue: Float = 0, axis: Int = -1) throws -> Tensor {
    guard depth >= 0 else {
        throw TensorError(op: "one_hot", shapes: [indices.shape], reason: "has a negative depth \(depth)")
    }
    guard axis >= -1, axis <= indices.rank else {
        throw TensorError(op: "one_hot", shapes: [indices.shape], reason: "has no axis \(axis): it must be -1 or in 0...\(indices.rank)")
    }
    let a = axis == -1 ? indices.rank : axis
    var shape = indices.shape
    shape.insert(depth, at: a)
    let out = try Tensor(shape: shape, repeating: offValue)
    let outer = product(indices.shape, 0..<a), inner = product(indices.shape, a..<indices.rank)
    let src = indices.storage.base, dst = out.storage.base
    for o in 0..<outer {
        for i in 0..<inner {
            let index = Int(src[o * inner + i])
            if index >= 0, index < depth { dst[(o * depth + index) * inner + i] = onValue }
        }
    }
    return out
}
