extension LayerKind {
    /// `tf.compat.v1.layers.max_pooling2d`.
    public static let maxPooling2d = pooling2d("max_pooling2d", className: "MaxPooling2D", swift: "maxPooling2d")
    /// `tf.compat.v1.layers.average_pooling2d`.
    public static let averagePooling2d = pooling2d("average_pooling2d", className: "AveragePooling2D", swift: "averagePooling2d")

    /// A 2-D pooling: `tf.compat.v1.layers.max_pooling2d(inputs, pool_size, strides)` and the
    /// `v1.MaxPooling2D` class need both; Keras's class defaults `pool_size` to (2, 2) and
    /// `strides` to `pool_size`.
    private static func pooling2d(_ name: String, className: String, swift: String) -> LayerKind {
        LayerKind(
            name, className: className, tensorflow: everyForm(name, className),
            arguments: [
                LayerArgument("pool_size", .sizes(rank: 2), compatV1: .required,
                              keras: .value(.ints([.literal(2), .literal(2)])), swift: "poolSize"),
                LayerArgument("strides", .sizes(rank: 2), compatV1: .required, keras: .absent("`pool_size`"), swift: "strides"),
                LayerArgument("padding", .padding, .value(.padding(.valid)), swift: "padding"),
            ],
            result: "NHWC: `[batch, out_h, out_w, channels]`, each spatial size by `padding` and `strides`",
            swift: swift
        ) { input, arguments in
            guard input.count == 4 else { throw ShapeMismatch(message: "\(name) needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
            let pool = arguments.ints("pool_size")
            let spatial = try ShapeRules.windows(input, window: pool, strides: arguments.optionalInts("strides") ?? pool,
                                                 dilation: [1, 1], padding: arguments.padding(), layer: name, what: "window")
            return [input[0]] + spatial + [input[3]]
        }
    }
}
