extension OperationDeclaration {
    static let constants: [OperationDeclaration] = [
        OperationDeclaration("constant", tensorflow: "tf.constant", operands: .none, attributes: [
            AttributeDeclaration("value", .tensor, .required, swift: nil),
            AttributeDeclaration("shape", .sizes, .optional("the value's"), swift: "shape"),
            AttributeDeclaration("dtype", .dtype([.float32, .int32, .int64, .bool]), .defaultValue(.dtype(.float32)), swift: nil),
        ], result: "`shape`: one number fills it, more are reshaped to it (the counts must agree)",
           swift: .custom("constant") { _, arguments, function in
               // Without a shape the value is the tensor: `Tensor([1.0, 2.0])`.
               arguments.count == 1 ? arguments[0] : "try \(function)(" + arguments.joined(separator: ", ") + ")"
           }, types: constantTypes, gradient: .none("it has no operands")) { _, arguments in
            try constantShape(arguments.tensor("value"), shape: arguments.ints("shape"))
        },
        OperationDeclaration("cast", tensorflow: "tf.cast", operands: .one, attributes: [
            AttributeDeclaration("dtype", .dtype([.float32, .int32, .int64, .bool]), .required, swift: nil),
        ], result: "the input's; floats to integers truncated toward zero, numbers to bool by being nonzero",
           swift: SwiftCall.custom("cast") { operands, _, _ in operands[0] },
           types: .attribute("dtype", operands: [.any], differentiable: true)) { shapes, _ in shapes[0] },
    ]

    /// `tf.constant`'s dtype, and the value written as that dtype takes it: integers for int32 and int64,
    /// `true`/`false` for bool (TensorFlow refuses `1.5` as an int32 and `1` as a bool).
    private static let constantTypes = ValueTypes(operands: [], results: { _, attributes in
        guard case let .dtype(dtype) = attributes["dtype"] ?? .dtype(.float32), case let .tensor(literal)? = attributes["value"] else {
            return [.float32]
        }
        if dtype == .bool, !literal.isBoolean {
            throw TypeMismatch("constant of dtype bool takes true and false, not numbers")
        }
        if dtype != .bool, literal.isBoolean {
            throw TypeMismatch("constant of dtype \(dtype.rawValue) takes numbers, not true and false (use dtype: bool)")
        }
        if ValueKind(dtype).isInteger {
            // 2^31 and 2^63: the first magnitudes outside the range.
            let bound = dtype == .int32 ? 2_147_483_648.0 : 9_223_372_036_854_775_808.0
            for case let .literal(number) in literal.scalars where number.rounded() != number || number >= bound || number < -bound {
                throw TypeMismatch("constant of dtype \(dtype.rawValue) takes integers of \(dtype.rawValue)'s range, not \(number)")
            }
        }
        return [dtype]
    }, differentiable: false, description: "`dtype`")

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
