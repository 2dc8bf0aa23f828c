extension OperationDeclaration {
    static let lookups: [OperationDeclaration] = [
        OperationDeclaration("embedding_lookup", tensorflow: "tf.nn.embedding_lookup", operands: .two(["table", "ids"]),
                             result: "`ids + [table's second dimension]`; the table has rank 2",
                             swift: .custom("embeddingLookup") { operands, _, function in
                                 "try \(function)(\(operands[0]), ids: IndexTensor(truncating: \(operands[1])))"
                             }) { shapes, _ in
            try ShapeRules.embeddingLookup(table: shapes[0], ids: shapes[1])
        },
    ]
}
