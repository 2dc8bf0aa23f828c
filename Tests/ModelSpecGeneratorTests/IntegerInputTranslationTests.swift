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

    /// int64 and bool inputs are `Int64Tensor` and `BoolTensor`; integer operations call the integer kernels with
    /// literals of the operand's type; a float-only operation gets the numbers through a cast.
    @Test func int64AndBoolInputsKeepTheirTypes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("typed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Typed.yaml").path
        try """
        spec: 1
        model: Typed
        inputs:
          big: {shape: [2], dtype: int64}
          mask: {shape: [2], dtype: bool}
        forward:
          - add: [big, 1]
            as: next
          - logical_not: mask
            as: flipped
          - leaky_relu: next
            as: soft
        outputs: [next, flipped, soft]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        #expect(source.contains("public func callAsFunction(big: Int64Tensor, mask: BoolTensor, training: Bool = false"))
        #expect(source.contains("let next = try add(big, Int64Tensor(1))"))
        #expect(source.contains("let flipped = logicalNot(mask)"))
        #expect(source.contains("let soft = leakyRelu(Tensor(next))"))
    }

    /// A nested model's int64 and bool inputs are handed on as their types, cast where the value has another.
    @Test func nestedModelInputsTakeTheirTypes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nested-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        spec: 1
        model: Inner
        inputs:
          big: {shape: [2], dtype: int64}
          mask: {shape: [2], dtype: bool}
        forward:
          - add: [big, 1]
        """.write(toFile: directory.appendingPathComponent("Inner.yaml").path, atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("Outer.yaml").path
        try """
        spec: 1
        model: Outer
        inputs:
          ids: {shape: [2], dtype: int32}
          mask: {shape: [2], dtype: bool}
        layers:
          inner: {Inner: {}}
        forward:
          - inner: [ids, mask]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        #expect(source.contains("try inner.call(big: try cast(ids, to: Int64Tensor.self), mask: mask, context: tf.context, training: training)"), "\(source)")
    }
}
