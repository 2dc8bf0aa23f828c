import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import Testing

/// The interpreter's inputs: checked against the spec's shapes as generated code
/// checks them (same messages), and integer inputs given as `IndexTensor`s.
@Suite struct InterpreterInputTests {
    /// The interpreted model of one spec written to a fresh folder.
    private func model(_ text: String) throws -> InterpretedModel {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spec = directory.appendingPathComponent("Model.yaml").path
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec)
        let description = try #require(checked.model, "\(checked.diagnostics)")
        return try InterpretedModel(description, library: compiler.library)
    }

    /// The message of the error `body` throws (nil, and a recorded issue, when it throws none).
    private func message(_ body: () throws -> Void) -> String? {
        (#expect(throws: (any Error).self) { try body() }).map { "\($0)" }
    }

    private let pair = """
        spec: 1
        model: Pair
        inputs:
          a: [batch, 3]
          b: [batch, 3]
        forward:
          - add: [a, b]
        """

    @Test func wrongShapeNamesTheInput() throws {
        let pair = try model(pair)
        #expect(message { _ = try pair(["a": try Tensor.zeros([2, 3]), "b": try Tensor.zeros([2, 4])]) }
            == "Pair: input 'b' needs shape [batch, 3], but a tensor of shape [2, 4] is given")
        #expect(message { _ = try pair(["a": try Tensor.zeros([2, 3]), "b": try Tensor.zeros([5, 3])]) }
            == "Pair: symbol 'batch' is 2 in input 'a' but 5 in input 'b' (shape [5, 3]); a symbol has one size in a call")
        #expect(try pair(["a": try Tensor.ones([2, 3]), "b": try Tensor.ones([2, 3])])[0].scalars == Array(repeating: 2, count: 6))
    }

    private let lookup = """
        spec: 1
        model: Lookup
        inputs:
          ids: {shape: [batch, 4], dtype: int32}
        forward:
          - scope: embed
            do:
              - variable: {name: table, shape: [10, 2], initializer: {constant: 0.5}}
              - embedding_lookup: [table, ids]
        """

    @Test func integerInputsAreIndices() throws {
        let lookup = try model(lookup)
        let ids = try IndexTensor(shape: [2, 4], scalars: [0, 1, 2, 3, 9, 8, 7, 6])
        let vectors = try lookup([:], indices: ["ids": ids])[0]
        #expect(vectors.shape == [2, 4, 2])
        #expect(vectors.scalars.allSatisfy { $0 == 0.5 })
        // An id outside the table is the lookup's error, not a trap.
        #expect(throws: (any Error).self) { _ = try lookup([:], indices: ["ids": try IndexTensor(shape: [1, 4], scalars: [0, 1, 2, 10])]) }
    }

    @Test func integerInputGivenAsFloatsIsAnError() throws {
        let lookup = try model(lookup)
        #expect(message { _ = try lookup(["ids": try Tensor.zeros([2, 4])]) }
            == "input 'ids' of Lookup is int32: give it as an IndexTensor in indices:, not as a float Tensor")
        #expect(message { _ = try lookup([:]) } == "Lookup needs input 'ids' (int32, an IndexTensor in indices:)")
        #expect(message { _ = try lookup([:], indices: ["ids": try IndexTensor(shape: [2], scalars: [0, 1])]) }
            == "Lookup: input 'ids' needs shape [batch, 4], but a tensor of shape [2] is given")
    }

    private let embedder = """
        spec: 1
        model: Embedder
        style: native
        inputs:
          ids: {shape: [batch, 2], dtype: int32}
        layers:
          embedding: {Embedding: {input_dim: 10, output_dim: 3, embeddings_initializer: {constant: 0.5}}}
        forward:
          - embedding: ids
        """

    /// An `Embedding` reads int32 ids as they are: 2^24 + 1, which a float copy would make
    /// 2^24, is named exactly in the lookup's error.
    @Test func embeddingReadsIntegerIdsExactly() throws {
        let embedder = try model(embedder)
        let vectors = try embedder([:], indices: ["ids": try IndexTensor(shape: [2, 2], scalars: [0, 9, 3, 4])])[0]
        #expect(vectors.shape == [2, 2, 3])
        #expect(vectors.scalars.allSatisfy { $0 == 0.5 })
        let message = message { _ = try embedder([:], indices: ["ids": try IndexTensor(shape: [1, 2], scalars: [1, 16_777_217])]) }
        #expect(message?.contains("index 16777217 at position 1 is outside [0, 10)") == true, "\(message ?? "")")
        let lookup = try model(lookup)
        let lookupMessage = self.message {
            _ = try lookup([:], indices: ["ids": try IndexTensor(shape: [1, 4], scalars: [0, 1, 2, 2_147_483_647])])
        }
        #expect(lookupMessage?.contains("index 2147483647 at position 3") == true, "\(lookupMessage ?? "")")
    }

    /// int64 ids reach an `Embedding` as they are: 2^32 + 1, which an int32 copy would make 1, is
    /// named exactly in the lookup's error, as TensorFlow refuses it.
    @Test func embeddingReadsInt64IdsExactly() throws {
        let embedder = try model(embedder.replacingOccurrences(of: "dtype: int32", with: "dtype: int64"))
        let ids = try Int64Tensor(shape: [2, 2], scalars: [0, 9, 3, 4])
        guard case let .float(vectors) = try embedder.call(values: ["ids": .int64(ids)])[0] else {
            Issue.record("an Embedding's output is float32")
            return
        }
        #expect(vectors.shape == [2, 2, 3])
        #expect(vectors.scalars.allSatisfy { $0 == 0.5 })
        let message = message {
            _ = try embedder.call(values: ["ids": .int64(try Int64Tensor(shape: [1, 2], scalars: [1, 4_294_967_297]))])
        }
        #expect(message?.contains("index 4294967297 at position 1 is outside [0, 10)") == true, "\(message ?? "")")
    }
}
