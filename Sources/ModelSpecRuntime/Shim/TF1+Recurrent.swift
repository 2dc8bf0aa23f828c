import TFNaming

/// A TF1 cell of `tf.compat.v1.nn.rnn_cell`, as its constructor is called, or a
/// `MultiRNNCell` of such cells; ``TF1/dynamicRNN(_:_:sequenceLength:initialState:timeMajor:scope:)``
/// makes its variables where TensorFlow does and runs it.
///
///     let (outputs, state) = try tf.dynamicRNN(.lstmCell(numUnits: 128, usePeepholes: true), x,
///                                              sequenceLength: lengths)
public indirect enum RNNCell: Sendable, Equatable {
    case cell(Configuration)
    case multiRNNCell([RNNCell])

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
        let cells = try variableScope(scope ?? RNNLoopNaming.loopScope) {
            try recurrentCells(cell, inputSize: featureCount(input, op: "dynamic_rnn"))
        }
        return try ModelSpecRuntime.dynamicRNN(cells, input: input, sequenceLength: sequenceLength,
                                               initialState: initialState, timeMajor: timeMajor)
    }

    /// `tf.compat.v1.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, input, ...)`: the forward
    /// cell's variables under `bidirectional_rnn/fw`, the backward cell's under `bidirectional_rnn/bw`.
    public func bidirectionalDynamicRNN(_ forward: RNNCell, _ backward: RNNCell, _ input: Tensor,
                                        sequenceLength: IndexTensor? = nil, initialStateForward: [Tensor]? = nil,
                                        initialStateBackward: [Tensor]? = nil, timeMajor: Bool = false,
                                        scope: String? = nil) throws
        -> (outputForward: Tensor, outputBackward: Tensor, stateForward: [Tensor], stateBackward: [Tensor]) {
        let features = try featureCount(input, op: "bidirectional_dynamic_rnn")
        let (fw, bw) = try variableScope(scope ?? RNNLoopNaming.bidirectionalScope) {
            (try variableScope(RNNLoopNaming.forwardScope) { try recurrentCells(forward, inputSize: features) },
             try variableScope(RNNLoopNaming.backwardScope) { try recurrentCells(backward, inputSize: features) })
        }
        return try ModelSpecRuntime.bidirectionalDynamicRNN(
            forward: fw, backward: bw, input: input, sequenceLength: sequenceLength,
            initialStateForward: initialStateForward, initialStateBackward: initialStateBackward, timeMajor: timeMajor)
    }

    private func featureCount(_ input: Tensor, op: String) throws -> Int {
        guard input.rank == 3 else {
            throw TensorError(op: op, shapes: [input.shape], reason: "is not a sequence of rank 3")
        }
        return input.shape[2]
    }

    /// Makes (or finds) a cell's variables in its scope and returns the cells with their weights, first to last.
    private func recurrentCells(_ cell: RNNCell, inputSize: Int) throws -> [RecurrentCell] {
        switch cell {
        case .cell(let configuration):
            return [try inCellScope(configuration.kind.baseName) { try recurrentCell(configuration, inputSize: inputSize) }]
        case .multiRNNCell(let cells):
            return try inCellScope(RNNLoopNaming.multiCellBaseName) {
                var made: [RecurrentCell] = []
                for (index, inner) in cells.enumerated() {
                    let features = made.last?.outputSize ?? inputSize
                    made += try variableScope(RNNLoopNaming.multiCellScope(index)) { try recurrentCells(inner, inputSize: features) }
                }
                return made
            }
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
