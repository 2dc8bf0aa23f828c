extension LayerKind {
    /// `tf.compat.v1.layers.batch_normalization`: `gamma` (if scale), `beta` (if center),
    /// `moving_mean`, `moving_variance` (never trainable), each of the normalized axis's size.
    public static let batchNormalization = LayerKind(
        "batch_normalization", className: "BatchNormalization",
        tensorflow: everyForm("batch_normalization", "BatchNormalization"),
        arguments: [
            LayerArgument("axis", .int, .value(.int(.literal(-1))), swift: "axis"),
            LayerArgument("momentum", .float, .value(.float(.literal(0.99))), swift: "momentum"),
            LayerArgument("epsilon", .float, .value(.float(.literal(0.001))), swift: "epsilon"),
            LayerArgument("center", .bool, .value(.bool(true)), swift: "center"),
            LayerArgument("scale", .bool, .value(.bool(true)), swift: "scale"),
            LayerArgument("fused", .bool, .absent("when the input has rank 4 or 5, normalized along its channel axis"), swift: "fused"),
        ],
        variables: [
            LayerVariable("gamma", "[channels]", if: "scale", initializer: .fixed(.ones), rule: normalizedChannels),
            LayerVariable("beta", "[channels]", if: "center", initializer: .fixed(.zeros), rule: normalizedChannels),
            LayerVariable("moving_mean", "[channels]", initializer: .fixed(.zeros), trainable: false, rule: normalizedChannels),
            LayerVariable("moving_variance", "[channels]", initializer: .fixed(.ones), trainable: false, rule: normalizedChannels),
        ],
        takesTraining: true, result: "the input's", swift: "batchNormalization"
    ) { input, arguments in
        _ = try channels(input, arguments, "batch_normalization")
        if arguments.has("fused"), arguments.bool("fused"), input.count != 4 && input.count != 5 {
            throw ShapeMismatch(message: "batch_normalization with fused: true needs an input of rank 4 or 5, as TensorFlow's fused kernel, but got shape \(input.shapeDescription)")
        }
        return input
    }

    /// Keras's `LayerNormalization` (`tf.compat.v1.layers` has none): each example normalized by
    /// its mean and variance over `axis`; `gamma` (if scale) and `beta` (if center) have the
    /// input's sizes along `axis`.
    public static let layerNormalization = LayerKind(
        "layer_normalization", className: "LayerNormalization", tensorflow: [.native: "tf.keras.layers.LayerNormalization"],
        arguments: [
            LayerArgument("axis", .axes, .value(.ints([.literal(-1)])), swift: "axis"),
            LayerArgument("epsilon", .float, .value(.float(.literal(0.001))), swift: "epsilon"),
            LayerArgument("center", .bool, .value(.bool(true)), swift: "center"),
            LayerArgument("scale", .bool, .value(.bool(true)), swift: "scale"),
        ],
        variables: [
            LayerVariable("gamma", "[sizes along axis]", if: "scale", initializer: .fixed(.ones), rule: normalizedSizes),
            LayerVariable("beta", "[sizes along axis]", if: "center", initializer: .fixed(.zeros), rule: normalizedSizes),
        ],
        result: "the input's", swift: "layerNormalization"
    ) { input, arguments in
        _ = try normalizedSizes(input, arguments)
        return input
    }

    /// The input's sizes along `axis` (sorted, as Keras sorts them), which must exist and be known.
    @Sendable private static func normalizedSizes(_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int] {
        let axes = try arguments.ints("axis").map { try ShapeRules.axis($0, rank: input.count, op: "layer_normalization", shape: input) }
        guard Set(axes).count == axes.count else {
            throw ShapeMismatch(message: "layer_normalization: axis \(arguments.ints("axis")) names a dimension twice")
        }
        return try axes.sorted().map {
            try input.knownSize($0, "layer_normalization needs dimension \($0) of its input to be known, but the input has shape \(input.shapeDescription)")
        }
    }

    /// `[size of the normalized axis]`.
    @Sendable private static func normalizedChannels(_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int] {
        [try channels(input, arguments, arguments.kind.name)]
    }

    /// The size of the axis `axis` names, which must exist and be known.
    private static func channels(_ input: TracedShape, _ arguments: LayerArguments, _ layer: String) throws -> Int {
        let given = arguments.int("axis")
        let axis = try ShapeRules.axis(given, rank: input.count, op: layer, shape: input)
        return try input.knownSize(axis, "\(layer) needs dimension \(given) of its input to be known, but the input has shape \(input.shapeDescription)")
    }
}
