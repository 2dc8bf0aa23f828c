/// `tf.cast` between the runtime's tensor types: `Tensor` (float32),
/// `IndexTensor` (int32), `Int64Tensor` (int64) and `BoolTensor`.
///
///     let classes = try cast(probabilities, to: IndexTensor.self)   // truncated toward zero
///     let mask = try cast(ids, to: BoolTensor.self)                 // nonzero is true
///
/// Floats become integers truncated toward zero, as TensorFlow casts; a value
/// that is NaN, infinite or outside the integer type is an error. int64 becomes
/// int32 by its low 32 bits, as in TensorFlow. Numbers become booleans by being
/// nonzero (NaN is true), booleans numbers 1 and 0.

public func cast(_ x: Tensor, to _: Tensor.Type) throws -> Tensor { x }

public func cast<S>(_ x: Tensor, to _: IntegerTensor<S>.Type) throws -> IntegerTensor<S> {
    try IntegerTensor(truncating: x)
}

public func cast(_ x: Tensor, to _: BoolTensor.Type) throws -> BoolTensor {
    try BoolTensor(shape: x.shape) { dst in
        let src = x.storage.base
        for i in dst.indices { dst[i] = src[i] != 0 }
    }
}

public func cast<S>(_ x: IntegerTensor<S>, to _: Tensor.Type) throws -> Tensor { Tensor(x) }

public func cast<S, T>(_ x: IntegerTensor<S>, to _: IntegerTensor<T>.Type) throws -> IntegerTensor<T> { IntegerTensor<T>(x) }

public func cast<S>(_ x: IntegerTensor<S>, to _: BoolTensor.Type) throws -> BoolTensor {
    try BoolTensor(shape: x.shape) { dst in
        let src = x.storage.base
        for i in dst.indices { dst[i] = src[i] != 0 }
    }
}

public func cast(_ x: BoolTensor, to _: Tensor.Type) throws -> Tensor { Tensor(x) }

public func cast<S>(_ x: BoolTensor, to _: IntegerTensor<S>.Type) throws -> IntegerTensor<S> {
    try IntegerTensor(shape: x.shape) { dst in
        let src = x.storage.base
        for i in dst.indices { dst[i] = src[i] ? 1 : 0 }
    }
}

public func cast(_ x: BoolTensor, to _: BoolTensor.Type) throws -> BoolTensor { x }

extension Tensor {
    /// The booleans as 1 and 0 (`tf.cast(mask, tf.float32)`).
    public init(_ booleans: BoolTensor) {
        self.init(uninitializedShape: booleans.shape)
        let src = booleans.storage.base, dst = storage.base
        for i in 0..<booleans.scalarCount { dst[i] = src[i] ? 1 : 0 }
    }
}
