/// `tf.constant(value, shape:)`: a one-element `value` fills `shape`; a value with
/// as many elements as `shape` is reshaped to it; no shape keeps the value's.
/// - Throws: `TensorError` when the counts differ, as TensorFlow refuses them.
public func constant(_ value: Tensor, shape: [Int]? = nil) throws -> Tensor {
    guard let shape else { return value }
    guard let count = checkedProduct(shape.map { Swift.max($0, 0) }) else {
        throw TensorError(op: "constant", shapes: [shape], reason: "has more elements than can be counted")
    }
    if value.scalarCount == 1 {
        return try Tensor(shape: shape, repeating: value.scalars[0])
    }
    guard value.scalarCount == count else {
        throw TensorError(op: "constant", shapes: [value.shape], reason: "has \(value.scalarCount) elements, but shape \(shape) has \(count)")
    }
    return try reshape(value, shape)
}
