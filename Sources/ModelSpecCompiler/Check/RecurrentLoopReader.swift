import LocatedYAML
import TFNaming

extension StepChecker {
    /// `dynamic_rnn: {cell, input, sequence_length, initial_state, time_major, scope}`, `static_rnn` (the
    /// same keys; the input is one tensor, unstacked along time), `bidirectional_dynamic_rnn`
    /// (`cell_fw`, `cell_bw`, `initial_state_fw`, `initial_state_bw`).
    mutating func recurrentLoop(_ function: RecurrentLoop.Function, _ arguments: YAMLNode?,
                                _ at: YAMLNode) -> (Operation, [String], Int, String)? {
        let op = function.rawValue
        guard let arguments, let entries = reader.mapping(arguments, "the arguments of \(op)") else {
            if arguments == nil { reader.error(at, "\(op) needs its cell, such as \(op): {cell: {LSTMCell: {num_units: 128}}}") }
            return nil
        }
        let bidirectional = function == .bidirectionalDynamicRNN
        let cellKeys = bidirectional ? ["cell_fw", "cell_bw"] : ["cell"]
        let stateKeys = bidirectional ? ["initial_state_fw", "initial_state_bw"] : ["initial_state"]
        reader.rejectUnknownKeys(entries, allowed: cellKeys + stateKeys + ["input", "sequence_length", "time_major", "scope"], in: op)
        var cells: [RecurrentCellDeclaration] = []
        for key in cellKeys {
            guard let node = arguments[key] else {
                reader.error(arguments, "\(op) needs '\(key)', a cell such as {LSTMCell: {num_units: 128}}")
                return nil
            }
            guard let cell = recurrentCell(node) else { return nil }
            cells.append(cell)
        }
        guard let input = implicitOperand(arguments["input"], at: at, op: op) else { return nil }
        var operands = [input]
        if let node = arguments["sequence_length"] {
            guard let lengths = valueReference(node) else { return nil }
            operands.append(lengths)
        }
        var stateCounts: [Int] = []
        for (key, cell) in zip(stateKeys, cells) {
            guard let node = arguments[key] else { stateCounts.append(0); continue }
            let items = node.sequence ?? [node]
            guard items.count == cell.stateCount else {
                reader.error(node, "\(key) has \(items.count) tensor\(items.count == 1 ? "" : "s"), but the cell's state has \(cell.stateCount) (an LSTM cell's state is c, then h; a MultiRNNCell's is each cell's in turn)")
                return nil
            }
            for item in items {
                guard let value = valueReference(item) else { return nil }
                operands.append(value)
            }
            stateCounts.append(items.count)
        }
        let timeMajor = arguments["time_major"].flatMap { reader.bool($0, "time_major") } ?? false
        var scope: String?
        if let node = arguments["scope"] {
            guard let text = reader.string(node, "scope"), reader.requireTensorFlowName(text, "scope name", at: node) else { return nil }
            if text.isEmpty || text.contains("/") {
                reader.error(node, "a scope name must be a non-empty name without '/'")
                return nil
            }
            scope = text
        }
        let loop = RecurrentLoop(function: function, cell: cells[0], backwardCell: bidirectional ? cells[1] : nil,
                                 timeMajor: timeMajor, scope: scope, hasSequenceLength: arguments["sequence_length"] != nil,
                                 initialStateCount: stateCounts.first ?? 0, backwardInitialStateCount: stateCounts.dropFirst().first ?? 0)
        let results = loop.outputCount + cells.reduce(0) { $0 + $1.stateCount }
        return (.recurrent(loop), operands, results, "the output of \(op)")
    }

