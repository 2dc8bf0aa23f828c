/// `tf.constant(value, shape:)`: a one-element `value` fills `shape`; a value with
/// as many elements as `shape` is reshaped to it; no shape keeps the value's.
/// - Throws: `TensorError` when the counts differ, as TensorFlow refuses them.
public func constant(_ value: Tensor, shape: [Int]? = nil) throws -> Tensor {
    guard let shape else { return value }
    if value.scalarCount == 1 {
        return try Tensor(shape: shape, repeating: value.scalars[0])
    }
    guard value.scalarCount == shape.reduce(1, *) else {
        throw TensorError(op: "constant", shapes: [value.shape],
                          reason: "has \(value.scalarCount) elements, but shape \(shape) has \(shape.reduce(1, *))")
    }
    return try reshape(value, shape)
}
