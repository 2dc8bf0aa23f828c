import TFNaming

extension OperationDeclaration {
    static let comparisons: [OperationDeclaration] = [
        comparison("greater", tensorflow: "tf.math.greater", swift: "greater"),
        comparison("greater_equal", tensorflow: "tf.math.greater_equal", swift: "greaterEqual"),
        comparison("less", tensorflow: "tf.math.less", swift: "less"),
        comparison("less_equal", tensorflow: "tf.math.less_equal", swift: "lessEqual"),
        comparison("equal", tensorflow: "tf.math.equal", swift: "equal", operands: .any),
        comparison("not_equal", tensorflow: "tf.math.not_equal", swift: "notEqual", operands: .any),
        OperationDeclaration("logical_and", tensorflow: "tf.math.logical_and", operands: .two([]), result: "NumPy broadcasting",
                             swift: SwiftCall.call("logicalAnd").returning(.kind(.bool)), types: .logical) { shapes, _ in
            try ShapeRules.broadcast(shapes[0], shapes[1], op: "logical_and")
        },
        OperationDeclaration("logical_or", tensorflow: "tf.math.logical_or", operands: .two([]), result: "NumPy broadcasting",
                             swift: SwiftCall.call("logicalOr").returning(.kind(.bool)), types: .logical) { shapes, _ in
            try ShapeRules.broadcast(shapes[0], shapes[1], op: "logical_or")
        },
        OperationDeclaration("logical_not", tensorflow: "tf.math.logical_not", operands: .one, result: "the input's",
                             swift: SwiftCall.call("logicalNot", throwing: false).returning(.kind(.bool)), types: .logical) { shapes, _ in
            shapes[0]
        },
        OperationDeclaration("where", tensorflow: "tf.where", operands: .three(["condition", "x", "y"]), result: "the three broadcast (TensorFlow 2's `tf.where`)",
                             swift: .call("select"), types: selection) { shapes, _ in
            try ShapeRules.broadcast(ShapeRules.broadcast(shapes[0], shapes[1], op: "where"), shapes[2], op: "where")
        },
    ]

    /// Two numbers (for `equal` and `not_equal`, two values of any dtype) compared elementwise with
    /// broadcasting: a bool tensor.
    private static func comparison(_ name: String, tensorflow: String, swift function: String,
                                   operands: ValueTypes.Operand = .numbers) -> OperationDeclaration {
        OperationDeclaration(name, tensorflow: tensorflow, operands: .two([]), result: "NumPy broadcasting",
                             swift: SwiftCall.call(function).returning(.kind(.bool)), types: .comparison(operands)) { shapes, _ in
            try ShapeRules.broadcast(shapes[0], shapes[1], op: name)
        }
    }

    /// `where(condition, x, y)`: a bool condition; `x` and `y` of one dtype, the result's.
    private static let selection = ValueTypes(operands: [.booleans, .any], results: { shared, _ in [shared] },
                                              differentiable: true, description: "`x`'s and `y`'s (one dtype)")
}
