/// A Keras-native layer (`Dense`, `Conv2D`, `BatchNormalization`, `Flatten`,
/// `Dropout`, `MaxPooling2D`, `AveragePooling2D`): it owns its weights,
/// creates them on the first call from the input shape (`build`), and names
/// them by its attribute path (`conv_layer/kernel`, the key of a TensorFlow 2
/// object-based checkpoint). The variable scope of the caller does not change
/// these names.
public final class KerasLayer: Layer {
    public let configuration: LayerConfiguration
    /// The attribute path that prefixes the weights' names (`conv_layer`, `block/dense`).
    public let path: String
    public private(set) var ownWeights: [Variable] = []
    public var sublayers: [any Layer] { [] }
    public var trainable: Bool { configuration.trainable }
    public var ownLosses: [Tensor] { ownWeightLosses }
    public private(set) var isBuilt = false

    /// - Parameters:
    ///   - configuration: the layer and its arguments.
    ///   - path: the attribute path that names its weights.
    public init(_ configuration: LayerConfiguration, path: String) {
        self.configuration = configuration
        self.path = path
    }

    /// Calls the layer. `training` defaults to the context's flag.
    public func callAsFunction(_ x: Tensor, training: Bool? = nil, context: CallContext) throws -> Tensor {
        let training = training ?? context.training
        if isBuilt {
            var next = 0
            return try configuration.apply(x, training: training, context: context) { request in
                defer { next += 1 }
                let variable = ownWeights[next]
                guard variable.shape == request.shape else {
                    throw TensorError(op: configuration.type.baseName, shapes: [variable.shape, request.shape],
                                      reason: "do not fit: '\(variable.name)' was built for another input shape")
                }
                return variable
            }
        }
        let output = try configuration.apply(x, training: training, context: context) { request in
            let variable = try context.makeVariable(
                name: path.isEmpty ? request.name : path + "/" + request.name, shape: request.shape,
                initializer: request.initializer, regularizer: request.regularizer, trainable: request.trainable)
            ownWeights.append(variable)
            return variable
        }
        isBuilt = true
        return output
    }

    /// Calls the layer on its own, outside any model call.
    public func callAsFunction(_ x: Tensor, training: Bool = false) throws -> Tensor {
        try self(x, training: training, context: CallContext(training: training))
    }
}

/// Keras-native layers, spelled as in Python: `keras.Dense(units: 10, path: "dense_layer")`.
public enum keras {
    public static func Dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                             trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.dense(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                          biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                          biasRegularizer: biasRegularizer, trainable: trainable), path: path)
    }

    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                           dilationRate: dilationRate, activation: activation, useBias: useBias,
                           kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                           kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                           trainable: trainable), path: path)
    }

    public static func BatchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, trainable: Bool = true,
                                          path: String) -> KerasLayer {
        KerasLayer(.batchNormalization(axis: axis, momentum: momentum, epsilon: epsilon, center: center,
                                       scale: scale, trainable: trainable), path: path)
    }

    public static func Flatten(path: String) -> KerasLayer { KerasLayer(.flatten(), path: path) }

    public static func Dropout(rate: Float, path: String) -> KerasLayer { KerasLayer(.dropout(rate: rate), path: path) }

    public static func MaxPooling2D(poolSize: [Int] = [2, 2], strides: [Int]? = nil, padding: Padding = .valid,
                                    path: String) -> KerasLayer {
        KerasLayer(.maxPooling2d(poolSize: poolSize, strides: strides, padding: padding), path: path)
    }

    public static func AveragePooling2D(poolSize: [Int] = [2, 2], strides: [Int]? = nil, padding: Padding = .valid,
                                        path: String) -> KerasLayer {
        KerasLayer(.averagePooling2d(poolSize: poolSize, strides: strides, padding: padding), path: path)
    }
}
