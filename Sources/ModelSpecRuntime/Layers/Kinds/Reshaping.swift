import TFNaming

/// `Flatten`: `[batch, product of the rest]`.
public struct FlattenKernel: LayerKernel {
    public init() {}

    public var baseName: String { "flatten" }
    public var makesVariables: Bool { false }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        try ModelSpecRuntime.flatten(x)
    }
}

/// `Dropout`: in training, zeroes each element with probability `rate` and scales the rest by `1/(1-rate)`.
public struct DropoutKernel: LayerKernel {
    public var rate: Float

    public init(rate: Float = 0.5) {
        self.rate = rate
    }

    public var baseName: String { "dropout" }
    public var makesVariables: Bool { false }
    public var supportsMasking: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard training, rate > 0 else { return x }
        return try ModelSpecRuntime.dropout(x, rate: rate, generator: &context.generator)
    }
}

extension LayerConfiguration {
    public static func flatten(name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(FlattenKernel(), name: name)
    }

    public static func dropout(rate: Float = 0.5, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(DropoutKernel(rate: rate), name: name)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.flatten`.
    public func flatten(_ x: Tensor, name: String? = nil) throws -> Tensor {
        try layer(.flatten(name: name), x)
    }

    /// `tf.compat.v1.layers.dropout`; `rate` 0.5 and `training` false by default, as in TensorFlow.
    public func dropout(_ x: Tensor, rate: Float = 0.5, training: Bool = false, name: String? = nil) throws -> Tensor {
        try layer(.dropout(rate: rate, name: name), x, training: training)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Flatten`.
    public static func Flatten(name: String? = nil) -> CompatLayer { CompatLayer(.flatten(name: name)) }

    /// `tf.compat.v1.layers.Dropout`.
    public static func Dropout(rate: Float = 0.5, name: String? = nil) -> CompatLayer {
        CompatLayer(.dropout(rate: rate, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Flatten`.
    public static func Flatten(path: String) -> KerasLayer { KerasLayer(.flatten(), path: path) }

    /// `tf.keras.layers.Dropout`: `rate` has no default, as in Keras.
    public static func Dropout(rate: Float, path: String) -> KerasLayer { KerasLayer(.dropout(rate: rate), path: path) }
}
