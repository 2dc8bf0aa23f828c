/// `tf.nn` operations on tensors, for a filter made by `get_variable` as TF1 code
/// uses it (`tf.nn.conv2d(x, weights, ...)`). Their spec names keep TensorFlow's
/// `nn.` prefix: `conv2d`, `batch_normalization` and the pooling layers are the
/// `tf.compat.v1.layers` steps, which make their own variables, and the prefix
/// says which one a step is, as the Python does.
extension OperationDeclaration {
    static let neuralNetwork: [OperationDeclaration] = [
        OperationDeclaration("nn.conv2d", tensorflow: "tf.nn.conv2d", operands: .two(["input", "filters"]),
                             attributes: windowAttributes(window: nil, dilations: true),
                             result: "NHWC, filters `[height, width, in, out]`: `[batch, out height, out width, out]`",
                             swift: .call("nnConv2d"), types: .floatHere) { shapes, arguments in
            try windowShape("nn.conv2d", shapes, arguments, depthwise: false)
        },
        OperationDeclaration("nn.depthwise_conv2d", tensorflow: "tf.nn.depthwise_conv2d", operands: .two(["input", "filter"]),
                             attributes: windowAttributes(window: nil, dilations: true),
                             result: "NHWC, filter `[height, width, in, multiplier]`: `[batch, out height, out width, in · multiplier]`",
                             swift: .call("nnDepthwiseConv2d")) { shapes, arguments in
            try windowShape("nn.depthwise_conv2d", shapes, arguments, depthwise: true)
        },
        OperationDeclaration("nn.max_pool2d", tensorflow: "tf.nn.max_pool2d", operands: .one,
                             attributes: windowAttributes(window: "ksize", dilations: false),
                             result: "NHWC: `[batch, out height, out width, channels]`",
                             swift: .call("nnMaxPool2d"), types: .floatHere) { shapes, arguments in
            try windowShape("nn.max_pool2d", shapes, arguments, depthwise: false)
        },
        OperationDeclaration("nn.avg_pool2d", tensorflow: "tf.nn.avg_pool2d", operands: .one, attributes: [
            AttributeDeclaration("ksize", .ints, .required, swift: "ksize"),
            AttributeDeclaration("strides", .ints, .required, swift: "strides"),
            AttributeDeclaration("padding", .choice(["valid", "same"]), .required, swift: "padding"),
        ], result: "NHWC: `[batch, out height, out width, channels]`", swift: .call("nnAvgPool2d")) { shapes, arguments in
            try windowShape("nn.avg_pool2d", shapes, arguments, depthwise: false)
        },
        OperationDeclaration("nn.batch_normalization", tensorflow: "tf.nn.batch_normalization", operands: .many, attributes: [
            AttributeDeclaration("variance_epsilon", .float, .required, swift: "varianceEpsilon"),
        ], result: "5 operands, `x, mean, variance, offset, scale` (numbers allowed: 0 and 1 for None): all broadcast together",
           swift: .call("nnBatchNormalization")) { shapes, _ in
            guard shapes.count == 5 else {
                throw ShapeMismatch(message: "nn.batch_normalization takes 5 operands, x, mean, variance, offset and scale (0 and 1 for None), but \(shapes.count) \(shapes.count == 1 ? "is" : "are") given")
            }
            var result = shapes[0]
            for shape in shapes.dropFirst() { result = try ShapeRules.broadcast(result, shape, op: "nn.batch_normalization") }
            return result
        },
    ]

    /// `strides` (and `ksize` for pooling) as TensorFlow takes them, `padding` or `explicit_paddings`, `dilations`.
    private static func windowAttributes(window: String?, dilations: Bool) -> [AttributeDeclaration] {
        var attributes: [AttributeDeclaration] = []
        if let window { attributes.append(AttributeDeclaration(window, .ints, .required, swift: window)) }
        attributes.append(AttributeDeclaration("strides", .ints, window == nil ? .defaultValue(.ints([1])) : .required, swift: "strides"))
        attributes.append(AttributeDeclaration("padding", .choice(["valid", "same"]), .optional("or `explicit_paddings`"), swift: "padding"))
        attributes.append(AttributeDeclaration("explicit_paddings", .pairs, .optional("or `padding`"), tensorflow: "padding",
                                               swift: "explicitPaddings"))
        if dilations { attributes.append(AttributeDeclaration("dilations", .ints, .defaultValue(.ints([1])), swift: "dilations")) }
        return attributes
    }

