/// Depthwise 2-D convolution, NHWC input and `[kh, kw, in, multiplier]` filter, as
/// `tf.nn.depthwise_conv2d`: output channel `c·multiplier + m` is input channel `c`
/// convolved with `filter[:, :, c, m]`; the bias and activation recorded after it.
public func depthwiseConv2d(_ input: Tensor, filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                            dilations: (Int, Int) = (1, 1), bias: Tensor? = nil,
                            activation: Activation = .linear) throws -> Tensor {
    guard input.rank == 4, filter.rank == 4, filter.shape[2] == input.shape[3] else {
        throw TensorError(op: "depthwiseConv2d", shapes: [input.shape, filter.shape],
                          reason: "needs an NHWC input and a [kh, kw, in, multiplier] filter of the input's channels")
    }
    try checkBias(bias, input.shape[3] * filter.shape[3], op: "depthwiseConv2d")
    let output = try depthwiseWindows(input, filter, strides: strides, padding: padding, dilations: dilations, op: "depthwiseConv2d")
    return activate(try bias.map { try biasAdd(output, $0) } ?? output, activation)
}

/// The depthwise convolution of NHWC `x` (rank and channels checked by the caller) with its
/// backward rule, TensorFlow's DepthwiseConv2dNativeBackpropInput and ...BackpropFilter: each
/// product's gradient to the input pixel (times the weight) and to the weight (times the pixel).
func depthwiseWindows(_ x: Tensor, _ filter: Tensor, strides: (Int, Int), padding: Padding, dilations: (Int, Int),
                      op: String) throws -> Tensor {
    let (gh, gw) = try windowGeometry(op: op, shapes: [x.shape, filter.shape], height: x.shape[1], width: x.shape[2],
                                      window: (filter.shape[0], filter.shape[1]), strides: strides, dilations: dilations,
                                      padding: padding)
    let windows = DepthwiseWindows(input: x.shape, filter: filter.shape, rows: gh, columns: gw, strides: strides, dilations: dilations)
    let (c, multiplier) = (windows.channels, windows.multiplier)
    let out = try Tensor(shape: windows.outputShape, repeating: 0)
    let src = x.storage.base, weights = filter.storage.base, dst = out.storage.base
    windows.forEachTap { o, i, t in
        for channel in 0..<c {
            let value = src[i + channel]
            for m in 0..<multiplier { dst[o + channel * multiplier + m] += value * weights[t + channel * multiplier + m] }
        }
    }
    withExtendedLifetime((x, filter)) {}
    if let tape = GradientTape.active {
        tape.record("depthwise_conv2d", out, [x, filter]) { g, needed in
            let gx = try Tensor(shape: x.shape, repeating: 0), gf = try Tensor(shape: filter.shape, repeating: 0)
            let pg = g.storage.base, px = gx.storage.base, pf = gf.storage.base
            windows.forEachTap { o, i, t in
                for channel in 0..<c {
                    for m in 0..<multiplier {
                        let up = pg[o + channel * multiplier + m]
                        px[i + channel] += up * weights[t + channel * multiplier + m]
                        pf[t + channel * multiplier + m] += up * src[i + channel]
                    }
                }
            }
            withExtendedLifetime((x, filter)) {}
            return [needed[0] ? gx : nil, needed[1] ? gf : nil]
        }
    }
    return out
}

/// The windows of a depthwise convolution over NHWC `input` with a `[height, width, channels, multiplier]` filter.
private struct DepthwiseWindows {
    let batch: Int, height: Int, width: Int, channels: Int
    let filterHeight: Int, filterWidth: Int, multiplier: Int
    let rows: WindowGeometry, columns: WindowGeometry
    let strides: (Int, Int), dilations: (Int, Int)

    init(input: [Int], filter: [Int], rows: WindowGeometry, columns: WindowGeometry, strides: (Int, Int), dilations: (Int, Int)) {
        (batch, height, width, channels) = (input[0], input[1], input[2], input[3])
        (filterHeight, filterWidth, multiplier) = (filter[0], filter[1], filter[3])
        (self.rows, self.columns, self.strides, self.dilations) = (rows, columns, strides, dilations)
    }

    var outputShape: [Int] { [batch, rows.outputSize, columns.outputSize, channels * multiplier] }

    /// Calls `body(output, input, tap)` for each output pixel and each filter tap that falls inside
    /// the input: the offsets of the output pixel's channels, of the input pixel's and of the tap's weights.
    @inline(__always)
    func forEachTap(_ body: (_ output: Int, _ input: Int, _ tap: Int) -> Void) {
        var o = 0
        for b in 0..<batch {
            for oy in 0..<rows.outputSize {
                for ox in 0..<columns.outputSize {
                    for ky in 0..<filterHeight {
                        let iy = oy * strides.0 - rows.padBefore + ky * dilations.0
                        guard iy >= 0, iy < height else { continue }
                        for kx in 0..<filterWidth {
                            let ix = ox * strides.1 - columns.padBefore + kx * dilations.1
                            guard ix >= 0, ix < width else { continue }
                            body(o, ((b * height + iy) * width + ix) * channels, (ky * filterWidth + kx) * channels * multiplier)
                        }
                    }
                    o += channels * multiplier
                }
            }
        }
    }
}
