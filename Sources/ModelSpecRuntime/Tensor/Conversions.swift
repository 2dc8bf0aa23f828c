extension Tensor {
    /// The indices as floats (`tf.cast(indices, tf.float32)`).
    public init(_ indices: IndexTensor) {
        self.init(uninitializedShape: indices.shape)
        let src = indices.storage.base, dst = storage.base
        for i in 0..<indices.scalarCount { dst[i] = Float(src[i]) }
    }
}

extension IndexTensor {
    /// Floats truncated toward zero to int32 (`tf.cast(x, tf.int32)`).
    /// - Throws: `TensorError` for a NaN, infinite or out-of-range value.
    public init(truncating tensor: Tensor) throws {
        try self.init(shape: tensor.shape) { dst in
            let src = tensor.storage.base
            for i in dst.indices {
                guard let v = Int32(exactly: src[i].rounded(.towardZero)) else {
                    throw TensorError(op: "IndexTensor", shapes: [tensor.shape],
                                      reason: "has value \(src[i]) at flat index \(i) that is not an int32")
                }
                dst[i] = v
            }
        }
    }
}
