extension OperationDeclaration {
    static let lookups: [OperationDeclaration] = [
        OperationDeclaration("embedding_lookup", tensorflow: "tf.nn.embedding_lookup", operands: .two(["table", "ids"]), indexOperands: [1],
                             result: "`ids + [table's second dimension]`; the table has rank 2",
                             swift: .custom("embeddingLookup") { operands, _, function in
                                 "try \(function)(\(operands[0]), ids: \(operands[1]))"
                             }) { shapes, _ in
            try ShapeRules.embeddingLookup(table: shapes[0], ids: shapes[1])
        },
        OperationDeclaration("gather", tensorflow: "tf.gather", operands: .two(["params", "indices"]), indexOperands: [1],
                             result: "`indices + params' dimensions after the first`; indices are truncated to integers",
                             swift: .custom("gather") { operands, _, function in
                                 "try \(function)(\(operands[0]), indices: \(operands[1]))"
                             }) { shapes, _ in
            guard !shapes[0].isEmpty else {
                throw ShapeMismatch(message: "gather needs params of rank 1 or more, but they have shape []")
            }
            return shapes[1] + shapes[0].dropFirst()
        },
    ]
}
