import TFNaming

/// A `tf.compat.v1.layers` layer object (`v1.Conv2D(...)`) made once and
/// called inside a shim layer's call. Its scope is chosen on its first call
/// (``LegacyLayerNaming``: `conv2d`, `conv2d_1`, ... among the current scope's
/// children) and re-entered by every later call, wherever it is called from.
/// Its variables live in the calling shim layer's store; the object also lists
/// them as its own weights and reports their regularization losses itself, so,
/// as in TensorFlow, a regularized compat object held as an attribute counts
/// twice in the outer layer's `losses`.
public final class CompatLayer: Layer {
    public let configuration: LayerConfiguration
    private var naming: LegacyLayerNaming?
    public private(set) var ownWeights: [Variable] = []
    public var sublayers: [any Layer] { [] }
    public var trainable: Bool { configuration.trainable }
    public var ownLosses: [Tensor] { ownWeightLosses }

    public init(_ configuration: LayerConfiguration) {
        self.configuration = configuration
    }

    /// The scope captured on the first call.
    public var scope: VariableScope? { naming?.scope }

    /// Calls the layer in a shim call. `training` defaults to the call's flag.
    public func callAsFunction(_ x: Tensor, training: Bool? = nil, in tf: TF1) throws -> Tensor {
        let context = tf.context
        if naming == nil {
            naming = LegacyLayerNaming(className: configuration.type.baseName, name: configuration.name,
                                       functional: false, scopes: &context.scopes)
        }
        let firstCall = !naming!.isBuilt
        naming!.enterCall(&context.scopes)
        defer { context.scopes.exit() }
        if !firstCall, !ownWeights.isEmpty || configuration.type.hasNoWeights {
            // Later calls: the same variables, in the same order, without looking them up.
            var next = 0
            return try configuration.apply(x, training: training ?? tf.training, context: context) { request in
                defer { next += 1 }
                guard next < ownWeights.count, ownWeights[next].shape == request.shape else {
                    throw TensorError(op: configuration.type.baseName, shapes: [request.shape],
                                      reason: "do not fit: the layer was built for another input shape")
                }
                return ownWeights[next]
            }
        }
        return try configuration.apply(x, training: training ?? tf.training, context: context) { request in
            let variable = try tf.variable(request.name, shape: request.shape, dtype: .float32, initializer: request.initializer,
                                           regularizer: request.regularizer, trainable: request.trainable)
            if !ownWeights.contains(where: { $0 === variable }) { ownWeights.append(variable) }
            return variable
        }
    }
}

extension LayerType {
    var hasNoWeights: Bool {
        switch self {
        case .flatten, .dropout, .maxPooling2d, .averagePooling2d: true
        case .dense, .conv2d, .batchNormalization: false
        }
    }
}

/// `tf.compat.v1.layers` layer objects, spelled as in Python: `v1.Conv2D(filters: 3, kernelSize: [3])`.
public enum v1 {
    public static func Dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                             trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.dense(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                           biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                           biasRegularizer: biasRegularizer, trainable: trainable, name: name))
    }

    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                            dilationRate: dilationRate, activation: activation, useBias: useBias,
                            kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                            trainable: trainable, name: name))
    }

    public static func BatchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, trainable: Bool = true,
                                          name: String? = nil) -> CompatLayer {
        CompatLayer(.batchNormalization(axis: axis, momentum: momentum, epsilon: epsilon, center: center,
                                        scale: scale, trainable: trainable, name: name))
    }

    public static func Flatten(name: String? = nil) -> CompatLayer { CompatLayer(.flatten(name: name)) }

    public static func Dropout(rate: Float = 0.5, name: String? = nil) -> CompatLayer {
        CompatLayer(.dropout(rate: rate, name: name))
    }

    public static func MaxPooling2D(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                    name: String? = nil) -> CompatLayer {
        CompatLayer(.maxPooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name))
    }

    public static func AveragePooling2D(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                        name: String? = nil) -> CompatLayer {
        CompatLayer(.averagePooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name))
    }
}
