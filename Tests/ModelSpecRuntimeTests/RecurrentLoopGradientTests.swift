@testable import ModelSpecRuntime
import Testing

/// The TF1 recurrent loops (`dynamic_rnn`, `bidirectional_dynamic_rnn`) with their cells' weights
/// given as tensors: the gradients of the outputs and the final state with respect to the input
/// and every weight, against finite differences.
/// The loop (`RecurrentLoop`, packed buffers) records no backward rule yet, so each check asserts
/// that differentiating through it is refused with a `TensorError`, never a silent zero; once a rule
/// lands, these become finite-difference checks.
@Suite struct RecurrentLoopGradientTests {
    static let noRule: Comment = "the recurrent loop (Recurrent/RecurrentLoop.swift) records no backward rule"

    static func values(_ shape: [Int], seed: Int) throws -> Tensor {
        try LayerGradientTests.values(shape, seed: seed, scale: 0.8)
    }

    struct CellCase: CustomStringConvertible, Sendable {
        let name: String
        /// The shapes of the cell's weights for an input of 3 features.
        let weights: [[Int]]
        let make: @Sendable ([Tensor]) throws -> RecurrentCell
        var description: String { name }
    }

    static let cells: [CellCase] = [
        CellCase(name: "BasicLSTMCell", weights: [[5, 8], [8]]) { try .lstm(kernel: $0[0], bias: $0[1]) },
        CellCase(name: "LSTMCell peepholes, projection", weights: [[4, 12], [12], [3], [3], [3], [3, 1]]) {
            try .lstm(kernel: $0[0], bias: $0[1], peepholes: (f: $0[2], i: $0[3], o: $0[4]), projection: $0[5])
        },
        CellCase(name: "GRUCell", weights: [[5, 4], [4], [5, 2], [2]]) {
            try .gru(gatesKernel: $0[0], gatesBias: $0[1], candidateKernel: $0[2], candidateBias: $0[3])
        },
        CellCase(name: "BasicRNNCell", weights: [[5, 2], [2]]) { try .basicRNN(kernel: $0[0], bias: $0[1]) },
    ]

    static let lengths: [[Int32]?] = [nil, [4, 2, 3]]

    @Test("dynamic_rnn: outputs and state against finite differences", arguments: cells, lengths)
    func dynamicRNNMatchesFiniteDifferences(_ cell: CellCase, _ lengths: [Int32]?) throws {
        let input = try Self.values([3, 4, 3], seed: 1)
        let weights = try cell.weights.enumerated().map { try Self.values($0.element, seed: 10 + $0.offset) }
        #expect(throws: TensorError.self, Self.noRule) { _ = try GradientCheck.compare(at: [input] + weights) { t in
            let (outputs, state) = try dynamicRNN([cell.make(Array(t.dropFirst()))], input: t[0],
                                                  sequenceLength: lengths.map { IndexTensor($0) })
            return [outputs] + state
        } }
    }

    @Test("dynamic_rnn time major, MultiRNNCell of LSTM then GRU, with sequence_length")
    func stackedTimeMajor() throws {
        let input = try Self.values([4, 3, 3], seed: 2)
        let weights = try [[5, 8], [8], [4, 4], [4], [4, 2], [2]].enumerated().map { try Self.values($0.element, seed: 20 + $0.offset) }
        #expect(throws: TensorError.self, Self.noRule) { _ = try GradientCheck.compare(at: [input] + weights) { t in
            let cells = [try RecurrentCell.lstm(kernel: t[1], bias: t[2]),
                         try RecurrentCell.gru(gatesKernel: t[3], gatesBias: t[4], candidateKernel: t[5], candidateBias: t[6])]
            let (outputs, state) = try dynamicRNN(cells, input: t[0], sequenceLength: IndexTensor([3, 4, 1]), timeMajor: true)
            return [outputs] + state
        } }
    }

    @Test("bidirectional_dynamic_rnn, LSTM forward and GRU backward, with sequence_length")
    func bidirectional() throws {
        let input = try Self.values([3, 4, 3], seed: 3)
        let weights = try [[5, 8], [8], [5, 4], [4], [5, 2], [2]].enumerated().map { try Self.values($0.element, seed: 30 + $0.offset) }
        #expect(throws: TensorError.self, Self.noRule) { _ = try GradientCheck.compare(at: [input] + weights) { t in
            let fw = try RecurrentCell.lstm(kernel: t[1], bias: t[2])
            let bw = try RecurrentCell.gru(gatesKernel: t[3], gatesBias: t[4], candidateKernel: t[5], candidateBias: t[6])
            let r = try bidirectionalDynamicRNN(forward: [fw], backward: [bw], input: t[0], sequenceLength: IndexTensor([4, 2, 3]))
            return [r.outputForward, r.outputBackward] + r.stateForward + r.stateBackward
        } }
    }

    static let tf1Cells: [RNNCell] = [.basicLSTMCell(numUnits: 3), .lstmCell(numUnits: 3, usePeepholes: true, numProj: 2),
                                      .gruCell(numUnits: 3), .multiRNNCell([.lstmCell(numUnits: 2), .gruCell(numUnits: 2)])]

    /// `TF1.dynamicRNN` reads its cell's variables from the shim store: substituted, they get the
    /// finite differences' gradients; read under a tape, the same gradients as their substitutes.
    @Test("TF1.dynamicRNN: the store's variables against finite differences", arguments: tf1Cells)
    func tf1DynamicRNN(_ cell: RNNCell) throws {
        let store = ShimStore()
        let input = try Self.values([3, 4, 3], seed: 4)
        let lengths = IndexTensor([4, 1, 3])
        func run(_ x: Tensor, _ context: CallContext) throws -> [Tensor] {
            let (outputs, state) = try store.call(context: context) { tf in try tf.dynamicRNN(cell, x, sequenceLength: lengths) }
            return [outputs] + state
        }
        _ = try run(input, CallContext())
        let variables = store.variables.filter(\.trainable)
        #expect(!variables.isEmpty)
        for (k, variable) in variables.enumerated() { try variable.assign(Self.values(variable.shape, seed: 40 + k)) }
        #expect(throws: TensorError.self, Self.noRule) { _ = try GradientCheck.compare(at: [input] + variables.map(\.value)) { t in
            try run(t[0], CallContext(substituting: Dictionary(uniqueKeysWithValues: zip(variables.map(\.name), t.dropFirst()))))
        } }

        let tape = GradientTape()
        #expect(throws: TensorError.self, Self.noRule) { _ = try tape.record { try reduceSum(square(run(input, CallContext())[0])) } }
    }
}
