extension OperationDeclaration {
    static let activations: [OperationDeclaration] = [
        elementwise("relu", tensorflow: "tf.nn.relu", swift: "relu", types: .numbers),
        elementwise("relu6", tensorflow: "tf.nn.relu6", swift: "relu6", types: .numbers),
        elementwise("elu", tensorflow: "tf.nn.elu", swift: "elu"),
        elementwise("tanh", tensorflow: "tf.math.tanh", swift: "tanh"),
        elementwise("sigmoid", tensorflow: "tf.math.sigmoid", swift: "sigmoid"),
        elementwise("softplus", tensorflow: "tf.math.softplus", swift: "softplus"),
        elementwise("softsign", tensorflow: "tf.nn.softsign", swift: "softsign"),
        elementwise("selu", tensorflow: "tf.nn.selu", swift: "selu"),
        elementwise("swish", tensorflow: "tf.nn.silu", swift: "swish"),
        OperationDeclaration("identity", tensorflow: "tf.identity", operands: .one, result: "the input's",
                             swift: .call("identity", throwing: false),
                             types: .sameAsOperand) { shapes, _ in shapes[0] },
        elementwise("leaky_relu", tensorflow: "tf.nn.leaky_relu", swift: "leakyRelu", attributes: [
            AttributeDeclaration("alpha", .float, .defaultValue(.float(0.2)), swift: "alpha"),
        ], types: .converted),
        elementwise("gelu", tensorflow: "tf.nn.gelu", swift: "gelu", attributes: [
            AttributeDeclaration("approximate", .bool, .defaultValue(.bool(false)), swift: "approximate"),
        ]),
        OperationDeclaration("softmax", tensorflow: "tf.nn.softmax", operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .defaultValue(.int(-1)), swift: "axis"),
        ], result: "the input's; the axis must exist", swift: .call("softmax")) { shapes, arguments in
            _ = try ShapeRules.axis(arguments.int("axis"), rank: shapes[0].count, op: "softmax", shape: shapes[0])
            return shapes[0]
        },
        OperationDeclaration("log_softmax", tensorflow: "tf.nn.log_softmax", operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .defaultValue(.int(-1)), swift: "axis"),
        ], result: "the input's; the axis must exist", swift: .call("logSoftmax")) { shapes, arguments in
            _ = try ShapeRules.axis(arguments.int("axis"), rank: shapes[0].count, op: "log_softmax", shape: shapes[0])
            return shapes[0]
        },
    ]
}
