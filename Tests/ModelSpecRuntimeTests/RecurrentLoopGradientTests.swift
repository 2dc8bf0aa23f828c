@testable import ModelSpecRuntime
import Testing

/// The recurrent loops (`dynamic_rnn`, `bidirectional_dynamic_rnn`, the Keras layers' call) with
/// their cells' weights given as tensors: the gradients of the outputs and the final state with
/// respect to the input, the initial state and every weight, against finite differences.
@Suite struct RecurrentLoopGradientTests {
    static func expectAgree(_ report: GradientCheck.Report, _ comment: String) {
        #expect(report.mismatches.isEmpty && report.missing.isEmpty, "\(comment): \(report)")
        #expect(report.checked > 0, "\(comment)")
    }

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
        CellCase(name: "BasicRNNCell relu", weights: [[6, 3], [3]]) { try .basicRNN(kernel: $0[0], bias: $0[1], activation: .relu) },
        CellCase(name: "LSTMCell cell_clip, forget_bias", weights: [[5, 8], [8], [2], [2], [2]]) {
            try .lstm(kernel: $0[0], bias: $0[1], forgetBias: 2, peepholes: (f: $0[2], i: $0[3], o: $0[4]), cellClip: 0.3)
        },
        CellCase(name: "LSTMCell projection, proj_clip", weights: [[5, 12], [12], [3, 2]]) {
            try .lstm(kernel: $0[0], bias: $0[1], projection: $0[2], projectionClip: 0.15)
        },
    ]

    static let lengths: [[Int32]?] = [nil, [4, 2, 3]]

    @Test("dynamic_rnn: outputs and state against finite differences", arguments: cells, lengths)
    func dynamicRNNMatchesFiniteDifferences(_ cell: CellCase, _ lengths: [Int32]?) throws {
        let input = try Self.values([3, 4, 3], seed: 1)
        let weights = try cell.weights.enumerated().map { try Self.values($0.element, seed: 10 + $0.offset) }
        let initial = try cell.make(weights).stateSizes.enumerated().map { try Self.values([3, $0.element], seed: 5 + $0.offset) }
        let report = try GradientCheck.compare(at: [input] + weights + initial) { t in
            let (outputs, state) = try dynamicRNN([cell.make(Array(t[1...weights.count]))], input: t[0],
                                                  sequenceLength: lengths.map { IndexTensor($0) },
                                                  initialState: Array(t.suffix(initial.count)))
            return [outputs] + state
        }
        Self.expectAgree(report, "\(cell.name), lengths \(String(describing: lengths))")
    }

    @Test("dynamic_rnn time major, MultiRNNCell of LSTM then GRU, with sequence_length")
    func stackedTimeMajor() throws {
        let input = try Self.values([4, 3, 3], seed: 2)
        let weights = try [[5, 8], [8], [4, 4], [4], [4, 2], [2]].enumerated().map { try Self.values($0.element, seed: 20 + $0.offset) }
        let report = try GradientCheck.compare(at: [input] + weights) { t in
            let cells = [try RecurrentCell.lstm(kernel: t[1], bias: t[2]),
                         try RecurrentCell.gru(gatesKernel: t[3], gatesBias: t[4], candidateKernel: t[5], candidateBias: t[6])]
            let (outputs, state) = try dynamicRNN(cells, input: t[0], sequenceLength: IndexTensor([3, 4, 1]), timeMajor: true)
            return [outputs] + state
        }
        Self.expectAgree(report, "MultiRNNCell time major")
    }

    @Test("bidirectional_dynamic_rnn, LSTM forward and GRU backward, with sequence_length")
    func bidirectional() throws {
        let input = try Self.values([3, 4, 3], seed: 3)
        let weights = try [[5, 8], [8], [5, 4], [4], [5, 2], [2]].enumerated().map { try Self.values($0.element, seed: 30 + $0.offset) }
        let report = try GradientCheck.compare(at: [input] + weights) { t in
            let fw = try RecurrentCell.lstm(kernel: t[1], bias: t[2])
            let bw = try RecurrentCell.gru(gatesKernel: t[3], gatesBias: t[4], candidateKernel: t[5], candidateBias: t[6])
            let r = try bidirectionalDynamicRNN(forward: [fw], backward: [bw], input: t[0], sequenceLength: IndexTensor([4, 2, 3]))
            return [r.outputForward, r.outputBackward] + r.stateForward + r.stateBackward
        }
        Self.expectAgree(report, "bidirectional")
    }

    @Test("bidirectional_dynamic_rnn time major with initial states, LSTMCell with projection and clips both ways")
    func bidirectionalInitialStates() throws {
        let input = try Self.values([4, 2, 3], seed: 35)
        let weights = try [[5, 12], [12], [3, 2], [6, 12], [12], [3], [3], [3]].enumerated().map { try Self.values($0.element, seed: 36 + $0.offset) }
        let states = try [[2, 3], [2, 2], [2, 3], [2, 3]].enumerated().map { try Self.values($0.element, seed: 46 + $0.offset) }
        let report = try GradientCheck.compare(at: [input] + weights + states) { t in
            let fw = try RecurrentCell.lstm(kernel: t[1], bias: t[2], cellClip: 0.5, projection: t[3], projectionClip: 0.3)
            let bw = try RecurrentCell.lstm(kernel: t[4], bias: t[5], forgetBias: 0.5, peepholes: (f: t[6], i: t[7], o: t[8]), cellClip: 0.4)
            let r = try bidirectionalDynamicRNN(forward: [fw], backward: [bw], input: t[0], sequenceLength: IndexTensor([3, 4]),
                                                initialStateForward: [t[9], t[10]], initialStateBackward: [t[11], t[12]],
                                                timeMajor: true)
            return [r.outputForward, r.outputBackward] + r.stateForward + r.stateBackward
        }
        Self.expectAgree(report, "bidirectional with initial states")
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
        let report = try GradientCheck.compare(at: [input] + variables.map(\.value)) { t in
            try run(t[0], CallContext(substituting: Dictionary(uniqueKeysWithValues: zip(variables.map(\.name), t.dropFirst()))))
        }
        Self.expectAgree(report, "\(cell)")

        // Read under a tape, the variables get the gradients their substitutes get.
        let weights = try GradientCheck.weights(run(input, CallContext())[0].shape, salt: 0)
        let tape = GradientTape()
        let loss = try tape.record { try reduceSum(multiply(run(input, CallContext())[0], weights)) }
        let byVariable = try tape.gradient(of: loss, withRespectTo: variables)
        let substituted = GradientTape()
        let tensors = try variables.map { try Tensor(shape: $0.shape, scalars: $0.value.scalars) }
        tensors.forEach(substituted.watch)
        let context = CallContext(substituting: Dictionary(uniqueKeysWithValues: zip(variables.map(\.name), tensors)))
        let loss2 = try substituted.record { try reduceSum(multiply(run(input, context)[0], weights)) }
        let byTensor = try substituted.gradient(of: loss2, withRespectTo: tensors)
        for (k, variable) in variables.enumerated() {
            #expect(byVariable[k] != nil && byVariable[k]?.scalars == byTensor[k]?.scalars, "\(variable.name)")
        }
    }

    static let kerasCells: [CellCase] = [
        CellCase(name: "SimpleRNN", weights: [[3, 2], [2, 2], [2]]) { try .kerasSimpleRNN(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2]) },
        CellCase(name: "GRU reset_after", weights: [[3, 9], [3, 9], [2, 9]]) {
            try .kerasGRU(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2], resetAfter: true)
        },
        CellCase(name: "GRU reset before", weights: [[3, 9], [3, 9], [9]]) {
            try .kerasGRU(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2], resetAfter: false)
        },
        CellCase(name: "GRU reset_after, no bias, relu", weights: [[3, 6], [2, 6]]) {
            try .kerasGRU(kernel: $0[0], recurrentKernel: $0[1], bias: nil, resetAfter: true, activation: .relu)
        },
        CellCase(name: "LSTM", weights: [[3, 12], [3, 12], [12]]) { try .kerasLSTM(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2]) },
        CellCase(name: "LSTM softsign, swish", weights: [[3, 8], [2, 8], [8]]) {
            try .kerasLSTM(kernel: $0[0], recurrentKernel: $0[1], bias: $0[2], activation: .softsign, recurrentActivation: .swish)
        },
    ]

    static let masks: [[Int32]?] = [nil, [1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1]]

    /// The Keras layers' loop: every step's output or the last, with an initial state, with and
    /// without a mask (a masked step carries the state and repeats the output).
    @Test("Keras recurrent call (also go_backwards): outputs, last output and state against finite differences", arguments: kerasCells, masks)
    func kerasRecurrentMatchesFiniteDifferences(_ cell: CellCase, _ mask: [Int32]?) throws {
        let input = try Self.values([3, 4, 3], seed: 6)
        let weights = try cell.weights.enumerated().map { try Self.values($0.element, seed: 60 + $0.offset) }
        let initial = try cell.make(weights).stateSizes.enumerated().map { try Self.values([3, $0.element], seed: 7 + $0.offset) }
        for returnSequences in [true, false] {
            for goBackwards in [false, true] {
                let report = try GradientCheck.compare(at: [input] + weights + initial) { t in
                    let (output, state) = try kerasRecurrent(cell.make(Array(t[1...weights.count])), input: t[0],
                                                             initialState: Array(t.suffix(initial.count)),
                                                             mask: mask.map { try IndexTensor(shape: [3, 4], scalars: $0) },
                                                             returnSequences: returnSequences, goBackwards: goBackwards)
                    return [output] + state
                }
                Self.expectAgree(report, "\(cell.name), mask \(mask != nil), sequences \(returnSequences), backwards \(goBackwards)")
            }
        }
    }

    @Test("the gradient of an unused output or state is zero, of the input nil when only weights are followed")
    func partialGradients() throws {
        let input = try Self.values([2, 3, 3], seed: 8)
        let kernel = try Self.values([5, 8], seed: 81), bias = try Self.values([8], seed: 82)
        let tape = GradientTape()
        tape.watch(kernel)
        let loss = try tape.record { () throws -> Tensor in
            let (_, state) = try dynamicRNN([.lstm(kernel: kernel, bias: bias)], input: input)
            return try reduceSum(state[0])
        }
        #expect(try tape.gradient(of: loss, withRespectTo: kernel) != nil)
        #expect(try tape.gradient(of: loss, withRespectTo: input) == nil)
        #expect(try tape.gradient(of: loss, withRespectTo: bias) == nil)
    }

    @Test func softmaxCellActivationIsRefusedUnderATape() throws {
        let kernel = try Self.values([5, 2], seed: 90)
        let tape = GradientTape()
        tape.watch(kernel)
        #expect(throws: TensorError.self) {
            try tape.record { _ = try dynamicRNN([.basicRNN(kernel: kernel, bias: Tensor.zeros([2]), activation: .softmax)],
                                                 input: Self.values([2, 3, 3], seed: 91)) }
        }
    }
}
