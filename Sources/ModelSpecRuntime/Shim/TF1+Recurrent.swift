import TFNaming

/// A TF1 cell of `tf.compat.v1.nn.rnn_cell`, as its constructor is called, a
/// `MultiRNNCell` of such cells, or a cell in a wrapper (`DropoutWrapper`, `ResidualWrapper`,
/// `DeviceWrapper`); ``TF1/dynamicRNN(_:_:sequenceLength:initialState:timeMajor:scope:)``
/// makes its variables where TensorFlow does and runs it.
///
///     let (outputs, state) = try tf.dynamicRNN(.lstmCell(numUnits: 128, usePeepholes: true), x,
///                                              sequenceLength: lengths)
public indirect enum RNNCell: Sendable, Equatable {
    case cell(Configuration)
    case multiRNNCell([RNNCell])
    /// `DropoutWrapper(cell, input_keep_prob, output_keep_prob, state_keep_prob, variational_recurrent)`.
    case dropoutWrapper(RNNCell, Dropout)
    /// `ResidualWrapper(cell)`: the output is the cell's input plus its output.
    case residualWrapper(RNNCell)
    /// `DeviceWrapper(cell, device)`: the cell as it is (the device is not used).
    case deviceWrapper(RNNCell, device: String)

    /// A `DropoutWrapper`'s keep probabilities (1: no dropout of that part). As in TensorFlow
    /// there is no training flag: a probability below 1 drops on every call.
    public struct Dropout: Sendable, Equatable {
        public var inputKeepProb: Float
        public var outputKeepProb: Float
        public var stateKeepProb: Float
        /// One mask per call for each part, shared by the batch and every step (`variational_recurrent`).
        public var variationalRecurrent: Bool

        public init(inputKeepProb: Float = 1, outputKeepProb: Float = 1, stateKeepProb: Float = 1,
                    variationalRecurrent: Bool = false) {
            self.inputKeepProb = inputKeepProb
            self.outputKeepProb = outputKeepProb
            self.stateKeepProb = stateKeepProb
            self.variationalRecurrent = variationalRecurrent
        }
    }

    /// `DropoutWrapper(cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
    /// variational_recurrent=False)`: dropout whenever a probability is below 1 (TensorFlow's
    /// wrapper has no training flag); the state's dropout leaves an LSTM's `c` alone.
    public static func dropoutWrapper(_ cell: RNNCell, inputKeepProb: Float = 1, outputKeepProb: Float = 1,
                                      stateKeepProb: Float = 1, variationalRecurrent: Bool = false) -> RNNCell {
        .dropoutWrapper(cell, Dropout(inputKeepProb: inputKeepProb, outputKeepProb: outputKeepProb,
                                      stateKeepProb: stateKeepProb, variationalRecurrent: variationalRecurrent))
    }

    /// One cell's arguments, with TensorFlow's defaults.
    public struct Configuration: Sendable, Equatable {
        public var kind: RNNCellKind
        public var numUnits: Int
        public var forgetBias: Float
        public var usePeepholes: Bool
        public var cellClip: Float?
        public var numProj: Int?
        public var projClip: Float?
        public var activation: Activation

        public init(kind: RNNCellKind, numUnits: Int, forgetBias: Float = 1, usePeepholes: Bool = false,
                    cellClip: Float? = nil, numProj: Int? = nil, projClip: Float? = nil, activation: Activation = .tanh) {
            self.kind = kind
            self.numUnits = numUnits
            self.forgetBias = forgetBias
            self.usePeepholes = usePeepholes
            self.cellClip = cellClip
            self.numProj = numProj
            self.projClip = projClip
            self.activation = activation
        }

        var shape: RNNCellShape { RNNCellShape(kind: kind, units: numUnits, usePeepholes: usePeepholes, numProj: numProj) }
    }

    /// `BasicRNNCell(num_units, activation=tanh)`.
    public static func basicRNNCell(numUnits: Int, activation: Activation = .tanh) -> RNNCell {
        .cell(Configuration(kind: .basicRNN, numUnits: numUnits, activation: activation))
    }

    /// `BasicLSTMCell(num_units, forget_bias=1.0, activation=tanh)`.
    public static func basicLSTMCell(numUnits: Int, forgetBias: Float = 1, activation: Activation = .tanh) -> RNNCell {
        .cell(Configuration(kind: .basicLSTM, numUnits: numUnits, forgetBias: forgetBias, activation: activation))
    }

    /// `LSTMCell(num_units, use_peepholes=False, cell_clip=None, num_proj=None, proj_clip=None, forget_bias=1.0, activation=tanh)`.
    public static func lstmCell(numUnits: Int, usePeepholes: Bool = false, cellClip: Float? = nil, numProj: Int? = nil,
                                projClip: Float? = nil, forgetBias: Float = 1, activation: Activation = .tanh) -> RNNCell {
        .cell(Configuration(kind: .lstm, numUnits: numUnits, forgetBias: forgetBias, usePeepholes: usePeepholes,
                            cellClip: cellClip, numProj: numProj, projClip: projClip, activation: activation))
    }

    /// `GRUCell(num_units, activation=tanh)`.
    public static func gruCell(numUnits: Int, activation: Activation = .tanh) -> RNNCell {
        .cell(Configuration(kind: .gru, numUnits: numUnits, activation: activation))
    }
}