    /// `{LSTMCell: {num_units: 128, ...}}`, `{MultiRNNCell: [cells]}` or a wrapper,
    /// `{DropoutWrapper: {cell: ..., output_keep_prob: 0.8}}`.
    private mutating func recurrentCell(_ node: YAMLNode) -> RecurrentCellDeclaration? {
        let classes = RNNCellKind.allCases.map(\.rawValue) + ["MultiRNNCell"] + Self.wrapperClasses
        guard let entries = node.mapping, entries.count == 1, let className = entries[0].key.scalar?.text else {
            reader.error(node, "a cell is one class with its arguments, such as {LSTMCell: {num_units: 128}} or {MultiRNNCell: [cells]}")
            return nil
        }
        let value = entries[0].value
        if Self.wrapperClasses.contains(className) { return wrapper(className, value) }
        if className == "MultiRNNCell" {
            guard let items = value.sequence, !items.isEmpty else {
                reader.error(value, "MultiRNNCell needs a list of cells, such as [{LSTMCell: {num_units: 128}}, {LSTMCell: {num_units: 128}}]")
                return nil
            }
            var cells: [RecurrentCellDeclaration] = []
            for item in items {
                guard let cell = recurrentCell(item) else { return nil }
                cells.append(cell)
            }
            return .multi(cells)
        }
        guard let kind = RNNCellKind(rawValue: className) else {
            reader.error(entries[0].key, "unknown cell class '\(className)'" + Suggestion.didYouMean(className, among: classes))
            return nil
        }
        guard let arguments = reader.mapping(value, "the arguments of \(className)") else { return nil }
        reader.rejectUnknownKeys(arguments, allowed: RecurrentCellArguments.keys(kind), in: className)
        guard let unitsNode = value["num_units"] else {
            reader.error(value, "\(className) needs 'num_units'")
            return nil
        }
        guard let units = reader.intExpr(unitsNode, "num_units") else { return nil }
        reader.requirePositive(unitsNode, "num_units")
        var cell = RecurrentCellArguments(kind: kind, numUnits: units)
        let allowed = RecurrentCellArguments.keys(kind)
        for entry in arguments {
            guard let key = entry.key.scalar?.text, allowed.contains(key) else { continue }
            let v = entry.value
            switch key {
            case "forget_bias": cell.forgetBias = reader.double(v, key) ?? 1
            case "use_peepholes": cell.usePeepholes = reader.bool(v, key) ?? false
            case "cell_clip": cell.cellClip = reader.double(v, key)
            case "proj_clip": cell.projClip = reader.double(v, key)
            case "num_proj":
                cell.numProj = reader.intExpr(v, key)
                reader.requirePositive(v, key)
            case "activation": cell.activation = reader.activation(v) ?? .tanh
            default: break
            }
        }
        return .cell(cell)
    }

    static let wrapperClasses = ["DropoutWrapper", "ResidualWrapper", "DeviceWrapper"]

    /// `{DropoutWrapper: {cell, input_keep_prob, output_keep_prob, state_keep_prob, variational_recurrent,
    /// input_size, dtype, seed}}`, `{ResidualWrapper: {cell}}`, `{DeviceWrapper: {cell, device}}`.
    private mutating func wrapper(_ className: String, _ value: YAMLNode) -> RecurrentCellDeclaration? {
        guard let arguments = reader.mapping(value, "the arguments of \(className)") else { return nil }
        let allowed = switch className {
        case "DropoutWrapper": DropoutWrapperArguments.keys
        case "DeviceWrapper": ["cell", "device"]
        default: ["cell"]
        }
        reader.rejectUnknownKeys(arguments, allowed: allowed, in: className)
        guard let cellNode = value["cell"] else {
            reader.error(value, "\(className) needs 'cell', the cell it wraps, such as {cell: {LSTMCell: {num_units: 128}}}")
            return nil
        }
        guard let cell = recurrentCell(cellNode) else { return nil }
        switch className {
        case "ResidualWrapper":
            return .residual(cell)
        case "DeviceWrapper":
            guard let node = value["device"] else {
                reader.error(value, "DeviceWrapper needs 'device', such as device: /cpu:0")
                return nil
            }
            guard let device = reader.string(node, "device") else { return nil }
            return .device(cell, device: device)
        default:
            var d = DropoutWrapperArguments()
            for (key, path) in [("input_keep_prob", \DropoutWrapperArguments.inputKeepProb),
                                ("output_keep_prob", \.outputKeepProb), ("state_keep_prob", \.stateKeepProb)] {
                guard let node = value[key] else { continue }
                guard let keep = reader.doubleExpr(node, key) else { return nil }
                if case .literal(let p) = keep {
                    guard p > 0, p <= 1 else {
                        reader.error(node, "\(key) must be in (0, 1] (1 keeps everything), not \(p)")
                        return nil
                    }
                    if p < 1 {
                        reader.diagnostics.warning(node.location, "\(key) \(p) drops on every call, in inference too: TensorFlow's DropoutWrapper has no training flag; write it as a $param and make the model with 1.0 for inference")
                    }
                }
                d[keyPath: path] = keep
            }
            d.variationalRecurrent = value["variational_recurrent"].flatMap { reader.bool($0, "variational_recurrent") } ?? false
            if let node = value["input_size"] {
                guard let size = reader.intExpr(node, "input_size") else { return nil }
                reader.requirePositive(node, "input_size")
                d.inputSize = size
            }
            if let node = value["dtype"] {
                guard let dtype = reader.dtype(node) else { return nil }
                if dtype != .float32 {
                    reader.error(node, "a DropoutWrapper's dtype is the loop's, float32, not \(dtype.rawValue)")
                    return nil
                }
            } else if d.variationalRecurrent {
                reader.error(value, "When variational_recurrent=True, dtype must be provided (TensorFlow's DropoutWrapper refuses it without): add dtype: float32")
                return nil
            }
            if let node = value["seed"] { d.seed = reader.int(node, "seed") }
            return .dropout(cell, d)
        }
    }
}
