/// The convolutions beside `conv2d`: of one and three spatial axes, depthwise, and
/// transposed, as TensorFlow computes them (channels last, cross-correlation,
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

/// 3-D convolution, NDHWC input and `[depth, height, width, in, out]` filter, as `tf.nn.conv3d`.
public func conv3d(_ input: Tensor, filter: Tensor, strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                   dilations: [Int] = [1, 1, 1], bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
    try refuseUntracedGradient("conv3d", [input, filter, bias])
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
    let x = input.scalars, k = filter.scalars
    let b = bias?.scalars
    let (inD, inH, inW) = (axes[0].input, axes[1].input, axes[2].input)
    let (outD, outH, outW) = (axes[0].output, axes[1].output, axes[2].output)
    var y = [Float](repeating: 0, count: batch * outD * outH * outW * outC)
    var accumulator = [Float](repeating: 0, count: outC)
    for n in 0..<batch {
        for od in 0..<outD { for oh in 0..<outH { for ow in 0..<outW {
            for c in 0..<outC { accumulator[c] = b?[c] ?? 0 }
            for td in 0..<axes[0].window {
                let id = od * axes[0].stride + td * axes[0].dilation - axes[0].before
                guard id >= 0, id < inD else { continue }
                for th in 0..<axes[1].window {
                    let ih = oh * axes[1].stride + th * axes[1].dilation - axes[1].before
                    guard ih >= 0, ih < inH else { continue }
                    for tw in 0..<axes[2].window {
                        let iw = ow * axes[2].stride + tw * axes[2].dilation - axes[2].before
                        guard iw >= 0, iw < inW else { continue }
                        let xBase = (((n * inD + id) * inH + ih) * inW + iw) * inC
                        let kBase = ((td * axes[1].window + th) * axes[2].window + tw) * inC * outC
                        for ci in 0..<inC {
                            let value = x[xBase + ci]
                            let row = kBase + ci * outC
                            for c in 0..<outC { accumulator[c] += value * k[row + c] }
                        }
                    }
                }
            }
            let yBase = (((n * outD + od) * outH + oh) * outW + ow) * outC
            for c in 0..<outC { y[yBase + c] = accumulator[c] }
        } } }
    }
    return activate(try Tensor(shape: [batch, outD, outH, outW, outC], scalars: y), activation)
}

/// Depthwise 2-D convolution, NHWC input and `[kh, kw, in, multiplier]` filter, as
/// `tf.nn.depthwise_conv2d`: output channel `c·multiplier + m` is input channel `c`
/// convolved with `filter[:, :, c, m]`.
public func depthwiseConv2d(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), bias: Tensor? = nil,
                            activation: Activation = .linear) throws -> Tensor {
    try refuseUntracedGradient("depthwise_conv2d", [input, filter, bias])
    guard input.rank == 4, filter.rank == 4, filter.shape[2] == input.shape[3] else {
        throw TensorError(op: "depthwiseConv2d", shapes: [input.shape, filter.shape],
                          reason: "needs an NHWC input and a [kh, kw, in, multiplier] filter of the input's channels")
    }
    let rows = try WindowAxis(input: input.shape[1], window: filter.shape[0], stride: strides.0, dilation: dilations.0,
                              padding: padding, op: "depthwiseConv2d")
    let columns = try WindowAxis(input: input.shape[2], window: filter.shape[1], stride: strides.1, dilation: dilations.1,
                                 padding: padding, op: "depthwiseConv2d")
    let (batch, inC, multiplier) = (input.shape[0], input.shape[3], filter.shape[3])
    let outC = inC * multiplier
    try checkBias(bias, outC, op: "depthwiseConv2d")
    let x = input.scalars, k = filter.scalars
    let b = bias?.scalars
    var y = [Float](repeating: 0, count: batch * rows.output * columns.output * outC)
    for n in 0..<batch {
        for oh in 0..<rows.output { for ow in 0..<columns.output {
            let yBase = ((n * rows.output + oh) * columns.output + ow) * outC
            if let b { for c in 0..<outC { y[yBase + c] = b[c] } }
            for th in 0..<rows.window {
                let ih = oh * rows.stride + th * rows.dilation - rows.before
                guard ih >= 0, ih < rows.input else { continue }
                for tw in 0..<columns.window {
                    let iw = ow * columns.stride + tw * columns.dilation - columns.before
                    guard iw >= 0, iw < columns.input else { continue }
                    let xBase = ((n * rows.input + ih) * columns.input + iw) * inC
                    let kBase = (th * columns.window + tw) * outC
                    for c in 0..<outC { y[yBase + c] += x[xBase + c / multiplier] * k[kBase + c] }
                }
            }
        } }
    }
    return activate(try Tensor(shape: [batch, rows.output, columns.output, outC], scalars: y), activation)
}

/// Transposed 2-D convolution (the gradient of `conv2d` with respect to its input), NHWC
/// input and `[kh, kw, out, in]` filter, as Keras's `Conv2DTranspose`: each input position
/// adds its filter taps into the output at `position·stride + tap·dilation − padding`; the
/// output size is Keras's `deconv_output_length`.
public func conv2dTranspose(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), bias: Tensor? = nil,
                            activation: Activation = .linear) throws -> Tensor {
    try refuseUntracedGradient("conv2d_transpose", [input, filter, bias])
    guard input.rank == 4, filter.rank == 4, filter.shape[3] == input.shape[3] else {
        throw TensorError(op: "conv2dTranspose", shapes: [input.shape, filter.shape],
                          reason: "needs an NHWC input and a [kh, kw, out, in] filter of the input's channels")
    }
    let rows = try WindowAxis(transposedInput: input.shape[1], window: filter.shape[0], stride: strides.0,
                              dilation: dilations.0, padding: padding, op: "conv2dTranspose")
    let columns = try WindowAxis(transposedInput: input.shape[2], window: filter.shape[1], stride: strides.1,
                                 dilation: dilations.1, padding: padding, op: "conv2dTranspose")
    let (batch, inC, outC) = (input.shape[0], input.shape[3], filter.shape[2])
    try checkBias(bias, outC, op: "conv2dTranspose")
    let x = input.scalars, k = filter.scalars
    var y = [Float](repeating: 0, count: batch * rows.output * columns.output * outC)
    for n in 0..<batch {
        for ih in 0..<rows.input { for iw in 0..<columns.input {
            let xBase = ((n * rows.input + ih) * columns.input + iw) * inC
            for th in 0..<rows.window {
                let oh = ih * rows.stride + th * rows.dilation - rows.before
                guard oh >= 0, oh < rows.output else { continue }
                for tw in 0..<columns.window {
                    let ow = iw * columns.stride + tw * columns.dilation - columns.before
                    guard ow >= 0, ow < columns.output else { continue }
                    let yBase = ((n * rows.output + oh) * columns.output + ow) * outC
                    let kBase = (th * columns.window + tw) * outC * inC
                    for c in 0..<outC {
                        var sum: Float = 0
                        for ci in 0..<inC { sum += x[xBase + ci] * k[kBase + c * inC + ci] }
                        y[yBase + c] += sum
                    }
                }
            }
        } }
    }
    var output = try Tensor(shape: [batch, rows.output, columns.output, outC], scalars: y)
    if let bias { output = try add(output, bias) }
    return activate(output, activation)
}

/// A bias must be `[channels]`.
private func checkBias(_ bias: Tensor?, _ channels: Int, op: String) throws {
    if let bias, bias.shape != [channels] {
        throw TensorError(op: op, shapes: [bias.shape], reason: "is not a bias of \(channels) channels")
    }
}