    /// `(height, width)` from TensorFlow's 1, 2 or 4 numbers.
    private static func spatial(_ values: [Int]?, _ what: String, _ op: String) throws -> (Int, Int) {
        let values = values ?? [1]
        switch values.count {
        case 1 where values[0] > 0: return (values[0], values[0])
        case 2 where values.allSatisfy({ $0 > 0 }): return (values[0], values[1])
        case 4 where values[0] == 1 && values[3] == 1 && values[1] > 0 && values[2] > 0: return (values[1], values[2])
        default:
            throw ShapeMismatch(message: "\(op): \(what) \(values) must be 1, 2 or 4 positive numbers, the first and last of 4 being 1 (TensorFlow does not stride or pool over the batch and channels)")
        }
    }

    /// The output shape of a convolution or pooling over an NHWC input.
    private static func windowShape(_ op: String, _ shapes: [TracedShape], _ arguments: OperationArguments,
                                    depthwise: Bool) throws -> TracedShape {
        let input = shapes[0]
        guard input.count == 4 else { throw ShapeMismatch(message: "\(op) needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
        let filter = shapes.count > 1 ? shapes[1] : nil
        var window: (Int, Int)
        var channels = input[3]
        if let filter {
            guard filter.count == 4, let height = filter[0].size, let width = filter[1].size else {
                throw ShapeMismatch(message: "\(op) needs a filter of rank 4 with known height and width, [height, width, in, \(depthwise ? "multiplier" : "out")], but got shape \(filter.shapeDescription)")
            }
            if let given = input[3].size, let expected = filter[2].size, given != expected {
                throw ShapeMismatch(message: "\(op): the input's \(given) channels and the filter's \(expected) input channels differ (input \(input.shapeDescription), filter \(filter.shapeDescription))")
            }
            window = (height, width)
            if depthwise {
                channels = if let c = input[3].size ?? filter[2].size, let m = filter[3].size { .known(try CheckedSize.product(c, m, "\(op)'s channels")) } else { .unknown }
            } else {
                channels = filter[3]
            }
        } else {
            window = try spatial(try arguments.ints("ksize"), "ksize", op)
        }
        let strides = try spatial(try arguments.ints("strides"), "strides", op)
        let dilations = try spatial(try arguments.values["dilations"] == nil ? [1] : arguments.ints("dilations"), "dilations", op)
        let heights: TracedDim, widths: TracedDim
        switch (arguments.values["padding"], arguments.values["explicit_paddings"]) {
        case (.name(let name)?, nil):
            let padding: Padding = name == "same" ? .same : .valid
            heights = try ShapeRules.windowOutput(input[1], window: window.0, stride: strides.0, dilation: dilations.0, padding: padding)
            widths = try ShapeRules.windowOutput(input[2], window: window.1, stride: strides.1, dilation: dilations.1, padding: padding)
        case (nil, .intLists(let pairs)?):
            guard pairs.count == 4, pairs[0] == [0, 0], pairs[3] == [0, 0] else {
                throw ShapeMismatch(message: "\(op): explicit_paddings \(pairs) must be [[0, 0], [top, bottom], [left, right], [0, 0]] for an NHWC input")
            }
            func padded(_ size: TracedDim, _ pair: [Int]) throws -> TracedDim {
                guard let size = size.size else { return .unknown }
                return .known(try CheckedSize.sum(try CheckedSize.sum(size, pair[0], "\(op)'s padded size"), pair[1], "\(op)'s padded size"))
            }
            heights = try ShapeRules.windowOutput(try padded(input[1], pairs[1]), window: window.0, stride: strides.0, dilation: dilations.0, padding: .valid)
            widths = try ShapeRules.windowOutput(try padded(input[2], pairs[2]), window: window.1, stride: strides.1, dilation: dilations.1, padding: .valid)
        default:
            throw ShapeMismatch(message: "\(op) needs either 'padding' (valid or same) or 'explicit_paddings', and not both")
        }
        if heights.size == 0 || widths.size == 0 {
            throw ShapeMismatch(message: "\(op) with a \(window.0)x\(window.1) window on input \(input.shapeDescription) leaves no output")
        }
        return [input[0], heights, widths, channels]
    }
}
