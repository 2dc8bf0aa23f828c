/// A convolution, the batch normalization of its output, an activation and a max pooling, as one
/// call: what the generator writes for those steps when nothing else reads the values between
/// them.
extension TF1 {
    /// `tf.compat.v1.layers.conv2d`, then `tf.compat.v1.layers.batch_normalization`
    /// of its output, then `activation`, then `pooling` (a `max_pooling2d`, nil: none): the same
    /// layers, scopes, variables (in the same creation order) and losses as the separate calls.
    ///
    /// In inference the normalization is folded into the convolution
    /// (`scale = γ/√(σ² + ε)` per channel, `shift = β − μ·scale`) and they
    /// run as one pass over the output, the pooling too where the kernels take it
    /// (``conv2dMaxPool2d(_:filter:strides:padding:dilations:scale:shift:activation:poolSize:poolStrides:poolPadding:)``);
    /// in training, or for a normalization along another axis, they run one after the other.
    public func conv2dBatchNormalization(_ x: Tensor, _ convolution: LayerConfiguration,
                                         _ normalization: LayerConfiguration, activation: Activation = .linear,
                                         pooling: LayerConfiguration? = nil, training: Bool = false) throws -> Tensor {
        guard let conv = convolution.kernel as? ConvolutionKernel, conv.rank == 2, let norm = normalization.kernel as? BatchNormalizationKernel,
              !training, x.rank == 4, conv.weights.activation == .linear, norm.axis == -1 || norm.axis == 3,
              activation == .linear || activation == .relu, pooling.map(Self.poolsByMaximum) ?? true else {
            let convolved = try layer(convolution, x)
            let normalized = activate(try layer(normalization, convolved, training: training), activation)
            return try pooling.map { try layer($0, normalized) } ?? normalized
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
        let filter = try context.value(of: kernel)
        let (strides, dilations) = ((conv.strides[0], conv.strides[1]), (conv.dilationRate[0], conv.dilationRate[1]))
        guard let pooling, let pool = pooling.kernel as? Pooling2DKernel else {
            return try ModelSpecRuntime.conv2d(x, filter: filter, strides: strides, padding: conv.padding, dilations: dilations,
                                               scale: scale, shift: shift, activation: activation)
        }
        try inLayerScope(pooling) { _ in }
        let poolStrides = pool.strides ?? pool.poolSize
        return try conv2dMaxPool2d(x, filter: filter, strides: strides, padding: conv.padding, dilations: dilations,
                                   scale: scale, shift: shift, activation: activation,
                                   poolSize: (pool.poolSize[0], pool.poolSize[1]), poolStrides: (poolStrides[0], poolStrides[1]),
                                   poolPadding: pool.padding)
    }

    /// `tf.compat.v1.layers.conv2d`, then `tf.compat.v1.layers.max_pooling2d` of its output: the
    /// same layers, scopes and variables as the separate calls, run as one pass where the kernels
    /// take it
    /// (``conv2dMaxPool2d(_:filter:strides:padding:dilations:bias:activation:poolSize:poolStrides:poolPadding:)``:
    /// in inference, with a linear or ReLU activation), the convolution's output never written.
    public func conv2dMaxPooling(_ x: Tensor, _ convolution: LayerConfiguration, _ pooling: LayerConfiguration) throws -> Tensor {
        guard let conv = convolution.kernel as? ConvolutionKernel, conv.rank == 2, x.rank == 4,
              let pool = pooling.kernel as? Pooling2DKernel, pool.mode == .max else {
            return try layer(pooling, layer(convolution, x))
        }
        let (kernel, bias) = try inLayerScope(convolution) { weight in
            try conv.variables(inputChannels: x.shape[3], weight: weight)
        }
        try inLayerScope(pooling) { _ in }
        let poolStrides = pool.strides ?? pool.poolSize
        return try conv2dMaxPool2d(x, filter: context.value(of: kernel), strides: (conv.strides[0], conv.strides[1]),
                                   padding: conv.padding, dilations: (conv.dilationRate[0], conv.dilationRate[1]),
                                   bias: bias.map { try context.value(of: $0) }, activation: conv.weights.activation,
                                   poolSize: (pool.poolSize[0], pool.poolSize[1]), poolStrides: (poolStrides[0], poolStrides[1]),
                                   poolPadding: pool.padding)
    }

    /// Whether `pooling` is a max pooling (the only pooling fused into a convolution).
    private static func poolsByMaximum(_ pooling: LayerConfiguration) -> Bool {
        (pooling.kernel as? Pooling2DKernel)?.mode == .max
    }
}
