/// `tf.constant(value, shape:)`: a one-element `value` fills `shape`; a value with
/// as many elements as `shape` is reshaped to it; no shape keeps the value's.
/// - Throws: `TensorError` when the counts differ, as TensorFlow refuses them.
public func constant(_ value: Tensor, shape: [Int]? = nil) throws -> Tensor {
    guard let shape else { return value }
    var count = 1
    for size in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(size, 0))
        guard !overflow else {
            throw TensorError(op: "constant", shapes: [shape], reason: "has more elements than can be counted")
        }
        count = product
    }
    if value.scalarCount == 1 {
        return try Tensor(shape: shape, repeating: value.scalars[0])
    }
    guard value.scalarCount == count else {
        throw TensorError(op: "constant", shapes: [value.shape], reason: "has \(value.scalarCount) elements, but shape \(shape) has \(count)")
    }
    return try reshape(value, shape)
}
