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

    /// The generated Swift of the last of `specs` (model name and text), written to a temporary folder together.
    static func generated(_ specs: [(String, String)]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("integers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var path = ""
        for (model, text) in specs {
            path = directory.appendingPathComponent(model + ".yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let result = try GeneratedFile.generate(spec: path, access: .public)
        return try #require(result.source, "\(result.diagnostics)")
    }

    @Test func indexTensorInTheSignatureAndTheOps() throws {
        let source = try Self.generated([("Tokens", Self.spec)])
        #expect(source.contains("public func callAsFunction(ids: IndexTensor, mask: Tensor, training: Bool = false"))
        #expect(source.contains("public func call(ids: IndexTensor, mask: Tensor, context: CallContext, training: Bool)"))
        #expect(source.contains("try embeddingLookup(table, ids: ids)"))
        // reduce_sum of int32 is int32, as in TensorFlow: the integer kernel, returned as its numbers.
        #expect(source.contains("let lengths = try reduceSum(ids, axes: [1])"))
        // An int32 output is returned as the IndexTensor it is.
        #expect(source.contains("throws -> (pooled: Tensor, lengths: IndexTensor)"))
        #expect(source.contains("return (pooled, lengths)"))
        #expect(source.contains("""
                    try checkInputShapes(
                        of: "Tokens",
                        ("ids", ids.shape, [.symbol("batch"), .any]),
                        ("mask", mask.shape, [.symbol("batch"), .size(width)]))
            """))
        #expect(!source.contains("IndexTensor(truncating:"))
    }

    /// A Keras `Embedding` is called on the ids themselves (`IndexTensor`), not on a float copy.
    @Test func embeddingLayerTakesTheIndexTensor() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("embedder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Embedder.yaml").path
        try """
        spec: 1
        model: Embedder
        style: native
        inputs:
          ids: {shape: [batch, 2], dtype: int32}
          scores: [batch, 2]
        layers:
          embedding: {Embedding: {input_dim: 10, output_dim: 3}}
        forward:
          - embedding: ids
            as: vectors
          - embedding: scores
            as: fromFloats
        outputs: [vectors, fromFloats]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        #expect(source.contains("let vectors = try embedding(ids, training: training, context: context)"))
        // A float value is the layer's to cast, as Keras casts it.
        #expect(source.contains("let fromFloats = try embedding(scores, training: training, context: context)"))
        #expect(!source.contains("Tensor(ids)"))
    }

    /// int64 and bool inputs are `Int64Tensor` and `BoolTensor`; integer operations call the integer kernels with
    /// literals of the operand's type; a float-only operation gets the numbers through a cast.
    @Test func int64AndBoolInputsKeepTheirTypes() throws {
        let source = try Self.generated([("Typed", """
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
        """)])
        #expect(source.contains("public func callAsFunction(big: Int64Tensor, mask: BoolTensor, training: Bool = false"))
        #expect(source.contains("let next = try add(big, Int64Tensor(1))"))
        #expect(source.contains("let flipped = logicalNot(mask)"))
        #expect(source.contains("let soft = leakyRelu(Tensor(next))"))
        #expect(source.contains("throws -> (next: Int64Tensor, flipped: BoolTensor, soft: Tensor)"))
    }

    /// A nested model's int64 and bool inputs are handed on as their types, cast where the value has another.
    @Test func nestedModelInputsTakeTheirTypes() throws {
        let source = try Self.generated([("Inner", """
        spec: 1
        model: Inner
        inputs:
          big: {shape: [2], dtype: int64}
          mask: {shape: [2], dtype: bool}
        forward:
          - add: [big, 1]
        """), ("Outer", """
        spec: 1
        model: Outer
        inputs:
          ids: {shape: [2], dtype: int32}
          mask: {shape: [2], dtype: bool}
        layers:
          inner: {Inner: {}}
        forward:
          - inner: [ids, mask]
        """)])
        #expect(source.contains("try inner.call(big: try cast(ids, to: Int64Tensor.self), mask: mask, context: tf.context, training: training)"), "\(source)")
    }

    /// A nested model's int32 and bool outputs reach the caller as their types: handed on as they are to an
    /// output and to a nested model's integer input, computed with in int32 (`add: [counts, 1]`), and made a
    /// `Tensor` by a `cast` of the spec's where a step computes in floats.
    @Test func nestedModelOutputsKeepTheirTypes() throws {
        let source = try Self.generated([("Counter", """
        spec: 1
        model: Counter
        inputs:
          x: [batch, 4]
        forward:
          - greater: [x, 0]
            as: positive
          - cast: {input: positive, dtype: int32}
          - reduce_sum: {axis: 1}
            as: counts
        outputs: [counts, positive]
        """), ("Doubler", """
        spec: 1
        model: Doubler
        inputs:
          n: {shape: [batch], dtype: int32}
        forward:
          - multiply: [n, 2]
        """), ("Caller", """
        spec: 1
        model: Caller
        inputs:
          x: [batch, 4]
        layers:
          counter: {Counter: {}}
          doubler: {Doubler: {}}
        forward:
          - counter: x
            as: [counts, positive]
          - doubler: counts
            as: doubled
          - add: [counts, 1]
            as: shifted
          - cast: {input: counts, dtype: float32}
          - add: [_, 0.5]
            as: halves
        outputs: [counts, doubled, shifted, halves, positive]
        """)])
        #expect(source.contains("throws -> (counts: IndexTensor, doubled: IndexTensor, shifted: IndexTensor, halves: Tensor, positive: BoolTensor)"), "\(source)")
        #expect(source.contains("try doubler.call(counts, context: tf.context, training: training)"), "\(source)")
        #expect(source.contains("let shifted = try add(counts, IndexTensor(1))"), "\(source)")
        #expect(source.contains("try cast(counts, to: Tensor.self)"), "\(source)")
        #expect(source.contains("return (counts, doubled, shifted, halves, positive)"), "\(source)")
    }
}