extension TF1 {
    /// `tf.compat.v1.nn.dynamic_rnn(cell, input, sequence_length=, initial_state=, time_major=, scope=)`
    /// (and `static_rnn` on the same steps, which makes the same variables and values):
    /// the cell's variables under `scope` (`rnn` by default) and the cell's own scope,
    /// the outputs, and the final state flattened (`c, h` for an LSTM cell).
    public func dynamicRNN(_ cell: RNNCell, _ input: Tensor, sequenceLength: IndexTensor? = nil,
                           initialState: [Tensor]? = nil, timeMajor: Bool = false,
                           scope: String? = nil) throws -> (outputs: Tensor, state: [Tensor]) {
        var wrappers = 0
        let cells = try variableScope(scope ?? RNNLoopNaming.loopScope) {
            try recurrentCells(cell, inputSize: featureCount(input, op: "dynamic_rnn"), wrappers: &wrappers)
        }
        return try ModelSpecRuntime.dynamicRNN(cells, input: input, sequenceLength: sequenceLength, initialState: initialState,
                                               timeMajor: timeMajor, noise: context.dropoutNoise ?? .from(context))
    }

    /// `tf.compat.v1.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, input, ...)`: the forward
    /// cell's variables under `bidirectional_rnn/fw`, the backward cell's under `bidirectional_rnn/bw`.
    public func bidirectionalDynamicRNN(_ forward: RNNCell, _ backward: RNNCell, _ input: Tensor,
                                        sequenceLength: IndexTensor? = nil, initialStateForward: [Tensor]? = nil,
                                        initialStateBackward: [Tensor]? = nil, timeMajor: Bool = false,
                                        scope: String? = nil) throws
        -> (outputForward: Tensor, outputBackward: Tensor, stateForward: [Tensor], stateBackward: [Tensor]) {
        let features = try featureCount(input, op: "bidirectional_dynamic_rnn")
        var wrappers = 0
        let (fw, bw) = try variableScope(scope ?? RNNLoopNaming.bidirectionalScope) {
            (try variableScope(RNNLoopNaming.forwardScope) { try recurrentCells(forward, inputSize: features, wrappers: &wrappers) },
             try variableScope(RNNLoopNaming.backwardScope) { try recurrentCells(backward, inputSize: features, wrappers: &wrappers) })
        }
        return try ModelSpecRuntime.bidirectionalDynamicRNN(
            forward: fw, backward: bw, input: input, sequenceLength: sequenceLength,
            initialStateForward: initialStateForward, initialStateBackward: initialStateBackward, timeMajor: timeMajor,
            noise: context.dropoutNoise ?? .from(context))
    }

