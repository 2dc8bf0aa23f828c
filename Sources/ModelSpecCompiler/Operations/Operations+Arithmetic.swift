extension OperationDeclaration {
    static let arithmetic: [OperationDeclaration] = [
        OperationDeclaration("matmul", tensorflow: "tf.linalg.matmul", operands: .two([]), attributes: [
            AttributeDeclaration("transpose_a", .bool, .defaultValue(.bool(false)), swift: "transposeA"),
            AttributeDeclaration("transpose_b", .bool, .defaultValue(.bool(false)), swift: "transposeB"),
        ], result: "`[..., m, k] x [..., k, n] -> [..., m, n]` (after the transpositions); inner sizes must agree; batch dimensions broadcast",
           swift: .call("matmul"), types: .numbers) { shapes, arguments in
            func transposed(_ shape: TracedShape, _ flag: Bool) -> TracedShape {
                guard flag, shape.count >= 2 else { return shape }
                return shape.dropLast(2) + [shape[shape.count - 1], shape[shape.count - 2]]
            }
            return try ShapeRules.matmul(transposed(shapes[0], arguments.bool("transpose_a")),
                                         transposed(shapes[1], arguments.bool("transpose_b")))
        },
        OperationDeclaration("bias_add", tensorflow: "tf.nn.bias_add", operands: .two(["value", "bias"]),
                             result: "the value's; the bias must be `[last dimension]`", swift: .call("biasAdd"),
                             types: .numbers) { shapes, _ in
            try ShapeRules.biasAdd(shapes[0], shapes[1])
        },
        broadcasting("add", tensorflow: "tf.math.add", swift: "add", types: .numbers),
        broadcasting("subtract", tensorflow: "tf.math.subtract", swift: "subtract", types: .numbers),
        broadcasting("multiply", tensorflow: "tf.math.multiply", swift: "multiply", types: .numbers),
        broadcasting("divide", tensorflow: "tf.math.divide", swift: "divide", types: .numbers(integers: { dtype in
            throw TypeMismatch("divide of \(dtype.rawValue) makes float64 in TensorFlow (tf.math.divide converts integers to float64), which ModelSpec does not have; cast the operands to float32 first, such as cast: {input: x, dtype: float32}")
        }, description: "the input's; integers refused (TensorFlow makes float64)")),
        broadcasting("pow", tensorflow: "tf.math.pow", swift: "pow", types: .numbers),
        broadcasting("maximum", tensorflow: "tf.math.maximum", swift: "maximum", types: .numbers),
        broadcasting("minimum", tensorflow: "tf.math.minimum", swift: "minimum", types: .numbers),
        broadcasting("squared_difference", tensorflow: "tf.math.squared_difference", swift: "squaredDifference", types: .numbers),
        elementwise("abs", tensorflow: "tf.math.abs", swift: "abs", types: .numbers),
        elementwise("negative", tensorflow: "tf.math.negative", swift: "negative", types: .numbers),
        elementwise("square", tensorflow: "tf.math.square", swift: "square", types: .numbers),
        elementwise("sqrt", tensorflow: "tf.math.sqrt", swift: "sqrt"),
        elementwise("rsqrt", tensorflow: "tf.math.rsqrt", swift: "rsqrt"),
        elementwise("exp", tensorflow: "tf.math.exp", swift: "exp"),
        elementwise("log", tensorflow: "tf.math.log", swift: "log"),
    ]
}
