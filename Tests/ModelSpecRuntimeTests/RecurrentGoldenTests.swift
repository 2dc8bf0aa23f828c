import Foundation
import Testing
@testable import ModelSpecRuntime

/// The recurrent kernels against TensorFlow (Tests/Goldens/recurrent, oracle/recurrent.py):
/// each case's cells are made from its configuration and TensorFlow's variables in
/// creation order, run by the loop the case names, and every output and final
/// state compared within 1e-5.
@Suite struct RecurrentGoldenTests {
    static let directory = Goldens.directory.deletingLastPathComponent().appendingPathComponent("recurrent")

    static var caseNames: [String] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("index.json")),
              let index = try? JSONDecoder().decode(RecurrentIndex.self, from: data) else { return [] }
        // The decoder's case and the chains of layers handing a mask on (`keras_mask_*`) are
        // whole specs, run by the interpreter's tests.
        return index.cases.filter { $0 != "decoder" && !$0.hasPrefix("keras_mask_") }
    }

    @Test func everyGoldenCaseIsListed() {
        #expect(Self.caseNames.count >= 20)
    }

    @Test("each case matches TensorFlow", arguments: caseNames)
    func matchesTensorFlow(name: String) throws {
        let golden = try RecurrentCase(directory: Self.directory.appendingPathComponent(name))
        let results = try golden.run()
        #expect(results.count == golden.outputs.count)
        for (result, expected) in zip(results, golden.outputs) {
            expectClose(result, try golden.tensor(expected.file), "\(name) \(expected.name)")
        }
    }

    @Test func aMaskedStepCarriesTheStateAndRepeatsTheOutput() throws {
        let cell = try RecurrentCell.kerasSimpleRNN(kernel: Tensor(shape: [1, 1], scalars: [1]),
                                                    recurrentKernel: Tensor(shape: [1, 1], scalars: [0.5]), bias: nil)
        let x = try Tensor(shape: [1, 3, 1], scalars: [1, 2, 3])
        let (out, state) = try kerasRecurrent(cell, input: x, mask: IndexTensor(shape: [1, 3], scalars: [1, 0, 1]),
                                              returnSequences: true)
        let h1 = tanhf(1), h3 = tanhf(3 + 0.5 * h1)
        expectClose(out, try Tensor(shape: [1, 3, 1], scalars: [h1, h1, h3]), "outputs")
        expectClose(state[0], try Tensor(shape: [1, 1], scalars: [h3]), "state")
    }

    /// From `RecurrentLoop.rowsForBLAS` sequences on, the state's product is OpenBLAS's GEMM rather
    /// than the packed kernel's without AVX-512, the packed kernel's 16-row tiles with it: on each
    /// path each sequence of a large batch gives what it gives alone.
    @Test func aLargeBatchGivesEachSequenceItsOwnResult() throws {
        let batch = RecurrentLoop.rowsForBLAS + 1, time = 4, features = 3, units = 5
        func values(_ count: Int, _ seed: Float) -> [Float] { (0..<count).map { sinf(Float($0) * 0.37 + seed) * 0.5 } }
        let cells = [try RecurrentCell.lstm(kernel: Tensor(shape: [features + units, 4 * units], scalars: values(160, 1)),
                                            bias: Tensor(shape: [4 * units], scalars: values(20, 2))),
                     try RecurrentCell.gru(gatesKernel: Tensor(shape: [2 * units, 2 * units], scalars: values(100, 3)),
                                           gatesBias: Tensor(shape: [2 * units], scalars: values(10, 4)),
                                           candidateKernel: Tensor(shape: [2 * units, units], scalars: values(50, 5)),
                                           candidateBias: Tensor(shape: [units], scalars: values(5, 6)))]
        let x = try Tensor(shape: [batch, time, features], scalars: values(batch * time * features, 7))
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let all = try dynamicRNN(cells, input: x)
                for b in [0, batch - 1] {
                    let one = try dynamicRNN(cells, input: slice(x, b..<(b + 1)))
                    expectClose(try slice(all.outputs, b..<(b + 1)), one.outputs, "\(instructions): sequence \(b)'s outputs")
                    for (state, alone) in zip(all.state, one.state) {
                        expectClose(try slice(state, b..<(b + 1)), alone, "\(instructions): sequence \(b)'s state")
                    }
                }
            }
        }
    }

    @Test func badShapesAreRefusedWithTheReason() throws {
        let cell = try RecurrentCell.basicRNN(kernel: Tensor.zeros([5, 2]), bias: Tensor.zeros([2]))
        #expect(throws: TensorError.self) { try dynamicRNN([cell], input: Tensor.zeros([2, 4, 4])) }
        do {
            _ = try dynamicRNN([cell], input: Tensor.zeros([2, 4, 3]), sequenceLength: IndexTensor([1, 5]))
            Issue.record("a sequence_length beyond the time steps was accepted")
        } catch let error as TensorError {
            #expect(error.description.contains("sequence_length 5 at 1, outside [0, 4]"))
        }
        #expect(throws: TensorError.self) { try RecurrentCell.lstm(kernel: Tensor.zeros([5, 6]), bias: Tensor.zeros([6])) }
        #expect(throws: TensorError.self) {
            try dynamicRNN([cell], input: Tensor.zeros([2, 4, 3]), initialState: [Tensor.zeros([2, 3])])
        }
    }
}