    private func featureCount(_ input: Tensor, op: String) throws -> Int {
        guard input.rank == 3 else {
            throw TensorError(op: op, shapes: [input.shape], reason: "is not a sequence of rank 3")
        }
        return input.shape[2]
    }

    /// Makes (or finds) a cell's variables in its scope and returns the cells with their weights and wrappers.
    /// A wrapper opens no scope: it calls its cell's `__call__` in the scope it is called in. `wrappers`
    /// counts the `DropoutWrapper`s (``DropoutSite/wrapper``).
    private func recurrentCells(_ cell: RNNCell, inputSize: Int, wrappers: inout Int) throws -> RecurrentStack {
        switch cell {
        case .cell(let configuration):
            return .cell(try inCellScope(configuration.kind.baseName) { try recurrentCell(configuration, inputSize: inputSize) })
        case .multiRNNCell(let cells):
            return try inCellScope(RNNLoopNaming.multiCellBaseName) {
                var made: [RecurrentStack] = []
                for (index, inner) in cells.enumerated() {
                    let features = made.last?.outputSize ?? inputSize
                    made.append(try variableScope(RNNLoopNaming.multiCellScope(index)) {
                        try recurrentCells(inner, inputSize: features, wrappers: &wrappers)
                    })
                }
                return .multi(made)
            }
        case .dropoutWrapper(let inner, let d):
            for (name, keep) in [("input_keep_prob", d.inputKeepProb), ("output_keep_prob", d.outputKeepProb),
                                 ("state_keep_prob", d.stateKeepProb)] where !(keep > 0 && keep <= 1) {
                throw TensorError(op: "DropoutWrapper", shapes: [], reason: "cannot use \(name) \(keep): it must be in (0, 1]")
            }
            let index = wrappers
            wrappers += 1
            let wrapped = try recurrentCells(inner, inputSize: inputSize, wrappers: &wrappers)
            return .dropout(wrapped, DropoutWrapping(input: d.inputKeepProb, state: d.stateKeepProb, output: d.outputKeepProb,
                                                     variational: d.variationalRecurrent, wrapper: index))
        case .residualWrapper(let inner):
            return .residual(try recurrentCells(inner, inputSize: inputSize, wrappers: &wrappers))
        case .deviceWrapper(let inner, _):
            return try recurrentCells(inner, inputSize: inputSize, wrappers: &wrappers)
        }
    }

    /// A cell object's first call: `variable_scope(None, default_name: baseName)`.
    private func inCellScope<R>(_ baseName: String, _ body: () throws -> R) throws -> R {
        context.perform(.enterCell(baseName))
        defer { context.perform(.exit) }
        return try body()
    }

    private func recurrentCell(_ c: RNNCell.Configuration, inputSize: Int) throws -> RecurrentCell {
        var values: [Tensor] = []
        for v in c.shape.variables(inputSize: inputSize) {
            let initializer: Initializer = switch v.initialValue {
            case .glorotUniform: .default
            case .zeros: .zeros
            case .ones: .ones
            }
            values.append(try getVariable(v.name, shape: v.shape, initializer: initializer))
        }
        switch c.kind {
        case .basicRNN:
            return try .basicRNN(kernel: values[0], bias: values[1], activation: c.activation)
        case .basicLSTM, .lstm:
            let peepholes = c.kind == .lstm && c.usePeepholes ? (f: values[2], i: values[3], o: values[4]) : nil
            let projection = c.kind == .lstm && c.numProj != nil ? values.last : nil
            return try .lstm(kernel: values[0], bias: values[1], forgetBias: c.forgetBias, activation: c.activation,
                             peepholes: peepholes, cellClip: c.kind == .lstm ? c.cellClip : nil, projection: projection,
                             projectionClip: c.kind == .lstm ? c.projClip : nil)
        case .gru:
            return try .gru(gatesKernel: values[0], gatesBias: values[1], candidateKernel: values[2],
                            candidateBias: values[3], activation: c.activation)
        }
    }
}
