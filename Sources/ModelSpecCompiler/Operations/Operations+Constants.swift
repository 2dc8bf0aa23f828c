extension OperationDeclaration {
    static let constants: [OperationDeclaration] = [
        OperationDeclaration("constant", tensorflow: "tf.constant", operands: .none, attributes: [
            AttributeDeclaration("value", .tensor, .required, swift: nil),
            AttributeDeclaration("shape", .sizes, .optional("the value's"), swift: "shape"),
            AttributeDeclaration("dtype", .dtype, .defaultValue(.dtype(.float32)), swift: "dtype"),
        ], result: "`shape`: one number fills it, more are reshaped to it (the counts must agree)",
           swift: .custom("constant") { _, arguments, function in
               // Without a shape the value is the tensor: `Tensor([1.0, 2.0])`.
               arguments.count == 1 ? arguments[0] : "try \(function)(" + arguments.joined(separator: ", ") + ")"
           }) { _, arguments in
            try ShapeRules.constant(arguments.tensor("value"), shape: arguments.ints("shape"))
        },
    ]
}
