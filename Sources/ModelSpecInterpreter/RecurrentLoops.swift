import ModelSpecCompiler
import ModelSpecRuntime

/// Runs a TF1 recurrent loop step through the runtime's TF1 shim.
enum RecurrentLoops {
    /// The loop's outputs, then its final states flattened. `lengths` is the integer `sequence_length` as given.
    static func run(_ loop: RecurrentLoop, _ inputs: [Tensor], lengths given: Int64Tensor?,
                    bindings: Bindings, tf: TF1) throws -> [Tensor] {
        var next = 1
        var lengths: IndexTensor?
        if let given {
            lengths = IndexTensor(given)
            next = 2
        }
        func states(_ count: Int) -> [Tensor]? {
            defer { next += count }
            return count == 0 ? nil : Array(inputs[next..<(next + count)])
        }
        let initial = states(loop.initialStateCount)
        let cell = try rnnCell(loop.cell, bindings)
        switch loop.function {
        case .dynamicRNN, .staticRNN:
            let (outputs, state) = try tf.dynamicRNN(cell, inputs[0], sequenceLength: lengths, initialState: initial,
                                                     timeMajor: loop.timeMajor, scope: loop.scope)
            return [outputs] + state
        case .bidirectionalDynamicRNN:
            guard let backward = loop.backwardCell else { throw InterpreterError("bidirectional_dynamic_rnn has no backward cell") }
            let r = try tf.bidirectionalDynamicRNN(cell, rnnCell(backward, bindings), inputs[0], sequenceLength: lengths,
                                                   initialStateForward: initial,
                                                   initialStateBackward: states(loop.backwardInitialStateCount),
                                                   timeMajor: loop.timeMajor, scope: loop.scope)
            return [r.outputForward, r.outputBackward] + r.stateForward + r.stateBackward
        }
    }

    static func rnnCell(_ declaration: RecurrentCellDeclaration, _ bindings: Bindings) throws -> RNNCell {
        switch declaration {
        case .multi(let cells):
            return .multiRNNCell(try cells.map { try rnnCell($0, bindings) })
        case .dropout(let cell, let d):
            return .dropoutWrapper(try rnnCell(cell, bindings), inputKeepProb: Float(try bindings.double(d.inputKeepProb)),
                                   outputKeepProb: Float(try bindings.double(d.outputKeepProb)),
                                   stateKeepProb: Float(try bindings.double(d.stateKeepProb)),
                                   variationalRecurrent: d.variationalRecurrent)
        case .residual(let cell):
            return .residualWrapper(try rnnCell(cell, bindings))
        case .device(let cell, let device):
            return .deviceWrapper(try rnnCell(cell, bindings), device: device)
        case .cell(let a):
            return .cell(RNNCell.Configuration(
                kind: a.kind, numUnits: try bindings.int(a.numUnits), forgetBias: Float(a.forgetBias),
                usePeepholes: a.usePeepholes, cellClip: a.cellClip.map(Float.init), numProj: try a.numProj.map(bindings.int),
                projClip: a.projClip.map(Float.init), activation: try activation(a.activation)))
        }
    }
}
