extension LayerKind {
    /// `tf.compat.v1.layers.conv1d` (NWC): `kernel` [kw, in, filters], `bias` [filters].
    public static let conv1d = convolution(rank: 1)
    /// `tf.compat.v1.layers.conv2d` (NHWC): `kernel` [kh, kw, in, filters], `bias` [filters].
    public static let conv2d = convolution(rank: 2)
    /// `tf.compat.v1.layers.conv3d` (NDHWC): `kernel` [kd, kh, kw, in, filters], `bias` [filters].
    public static let conv3d = convolution(rank: 3)

    /// `tf.compat.v1.layers.conv2d_transpose` (NHWC): `kernel` [kh, kw, filters, in] (output channels
    /// before input channels), `bias` [filters]. Keras's class also takes `dilation_rate`.
    public static let conv2dTranspose = LayerKind(
        "conv2d_transpose", className: "Conv2DTranspose", tensorflow: everyForm("conv2d_transpose", "Conv2DTranspose"),
        arguments: [LayerArgument("filters", .size, .required, swift: "filters")]
            + windowArguments(rank: 2) + [LayerArgument("dilation_rate", .sizes(rank: 2), compatV1: nil, keras: .ones(2), swift: "dilationRate")]
            + weightArguments,
        variables: [
            kernel("[kh, kw, filters, in]") { input, arguments in
                arguments.ints("kernel_size") + [arguments.int("filters"), input[3].size!]
            },
            bias("filters"),
        ],
        result: "NHWC: `[batch, out_h, out_w, filters]`; `valid`: `in·stride + max(k − stride, 0)`, `same`: `in·stride`",
        swift: "conv2dTranspose"
    ) { input, arguments in
        try requireChannelsLast(input, rank: 2, "conv2d_transpose")
        let kernel = arguments.ints("kernel_size"), strides = arguments.ints("strides")
        let dilation = arguments.optionalInts("dilation_rate") ?? [1, 1]
        let spatial = try (0..<2).map { axis in
            try ShapeRules.transposedWindowOutput(input[axis + 1], window: kernel[axis], stride: strides[axis],
                                                  dilation: dilation[axis], padding: arguments.padding())
        }
        return [input[0]] + spatial + [.known(arguments.int("filters"))]
    }

