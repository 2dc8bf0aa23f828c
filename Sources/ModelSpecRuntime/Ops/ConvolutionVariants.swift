/// The convolutions beside `conv2d`: of one and three spatial axes, and transposed
/// (depthwise: `DepthwiseWindows.swift`), as TensorFlow computes them (channels last, cross-correlation,
/// TensorFlow's SAME arithmetic: the odd padding goes after).

/// One spatial axis of a convolution: sizes, step, dilation and the padding before.
struct WindowAxis {
    var input: Int
    var window: Int
    var stride: Int
    var dilation: Int
    var output: Int
    /// Output position `o`, tap `t` reads input `o·stride + t·dilation − before`.
    var before: Int

    /// The window's span, dilated: `(window − 1)·dilation + 1`, after checking the sizes.
    private static func span(window: Int, stride: Int, dilation: Int, op: String) throws -> Int {
        guard window > 0, stride > 0, dilation > 0 else {
            throw TensorError(op: op, shapes: [[window, stride, dilation]], reason: "needs positive window sizes, strides and dilations")
        }
        return (window - 1) * dilation + 1
    }

    init(input: Int, window: Int, stride: Int, dilation: Int, output: Int, before: Int) {
        (self.input, self.window, self.stride, self.dilation, self.output, self.before) = (input, window, stride, dilation, output, before)
    }

    /// The axis of a forward convolution over `input`.
    init(input: Int, window: Int, stride: Int, dilation: Int, padding: Padding, op: String) throws {
        let effective = try Self.span(window: window, stride: stride, dilation: dilation, op: op)
        (self.input, self.window, self.stride, self.dilation) = (input, window, stride, dilation)
        switch padding {
        case .valid:
            output = input >= effective ? (input - effective) / stride + 1 : 0
            before = 0
        case .same:
            output = input > 0 ? (input - 1) / stride + 1 : 0
            before = Swift.max((output - 1) * stride + effective - input, 0) / 2
        }
    }

    /// The axis of a transposed convolution whose output has `output` positions (Keras's
    /// `deconv_output_length`): the forward convolution of that output gives `input`.
    init(transposedInput input: Int, window: Int, stride: Int, dilation: Int, padding: Padding, op: String) throws {
        let effective = try Self.span(window: window, stride: stride, dilation: dilation, op: op)
        (self.input, self.window, self.stride, self.dilation) = (input, window, stride, dilation)
        switch padding {
        case .valid:
            output = input * stride + Swift.max(effective - stride, 0)
            before = 0
        case .same:
            output = input * stride
            before = Swift.max((input - 1) * stride + effective - output, 0) / 2
        }
    }
}

/// 1-D convolution, NWC input and `[width, in, out]` filter, as `tf.nn.conv1d`: the
/// 2-D convolution of a height of one, as TensorFlow computes it.
public func conv1d(_ input: Tensor, filter: Tensor, stride: Int = 1, padding: Padding = .valid, dilation: Int = 1,
                   bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
    guard input.rank == 3, filter.rank == 3 else {
        throw TensorError(op: "conv1d", shapes: [input.shape, filter.shape], reason: "needs an NWC input and a [width, in, out] filter")
    }
    let output = try conv2d(reshape(input, [input.shape[0], 1, input.shape[1], input.shape[2]]),
                            filter: reshape(filter, [1] + filter.shape), strides: (1, stride), padding: padding,
                            dilations: (1, dilation), bias: bias, activation: activation)
    return try reshape(output, [output.shape[0], output.shape[2], output.shape[3]])
}

