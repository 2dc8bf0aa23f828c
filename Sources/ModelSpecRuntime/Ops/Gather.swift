/// Rows of `table` picked by `indices` (`tf.gather(table, indices)` on axis 0,
/// and `tf.nn.embedding_lookup`): the result has shape
/// `indices.shape + table.shape[1...]`.
/// - Throws: `TensorError` when an index is outside `0 ..< table.shape[0]`
///   (as TensorFlow does on CPU), or the table is a scalar.
public func gather<S>(_ table: Tensor, indices: IntegerTensor<S>) throws -> Tensor {
    guard table.rank >= 1 else {
        throw TensorError(op: "gather", shapes: [table.shape, indices.shape], reason: "do not fit: the table is a scalar")
    }
    let rows = table.shape[0]
    let rowLength = product(table.shape, 1..<table.rank)
    let out = Tensor(uninitializedShape: indices.shape + table.shape.dropFirst())
    let src = table.storage.base, ids = indices.storage.base
    var dst = out.storage.base
    for i in 0..<indices.scalarCount {
        let id = Int(ids[i])
        guard id >= 0, id < rows else {
            throw TensorError(op: "gather", shapes: [table.shape, indices.shape],
                              reason: "do not fit: index \(id) at position \(i) is outside [0, \(rows))")
        }
        dst.update(from: src + id * rowLength, count: rowLength)
        dst += rowLength
    }
    if let tape = GradientTape.active, tape.isFollowing(table) {
        // The table's gradient: the rows of the output's, as TensorFlow's IndexedSlices.
        tape.recordLookup("gather", out, table: table, rows: (0..<indices.scalarCount).map { Int(ids[$0]) })
    }
    return out
}

/// The embedding vectors of `ids` in a `[vocabulary, dimension]` table
/// (`tf.nn.embedding_lookup` with one shard): `gather(table, indices: ids)`.
public func embeddingLookup<S>(_ table: Tensor, ids: IntegerTensor<S>) throws -> Tensor {
    try gather(table, indices: ids)
}