struct RecurrentIndex: Decodable {
    let cases: [String]
}

/// One case of Tests/Goldens/recurrent.
struct RecurrentCase: Decodable {
    struct File: Decodable { let name: String; let file: String }
    struct Variable: Decodable { let name: String; let shape: [Int]; let file: String }
    /// A `DropoutWrapper`'s noise TensorFlow computed with (Tests/Goldens/rnn_wrappers).
    struct Noise: Decodable { let wrapper: Int; let part: String; let index: Int; let file: String }
    let name: String
    let config: [String: JSONValue]
    let inputs: [File]
    let variables: [Variable]
    let outputs: [File]
    var noise: [Noise]?
    var directory = URL(fileURLWithPath: "/")

    enum CodingKeys: String, CodingKey { case name, config, inputs, variables, outputs, noise }

    init(directory: URL) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: directory.appendingPathComponent("case.json")))
        self.directory = directory
    }

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: directory.appendingPathComponent(file))
    }

    func input(_ name: String) throws -> Tensor {
        guard let file = inputs.first(where: { $0.name == name }) else { throw GoldenError("\(self.name): no input \(name)") }
        return try tensor(file.file)
    }

    func ids(_ name: String) throws -> IndexTensor {
        guard let file = inputs.first(where: { $0.name == name }) else { throw GoldenError("\(self.name): no input \(name)") }
        return try NumPy.readIndexTensor(contentsOf: directory.appendingPathComponent(file.file))
    }

    /// The `DropoutWrapper`s' noise of the case, as TensorFlow's wrappers drew it.
    func recordedNoise() throws -> DropoutNoise {
        var recorded: [DropoutSite: Tensor] = [:]
        for n in noise ?? [] {
            guard let part = DropoutSite.Part(rawValue: n.part) else { throw GoldenError("\(name): noise part \(n.part)") }
            recorded[DropoutSite(wrapper: n.wrapper, part: part, index: n.index)] = try tensor(n.file)
        }
        return DropoutNoise { site, shape in
            guard let tensor = recorded[site] else { throw GoldenError("\(name): no noise for \(site) \(shape)") }
            return tensor
        }
    }

    /// Runs the case's loop on its inputs: outputs then flat final states, as the golden lists them.
    func run() throws -> [Tensor] {
        var weights = WeightQueue(case: self)
        var wrappers = 0
        let noise = try recordedNoise()
        let initial = try config["initial_state"]?.strings.map { try $0.map(input) }
        let initialState = initial?.isEmpty == false ? initial : nil
        switch config["api"]?.string {
        case "dynamic_rnn", "static_rnn":
            let cells = try tf1Stack(config["cell"]!, &weights, wrappers: &wrappers)
            let lengths = config["sequence_length"]?.bool == true ? try ids("lengths") : nil
            let (outputs, state) = try dynamicRNN(cells, input: input("x"), sequenceLength: lengths, initialState: initialState,
                                                  timeMajor: config["time_major"]?.bool ?? false, noise: noise)
            return [outputs] + state
        case "bidirectional_dynamic_rnn":
            guard case .array(let pair)? = config["cell"], pair.count == 2 else { throw GoldenError("\(name): no cell pair") }
            let fw = try tf1Stack(pair[0], &weights, wrappers: &wrappers), bw = try tf1Stack(pair[1], &weights, wrappers: &wrappers)
            let lengths = config["sequence_length"]?.bool == true ? try ids("lengths") : nil
            let r = try bidirectionalDynamicRNN(forward: fw, backward: bw, input: input("x"), sequenceLength: lengths,
                                                timeMajor: config["time_major"]?.bool ?? false, noise: noise)
            return [r.outputForward, r.outputBackward] + r.stateForward + r.stateBackward
        case "keras":
            var x: Tensor
            var mask: IndexTensor?
            if case .object(let embedding)? = config["embedding"] {
                let ids = try ids("x")
                x = try embeddingLookup(weights.next("embeddings"), ids: ids)
                if embedding["mask_zero"]?.bool == true { mask = ids }
            } else {
                x = try input(config["calls"]?.strings?.first ?? "x")
            }
            guard case .object(let arguments)? = config["arguments"] else { throw GoldenError("\(name): no arguments") }
            let cell = try kerasCell(config["layer"]?.string ?? "", arguments, &weights)
            func call(_ x: Tensor, from initialState: [Tensor]?) throws -> (results: [Tensor], state: [Tensor]) {
                let (output, state) = try kerasRecurrent(cell, input: x, initialState: initialState, mask: mask,
                                                         returnSequences: arguments["return_sequences"]?.bool ?? false,
                                                         goBackwards: arguments["go_backwards"]?.bool ?? false)
                return ([output] + (arguments["return_state"]?.bool == true ? state : []), state)
            }
            // A stateful layer's calls (`x_0`, `x_1`, `reset`, ...): each from the last one's final state.
            guard let calls = config["calls"]?.strings else { return try call(x, from: initialState).results }
            var results: [Tensor] = [], kept: [Tensor]?
            for name in calls {
                if name == "reset" { kept = nil; continue }
                let (made, state) = try call(input(name), from: kept)
                results += made
                kept = state
            }
            return results
        default:
            throw GoldenError("\(name): unknown api")
        }
    }

    /// The cells of a configuration with their wrappers; `wrappers` counts the `DropoutWrapper`s, depth first.
    private func tf1Stack(_ config: JSONValue, _ weights: inout WeightQueue, wrappers: inout Int) throws -> RecurrentStack {
        guard case .object(let object) = config, let (kind, arguments) = object.first else { throw GoldenError("\(name): bad cell") }
        if kind == "MultiRNNCell", case .array(let cells) = arguments {
            return .multi(try cells.map { try tf1Stack($0, &weights, wrappers: &wrappers) })
        }
        guard case .object(let a) = arguments else { throw GoldenError("\(name): bad cell arguments") }
        switch kind {
        case "DropoutWrapper":
            let index = wrappers
            wrappers += 1
            let inner = try tf1Stack(a["cell"]!, &weights, wrappers: &wrappers)
            return .dropout(inner, DropoutWrapping(input: a["input_keep_prob"]?.float ?? 1, state: a["state_keep_prob"]?.float ?? 1,
                                                   output: a["output_keep_prob"]?.float ?? 1,
                                                   variational: a["variational_recurrent"]?.bool ?? false, wrapper: index))
        case "ResidualWrapper":
            return .residual(try tf1Stack(a["cell"]!, &weights, wrappers: &wrappers))
        case "DeviceWrapper":
            return try tf1Stack(a["cell"]!, &weights, wrappers: &wrappers)
        default:
            return .cell(try tf1Cell(kind, a, &weights))
        }
    }

    private func tf1Cell(_ kind: String, _ a: [String: JSONValue], _ weights: inout WeightQueue) throws -> RecurrentCell {
        let activation: Activation = a["activation"]?.string == "relu" ? .relu : .tanh
        switch kind {
        case "BasicRNNCell":
            return try .basicRNN(kernel: weights.next("kernel"), bias: weights.next("bias"), activation: activation)
        case "BasicLSTMCell", "LSTMCell":
            let kernel = try weights.next("kernel"), bias = try weights.next("bias")
            let peepholes = a["use_peepholes"]?.bool == true
                ? (f: try weights.next("w_f_diag"), i: try weights.next("w_i_diag"), o: try weights.next("w_o_diag")) : nil
            let projection = a["num_proj"] == nil ? nil : try weights.next("projection/kernel")
            return try .lstm(kernel: kernel, bias: bias, forgetBias: a["forget_bias"]?.float ?? 1, activation: activation,
                             peepholes: peepholes, cellClip: a["cell_clip"]?.float, projection: projection,
                             projectionClip: a["proj_clip"]?.float)
        case "GRUCell":
            return try .gru(gatesKernel: weights.next("gates/kernel"), gatesBias: weights.next("gates/bias"),
                            candidateKernel: weights.next("candidate/kernel"), candidateBias: weights.next("candidate/bias"),
                            activation: activation)
        default:
            throw GoldenError("\(name): unknown cell \(kind)")
        }
    }

    private func kerasCell(_ layer: String, _ a: [String: JSONValue], _ weights: inout WeightQueue) throws -> RecurrentCell {
        let kernel = try weights.next("kernel"), recurrent = try weights.next("recurrent_kernel")
        let bias = a["use_bias"]?.bool == false ? nil : try weights.next("bias")
        let activation: Activation = a["activation"]?.string == "relu" ? .relu : .tanh
        switch layer {
        case "SimpleRNN": return try .kerasSimpleRNN(kernel: kernel, recurrentKernel: recurrent, bias: bias, activation: activation)
        case "LSTM": return try .kerasLSTM(kernel: kernel, recurrentKernel: recurrent, bias: bias, activation: activation)
        case "GRU":
            return try .kerasGRU(kernel: kernel, recurrentKernel: recurrent, bias: bias,
                                 resetAfter: a["reset_after"]?.bool ?? true, activation: activation)
        default: throw GoldenError("\(name): unknown layer \(layer)")
        }
    }
}

/// The case's variables in creation order, each taken by the name TensorFlow ends it with.
struct WeightQueue {
    let `case`: RecurrentCase
    var position = 0

    mutating func next(_ suffix: String) throws -> Tensor {
        guard position < `case`.variables.count else { throw GoldenError("\(`case`.name): no variable left for \(suffix)") }
        let variable = `case`.variables[position]
        guard variable.name.hasSuffix("/" + suffix) else {
            throw GoldenError("\(`case`.name): variable \(position) is \(variable.name), expected .../\(suffix)")
        }
        position += 1
        return try `case`.tensor(variable.file)
    }
}

extension JSONValue {
    var strings: [String]? { if case .array(let a) = self { return a.compactMap(\.string) } else { return nil } }
}
