extension LayerKind {
    /// `tf.compat.v1.layers.conv2d` (NHWC): `kernel` [kh, kw, in, filters], `bias` [filters].
    public static let conv2d = LayerKind(
        "conv2d", className: "Conv2D", tensorflow: everyForm("conv2d", "Conv2D"),
        arguments: [
            LayerArgument("filters", .size, .required, swift: "filters"),
            LayerArgument("kernel_size", .sizes(rank: 2), .required, swift: "kernelSize"),
            LayerArgument("strides", .sizes(rank: 2), .ones(2), swift: "strides"),
            LayerArgument("padding", .padding, .value(.padding(.valid)), swift: "padding"),
            LayerArgument("dilation_rate", .sizes(rank: 2), .ones(2), swift: "dilationRate"),
        ] + weightArguments,
        variables: [
            kernel("[kh, kw, in, filters]") { input, arguments in
                arguments.ints("kernel_size") + [input[3].size!, arguments.int("filters")]
            },
            bias("filters"),
        ],
        result: "NHWC: `[batch, out_h, out_w, filters]`, each spatial size by `padding`, `strides` and `dilation_rate`",
        swift: "conv2d"
    ) { input, arguments in
        guard input.count == 4 else { throw ShapeMismatch(message: "conv2d needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
        guard input[3].size != nil else {
            throw ShapeMismatch(message: "conv2d needs the channel dimension of its input to be known, but the input has shape \(input.shapeDescription)")
        }
        let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("strides"),
                                             dilation: arguments.ints("dilation_rate"), padding: arguments.padding(),
                                             layer: "conv2d", what: "kernel")
        return [input[0]] + spatial + [.known(arguments.int("filters"))]
    }
}
