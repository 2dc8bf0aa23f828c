import ModelSpecCompiler
import TFNaming

/// The Swift of a TF1 recurrent loop step: the call of the runtime's `tf.dynamicRNN`
/// or `tf.bidirectionalDynamicRNN` with its cells as their constructors read
/// (`.lstmCell(numUnits: 128, usePeepholes: true)`), arguments equal to TensorFlow's
/// defaults left out.
enum RecurrentLoopTranslation {
    /// The call, given the step's operands as Swift (the input, `sequence_length`, the initial states).
    static func call(_ loop: RecurrentLoop, operands: [String], _ arguments: ArgumentRendering) -> String {
        var next = 1
        var labelled: [String] = []
        if loop.hasSequenceLength {
            labelled.append("sequenceLength: \(operands[1])")
            next = 2
        }
        func states(_ label: String, _ count: Int) {
            guard count > 0 else { return }
            labelled.append("\(label): [" + operands[next..<(next + count)].joined(separator: ", ") + "]")
            next += count
        }
        switch loop.function {
        case .dynamicRNN, .staticRNN:
            states("initialState", loop.initialStateCount)
        case .bidirectionalDynamicRNN:
            states("initialStateForward", loop.initialStateCount)
            states("initialStateBackward", loop.backwardInitialStateCount)
        }
        if loop.timeMajor { labelled.append("timeMajor: true") }
        if let scope = loop.scope { labelled.append("scope: \(SwiftLiteral.string(scope))") }
        let cells = ([loop.cell] + (loop.backwardCell.map { [$0] } ?? [])).map { cell($0, arguments) }
        let function = loop.function == .bidirectionalDynamicRNN ? "bidirectionalDynamicRNN" : "dynamicRNN"
        return "try tf.\(function)(" + (cells + [operands[0]] + labelled).joined(separator: ", ") + ")"
    }

    /// The step's values read from the call's result `r`: outputs, then states.
    static func results(_ loop: RecurrentLoop, of r: String) -> [String] {
        switch loop.function {
        case .dynamicRNN, .staticRNN:
            return ["\(r).outputs"] + (0..<loop.cell.stateCount).map { "\(r).state[\($0)]" }
        case .bidirectionalDynamicRNN:
            return ["\(r).outputForward", "\(r).outputBackward"]
                + (0..<loop.cell.stateCount).map { "\(r).stateForward[\($0)]" }
                + (0..<(loop.backwardCell?.stateCount ?? 0)).map { "\(r).stateBackward[\($0)]" }
        }
    }

    static func cell(_ declaration: RecurrentCellDeclaration, _ arguments: ArgumentRendering) -> String {
        switch declaration {
        case .multi(let cells):
            return ".multiRNNCell([" + cells.map { cell($0, arguments) }.joined(separator: ", ") + "])"
        case .dropout(let inner, let d):
            var passed = [cell(inner, arguments)]
            for (label, keep) in [("inputKeepProb", d.inputKeepProb), ("outputKeepProb", d.outputKeepProb),
                                  ("stateKeepProb", d.stateKeepProb)] where keep != .literal(1) {
                passed.append("\(label): \(arguments.double(keep))")
            }
            if d.variationalRecurrent { passed.append("variationalRecurrent: true") }
            return ".dropoutWrapper(" + passed.joined(separator: ", ") + ")"
        case .residual(let inner):
            return ".residualWrapper(\(cell(inner, arguments)))"
        case .device(let inner, let device):
            return ".deviceWrapper(\(cell(inner, arguments)), device: \(SwiftLiteral.string(device)))"
        case .cell(let a):
            var passed = ["numUnits: \(arguments.int(a.numUnits))"]
            if a.kind == .lstm {
                if a.usePeepholes { passed.append("usePeepholes: true") }
                if let clip = a.cellClip { passed.append("cellClip: \(SwiftLiteral.float(clip))") }
                if let numProj = a.numProj { passed.append("numProj: \(arguments.int(numProj))") }
                if let clip = a.projClip { passed.append("projClip: \(SwiftLiteral.float(clip))") }
            }
            if a.kind.isLSTM, a.forgetBias != 1 { passed.append("forgetBias: \(SwiftLiteral.float(a.forgetBias))") }
            if a.activation != .tanh { passed.append("activation: \(a.activation.swiftCase)") }
            let constructor = switch a.kind {
            case .basicRNN: "basicRNNCell"
            case .basicLSTM: "basicLSTMCell"
            case .lstm: "lstmCell"
            case .gru: "gruCell"
            }
            return ".\(constructor)(" + passed.joined(separator: ", ") + ")"
        }
    }
}
