/// Keras's `LayerNormalization`: `gamma` (if scale) and `beta` (if center) of the input's
/// sizes along `axis` (sorted), each example normalized over those axes.
public struct LayerNormalizationKernel: LayerKernel {
    public var axis: [Int]
    public var epsilon: Float
    public var center: Bool
    public var scale: Bool

    public init(axis: [Int] = [-1], epsilon: Float = 0.001, center: Bool = true, scale: Bool = true) {
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
    }

    public var baseName: String { "layer_normalization" }
    public var makesVariables: Bool { true }
    public var supportsMasking: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let axes = try axis.map { axis in
            let a = axis < 0 ? axis + x.rank : axis
            guard a >= 0, a < x.rank else {
                throw TensorError(op: baseName, shapes: [x.shape], reason: "has no axis \(axis)")
            }
            return a
        }.sorted()
        let shape = axes.map { x.shape[$0] }
        let gamma = try scale ? weight(WeightRequest(name: "gamma", shape: shape, initializer: .ones)) : nil
        let beta = try center ? weight(WeightRequest(name: "beta", shape: shape, initializer: .zeros)) : nil
        return try layerNormalization(x, axes: axes, scale: gamma.map { try context.value(of: $0) },
                                      offset: beta.map { try context.value(of: $0) }, epsilon: epsilon)
    }
}

extension LayerConfiguration {
    public static func layerNormalization(axis: [Int] = [-1], epsilon: Float = 0.001, center: Bool = true,
                                          scale: Bool = true, trainable: Bool = true) -> LayerConfiguration {
        LayerConfiguration(LayerNormalizationKernel(axis: axis, epsilon: epsilon, center: center, scale: scale),
                           trainable: trainable)
    }
}

extension keras {
    /// `tf.keras.layers.LayerNormalization` (`tf.compat.v1.layers` has none).
    public static func LayerNormalization(axis: [Int] = [-1], epsilon: Float = 0.001, center: Bool = true,
                                          scale: Bool = true, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.layerNormalization(axis: axis, epsilon: epsilon, center: center, scale: scale, trainable: trainable),
                   path: path)
    }
}
