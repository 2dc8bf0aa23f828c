extension OperationDeclaration {
    static let reductions: [OperationDeclaration] = [
        reduction("reduce_sum", tensorflow: "tf.math.reduce_sum", swift: "reduceSum"),
        reduction("reduce_mean", tensorflow: "tf.math.reduce_mean", swift: "reduceMean"),
        reduction("reduce_max", tensorflow: "tf.math.reduce_max", swift: "reduceMax"),
        reduction("reduce_min", tensorflow: "tf.math.reduce_min", swift: "reduceMin"),
        reduction("reduce_prod", tensorflow: "tf.math.reduce_prod", swift: "reduceProd"),
        OperationDeclaration("moments", tensorflow: "tf.nn.moments", operands: .one, attributes: [
            AttributeDeclaration("axes", .ints, .required, swift: "axes"),
            AttributeDeclaration("keepdims", .bool, .defaultValue(.bool(false)), swift: "keepDims"),
        ], results: ["mean", "variance"], result: "each reduced", swift: .call("moments")) { shapes, arguments in
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
}
