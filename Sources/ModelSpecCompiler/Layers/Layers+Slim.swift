import TFNaming

/// TF-Slim's layers with variables (`tf_slim.conv2d`, `fully_connected`, `separable_conv2d`,
/// `conv2d_transpose`, `batch_norm`, `layer_norm`),
/// as tf-slim 1.1.0 makes them: each opens `variable_scope(scope, default_name=Conv)`
/// (`Conv`, `Conv_1`; an explicit `scope` as given), names its variables `weights` and
/// `biases`, applies `normalizer_fn` (only `batch_norm`) in a `BatchNorm` scope inside
/// its own, in place of the biases, and then `activation_fn` (ReLU by default).
///
/// A spec writes them as `slim.*` steps (``SlimStepReader``), which fill the arguments
/// below; the `batch_norm_*` ones come from `normalizer_fn` and `normalizer_params`, and
/// `biases`, `batch_norm`, `batch_norm_gamma`, `batch_norm_beta` say which variables the
/// call makes. Slim's pooling, flatten and dropout have no variables and are written with
/// the `tf.compat.v1.layers` kinds and Slim's defaults. These kinds are not functional steps
/// of their own (``allCases``): only `slim.*` steps make them.
extension LayerKind {
    /// The TF-Slim kinds, by their `slim.*` step names.
    public static let slimCases: [LayerKind] = [.slimConv2d, .slimFullyConnected, .slimSeparableConv2d, .slimConv2dTranspose,
                                                .slimBatchNorm, .slimLayerNorm]

