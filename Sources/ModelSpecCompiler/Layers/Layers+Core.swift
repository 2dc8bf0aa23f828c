extension LayerKind {
    /// `tf.compat.v1.layers.dense`: `kernel` [in, units], `bias` [units].
    public static let dense = LayerKind(
        "dense", className: "Dense", tensorflow: everyForm("dense", "Dense"),
        arguments: [LayerArgument("units", .size, .required, swift: "units")] + weightArguments,
        variables: [
            kernel("[in, units]") { input, arguments in [input.last!.size!, arguments.int("units")] },
            bias("units"),
        ],
        result: "the input's, the last dimension `units`", swift: "dense"
    ) { input, arguments in
        guard let last = input.last else { throw ShapeMismatch(message: "dense needs an input of rank 1 or more, but got shape []") }
        guard last.size != nil else {
            throw ShapeMismatch(message: "dense needs the last dimension of its input to be known, but the input has shape \(input.shapeDescription); give the input's shape with a number there")
        }
        return input.dropLast() + [.known(arguments.int("units"))]
    }

    /// `tf.compat.v1.layers.flatten`.
    public static let flatten = LayerKind(
        "flatten", className: "Flatten", tensorflow: everyForm("flatten", "Flatten"), arguments: [],
        result: "`[batch, product of the rest]`", swift: "flatten"
    ) { input, _ in try ShapeRules.flatten(input) }

    /// `tf.compat.v1.layers.dropout`: `rate` 0.5 in the compat forms; Keras's `Dropout` needs it.
    public static let dropout = LayerKind(
        "dropout", className: "Dropout", tensorflow: everyForm("dropout", "Dropout"),
        arguments: [LayerArgument("rate", .rate, compatV1: .value(.float(.literal(0.5))), keras: .required, swift: "rate")],
        takesTraining: true, result: "the input's", swift: "dropout"
    ) { input, _ in input }
}
