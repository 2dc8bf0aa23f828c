/// A convolution, the batch normalization of its output and an activation,
/// as one call: what the generator writes for those three steps when nothing
/// else reads the values between them.
extension TF1 {
    /// `tf.compat.v1.layers.conv2d`, then `tf.compat.v1.layers.batch_normalization`
    /// of its output, then `activation`: the same layers, scopes, variables (in
    /// the same creation order) and losses as the separate calls.
    ///
    /// In inference the normalization is folded into the convolution
    /// (`scale = γ/√(σ² + ε)` per channel, `shift = β − μ·scale`) and the three
    /// run as one pass over the output; in training, or for a normalization
    /// along another axis, they run one after the other.
    public func conv2dBatchNormalization(_ x: Tensor, _ convolution: LayerConfiguration,
                                         _ normalization: LayerConfiguration, activation: Activation = .linear,
                                         training: Bool = false) throws -> Tensor {
        guard let conv = convolution.kernel as? Conv2DKernel, let norm = normalization.kernel as? BatchNormalizationKernel,
              !training, x.rank == 4, conv.weights.activation == .linear, norm.axis == -1 || norm.axis == 3,
              activation == .linear || activation == .relu else {
            let convolved = try layer(convolution, x)
            return activate(try layer(normalization, convolved, training: training), activation)
        }
        let (kernel, bias) = try inLayerScope(convolution) { weight in
            try conv.variables(inputChannels: x.shape[3], weight: weight)
        }
        let statistics = try inLayerScope(normalization) { weight in
            try norm.variables(channels: conv.filters, weight: weight)
        }
        var scale = rsqrt(try context.value(of: statistics.movingVariance) + norm.epsilon)
        if let gamma = statistics.gamma { scale = try multiply(scale, context.value(of: gamma)) }
        var shift = -(try multiply(context.value(of: statistics.movingMean), scale))
        if let beta = statistics.beta { shift = try add(shift, context.value(of: beta)) }
        if let bias { shift = try add(shift, multiply(context.value(of: bias), scale)) }
        return try ModelSpecRuntime.conv2d(x, filter: context.value(of: kernel), strides: (conv.strides[0], conv.strides[1]),
                          padding: conv.padding, dilations: (conv.dilationRate[0], conv.dilationRate[1]),
                          scale: scale, shift: shift, activation: activation)
    }
}
