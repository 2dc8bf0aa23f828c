import Foundation
import ModelSpecRuntime
import Testing

/// A generated call checks its inputs against the spec's shapes before anything
/// runs: a wrong rank, a wrong fixed size, or a symbol with two sizes is an error
/// naming the input and both shapes, not a failure inside an op.
@Suite struct InputCheckTests {
    /// The message of the error `body` throws (nil, and a recorded issue, when it throws none).
    private func message(_ body: () throws -> Void) -> String? {
        (#expect(throws: (any Error).self) { try body() }).map { "\($0)" }
    }

    @Test func wrongRank() throws {
        let model = CompatV1LayerModel()
        #expect(message { _ = try model(try Tensor.zeros([2, 5, 5])) }
            == "CompatV1LayerModel: input 'inputs' needs shape [batch, 5, 5, 5], but a tensor of shape [2, 5, 5] is given")
        // Nothing ran: no variable was made.
        #expect(model.weights.isEmpty)
    }

    @Test func wrongFixedSize() throws {
        let model = CompatV1LayerModel()
        #expect(message { _ = try model(try Tensor.zeros([2, 5, 5, 4])) }
            == "CompatV1LayerModel: input 'inputs' needs shape [batch, 5, 5, 5], but a tensor of shape [2, 5, 5, 4] is given")
        #expect(model.weights.isEmpty)
        // The right shape still runs afterwards.
        #expect(try model(try Tensor.zeros([2, 5, 5, 5])).shape == [2, 10])
    }

    @Test func batchTheSameAcrossInputs() throws {
        let model = BahdanauAttention()
        #expect(message { _ = try model(query: try Tensor.zeros([2, 16]), values: try Tensor.zeros([3, 7, 16])) }
            == "BahdanauAttention: symbol 'batch' is 2 in input 'query' but 3 in input 'values' (shape [3, 7, 16]); a symbol has one size in a call")
        #expect(model.weights.isEmpty)
        let result = try model(query: try Tensor.zeros([3, 16]), values: try Tensor.zeros([3, 7, 16]))
        #expect(result.attentionWeights.shape == [3, 7, 1])
    }

    @Test func theErrorIsTyped() throws {
        #expect(throws: InputShapeError.self) { _ = try DenseLayer()(try Tensor.zeros([4])) }
    }
}
