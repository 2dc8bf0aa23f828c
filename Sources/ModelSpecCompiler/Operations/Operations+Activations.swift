extension OperationDeclaration {
    static let activations: [OperationDeclaration] = [
        elementwise("relu", tensorflow: "tf.nn.relu", swift: "relu"),
        elementwise("relu6", tensorflow: "tf.nn.relu6", swift: "relu6"),
        elementwise("elu", tensorflow: "tf.nn.elu", swift: "elu"),
        elementwise("tanh", tensorflow: "tf.math.tanh", swift: "tanh"),
        elementwise("sigmoid", tensorflow: "tf.math.sigmoid", swift: "sigmoid"),
        OperationDeclaration("identity", tensorflow: "tf.identity", operands: .one, result: "the input's",
                             swift: .custom(nil) { operands, _ in operands[0] }) { shapes, _ in shapes[0] },
        OperationDeclaration("softmax", tensorflow: "tf.nn.softmax", operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .defaultValue(.int(-1)), swift: "axis"),
        ], result: "the input's; the axis must exist", swift: .call("softmax")) { shapes, arguments in
            _ = try ShapeRules.axis(arguments.int("axis"), rank: shapes[0].count, op: "softmax", shape: shapes[0])
            return shapes[0]
        },
    ]
}
