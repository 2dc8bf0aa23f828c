extension OperationDeclaration {
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
            AttributeDeclaration("dtype", .dtype([.float32, .int32, .int64, .bool]), .defaultValue(.dtype(.float32)), swift: nil),
        ], result: "`depth` inserted at `axis` (-1: last); indices outside `0..<depth` give `off_value` only; indices are truncated to integers",
           swift: SwiftCall.call("oneHot").returning(.kind(.float)), types: .attribute("dtype", operands: [.converted], differentiable: false)) { shapes, arguments in
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

