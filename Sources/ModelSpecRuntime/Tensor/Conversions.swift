extension Tensor {
    /// The integers as floats (`tf.cast(indices, tf.float32)`; rounded to nearest above 2^24).
    public init<S>(_ integers: IntegerTensor<S>) {
        self.init(uninitializedShape: integers.shape)
        let src = integers.storage.base, dst = storage.base
        for i in 0..<integers.scalarCount { dst[i] = Float(src[i]) }
    }
}

extension IntegerTensor {
    /// Floats truncated toward zero (`tf.cast(x, tf.int32)`).
    /// - Throws: `TensorError` for a NaN, infinite or out-of-range value.
    public init(truncating tensor: Tensor) throws {
        try self.init(shape: tensor.shape) { dst in
            let src = tensor.storage.base
            for i in dst.indices {
                guard let v = Scalar(exactly: src[i].rounded(.towardZero)) else {
                    throw TensorError(op: Self.typeName, shapes: [tensor.shape],
                                      reason: "has value \(src[i]) at flat index \(i) that is not an \(Scalar.dtypeName)")
                }
                dst[i] = v
            }
        }
    }

    /// Integers of another width, as `tf.cast` converts them: int32 to int64 exactly, int64 to
    /// int32 keeping the low 32 bits (two's complement, as TensorFlow's cast does).
    public init<T>(_ other: IntegerTensor<T>) {
        if let same = other as? IntegerTensor<Scalar> {
            self = same
            return
        }
        // Cannot fail: the shape is other's, which holds.
        try! self.init(shape: other.shape) { dst in
            let src = other.storage.base
            for i in dst.indices { dst[i] = Scalar(truncatingIfNeeded: src[i]) }
        }
    }
}
