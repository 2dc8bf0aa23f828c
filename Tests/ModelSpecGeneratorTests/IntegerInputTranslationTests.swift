import Foundation
import ModelSpecGenerator
import Testing

/// Integer inputs (`dtype: int32`, ids) are `IndexTensor`s in the generated
/// signature, handed to `embeddingLookup` as they are and cast to `Tensor`
/// where an operation needs floats; every input is checked against its shape.
@Suite struct IntegerInputTranslationTests {
    static let spec = """
    spec: 1
    model: Tokens
    params:
      width: {type: Int, default: 8}
    inputs:
      ids: {shape: [batch, null], dtype: int32}
      mask: [batch, $width]
    forward:
      - scope: embed
        do:
          - variable: {name: table, shape: [100, $width]}
          - embedding_lookup: [table, ids]
          - reduce_mean: {axis: 1}
          - multiply: [_, mask]
            as: pooled
          - reduce_sum: {input: ids, axis: 1}
            as: lengths
    outputs: [pooled, lengths]
    """

    @Test func indexTensorInTheSignatureAndTheOps() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Tokens.yaml").path
        try Self.spec.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        #expect(source.contains("public func callAsFunction(ids: IndexTensor, mask: Tensor, training: Bool = false"))
        #expect(source.contains("public func call(ids: IndexTensor, mask: Tensor, context: CallContext, training: Bool)"))
        #expect(source.contains("try embeddingLookup(table, ids: ids)"))
        // reduce_sum of int32 is int32, as in TensorFlow: the integer kernel, returned as its numbers.
        #expect(source.contains("let lengths = try reduceSum(ids, axes: [1])"))
        #expect(source.contains("return (pooled, lengths: Tensor(lengths))"))
        #expect(source.contains("""
                    try checkInputShapes(
                        of: "Tokens",
                        ("ids", ids.shape, [.symbol("batch"), .any]),
                        ("mask", mask.shape, [.symbol("batch"), .size(width)]))
            """))
        #expect(!source.contains("IndexTensor(truncating:"))
    }
}
