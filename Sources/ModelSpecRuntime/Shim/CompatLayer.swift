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
            naming = LegacyLayerNaming(className: configuration.baseName, name: configuration.name,
                                       functional: false, scopes: &context.scopes)
        }
        let firstCall = !naming!.isBuilt
        naming!.enterCall(&context.scopes)
        defer { context.scopes.exit() }
        if !firstCall, !ownWeights.isEmpty || !configuration.kernel.makesVariables {
            // Later calls: the same variables, in the same order, without looking them up.
            var next = 0
            return try configuration.apply(x, training: training ?? tf.training, context: context) { request in
                defer { next += 1 }
                guard next < ownWeights.count, ownWeights[next].shape == request.shape else {
                    throw TensorError(op: configuration.baseName, shapes: [request.shape],
                                      reason: "do not fit: the layer was built for another input shape")
                }
                return ownWeights[next]
            }
        }
        return try configuration.apply(x, training: training ?? tf.training, context: context) { request in
            let variable = try tf.variable(request.name, shape: request.shape, initializer: request.initializer,
                                           regularizer: request.regularizer, trainable: request.trainable)
            if !ownWeights.contains(where: { $0 === variable }) { ownWeights.append(variable) }
            return variable
        }
    }
}

/// `tf.compat.v1.layers` layer objects, spelled as in Python: `v1.Conv2D(filters: 3, kernelSize: [3])`;
/// each kind's spelling is in its file of `Layers/Kinds/`.
public enum v1 {}
