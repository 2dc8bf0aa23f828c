/// The TF1 recurrent cells of `tf.compat.v1.nn.rnn_cell` and the variables each
/// makes when it is first called, as TensorFlow names, shapes and orders them.
/// The compiler's tracer and the runtime's TF1 shim both take a cell's variables
/// from here.
///
/// A cell is a `tf.compat.v1.layers` layer object: its first call opens
/// `variable_scope(None, default_name: baseName)` in the loop's scope (``LegacyLayerNaming``),
/// so the cell of `dynamic_rnn` is `rnn/lstm_cell`. A `MultiRNNCell` is one more
/// such layer (`multi_rnn_cell`) that calls its cell `i` inside `variable_scope("cell_i")`.
public enum RNNCellKind: String, CaseIterable, Hashable, Sendable {
    case basicRNN = "BasicRNNCell"
    case basicLSTM = "BasicLSTMCell"
    case lstm = "LSTMCell"
    case gru = "GRUCell"

    /// The snake-case class name, the cell's default scope.
    public var baseName: String {
        switch self {
        case .basicRNN: "basic_rnn_cell"
        case .basicLSTM: "basic_lstm_cell"
        case .lstm: "lstm_cell"
        case .gru: "gru_cell"
        }
    }

    /// Whether the state is an `LSTMStateTuple(c, h)`.
    public var isLSTM: Bool { self == .basicLSTM || self == .lstm }
}

/// The shape-deciding arguments of one TF1 cell.
public struct RNNCellShape: Hashable, Sendable {
    public var kind: RNNCellKind
    public var units: Int
    /// `LSTMCell(use_peepholes=True)`.
    public var usePeepholes: Bool
    /// `LSTMCell(num_proj=)`.
    public var numProj: Int?

    public init(kind: RNNCellKind, units: Int, usePeepholes: Bool = false, numProj: Int? = nil) {
        self.kind = kind
        self.units = units
        self.usePeepholes = usePeepholes
        self.numProj = numProj
    }

    /// The width of each output (and of `h`).
    public var outputSize: Int { numProj ?? units }

    /// The widths of the state, flattened as `tf.nest.flatten` orders it: `[c, h]` for an LSTM.
    public var stateSizes: [Int] { kind.isLSTM ? [units, outputSize] : [units] }

    /// How TensorFlow initializes a cell variable when no initializer is given.
    public enum InitialValue: Hashable, Sendable {
        /// `get_variable`'s default, `glorot_uniform`.
        case glorotUniform
        case zeros
        /// `GRUCell`'s `gates/bias`: `constant_initializer(1.0)`.
        case ones
    }

    /// A variable of the cell: its name below the cell's scope (`kernel`, `gates/kernel`,
    /// `projection/kernel`), shape and initial value.
    public struct Variable: Hashable, Sendable {
        public var name: String
        public var shape: [Int]
        public var initialValue: InitialValue
    }

    /// The variables the cell makes on an input of `inputSize` features, in creation order.
    public func variables(inputSize: Int) -> [Variable] {
        let rows = inputSize + outputSize
        switch kind {
        case .basicRNN:
            return [Variable(name: "kernel", shape: [rows, units], initialValue: .glorotUniform),
                    Variable(name: "bias", shape: [units], initialValue: .zeros)]
        case .basicLSTM, .lstm:
            var list = [Variable(name: "kernel", shape: [rows, 4 * units], initialValue: .glorotUniform),
                        Variable(name: "bias", shape: [4 * units], initialValue: .zeros)]
            if kind == .lstm, usePeepholes {
                list += ["w_f_diag", "w_i_diag", "w_o_diag"].map {
                    Variable(name: $0, shape: [units], initialValue: .glorotUniform)
                }
            }
            if kind == .lstm, let numProj {
                list.append(Variable(name: "projection/kernel", shape: [units, numProj], initialValue: .glorotUniform))
            }
            return list
        case .gru:
            return [Variable(name: "gates/kernel", shape: [rows, 2 * units], initialValue: .glorotUniform),
                    Variable(name: "gates/bias", shape: [2 * units], initialValue: .ones),
                    Variable(name: "candidate/kernel", shape: [rows, units], initialValue: .glorotUniform),
                    Variable(name: "candidate/bias", shape: [units], initialValue: .zeros)]
        }
    }
}

/// The scopes of TF1's recurrent loops.
public enum RNNLoopNaming {
    /// `dynamic_rnn` and `static_rnn`: `variable_scope(scope or "rnn")`.
    public static let loopScope = "rnn"
    /// `bidirectional_dynamic_rnn`: `variable_scope(scope or "bidirectional_rnn")`, then `fw` and `bw` in it.
    public static let bidirectionalScope = "bidirectional_rnn"
    public static let forwardScope = "fw"
    public static let backwardScope = "bw"
    /// `MultiRNNCell`'s base name; it calls cell `i` in `variable_scope("cell_i")`.
    public static let multiCellBaseName = "multi_rnn_cell"

    public static func multiCellScope(_ index: Int) -> String { "cell_\(index)" }

    /// Enters the scope of a cell object's first call, `variable_scope(None, default_name: baseName)`
    /// (a new cell, as each loop step of a spec makes); leave it with `scopes.exit()`.
    public static func enterCell(_ baseName: String, _ scopes: inout ScopeStore) {
        var naming = LegacyLayerNaming(className: baseName, name: nil, functional: false, scopes: &scopes)
        naming.enterCall(&scopes)
    }
}