    /// `tf.compat.v1.layers.separable_conv2d` (NHWC): a depthwise convolution (`depth_multiplier`
    /// outputs per input channel), then a 1x1 convolution to `filters`: `depthwise_kernel`
    /// [kh, kw, in, depth_multiplier], `pointwise_kernel` [1, 1, in·depth_multiplier, filters], `bias` [filters].
    public static let separableConv2d = LayerKind(
        "separable_conv2d", className: "SeparableConv2D", tensorflow: everyForm("separable_conv2d", "SeparableConv2D"),
        arguments: [LayerArgument("filters", .size, .required, swift: "filters")] + windowArguments(rank: 2) + [
            dilationRate(rank: 2),
            depthMultiplier,
            LayerArgument("activation", .activation, .value(.activation(.linear)), swift: "activation"),
            LayerArgument("use_bias", .bool, .value(.bool(true)), swift: "useBias"),
            LayerArgument("depthwise_initializer", .initializer, .absent("glorot_uniform"), swift: "depthwiseInitializer"),
            LayerArgument("pointwise_initializer", .initializer, .absent("glorot_uniform"), swift: "pointwiseInitializer"),
            LayerArgument("bias_initializer", .initializer, .value(.initializer(.zeros)), swift: "biasInitializer"),
            LayerArgument("depthwise_regularizer", .regularizer, .absent("none"), swift: "depthwiseRegularizer"),
            LayerArgument("pointwise_regularizer", .regularizer, .absent("none"), swift: "pointwiseRegularizer"),
            LayerArgument("bias_regularizer", .regularizer, .absent("none"), swift: "biasRegularizer"),
            activityRegularizer,
        ],
        variables: [
            depthwiseKernel,
            LayerVariable("pointwise_kernel", "[1, 1, in·depth_multiplier, filters]",
                          initializer: .argument("pointwise_initializer"), regularizer: "pointwise_regularizer") { input, arguments in
                [1, 1, input[3].size! * arguments.int("depth_multiplier"), arguments.int("filters")]
            },
            bias("filters"),
        ],
        result: "NHWC: `[batch, out_h, out_w, filters]`, each spatial size as `conv2d`'s",
        swift: "separableConv2d"
    ) { input, arguments in
        try requireChannelsLast(input, rank: 2, "separable_conv2d")
        let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("strides"),
                                             dilation: arguments.ints("dilation_rate"), padding: arguments.padding(),
                                             layer: "separable_conv2d", what: "kernel")
        return [input[0]] + spatial + [.known(arguments.int("filters"))]
    }

    /// Keras's `DepthwiseConv2D` (NHWC; `tf.compat.v1.layers` has none): `depthwise_kernel`
    /// [kh, kw, in, depth_multiplier], then `bias` [in·depth_multiplier].
    public static let depthwiseConv2d = LayerKind(
        "depthwise_conv2d", className: "DepthwiseConv2D", tensorflow: [.native: "tf.keras.layers.DepthwiseConv2D"],
        arguments: windowArguments(rank: 2) + [
            depthMultiplier,
            dilationRate(rank: 2),
            LayerArgument("activation", .activation, .value(.activation(.linear)), swift: "activation"),
            LayerArgument("use_bias", .bool, .value(.bool(true)), swift: "useBias"),
            LayerArgument("depthwise_initializer", .initializer, .absent("glorot_uniform"), swift: "depthwiseInitializer"),
            LayerArgument("bias_initializer", .initializer, .value(.initializer(.zeros)), swift: "biasInitializer"),
            LayerArgument("depthwise_regularizer", .regularizer, .absent("none"), swift: "depthwiseRegularizer"),
            LayerArgument("bias_regularizer", .regularizer, .absent("none"), swift: "biasRegularizer"),
            activityRegularizer,
        ],
        variables: [
            depthwiseKernel,
            LayerVariable("bias", "[in·depth_multiplier]", if: "use_bias", initializer: .argument("bias_initializer"),
                          regularizer: "bias_regularizer") { input, arguments in
                [input[3].size! * arguments.int("depth_multiplier")]
            },
        ],
        result: "NHWC: `[batch, out_h, out_w, in·depth_multiplier]`",
        swift: "depthwiseConv2d"
    ) { input, arguments in
        try requireChannelsLast(input, rank: 2, "depthwise_conv2d")
        let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("strides"),
                                             dilation: arguments.ints("dilation_rate"), padding: arguments.padding(),
                                             layer: "depthwise_conv2d", what: "kernel")
        return [input[0]] + spatial + [.known(input[3].size! * arguments.int("depth_multiplier"))]
    }

    /// `depthwise_kernel` [kh, kw, in, depth_multiplier].
    private static let depthwiseKernel = LayerVariable(
        "depthwise_kernel", "[kh, kw, in, depth_multiplier]", initializer: .argument("depthwise_initializer"),
        regularizer: "depthwise_regularizer"
    ) { input, arguments in
        arguments.ints("kernel_size") + [input[3].size!, arguments.int("depth_multiplier")]
    }

    /// A channels-last convolution of `rank` spatial axes (`conv1d`, `conv2d`, `conv3d`).
    private static func convolution(rank: Int) -> LayerKind {
        let name = "conv\(rank)d", className = "Conv\(rank)D"
        let window = ["[kw", "[kh, kw", "[kd, kh, kw"][rank - 1]
        return LayerKind(
            name, className: className, tensorflow: everyForm(name, className),
            arguments: [LayerArgument("filters", .size, .required, swift: "filters")] + windowArguments(rank: rank)
                + [dilationRate(rank: rank)] + weightArguments,
            variables: [
                kernel(window + ", in, filters]") { input, arguments in
                    arguments.ints("kernel_size") + [input[rank + 1].size!, arguments.int("filters")]
                },
                bias("filters"),
            ],
            result: "\(layouts[rank - 1]): `[batch, \(["out_w", "out_h, out_w", "out_d, out_h, out_w"][rank - 1]), filters]`, each spatial size by `padding`, `strides` and `dilation_rate`",
            swift: name
        ) { input, arguments in
            try requireChannelsLast(input, rank: rank, name)
            let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("strides"),
                                                 dilation: arguments.ints("dilation_rate"), padding: arguments.padding(),
                                                 layer: name, what: "kernel")
            return [input[0]] + spatial + [.known(arguments.int("filters"))]
        }
    }

    /// `kernel_size` (required), `strides` (1) and `padding` (valid) of a window of `rank` axes.
    static func windowArguments(rank: Int) -> [LayerArgument] {
        [
            LayerArgument("kernel_size", .sizes(rank: rank), .required, swift: "kernelSize"),
            LayerArgument("strides", .sizes(rank: rank), .ones(rank), swift: "strides"),
            LayerArgument("padding", .padding, .value(.padding(.valid)), swift: "padding"),
        ]
    }

    static func dilationRate(rank: Int) -> LayerArgument {
        LayerArgument("dilation_rate", .sizes(rank: rank), .ones(rank), swift: "dilationRate")
    }

    /// `depth_multiplier` (1): the outputs of each input channel in a depthwise step.
    private static let depthMultiplier = LayerArgument("depth_multiplier", .size, .value(.int(.literal(1))), swift: "depthMultiplier")

    /// The channels-last layouts by spatial rank.
    private static let layouts = ["NWC", "NHWC", "NDHWC"]

    /// Refuses an input that is not `[batch, spatial..., channels]` with the channels known.
    static func requireChannelsLast(_ input: TracedShape, rank: Int, _ layer: String) throws {
        guard input.count == rank + 2 else {
            throw ShapeMismatch(message: "\(layer) needs an \(layouts[rank - 1]) input of rank \(rank + 2), but got shape \(input.shapeDescription)")
        }
        guard input[rank + 1].size != nil else {
            throw ShapeMismatch(message: "\(layer) needs the channel dimension of its input to be known, but the input has shape \(input.shapeDescription)")
        }
    }
}