    /// `tf_slim.conv2d`: `weights` [kh, kw, in, num_outputs], `biases` [num_outputs] (without a normalizer).
    public static let slimConv2d = LayerKind(
        "slim.conv2d", className: "SlimConv2D", baseName: "Conv", tensorflow: [.functional: "tf_slim.conv2d"],
        arguments: [
            LayerArgument("num_outputs", .size, .required, swift: "numOutputs"),
            LayerArgument("kernel_size", .sizes(rank: 2), .required, swift: "kernelSize"),
            LayerArgument("stride", .sizes(rank: 2), .ones(2), swift: "stride"),
            LayerArgument("padding", .padding, .value(.padding(.same)), swift: "padding"),
            LayerArgument("rate", .sizes(rank: 2), .ones(2), swift: "rate"),
        ] + slimWeightArguments,
        variables: slimVariables("[kh, kw, in, num_outputs]") { input, arguments in
            arguments.ints("kernel_size") + [input[3].size!, arguments.int("num_outputs")]
        },
        takesTraining: true,
        result: "NHWC: `[batch, out_h, out_w, num_outputs]`, each spatial size by `padding`, `stride` and `rate`",
        swift: "slim.conv2d"
    ) { input, arguments in
        guard input.count == 4 else { throw ShapeMismatch(message: "slim.conv2d needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
        guard input[3].size != nil else {
            throw ShapeMismatch(message: "slim.conv2d needs the channel dimension of its input to be known, but the input has shape \(input.shapeDescription)")
        }
        let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("stride"),
                                             dilation: arguments.ints("rate"), padding: arguments.padding(),
                                             layer: "slim.conv2d", what: "kernel")
        return [input[0]] + spatial + [.known(arguments.int("num_outputs"))]
    }

    /// `tf_slim.fully_connected`: `weights` [in, num_outputs] on the last dimension, `biases` [num_outputs].
    public static let slimFullyConnected = LayerKind(
        "slim.fully_connected", className: "SlimFullyConnected", baseName: "fully_connected",
        tensorflow: [.functional: "tf_slim.fully_connected"],
        arguments: [LayerArgument("num_outputs", .size, .required, swift: "numOutputs")] + slimWeightArguments,
        variables: slimVariables("[in, num_outputs]") { input, arguments in [input.last!.size!, arguments.int("num_outputs")] },
        takesTraining: true, result: "the input's, the last dimension `num_outputs`", swift: "slim.fullyConnected"
    ) { input, arguments in
        guard let last = input.last, input.count >= 2 else {
            throw ShapeMismatch(message: "slim.fully_connected needs an input of rank 2 or more, but got shape \(input.shapeDescription)")
        }
        guard last.size != nil else {
            throw ShapeMismatch(message: "slim.fully_connected needs the last dimension of its input to be known, but the input has shape \(input.shapeDescription)")
        }
        return input.dropLast() + [.known(arguments.int("num_outputs"))]
    }

    /// `tf_slim.separable_conv2d`: `depthwise_weights` [kh, kw, in, depth_multiplier], `pointwise_weights`
    /// [1, 1, in·depth_multiplier, num_outputs] and `biases` [num_outputs]; with `num_outputs: null` only the
    /// depthwise convolution, `biases` [in·depth_multiplier].
    public static let slimSeparableConv2d = LayerKind(
        "slim.separable_conv2d", className: "SlimSeparableConv2D", baseName: "SeparableConv2d",
        tensorflow: [.functional: "tf_slim.separable_conv2d"],
        arguments: [
            LayerArgument("num_outputs", .size, .absent("None: the depthwise convolution only"), swift: "numOutputs"),
            LayerArgument("kernel_size", .sizes(rank: 2), .required, swift: "kernelSize"),
            LayerArgument("depth_multiplier", .size, .value(.int(.literal(1))), swift: "depthMultiplier"),
            LayerArgument("stride", .sizes(rank: 2), .ones(2), swift: "stride"),
            LayerArgument("padding", .padding, .value(.padding(.same)), swift: "padding"),
            LayerArgument("rate", .sizes(rank: 2), .ones(2), swift: "rate"),
            // False for `num_outputs: null` (set by the checker): no `pointwise_weights`.
            LayerArgument("pointwise", .bool, .value(.bool(true)), swift: "pointwise"),
        ] + slimWeightArguments.prefix(2)
          + [LayerArgument("pointwise_initializer", .initializer, .absent("weights_initializer"), swift: "pointwiseInitializer")]
          + slimWeightArguments.dropFirst(2),
        variables: [
            LayerVariable("depthwise_weights", "[kh, kw, in, depth_multiplier]", initializer: .argument("weights_initializer"),
                          regularizer: "weights_regularizer") { input, arguments in
                arguments.ints("kernel_size") + [input[3].size!, arguments.int("depth_multiplier")]
            },
            LayerVariable("pointwise_weights", "[1, 1, in·depth_multiplier, num_outputs]", if: "pointwise",
                          initializer: .argument("pointwise_initializer"), regularizer: "weights_regularizer") { input, arguments in
                [1, 1, input[3].size! * arguments.int("depth_multiplier"), arguments.int("num_outputs")]
            },
        ] + slimBiasesAndNormalizer(separableOutputs),
        takesTraining: true,
        result: "NHWC: `[batch, out_h, out_w, num_outputs]` (depthwise only: `in·depth_multiplier` channels), each spatial size by `padding`, `stride` and `rate`",
        swift: "slim.separableConv2d"
    ) { input, arguments in
        try slimChannelsLast(input, "slim.separable_conv2d")
        let spatial = try ShapeRules.windows(input, window: arguments.ints("kernel_size"), strides: arguments.ints("stride"),
                                             dilation: arguments.ints("rate"), padding: arguments.padding(),
                                             layer: "slim.separable_conv2d", what: "kernel")
        return [input[0]] + spatial + [.known(try separableOutputs(input, arguments)[0])]
    }

    /// `tf_slim.conv2d_transpose`: `weights` [kh, kw, num_outputs, in], `biases` [num_outputs].
    public static let slimConv2dTranspose = LayerKind(
        "slim.conv2d_transpose", className: "SlimConv2DTranspose", baseName: "Conv2d_transpose",
        tensorflow: [.functional: "tf_slim.conv2d_transpose"],
        arguments: [
            LayerArgument("num_outputs", .size, .required, swift: "numOutputs"),
            LayerArgument("kernel_size", .sizes(rank: 2), .required, swift: "kernelSize"),
            LayerArgument("stride", .sizes(rank: 2), .ones(2), swift: "stride"),
            LayerArgument("padding", .padding, .value(.padding(.same)), swift: "padding"),
        ] + slimWeightArguments,
        variables: slimVariables("[kh, kw, num_outputs, in]") { input, arguments in
            arguments.ints("kernel_size") + [arguments.int("num_outputs"), input[3].size!]
        },
        takesTraining: true,
        result: "NHWC: `[batch, out_h, out_w, num_outputs]`; `VALID`: `in·stride + max(k − stride, 0)`, `SAME`: `in·stride`",
        swift: "slim.conv2dTranspose"
    ) { input, arguments in
        try slimChannelsLast(input, "slim.conv2d_transpose")
        let kernel = arguments.ints("kernel_size"), stride = arguments.ints("stride")
        let spatial = try (0..<2).map { axis in
            try ShapeRules.transposedWindowOutput(input[axis + 1], window: kernel[axis], stride: stride[axis], dilation: 1,
                                                  padding: arguments.padding())
        }
        return [input[0]] + spatial + [.known(arguments.int("num_outputs"))]
    }

    /// An NHWC input with known channels.
    static func slimChannelsLast(_ input: TracedShape, _ layer: String) throws {
        guard input.count == 4 else { throw ShapeMismatch(message: "\(layer) needs an NHWC input of rank 4, but got shape \(input.shapeDescription)") }
        guard input[3].size != nil else {
            throw ShapeMismatch(message: "\(layer) needs the channel dimension of its input to be known, but the input has shape \(input.shapeDescription)")
        }
    }

    /// A separable convolution's output channels: `num_outputs`, or in·depth_multiplier when depthwise only.
    @Sendable static func separableOutputs(_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int] {
        [arguments.has("num_outputs") ? arguments.int("num_outputs") : input[3].size! * arguments.int("depth_multiplier")]
    }

    /// `tf_slim.batch_norm`: `beta` (if center), `gamma` (if scale), `moving_mean`, `moving_variance`;
    /// `beta` before `gamma` on a rank-2 input (Slim's fused path), after it otherwise.
    public static let slimBatchNorm = LayerKind(
        "slim.batch_norm", className: "SlimBatchNorm", baseName: "BatchNorm", tensorflow: [.functional: "tf_slim.batch_norm"],
        arguments: slimBatchNormArguments + [
            LayerArgument("activation_fn", .activation, .value(.activation(.linear)), swift: "activation"),
            LayerArgument("batch_norm_gamma", .bool, .value(.bool(false)), swift: "scale"),
            LayerArgument("batch_norm_beta", .bool, .value(.bool(true)), swift: "center"),
            LayerArgument("batch_norm", .bool, .value(.bool(true)), swift: "normalizes"),
        ],
        variables: batchNormVariables(prefix: "") { input, _ in [input.last!.size!] },
        takesTraining: true, result: "the input's", swift: "slim.batchNorm"
    ) { input, _ in
        guard input.count >= 2, input.last?.size != nil else {
            throw ShapeMismatch(message: "slim.batch_norm needs an input of rank 2 or more with a known last dimension, but got shape \(input.shapeDescription)")
        }
        return input
    }

    /// `tf_slim.layer_norm`: normalizes over the axes from `begin_norm_axis` (1: all but the batch) with
    /// epsilon 1e-12; `beta` (if center), `gamma` (if scale) of the input's shape from `begin_params_axis` (-1).
    public static let slimLayerNorm = LayerKind(
        "slim.layer_norm", className: "SlimLayerNorm", baseName: "LayerNorm", tensorflow: [.functional: "tf_slim.layer_norm"],
        arguments: [
            LayerArgument("center", .bool, .value(.bool(true)), swift: "center"),
            LayerArgument("scale", .bool, .value(.bool(true)), swift: "scale"),
            LayerArgument("activation_fn", .activation, .value(.activation(.linear)), swift: "activation"),
            LayerArgument("begin_norm_axis", .int, .value(.int(.literal(1))), swift: "beginNormAxis"),
            LayerArgument("begin_params_axis", .int, .value(.int(.literal(-1))), swift: "beginParamsAxis"),
        ],
        variables: [
            LayerVariable("beta", "shape[begin_params_axis:]", if: "center", initializer: .fixed(.zeros), rule: layerNormParameters),
            LayerVariable("gamma", "shape[begin_params_axis:]", if: "scale", initializer: .fixed(.ones), rule: layerNormParameters),
        ],
        result: "the input's", swift: "slim.layerNorm"
    ) { input, arguments in
        for key in ["begin_norm_axis", "begin_params_axis"] {
            let axis = arguments.int(key)
            guard axis < input.count, axis >= -input.count else {
                throw ShapeMismatch(message: "slim.layer_norm: begin_params_axis (\(arguments.int("begin_params_axis"))) and begin_norm_axis (\(arguments.int("begin_norm_axis"))) must be < rank(inputs) (\(input.count)), as TF-Slim requires; the input has shape \(input.shapeDescription)")
            }
        }
        _ = try layerNormParameters(input, arguments)
        return input
    }

    /// `shape[begin_params_axis:]`, which must be known.
    @Sendable static func layerNormParameters(_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int] {
        let given = arguments.int("begin_params_axis")
        let start = given < 0 ? given + input.count : given
        return try input[start...].map { dimension in
            guard let size = dimension.size else {
                throw ShapeMismatch(message: "slim.layer_norm needs the input's shape from begin_params_axis (\(given)) known, but the input has shape \(input.shapeDescription)")
            }
            return size
        }
    }

    /// Slim's weight arguments and its normalizer's, with Slim's defaults.
    static let slimWeightArguments: [LayerArgument] = [
        LayerArgument("activation_fn", .activation, .value(.activation(.relu)), swift: "activation"),
        LayerArgument("weights_initializer", .initializer, .absent("xavier_initializer (glorot_uniform)"), swift: "weightsInitializer"),
        LayerArgument("weights_regularizer", .regularizer, .absent("none"), swift: "weightsRegularizer"),
        LayerArgument("biases_initializer", .initializer, .value(.initializer(.zeros)), swift: "biasesInitializer"),
        LayerArgument("biases_regularizer", .regularizer, .absent("none"), swift: "biasesRegularizer"),
        LayerArgument("biases", .bool, .value(.bool(true)), swift: "biases"),
        LayerArgument("batch_norm", .bool, .value(.bool(false)), swift: "batchNorm"),
        LayerArgument("batch_norm_gamma", .bool, .value(.bool(false)), swift: "batchNormScale"),
        LayerArgument("batch_norm_beta", .bool, .value(.bool(false)), swift: "batchNormCenter"),
    ] + slimBatchNormArguments

    /// `decay`, `epsilon`, `updates_collections` (true: `UPDATE_OPS`, false: `None`) and `fused`
    /// (true: `None` or `True`) of Slim's batch norm (`normalizer_params` of a layer).
    static let slimBatchNormArguments: [LayerArgument] = [
        LayerArgument("batch_norm_decay", .float, .value(.float(.literal(0.999))), swift: "batchNormDecay"),
        LayerArgument("batch_norm_epsilon", .float, .value(.float(.literal(0.001))), swift: "batchNormEpsilon"),
        LayerArgument("batch_norm_update_ops", .bool, .value(.bool(true)), swift: "batchNormUpdateOps"),
        LayerArgument("batch_norm_fused", .bool, .value(.bool(true)), swift: "batchNormFused"),
    ]

    /// `weights`, `biases` (when no normalizer), then the normalizer's variables in `BatchNorm/`.
    static func slimVariables(_ shape: String,
                              _ rule: @escaping @Sendable (TracedShape, LayerArguments) throws -> [Int]) -> [LayerVariable] {
        [LayerVariable("weights", shape, initializer: .argument("weights_initializer"), regularizer: "weights_regularizer", rule: rule)]
            + slimBiasesAndNormalizer { _, arguments in [arguments.int("num_outputs")] }
    }

    /// `biases` of the output channels (when no normalizer), then the normalizer's variables in `BatchNorm/`.
    static func slimBiasesAndNormalizer(_ outputs: @escaping @Sendable (TracedShape, LayerArguments) throws -> [Int]) -> [LayerVariable] {
        [
            LayerVariable("biases", "[num_outputs]", if: "biases", initializer: .argument("biases_initializer"),
                          regularizer: "biases_regularizer", rule: outputs),
        ] + batchNormVariables(prefix: "BatchNorm/", channels: outputs)
    }

    /// Slim's batch norm variables of the last dimension, in its creation order for the input's rank
    /// and its `fused` and `updates_collections` (`gamma` first only through the core layer).
    static func batchNormVariables(prefix: String,
                                   channels: @escaping @Sendable (TracedShape, LayerArguments) throws -> [Int]) -> [LayerVariable] {
        @Sendable func gammaFirst(_ rank: Int, _ arguments: LayerArguments) -> Bool {
            SlimBatchNormPath(rank: rank, fused: arguments.bool("batch_norm_fused"),
                              updateOps: arguments.bool("batch_norm_update_ops")).gammaFirst
        }
        return [
            LayerVariable(prefix + "gamma", "[channels]", if: "batch_norm_gamma", ifInput: { gammaFirst($0, $1) },
                          initializer: .fixed(.ones), rule: channels),
            LayerVariable(prefix + "beta", "[channels]", if: "batch_norm_beta", initializer: .fixed(.zeros), rule: channels),
            LayerVariable(prefix + "gamma", "[channels]", if: "batch_norm_gamma", ifInput: { !gammaFirst($0, $1) },
                          initializer: .fixed(.ones), rule: channels),
            LayerVariable(prefix + "moving_mean", "[channels]", if: "batch_norm", initializer: .fixed(.zeros), trainable: false, rule: channels),
            LayerVariable(prefix + "moving_variance", "[channels]", if: "batch_norm", initializer: .fixed(.ones), trainable: false, rule: channels),
        ]
    }
}
