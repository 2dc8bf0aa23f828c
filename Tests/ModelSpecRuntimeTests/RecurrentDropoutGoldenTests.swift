import Foundation
import Testing
@testable import ModelSpecRuntime

/// One case of Tests/Goldens/recurrent_dropout/cases.json (oracle/recurrent_dropout.py): a Keras
/// recurrent layer called in training with `recurrent_dropout` (and `dropout`) on masks the
/// fixture fixed in the cell's mask caches, its outputs and tf.GradientTape's gradients of
/// Σ_k Σ y_k·w_k.
struct RecurrentDropoutCase: Decodable, Sendable, CustomStringConvertible {
    struct Variable: Decodable, Sendable { let name: String; let file: String; let gradient: String }
    struct Output: Decodable, Sendable { let file: String; let weights: String }
    struct Arguments: Decodable, Sendable {
        let units: Int
        let return_sequences: Bool?
        let return_state: Bool?
        let reset_after: Bool?
        let go_backwards: Bool?
    }

    let name: String
    let kind: String
    let arguments: Arguments
    let x: String
    let initial_state: [String]
    let input_masks: [String]
    let state_masks: [String]
    let variables: [Variable]
    let outputs: [Output]
    let x_gradient: String
    let initial_state_gradients: [String]

    var description: String { name }

    static let directory = Goldens.directory.deletingLastPathComponent().appendingPathComponent("recurrent_dropout")

    static let all: [RecurrentDropoutCase] = {
        struct Index: Decodable { let cases: [RecurrentDropoutCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    func tensor(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file)) }

    /// The Keras cell on the given kernel, recurrent kernel and bias.
    func cell(_ weights: [Tensor]) throws -> RecurrentCell {
        switch kind {
        case "SimpleRNN": try .kerasSimpleRNN(kernel: weights[0], recurrentKernel: weights[1], bias: weights[2])
        case "GRU": try .kerasGRU(kernel: weights[0], recurrentKernel: weights[1], bias: weights[2],
                                  resetAfter: arguments.reset_after ?? true)
        default: try .kerasLSTM(kernel: weights[0], recurrentKernel: weights[1], bias: weights[2])
        }
    }
}

/// Keras's `recurrent_dropout` in training against TensorFlow's, on the masks the fixture fixed:
/// the per-gate masks of the state (and of the input with `dropout`) inside the loop, and the
/// backward rule through them.
@Suite struct RecurrentDropoutGoldenTests {
    @Test func theGoldensAreThere() {
        #expect(Set(RecurrentDropoutCase.all.map(\.kind)) == ["SimpleRNN", "GRU", "LSTM"])
        #expect(RecurrentDropoutCase.all.contains { !$0.input_masks.isEmpty })
    }

    @Test("the outputs and gradients are TensorFlow's", arguments: RecurrentDropoutCase.all)
    func matchesTensorFlow(_ golden: RecurrentDropoutCase) throws {
        let x = try golden.tensor(golden.x)
        let initial = try golden.initial_state.map(golden.tensor)
        let weights = try golden.variables.map { try golden.tensor($0.file) }
        let masks = RecurrentDropoutMasks(input: try golden.input_masks.map(golden.tensor),
                                          state: try golden.state_masks.map(golden.tensor))
        let tape = GradientTape()
        for t in [x] + initial + weights { tape.watch(t) }
        var results: [Tensor] = []
        let loss = try tape.record { () throws -> Tensor in
            let (output, state) = try kerasRecurrent(
                golden.cell(weights), input: x, initialState: initial.isEmpty ? nil : initial,
                returnSequences: golden.arguments.return_sequences ?? false,
                goBackwards: golden.arguments.go_backwards ?? false, dropoutMasks: masks)
            results = [output] + (golden.arguments.return_state == true ? state : [])
            var total = Tensor(0)
            for (result, out) in zip(results, golden.outputs) {
                total = try add(total, reduceSum(multiply(result, golden.tensor(out.weights))))
            }
            return total
        }
        #expect(results.count == golden.outputs.count)
        for (k, (result, out)) in zip(results, golden.outputs).enumerated() {
            expectClose(result, try golden.tensor(out.file), "\(golden.name) output \(k)", tolerance: 1e-5)
        }
        let expected = [golden.x_gradient] + golden.initial_state_gradients + golden.variables.map(\.gradient)
        let names = ["x"] + golden.initial_state.indices.map { "initial \($0)" } + golden.variables.map(\.name)
        for ((t, file), name) in zip(zip([x] + initial + weights, expected), names) {
            let got = try #require(try tape.gradient(of: loss, withRespectTo: t), "\(golden.name): no gradient for \(name)")
            expectClose(got, try golden.tensor(file), "\(golden.name) d/d\(name)", tolerance: 1e-4)
        }
    }
}