/// 3-D convolution, NDHWC input and `[depth, height, width, in, out]` filter, as `tf.nn.conv3d`:
/// products of the windows (``ConvolutionColumns``), which also give its gradients
/// (TensorFlow's Conv3DBackpropInputV2 and Conv3DBackpropFilterV2).
public func conv3d(_ input: Tensor, filter: Tensor, strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                   dilations: [Int] = [1, 1, 1], bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
    guard input.rank == 5, filter.rank == 5, filter.shape[3] == input.shape[4], strides.count == 3, dilations.count == 3 else {
        throw TensorError(op: "conv3d", shapes: [input.shape, filter.shape],
                          reason: "needs an NDHWC input and a [kd, kh, kw, in, out] filter of the input's channels")
    }
    let axes = try (0..<3).map {
        try WindowAxis(input: input.shape[$0 + 1], window: filter.shape[$0], stride: strides[$0],
                       dilation: dilations[$0], padding: padding, op: "conv3d")
    }
    let (batch, inC, outC) = (input.shape[0], input.shape[4], filter.shape[4])
    try checkBias(bias, outC, op: "conv3d")
    let columns = ConvolutionColumns(images: batch, channels: inC, outChannels: outC, axes: axes)
    let output = columns.forward(input, filter: filter, shape: [batch] + axes.map(\.output) + [outC])
    if let tape = GradientTape.active {
        tape.record("conv3d", output, [input, filter]) { g, needed in
            [needed[0] ? columns.inputGradient(g, filter: filter, shape: input.shape) : nil,
             needed[1] ? columns.filterGradient(g, input: input, shape: filter.shape) : nil]
        }
    }
    return activate(try bias.map { try biasAdd(output, $0) } ?? output, activation)
}

/// Transposed 2-D convolution (the gradient of `conv2d` with respect to its input), NHWC
/// input and `[kh, kw, out, in]` filter, as Keras's `Conv2DTranspose`: each input position
/// adds its filter taps into the output at `position·stride + tap·dilation − padding`; the
/// output size is Keras's `deconv_output_length`.
public func conv2dTranspose(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), bias: Tensor? = nil,
                            activation: Activation = .linear) throws -> Tensor {
    guard input.rank == 4, filter.rank == 4, filter.shape[3] == input.shape[3] else {
        throw TensorError(op: "conv2dTranspose", shapes: [input.shape, filter.shape],
                          reason: "needs an NHWC input and a [kh, kw, out, in] filter of the input's channels")
    }
    let rows = try WindowAxis(transposedInput: input.shape[1], window: filter.shape[0], stride: strides.0,
                              dilation: dilations.0, padding: padding, op: "conv2dTranspose")
    let columns = try WindowAxis(transposedInput: input.shape[2], window: filter.shape[1], stride: strides.1,
                                 dilation: dilations.1, padding: padding, op: "conv2dTranspose")
    let (batch, outC) = (input.shape[0], filter.shape[2])
    try checkBias(bias, outC, op: "conv2dTranspose")
    // The forward convolution from the output back to the input: its input gradient is this
    // operation, its forward pass this operation's input gradient, its filter gradient (with
    // the roles of g and the input exchanged) this operation's filter gradient.
    let outputShape = [batch, rows.output, columns.output, outC]
    if input.scalarCount == 0 {
        // No input element reaches the output, which `valid` padding still gives `max(window − stride, 0)`
        // rows or columns: TensorFlow's is the bias alone (`[2, 0, 4, 3]`, a 3x3 window, stride 2: `[2, 1, 9, out]`).
        let empty = try Tensor.zeros(outputShape)
        return activate(try bias.map { try biasAdd(empty, $0) } ?? empty, activation)
    }
    let forward = try ConvGeometry(input: outputShape, filter: filter.shape, strides: strides, padding: padding,
                                   dilations: dilations)
    guard forward.outputShape == input.shape else {
        throw TensorError(op: "conv2dTranspose", shapes: [input.shape, filter.shape],
                          reason: "do not fit: the convolution of the \(outputShape) output gives \(forward.outputShape), not the input's shape")
    }
    // On the direct kernels where they apply, as conv2d's backward pass.
    let output = forward.directInputGradient(input, filter: filter) ?? forward.phasedInputGradient(input, filter: filter)
        ?? forward.columns.inputGradient(input, filter: filter, shape: outputShape)
    if let tape = GradientTape.active {
        tape.record("conv2d_transpose", output, [input, filter]) { g, needed in
            [needed[0] ? forward.run(input: g, filter: filter, scale: nil, shift: nil, activation: .linear) : nil,
             needed[1] ? forward.directFilterGradient(input, input: g, shape: filter.shape) : nil]
        }
    }
    return activate(try bias.map { try biasAdd(output, $0) } ?? output, activation)
}

/// A bias must be `[channels]`.
func checkBias(_ bias: Tensor?, _ channels: Int, op: String) throws {
    if let bias, bias.shape != [channels] {
        throw TensorError(op: op, shapes: [bias.shape], reason: "is not a bias of \(channels) channels")
    }
}
