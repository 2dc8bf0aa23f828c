/// `tf.nn` operations on tensors, as TF1 code calls them on the filters it makes
/// with `get_variable`: convolutions, pooling and batch normalization with
/// TensorFlow's arguments (strides and windows of 1, 2 or 4 numbers, `SAME`,
/// `VALID` or explicit padding). They run on the kernels of the layers
/// (``conv2d(_:filter:strides:padding:dilations:bias:activation:)``, ``maxPool2d(_:windowSize:strides:padding:)``).

/// `tf.nn.conv2d(input, filters, strides, padding, dilations=...)`, NHWC, filters HWIO.
/// - Parameters:
///   - strides, dilations: one number, `[height, width]`, or `[1, height, width, 1]`.
///   - padding: `.same` or `.valid`; nil with `explicitPaddings`.
///   - explicitPaddings: `[[0, 0], [top, bottom], [left, right], [0, 0]]`, TensorFlow's list form of `padding`.
public func nnConv2d(_ input: Tensor, _ filters: Tensor, strides: [Int] = [1], padding: Padding? = nil,
                     explicitPaddings: [[Int]]? = nil, dilations: [Int] = [1]) throws -> Tensor {
    let op = "conv2d"
    let (padded, mode) = try explicitlyPadded(input, padding, explicitPaddings, op: op, value: 0)
    return try conv2d(padded, filter: filters, strides: spatialPair(strides, "strides", input, op: op), padding: mode,
                      dilations: spatialPair(dilations, "dilations", input, op: op))
}

/// `tf.nn.depthwise_conv2d(input, filter, strides, padding, dilations=...)`: each input
/// channel convolved with its own `multiplier` filters; output channel `c · multiplier + m`.
/// - Parameters:
///   - filter: `[height, width, inChannels, multiplier]`.
///   - strides: `[1, height, width, 1]` (or 1 or 2 numbers); dilations: 1 or 2 numbers.
public func nnDepthwiseConv2d(_ input: Tensor, _ filter: Tensor, strides: [Int] = [1], padding: Padding? = nil,
                              explicitPaddings: [[Int]]? = nil, dilations: [Int] = [1]) throws -> Tensor {
    let op = "depthwise_conv2d"
    guard input.rank == 4, filter.rank == 4, filter.shape[2] == input.shape[3] else {
        throw TensorError(op: op, shapes: [input.shape, filter.shape],
                          reason: "do not fit: input must be NHWC and filter [height, width, input channels, multiplier]")
    }
    let (x, mode) = try explicitlyPadded(input, padding, explicitPaddings, op: op, value: 0)
    return try depthwiseWindows(x, filter, strides: spatialPair(strides, "strides", input, op: op), padding: mode,
                                dilations: spatialPair(dilations, "dilations", input, op: op), op: op)
}

/// `tf.nn.max_pool2d(input, ksize, strides, padding)`, NHWC; explicit padding is ignored by the maximum.
public func nnMaxPool2d(_ input: Tensor, ksize: [Int], strides: [Int], padding: Padding? = nil,
                        explicitPaddings: [[Int]]? = nil) throws -> Tensor {
    let op = "max_pool2d"
    let (padded, mode) = try explicitlyPadded(input, padding, explicitPaddings, op: op, value: -.infinity)
    return try maxPool2d(padded, windowSize: spatialPair(ksize, "ksize", input, op: op),
                         strides: spatialPair(strides, "strides", input, op: op), padding: mode)
}

/// `tf.nn.avg_pool2d(input, ksize, strides, padding)`, NHWC; with `SAME` each mean is over
/// the window's positions inside the input.
public func nnAvgPool2d(_ input: Tensor, ksize: [Int], strides: [Int], padding: Padding) throws -> Tensor {
    let op = "avg_pool2d"
    return try avgPool2d(input, windowSize: spatialPair(ksize, "ksize", input, op: op),
                         strides: spatialPair(strides, "strides", input, op: op), padding: padding)
}

/// `tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon)`, as
/// TensorFlow computes it: `x · inv + (offset − mean · inv)` with `inv = scale / √(variance + ε)`,
/// every operand broadcast.
public func nnBatchNormalization(_ x: Tensor, _ mean: Tensor, _ variance: Tensor, _ offset: Tensor, _ scale: Tensor,
                                 varianceEpsilon: Float) throws -> Tensor {
    let inverse = try multiply(rsqrt(variance + varianceEpsilon), scale)
    return try add(multiply(x, inverse), subtract(offset, multiply(mean, inverse)))
}

/// `(height, width)` from TensorFlow's 1, 2 or 4 numbers (`[1, h, w, 1]`).
func spatialPair(_ values: [Int], _ what: String, _ input: Tensor, op: String) throws -> (Int, Int) {
    switch values.count {
    case 1: return (values[0], values[0])
    case 2: return (values[0], values[1])
    case 4 where values[0] == 1 && values[3] == 1: return (values[1], values[2])
    default:
        throw TensorError(op: op, shapes: [input.shape],
                          reason: "cannot use \(what) \(values): give 1, 2 or 4 numbers, the first and last of 4 being 1")
    }
}

/// The input padded by TensorFlow's explicit paddings (with `value`), then windowed as VALID; or as given.
func explicitlyPadded(_ input: Tensor, _ padding: Padding?, _ explicit: [[Int]]?, op: String,
                      value: Float) throws -> (Tensor, Padding) {
    switch (padding, explicit) {
    case let (padding?, nil): return (input, padding)
    case let (nil, pairs?):
        guard input.rank == 4, pairs.count == 4, pairs[0] == [0, 0], pairs[3] == [0, 0] else {
            throw TensorError(op: op, shapes: [input.shape],
                              reason: "cannot use the explicit paddings \(pairs): give [[0, 0], [top, bottom], [left, right], [0, 0]] for an NHWC input")
        }
        return (try pad(input, paddings: pairs, constantValue: value), .valid)
    default:
        throw TensorError(op: op, shapes: [input.shape], reason: "needs either padding SAME or VALID, or explicit paddings, not both")
    }
}
