import Foundation
import Testing
@testable import ModelSpecRuntime

/// TF1's cell wrappers in the runtime: `DropoutWrapper`'s masks against TensorFlow with its noise
/// injected (Tests/Goldens/rnn_wrappers, oracle/rnn_wrappers.py: variational masks, one `[1, width]`
/// mask per part for the whole batch and every step), the non-variational masks (a fresh mask per
/// step and sequence) against the loop run one step at a time, dropout without a training flag,
/// the wrappers' refusals, and gradients through wrapped cells against finite differences. Names and values with keep probabilities of 1 and `ResidualWrapper`
/// are Tests/Goldens/recurrent's `wrapper_*` cases (RecurrentGoldenTests, RecurrentSpecGoldenTests).
@Suite struct DropoutWrapperTests {
    static let directory = Goldens.directory.deletingLastPathComponent().appendingPathComponent("rnn_wrappers")

    static var caseNames: [String] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("index.json")),
              let index = try? JSONDecoder().decode(RecurrentIndex.self, from: data) else { return [] }
        return index.cases
    }

    @Test func theGoldensAreThere() {
        #expect(Self.caseNames.count >= 2)
    }

    @Test("TensorFlow's variational masks give TensorFlow's outputs and states", arguments: caseNames)
    func variationalMasksMatchTensorFlow(name: String) throws {
        let golden = try RecurrentCase(directory: Self.directory.appendingPathComponent(name))
        #expect(golden.noise?.isEmpty == false)
        let results = try golden.run()
        #expect(results.count == golden.outputs.count)
        for (result, expected) in zip(results, golden.outputs) {
            expectClose(result, try golden.tensor(expected.file), "\(name) \(expected.name)")
        }
    }

    /// The shim's cells: the wrappers open no scope (TensorFlow's names) and are counted depth first
    /// as the golden's noise is.
    @Test func theShimMakesTensorFlowsNamesAndMasks() throws {
        let golden = try RecurrentCase(directory: Self.directory.appendingPathComponent("variational_multi"))
        var values: [String: Tensor] = [:]
        for v in golden.variables { values[v.name] = try golden.tensor(v.file) }
        let cell = RNNCell.multiRNNCell([
            .dropoutWrapper(.lstmCell(numUnits: 5), inputKeepProb: 0.7, outputKeepProb: 0.8, stateKeepProb: 0.6,
                            variationalRecurrent: true),
            .deviceWrapper(.dropoutWrapper(.gruCell(numUnits: 3), outputKeepProb: 0.9, stateKeepProb: 0.5,
                                           variationalRecurrent: true), device: "/cpu:0"),
        ])
        let context = CallContext(initialValues: values)
        context.dropoutNoise = try golden.recordedNoise()
        let r = try ShimStore().call(context: context) { tf in
            try tf.dynamicRNN(cell, golden.input("x"), sequenceLength: golden.ids("lengths"))
        }
        #expect(context.created.map(\.name) == golden.variables.map(\.name))
        for (result, expected) in zip([r.outputs] + r.state, golden.outputs) {
            expectClose(result, try golden.tensor(expected.file), "shim \(expected.name)")
        }
    }

    /// Without `variational_recurrent` every step draws its own masks for every sequence (`tf.nn.dropout`
    /// in each step): the loop equals the cell run one step at a time with the input, the output and
    /// the `h` it hands on each multiplied by that step's mask (an LSTM's `c` kept). From 16 sequences
    /// an LSTM's loop has a faster path of its own (`lstmBatchStepsApply`), and so has one sequence of
    /// 16 units (`fusedRowMath`): both must give way to the mask.
    @Test(arguments: [(3, 3), (17, 3), (1, 16)])
    func aFreshMaskEveryStepEqualsTheStepByStepLoop(batch: Int, units: Int) throws {
        let time = 4, features = 2
        func values(_ count: Int, _ seed: Float) -> [Float] { (0..<count).map { sinf(Float($0) * 0.71 + seed) * 0.6 } }
        let cell = try RecurrentCell.lstm(kernel: Tensor(shape: [features + units, 4 * units], scalars: values((features + units) * 4 * units, 1)),
                                          bias: Tensor(shape: [4 * units], scalars: values(4 * units, 2)))
        let x = try Tensor(shape: [batch, time, features], scalars: values(batch * time * features, 3))
        let keep: (input: Float, state: Float, output: Float) = (0.6, 0.5, 0.75)
        var asked: [DropoutSite: [Int]] = [:]
        let noise = DropoutNoise { site, shape in
            asked[site] = shape
            let salt = Float(["input": 0, "state": 1, "output": 2][site.part.rawValue]!) + Float(site.index)
            return try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { fmodf(Float($0) * 0.618 + salt * 0.31, 1) })
        }
        let stack = RecurrentStack.dropout(.cell(cell), DropoutWrapping(input: keep.input, state: keep.state, output: keep.output,
                                                                        variational: false, wrapper: 0))
        let wrapped = try dynamicRNN(stack, input: x, noise: noise)
        #expect(asked == [DropoutSite(wrapper: 0, part: .input): [time * batch, features],
                          DropoutSite(wrapper: 0, part: .state, index: 1): [time * batch, units],
                          DropoutSite(wrapper: 0, part: .output): [time * batch, units]])

        // The masks as the loop made them: rows of the input's layout (batch-major), the state's by step.
        let inputMask = try noise.mask(DropoutSite(wrapper: 0, part: .input), keep: keep.input, shape: [time * batch, features])
        let stateMask = try noise.mask(DropoutSite(wrapper: 0, part: .state, index: 1), keep: keep.state, shape: [time * batch, units])
        let outputMask = try noise.mask(DropoutSite(wrapper: 0, part: .output), keep: keep.output, shape: [time * batch, units])
        let droppedInput = try multiply(x, reshape(inputMask, x.shape))
        var state = [try Tensor.zeros([batch, units]), try Tensor.zeros([batch, units])]
        var outputs: [Tensor] = []
        for t in 0..<time {
            let step = try dynamicRNN([cell], input: slice(droppedInput, t..<(t + 1), axis: 1), initialState: state)
            outputs.append(step.outputs)
            let h = try multiply(reshape(step.state[1], [batch, units]),
                                 reshape(slice(stateMask, (t * batch)..<((t + 1) * batch)), [batch, units]))
            state = [step.state[0], h]
        }
        let expected = try multiply(concat(outputs, axis: 1), reshape(outputMask, [batch, time, units]))
        expectClose(wrapped.outputs, expected, "outputs")
        expectClose(wrapped.state[0], state[0], "c (never dropped)")
        expectClose(wrapped.state[1], state[1], "h as dropped at the last step")
        // Masks of different steps differ (not one mask reused).
        let firstRows = Array(stateMask.scalars[0..<(batch * units)]), secondRows = Array(stateMask.scalars[(batch * units)..<(2 * batch * units)])
        #expect(firstRows != secondRows)
    }

    /// TensorFlow's wrapper has no training flag: a keep probability below 1 drops in every call.
    /// Kept elements are the plain loop's divided by the keep probability; a variational mask is one
    /// pattern for every sequence and step, the others are drawn for each element.
    @Test func dropoutIsOnInEveryCallAndScalesWhatItKeeps() throws {
        let x = try Tensor(shape: [64, 6, 3], scalars: (0..<(64 * 18)).map { sinf(Float($0) * 0.37) })
        func run(_ cell: RNNCell) throws -> Tensor {
            let context = CallContext(training: false, seed: 7, initialValues: [
                "rnn/gru_cell/gates/kernel": try Tensor(shape: [11, 16], scalars: (0..<176).map { cosf(Float($0)) * 0.4 }),
                "rnn/gru_cell/candidate/kernel": try Tensor(shape: [11, 8], scalars: (0..<88).map { sinf(Float($0) * 1.3) * 0.4 }),
            ])
            return try ShimStore().call(context: context) { tf in try tf.dynamicRNN(cell, x).outputs }
        }
        let plain = try run(.gruCell(numUnits: 8))
        for variational in [false, true] {
            let dropped = try run(.dropoutWrapper(.gruCell(numUnits: 8), outputKeepProb: 0.5, variationalRecurrent: variational))
            var zeros = 0
            var patterns = Set<[Bool]>()
            for row in 0..<(64 * 6) {
                var pattern: [Bool] = []
                for k in 0..<8 {
                    let d = dropped.scalars[row * 8 + k], p = plain.scalars[row * 8 + k]
                    pattern.append(d == 0)
                    if d == 0 { zeros += 1 } else { #expect(abs(d - 2 * p) <= 1e-5, "kept \(d), plain \(p)") }
                }
                patterns.insert(pattern)
            }
            let fraction = Double(zeros) / Double(64 * 6 * 8)
            #expect(variational ? patterns.count == 1 : patterns.count > 100, "\(patterns.count) mask patterns")
            if !variational { #expect(abs(fraction - 0.5) < 0.05, "dropped \(fraction)") }
        }
    }

    @Test func wrappersRefuseWhatTensorFlowRefuses() throws {
        let x = try Tensor.zeros([2, 3, 4])
        func run(_ cell: RNNCell) throws {
            _ = try ShimStore().call(context: CallContext()) { tf in try tf.dynamicRNN(cell, x) }
        }
        do {
            try run(.residualWrapper(.gruCell(numUnits: 3)))
            Issue.record("a residual sum of 4 and 3 features was accepted")
        } catch let error as TensorError {
            #expect(error.description.contains("Shapes (2, 4) and (2, 3) are incompatible"), "\(error)")
        }
        #expect(throws: TensorError.self) { try run(.dropoutWrapper(.gruCell(numUnits: 3), outputKeepProb: 1.5)) }
        #expect(throws: TensorError.self) { try run(.dropoutWrapper(.gruCell(numUnits: 3), inputKeepProb: 0)) }
    }

    /// No steps or no sequences: zero outputs and the initial state, no crash.
    @Test func emptySequencesRunThroughWrappers() throws {
        let cell = RNNCell.residualWrapper(.dropoutWrapper(.lstmCell(numUnits: 4), inputKeepProb: 0.5, outputKeepProb: 0.5,
                                                           stateKeepProb: 0.5))
        for shape in [[2, 0, 4], [0, 3, 4]] {
            let r = try ShimStore().call(context: CallContext()) { tf in try tf.dynamicRNN(cell, Tensor.zeros(shape)) }
            #expect(r.outputs.shape == [shape[0], shape[1], 4])
            #expect(r.state.map(\.shape) == [[shape[0], 4], [shape[0], 4]])
        }
    }

    static let wrappedCells: [RNNCell] = [
        .dropoutWrapper(.lstmCell(numUnits: 3, numProj: 2), inputKeepProb: 0.7, outputKeepProb: 0.6, stateKeepProb: 0.5),
        .multiRNNCell([.dropoutWrapper(.gruCell(numUnits: 3), stateKeepProb: 0.6, variationalRecurrent: true),
                       .residualWrapper(.dropoutWrapper(.basicRNNCell(numUnits: 3), inputKeepProb: 0.8, stateKeepProb: 0.7))]),
        .dropoutWrapper(.multiRNNCell([.basicLSTMCell(numUnits: 2), .gruCell(numUnits: 3)]), outputKeepProb: 0.7,
                        stateKeepProb: 0.6, variationalRecurrent: true),
    ]

    /// With the masks fixed (the same noise on every call), the gradients of the outputs and final
    /// states of wrapped cells, state dropout inside the loop included, agree with finite differences.
    @Test("wrapped cells' gradients against finite differences", arguments: wrappedCells)
    func wrappedCellsHaveTheirGradients(_ cell: RNNCell) throws {
        let store = ShimStore()
        let input = try RecurrentLoopGradientTests.values([3, 4, 3], seed: 5)
        let lengths = IndexTensor([4, 1, 3])
        let noise = DropoutNoise { site, shape in
            let salt = Float(site.wrapper * 3 + ["input": 0, "state": 1, "output": 2][site.part.rawValue]! + site.index * 5)
            return try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { fmodf(Float($0) * 0.618 + salt * 0.377, 1) })
        }
        func run(_ x: Tensor, _ context: CallContext) throws -> [Tensor] {
            context.dropoutNoise = noise
            let (outputs, state) = try store.call(context: context) { tf in try tf.dynamicRNN(cell, x, sequenceLength: lengths) }
            return [outputs] + state
        }
        _ = try run(input, CallContext())
        let variables = store.variables.filter(\.trainable)
        for (k, variable) in variables.enumerated() { try variable.assign(RecurrentLoopGradientTests.values(variable.shape, seed: 50 + k)) }
        let report = try GradientCheck.compare(at: [input] + variables.map(\.value)) { t in
            try run(t[0], CallContext(substituting: Dictionary(uniqueKeysWithValues: zip(variables.map(\.name), t.dropFirst()))))
        }
        RecurrentLoopGradientTests.expectAgree(report, "\(cell)")
    }
}
