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
        return input
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
