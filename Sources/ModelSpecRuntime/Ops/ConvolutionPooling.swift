/// A 2-D convolution and the max pooling of its output as one pass: what the generator writes for
/// a `conv2d` layer followed by a `max_pooling2d` layer when nothing else reads the convolution's
/// output.

import CConvolution

/// `maxPool2d(conv2d(input, filter, ...), ...)`, with the convolution's full output never written
/// to memory: the rows each pooled row's windows span are computed into a band in cache and
/// pooled from there (the direct kernel), or each 2×2 output tile is one window (Winograd's
/// F(2×2, 3×3)). The result is the two calls' bit for bit: the same values, their maxima taken
/// in the same order, NaN winning as in ``maxPool2d(_:windowSize:strides:padding:)``.
///
/// The two run one after the other (the same values, the same errors) when a gradient tape is
/// recording (the backward pass needs the convolution's output), for activations other than
/// linear and ReLU, for pooling windows that overlap from one pooled row to the next (a stride
/// below the window's height), and on Winograd's kernel for pooling other than 2×2 windows with
/// stride 2.
///
/// - Parameters:
///   - bias: `[outChannels]`, added to every output position before the activation.
///   - poolSize: (height, width) of the pooling window.
///   - poolStrides: (vertical, horizontal) steps of the pooling.
///   - poolPadding: the pooling's padding.
///   - Other parameters as in ``conv2d(_:filter:strides:padding:dilations:bias:activation:)``.
/// - Returns: `[batch, pooledHeight, pooledWidth, outChannels]`.
public func conv2dMaxPool2d(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), bias: Tensor? = nil, activation: Activation = .linear,
                            poolSize: (Int, Int), poolStrides: (Int, Int), poolPadding: Padding = .valid) throws -> Tensor {
    let pooling = MaxPooling(window: poolSize, strides: poolStrides, padding: poolPadding)
    return try pooling.fused(input, filter: filter, strides: strides, padding: padding, dilations: dilations,
                             scale: nil, shift: bias, activation: activation) {
        try conv2d(input, filter: filter, strides: strides, padding: padding, dilations: dilations, bias: bias,
                   activation: activation)
    }
}

/// `maxPool2d(conv2d(input, filter, ..., scale: scale, shift: shift, ...), ...)` in one pass: a
/// convolution with a batch normalization folded into it
/// (``conv2d(_:filter:strides:padding:dilations:scale:shift:activation:)``) and the max pooling of
/// its output, as ``conv2dMaxPool2d(_:filter:strides:padding:dilations:bias:activation:poolSize:poolStrides:poolPadding:)``.
public func conv2dMaxPool2d(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), scale: Tensor, shift: Tensor, activation: Activation = .linear,
                            poolSize: (Int, Int), poolStrides: (Int, Int), poolPadding: Padding = .valid) throws -> Tensor {
    let pooling = MaxPooling(window: poolSize, strides: poolStrides, padding: poolPadding)
    return try pooling.fused(input, filter: filter, strides: strides, padding: padding, dilations: dilations,
                             scale: scale, shift: shift, activation: activation) {
        try conv2d(input, filter: filter, strides: strides, padding: padding, dilations: dilations, scale: scale,
                   shift: shift, activation: activation)
    }
}

/// A max pooling to fuse into the convolution before it.
private struct MaxPooling {
    var window: (Int, Int)
    var strides: (Int, Int)
    var padding: Padding

    /// The pooled convolution, fused where the kernels take it, else `unfused()` pooled.
    func fused(_ input: Tensor, filter: Tensor, strides convolutionStrides: (Int, Int), padding convolutionPadding: Padding,
               dilations: (Int, Int), scale: Tensor?, shift: Tensor?, activation: Activation,
               unfused: () throws -> Tensor) throws -> Tensor {
        guard GradientTape.active == nil, activation == .linear || activation == .relu,
              var pool = try poolingOfOutput(input, filter: filter, strides: convolutionStrides, padding: convolutionPadding,
                                             dilations: dilations, scale: scale, shift: shift) else {
            return try maxPool2d(unfused(), windowSize: window, strides: strides, padding: padding)
        }
        let geometry = pool.geometry
        let winograd = geometry.usesWinograd
        guard !winograd || cwino_supports_pooling(&pool.kernel) != 0 else {
            return try maxPool2d(unfused(), windowSize: window, strides: strides, padding: padding)
        }
        return geometry.run(input: input, filter: filter, scale: scale, shift: shift, activation: activation,
                            winograd: winograd, pooling: pool.kernel)
    }

    /// The convolution's checked sizes and the C kernels' sizes of this pooling of its output
    /// (the errors the two calls would throw, thrown); nil when the windows of one pooled row
    /// overlap the next's.
    private func poolingOfOutput(_ input: Tensor, filter: Tensor, strides convolutionStrides: (Int, Int),
                                 padding convolutionPadding: Padding, dilations: (Int, Int), scale: Tensor?,
                                 shift: Tensor?) throws -> (geometry: ConvGeometry, kernel: cpool_geometry)? {
        let geometry = try ConvGeometry(input: input.shape, filter: filter.shape, strides: convolutionStrides,
                                        padding: convolutionPadding, dilations: dilations)
        for vector in [scale, shift] { if let vector { try geometry.checkChannelVector(vector, filter: filter.shape) } }
        let output = geometry.outputShape
        let (gh, gw) = try windowGeometry(op: "maxPool2d", shapes: [output], height: output[1], width: output[2],
                                          window: window, strides: strides, dilations: (1, 1), padding: padding)
        guard strides.0 >= window.0, let kernel = cpoolGeometry(output, gh, gw, windowSize: window, strides: strides) else {
            return nil
        }
        return (geometry, kernel)
    }
}
