extension LayerKind {
    /// `tf.keras.layers.Embedding`: `embeddings` [input_dim, output_dim]; the ids' rows.
    public static let embedding = LayerKind(
        "embedding", className: "Embedding", tensorflow: [.native: "tf.keras.layers.Embedding"],
        arguments: [
            LayerArgument("input_dim", .size, compatV1: nil, keras: .required, swift: "inputDim"),
            LayerArgument("output_dim", .size, compatV1: nil, keras: .required, swift: "outputDim"),
            LayerArgument("embeddings_initializer", .initializer, compatV1: nil,
                          keras: .value(.initializer(.randomUniform(minval: -0.05, maxval: 0.05, seed: nil))),
                          swift: "embeddingsInitializer"),
            LayerArgument("embeddings_regularizer", .regularizer, compatV1: nil, keras: .absent("none"), swift: "embeddingsRegularizer"),
            LayerArgument("mask_zero", .bool, compatV1: nil, keras: .value(.bool(false)), swift: "maskZero"),
        ],
        variables: [
            LayerVariable("embeddings", "[input_dim, output_dim]", initializer: .argument("embeddings_initializer"),
                          regularizer: "embeddings_regularizer") { _, a in [a.int("input_dim"), a.int("output_dim")] },
        ],
        result: "the ids' shape and `output_dim`", swift: "embedding", takesIds: true
    ) { input, arguments in input + [.known(arguments.int("output_dim"))] }

    /// `tf.keras.layers.SimpleRNN`: `h = activation(x·kernel + h'·recurrent_kernel + bias)`.
    public static let simpleRNN = recurrent("simple_rnn", "SimpleRNN", gates: 1, states: 1, extra: [])

    /// `tf.keras.layers.GRU`: gates `z, r, h`; `reset_after` (Keras 2's default) gives the bias a row for the
    /// input and one for the state.
    public static let gru = recurrent("gru", "GRU", gates: 3, states: 1, extra: [
        LayerArgument("reset_after", .bool, compatV1: nil, keras: .value(.bool(true)), swift: "resetAfter"),
    ])

    /// `tf.keras.layers.LSTM`: gates `i, f, c, o`; the state is `h`, then `c`.
    public static let lstm = recurrent("lstm", "LSTM", gates: 4, states: 2, extra: [
        LayerArgument("unit_forget_bias", .bool, compatV1: nil, keras: .value(.bool(true)), swift: "unitForgetBias"),
    ])

    /// A Keras recurrent layer of `gates` gates: its cell's `kernel` [in, gates·units],
    /// `recurrent_kernel` [units, gates·units] and `bias`, named below `cell` (`gru/cell/kernel`,
    /// TensorFlow's `gru/gru_cell/kernel`); called on `[batch, time, features]` and, optionally,
    /// its initial state.
    private static func recurrent(_ name: String, _ className: String, gates: Int, states: Int,
                                  extra: [LayerArgument]) -> LayerKind {
        func keras(_ key: String, _ type: LayerArgumentType, _ fallback: LayerDefault, _ label: String) -> LayerArgument {
            LayerArgument(key, type, compatV1: nil, keras: fallback, swift: label)
        }
        let width = gates == 1 ? "units" : "\(gates)·units"
        let arguments = [
            keras("units", .size, .required, "units"),
            keras("activation", .activation, .value(.activation(.tanh)), "activation"),
        ] + (gates == 1 ? [] : [keras("recurrent_activation", .activation, .value(.activation(.sigmoid)), "recurrentActivation")]) + [
            keras("use_bias", .bool, .value(.bool(true)), "useBias"),
            keras("kernel_initializer", .initializer, .absent("glorot_uniform"), "kernelInitializer"),
            keras("recurrent_initializer", .initializer, .value(.initializer(.orthogonal(gain: 1, seed: nil))), "recurrentInitializer"),
            keras("bias_initializer", .initializer, .value(.initializer(.zeros)), "biasInitializer"),
            keras("kernel_regularizer", .regularizer, .absent("none"), "kernelRegularizer"),
            keras("recurrent_regularizer", .regularizer, .absent("none"), "recurrentRegularizer"),
            keras("bias_regularizer", .regularizer, .absent("none"), "biasRegularizer"),
            keras("return_sequences", .bool, .value(.bool(false)), "returnSequences"),
            keras("return_state", .bool, .value(.bool(false)), "returnState"),
            keras("go_backwards", .bool, .value(.bool(false)), "goBackwards"),
            keras("stateful", .bool, .value(.bool(false)), "stateful"),
            keras("dropout", .rate, .value(.float(.literal(0))), "dropout"),
            keras("recurrent_dropout", .rate, .value(.float(.literal(0))), "recurrentDropout"),
        ] + extra
        let resetAfter = gates == 3
        return LayerKind(
            name, className: className, tensorflow: [.native: "tf.keras.layers." + className], arguments: arguments,
            variables: [
                LayerVariable("cell/kernel", "[in, \(width)]", initializer: .argument("kernel_initializer"),
                              regularizer: "kernel_regularizer") { input, a in [input[2].size!, gates * a.int("units")] },
                LayerVariable("cell/recurrent_kernel", "[units, \(width)]", initializer: .argument("recurrent_initializer"),
                              regularizer: "recurrent_regularizer") { _, a in [a.int("units"), gates * a.int("units")] },
                LayerVariable("cell/bias", resetAfter ? "[2, 3·units] (`reset_after`) or [3·units]" : "[\(width)]", if: "use_bias",
                              initializer: .argument("bias_initializer"), regularizer: "bias_regularizer") { _, a in
                    resetAfter && a.bool("reset_after") ? [2, 3 * a.int("units")] : [gates * a.int("units")]
                },
            ],
            result: "`[batch, time, units]` with `return_sequences`, else `[batch, units]`; then the state (`[batch, units]` each) with `return_state`",
            swift: name, recurrentStates: states, cellName: name + "_cell"
        ) { input, arguments in
            guard input.count == 3 else {
                throw ShapeMismatch(message: "\(className) needs a sequence [batch, time, features], but got shape \(input.shapeDescription)")
            }
            guard input[2].size != nil else {
                throw ShapeMismatch(message: "\(className) needs the number of features (the last dimension of its input) to be known, but the input has shape \(input.shapeDescription)")
            }
            let units = TracedDim.known(arguments.int("units"))
            return arguments.bool("return_sequences") ? [input[0], input[1], units] : [input[0], units]
        }
    }
}
