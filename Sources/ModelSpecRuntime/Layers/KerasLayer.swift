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
    /// Keras's order: the activity loss of the last call (added during the call), then the weights'.
    public var ownLosses: [Tensor] { (activityLoss.map { [$0] } ?? []) + ownWeightLosses }
    /// `activity_regularizer`'s loss on the last call's output.
    public private(set) var activityLoss: Tensor?
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
        let output = try withWeights(context: context) { weight in
            try configuration.apply(x, training: training ?? context.training, context: context, weight: weight)
        }
        activityLoss = configuration.kernel.activityLoss(output)
        return output
    }

    /// Calls a layer whose input is integer ids (`Embedding`) on `ids`, read as they are.
    public func callAsFunction<S: TensorInteger>(_ ids: IntegerTensor<S>, training: Bool? = nil,
                                                 context: CallContext) throws -> Tensor {
        let output = try withWeights(context: context) { weight in
            try configuration.apply(ids: ids, training: training ?? context.training, context: context, weight: weight)
        }
        activityLoss = configuration.kernel.activityLoss(output)
        return output
    }

    /// Calls a layer that takes more than one tensor or makes more than one (a recurrent
    /// layer with its initial state, or with `returnState`).
    public func callAsFunction(_ inputs: [Tensor], training: Bool? = nil, context: CallContext) throws -> [Tensor] {
        try withWeights(context: context) { weight in
            try configuration.apply(inputs, training: training ?? context.training, context: context, weight: weight)
        }
    }

    /// Runs `body` with the function that gives the layer its weights: made on the first
    /// call (named by the attribute path), the same ones on every later call.
    private func withWeights<R>(context: CallContext, _ body: ((WeightRequest) throws -> Variable) throws -> R) throws -> R {
        if isBuilt {
            var next = 0
            return try body { request in
                defer { next += 1 }
                let variable = ownWeights[next]
                guard variable.shape == request.shape else {
                    throw TensorError(op: configuration.baseName, shapes: [variable.shape, request.shape],
                                      reason: "do not fit: '\(variable.name)' was built for another input shape")
                }
                return variable
            }
        }
        let output = try body { request in
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

/// Keras-native layers, spelled as in Python: `keras.Dense(units: 10, path: "dense_layer")`;
/// each kind's spelling is in its file of `Layers/Kinds/`.
public enum keras {}
