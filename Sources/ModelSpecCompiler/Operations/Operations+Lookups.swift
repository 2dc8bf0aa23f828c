extension OperationDeclaration {
    /// `tf.one_hot`'s `dtype`; an integer dtype takes integer `on_value` and `off_value`, as TensorFlow refuses a
    /// float one (its bool dtype needs `True`/`False` values, which these attributes do not take: cast instead).
    private static let oneHotTypes = ValueTypes(operands: [.converted], results: { _, attributes in
        guard case let .dtype(dtype)? = attributes["dtype"] else { return [.float32] }
        for key in ["on_value", "off_value"] {
            if ValueKind(dtype).isInteger, case let .float(.literal(value))? = attributes[key], value.rounded() != value {
                throw TypeMismatch("one_hot of dtype \(dtype.rawValue) takes an integer \(key), not \(value) (TensorFlow: the dtype of \(key) does not match dtype)")
            }
        }
        return [dtype]
    }, differentiable: false, description: "`dtype`")

    static let lookups: [OperationDeclaration] = [
        OperationDeclaration("embedding_lookup", tensorflow: "tf.nn.embedding_lookup", operands: .two(["table", "ids"]), indexOperands: [1],
                             result: "`ids + [table's second dimension]`; the table has rank 2",
                             swift: .custom("embeddingLookup") { operands, _, function in
                                 "try \(function)(\(operands[0]), ids: \(operands[1]))"
                             }, types: .sameAsOperand) { shapes, _ in
            try ShapeRules.embeddingLookup(table: shapes[0], ids: shapes[1])
        },
        OperationDeclaration("gather", tensorflow: "tf.gather", operands: .two(["params", "indices"]), indexOperands: [1],
                             result: "`indices + params' dimensions after the first`; indices are truncated to integers",
                             swift: .custom("gather") { operands, _, function in
                                 "try \(function)(\(operands[0]), indices: \(operands[1]))"
                             }, types: .sameAsOperand) { shapes, _ in
            guard !shapes[0].isEmpty else {
                throw ShapeMismatch(message: "gather needs params of rank 1 or more, but they have shape []")
            }
            return shapes[1] + shapes[0].dropFirst()
        },
        OperationDeclaration("one_hot", tensorflow: "tf.one_hot", operands: .one, indexOperands: [0], attributes: [
            AttributeDeclaration("depth", .int, .required, swift: "depth"),
            AttributeDeclaration("on_value", .float, .defaultValue(.float(1)), swift: "onValue"),
            AttributeDeclaration("off_value", .float, .defaultValue(.float(0)), swift: "offValue"),
            AttributeDeclaration("axis", .int, .defaultValue(.int(-1)), swift: "axis"),
            AttributeDeclaration("dtype", .dtype([.float32, .int32, .int64]), .defaultValue(.dtype(.float32)), swift: nil),
        ], result: "`depth` inserted at `axis` (-1: last); indices outside `0..<depth` give `off_value` only; indices are truncated to integers",
           swift: SwiftCall.call("oneHot").returning(.kind(.float)), types: oneHotTypes) { shapes, arguments in
            let depth = try arguments.int("depth"), axis = try arguments.int("axis")
            guard depth >= 0 else { throw ShapeMismatch(message: "one_hot: depth \(depth) is negative") }
            guard axis >= -1, axis <= shapes[0].count else {
                throw ShapeMismatch(message: "one_hot: axis \(axis) must be -1 or in 0...\(shapes[0].count) for indices of shape \(shapes[0].shapeDescription)")
            }
            var result = shapes[0]
            result.insert(.known(depth), at: axis == -1 ? result.count : axis)
            return result
        },
    ]
}

