extension OperationDeclaration {
    static let reductions: [OperationDeclaration] = [
        reduction("reduce_sum", tensorflow: "tf.math.reduce_sum", swift: "reduceSum"),
        reduction("reduce_mean", tensorflow: "tf.math.reduce_mean", swift: "reduceMean"),
        reduction("reduce_max", tensorflow: "tf.math.reduce_max", swift: "reduceMax"),
        reduction("reduce_min", tensorflow: "tf.math.reduce_min", swift: "reduceMin"),
        reduction("reduce_prod", tensorflow: "tf.math.reduce_prod", swift: "reduceProd"),
        argIndex("argmax", tensorflow: "tf.math.argmax", swift: "argmax"),
        argIndex("argmin", tensorflow: "tf.math.argmin", swift: "argmin"),
        OperationDeclaration("moments", tensorflow: "tf.nn.moments", operands: .one, attributes: [
            AttributeDeclaration("axes", .ints, .required, swift: "axes"),
            AttributeDeclaration("keepdims", .bool, .defaultValue(.bool(false)), swift: "keepDims"),
        ], results: ["mean", "variance"], result: "each reduced", swift: .call("moments"), types: .numbers) { shapes, arguments in
            let reduced = try ShapeRules.reduce(shapes[0], axes: arguments.ints("axes"), keepDims: arguments.bool("keepdims"), op: "moments")
            return [reduced, reduced]
        },
        OperationDeclaration("l2_normalize", tensorflow: "tf.math.l2_normalize", operands: .one, attributes: [
            AttributeDeclaration("axis", .ints, .optional("all"), swift: "axes"),
            AttributeDeclaration("epsilon", .float, .defaultValue(.float(1e-12)), swift: "epsilon"),
        ], result: "the input's; the axes must exist", swift: .call("l2Normalize")) { shapes, arguments in
            _ = try ShapeRules.reduce(shapes[0], axes: arguments.ints("axis"), keepDims: true, op: "l2_normalize")
            return shapes[0]
        },
    ]

    /// The index of the largest or smallest entry along an axis: `output_type` int64 by default, as TensorFlow's.
    private static func argIndex(_ name: String, tensorflow: String, swift function: String) -> OperationDeclaration {
        OperationDeclaration(name, tensorflow: tensorflow, operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .defaultValue(.int(0)), swift: "axis"),
            AttributeDeclaration("output_type", .dtype([.int64, .int32]), .defaultValue(.dtype(.int64)), swift: nil),
        ], result: "the axis removed; the axis must have entries", swift: SwiftCall.custom(function) { operands, arguments, function in
               // The runtime's default axis is the last; TensorFlow's (axis=None) the first.
               "try \(function)(" + (operands + (arguments.isEmpty ? ["axis: 0"] : arguments)).joined(separator: ", ") + ")"
           }.returning(.kind(.int32)),
           types: .attribute("output_type", differentiable: false)) { shapes, arguments in
            let axis = try ShapeRules.axis(arguments.int("axis"), rank: shapes[0].count, op: name, shape: shapes[0])
            if shapes[0][axis].size == 0 {
                throw ShapeMismatch(message: "\(name) of \(shapes[0].shapeDescription): axis \(axis) has no entries")
            }
            var result = shapes[0]
            result.remove(at: axis)
            return result
        }
    }
}
