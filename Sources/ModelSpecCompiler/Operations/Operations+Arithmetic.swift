extension OperationDeclaration {
    static let arithmetic: [OperationDeclaration] = [
        OperationDeclaration("matmul", tensorflow: "tf.linalg.matmul", operands: .two([]),
                             result: "`[..., m, k] x [..., k, n] -> [..., m, n]`; inner sizes must agree; batch dimensions broadcast",
                             swift: .call("matmul")) { shapes, _ in
            try ShapeRules.matmul(shapes[0], shapes[1])
        },
        OperationDeclaration("bias_add", tensorflow: "tf.nn.bias_add", operands: .two(["value", "bias"]),
                             result: "the value's; the bias must be `[last dimension]`", swift: .call("biasAdd")) { shapes, _ in
            try ShapeRules.biasAdd(shapes[0], shapes[1])
        },
        broadcasting("add", tensorflow: "tf.math.add", swift: "add"),
        broadcasting("subtract", tensorflow: "tf.math.subtract", swift: "subtract"),
        broadcasting("multiply", tensorflow: "tf.math.multiply", swift: "multiply"),
        broadcasting("divide", tensorflow: "tf.math.divide", swift: "divide"),
    ]
}
