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
           }, gradient: .none("it has no operands")) { _, arguments in
            try constantShape(arguments.tensor("value"), shape: arguments.ints("shape"))
        },
    ]

    /// `tf.constant(value, shape)`: one number fills the shape; otherwise the counts must agree.
    private static func constantShape(_ value: TensorValue, shape: [Int]?) throws -> TracedShape {
        guard let shape else { return value.shape.map(TracedDim.known) }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ShapeMismatch(message: "constant: shape \(shape) has more elements than can be counted") }
            count = product
        }
        guard value.scalars.count == 1 || value.scalars.count == count else {
            throw ShapeMismatch(message: "constant: the value has \(value.scalars.count) numbers, but shape \(shape) has \(count) elements; give one number to fill it, or \(count)")
        }
        return shape.map(TracedDim.known)
    }
}
