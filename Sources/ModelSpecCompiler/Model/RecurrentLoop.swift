import TFNaming

/// A TF1 recurrent loop step: `dynamic_rnn`, `static_rnn` or `bidirectional_dynamic_rnn`
/// with its cells. The step's operands are the input, then `sequence_length` when
/// given, then the initial state tensors (forward, then backward); its results are the
/// outputs (forward and backward for the bidirectional loop), then every final state
/// tensor flattened as `tf.nest.flatten` orders it.
public struct RecurrentLoop: Hashable, Sendable {
    public enum Function: String, Hashable, Sendable, CaseIterable {
        case dynamicRNN = "dynamic_rnn"
        case staticRNN = "static_rnn"
        case bidirectionalDynamicRNN = "bidirectional_dynamic_rnn"

        /// TensorFlow's function.
        public var tensorflow: String { "tf.compat.v1.nn.\(rawValue)" }
    }

    public var function: Function
    /// The cell, or the forward cell of the bidirectional loop.
    public var cell: RecurrentCellDeclaration
    /// The backward cell of the bidirectional loop.
    public var backwardCell: RecurrentCellDeclaration?
    public var timeMajor: Bool
    /// `scope=`: the loop's variable scope instead of `rnn` / `bidirectional_rnn`.
    public var scope: String?
    /// Whether the second operand is `sequence_length`.
    public var hasSequenceLength: Bool
    /// How many operands are the initial state of the cell and of the backward cell.
    public var initialStateCount: Int
    public var backwardInitialStateCount: Int

    /// How many outputs come before the states.
    public var outputCount: Int { function == .bidirectionalDynamicRNN ? 2 : 1 }
}

/// A TF1 cell (`LSTMCell: {num_units: 128}`), a `MultiRNNCell` of cells, or a cell in a
/// wrapper (`DropoutWrapper`, `ResidualWrapper`, `DeviceWrapper`), which opens no scope.
public indirect enum RecurrentCellDeclaration: Hashable, Sendable {
    case cell(RecurrentCellArguments)
    case multi([RecurrentCellDeclaration])
    case dropout(RecurrentCellDeclaration, DropoutWrapperArguments)
    case residual(RecurrentCellDeclaration)
    /// `DeviceWrapper(cell, device)`: the cell as it is.
    case device(RecurrentCellDeclaration, device: String)

    /// How many state tensors the cell has (2 for an LSTM cell).
    public var stateCount: Int {
        switch self {
        case .cell(let arguments): arguments.kind.isLSTM ? 2 : 1
        case .multi(let cells): cells.reduce(0) { $0 + $1.stateCount }
        case .dropout(let cell, _), .residual(let cell), .device(let cell, _): cell.stateCount
        }
    }
}

/// The arguments of `tf.compat.v1.nn.rnn_cell.DropoutWrapper`, with TensorFlow's defaults.
/// A keep probability below 1 drops on every call: the wrapper has no training flag.
public struct DropoutWrapperArguments: Hashable, Sendable {
    public var inputKeepProb: Expr<Double> = .literal(1)
    public var outputKeepProb: Expr<Double> = .literal(1)
    public var stateKeepProb: Expr<Double> = .literal(1)
    public var variationalRecurrent = false
    /// `input_size=`: TensorFlow needs it with `variational_recurrent` and an input keep probability below 1.
    public var inputSize: Expr<Int>?
    /// `seed=`: kept for reading; the masks are not TensorFlow's random stream.
    public var seed: Int?

    public init() {}

    static let keys = ["cell", "input_keep_prob", "output_keep_prob", "state_keep_prob", "variational_recurrent",
                       "input_size", "dtype", "seed"]
}

/// The arguments of one TF1 cell's constructor, with TensorFlow's defaults.
public struct RecurrentCellArguments: Hashable, Sendable {
    public var kind: RNNCellKind
    public var numUnits: Expr<Int>
    public var forgetBias: Double = 1
    public var usePeepholes = false
    public var cellClip: Double?
    public var numProj: Expr<Int>?
    public var projClip: Double?
    public var activation: Activation = .tanh

    public init(kind: RNNCellKind, numUnits: Expr<Int>) {
        self.kind = kind
        self.numUnits = numUnits
    }

    /// The keys each cell takes.
    static func keys(_ kind: RNNCellKind) -> [String] {
        switch kind {
        case .basicRNN, .gru: ["num_units", "activation"]
        case .basicLSTM: ["num_units", "forget_bias", "activation"]
        case .lstm: ["num_units", "use_peepholes", "cell_clip", "num_proj", "proj_clip", "forget_bias", "activation"]
        }
    }
}
