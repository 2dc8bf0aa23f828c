/// One recurrent cell with its weights, in TensorFlow's layouts: the TF1 cells of
/// `tf.compat.v1.nn.rnn_cell` (`BasicRNNCell`, `BasicLSTMCell`, `LSTMCell`,
/// `GRUCell`) and the cells of the Keras layers `SimpleRNN`, `LSTM`, `GRU`.
///
/// A cell is run over a sequence by ``dynamicRNN(_:input:sequenceLength:initialState:timeMajor:)``,
/// ``bidirectionalDynamicRNN(forward:backward:input:sequenceLength:initialStateForward:initialStateBackward:timeMajor:)``
/// or ``kerasRecurrent(_:input:initialState:mask:returnSequences:)``. Every cell is
/// computed the same way: the input projection of all time steps is one matrix
/// product, and each step is one product of the previous state with the recurrent
/// kernel (two for a GRU that resets before it) followed by one pass over the gates.
///
/// A TF1 kernel is `[input + state, gates]`: its first `input` rows multiply the
/// input and the rest the state (`concat([x, h]) · kernel`), so both parts are
/// read in place, without copying.
public struct RecurrentCell: Sendable {
    /// The width of the input the cell was given weights for.
    public let inputSize: Int
    /// The width of each output.
    public let outputSize: Int
    /// The widths of the state's tensors, in TensorFlow's order: `[c, h]` for a
    /// TF1 LSTM (`LSTMStateTuple`), `[h, c]` for a Keras LSTM, `[h]` otherwise.
    public var stateSizes: [Int] { order.map { internalStateSizes[$0] } }

    let math: Math
    let units: Int
    /// The gate columns of the input projection (`G`).
    let gateWidth: Int
    /// Matrices that project the input: each writes `columns` columns from `offset`.
    let inputBlocks: [MatrixBlock]
    /// Biases added to the input projection, at their column offsets.
    let inputBiases: [(tensor: Tensor, offset: Int)]
    /// The state's product for the gates: `[recurrent width, recurrentColumns]`.
    let recurrent: MatrixBlock
    /// The state tensors as the kernels keep them: `[h]`, or `[c, h]` for an LSTM.
    let internalStateSizes: [Int]
    /// Where each of TensorFlow's state tensors is in `internalStateSizes`.
    let order: [Int]
    /// Keras's per-gate dropout masks of one training call with `recurrent_dropout` (not weights:
    /// the backward rule multiplies by them and gives them no gradient).
    var dropoutMasks: RecurrentDropoutMasks? = nil

    enum Math: Sendable {
        case simple(activation: Activation)
        case lstm(LSTMMath)
        case gru(GRUMath)
    }

    struct LSTMMath: Sendable {
        /// Column offsets of the gates: input, candidate, forget, output.
        var i: Int, j: Int, f: Int, o: Int
        var forgetBias: Float
        var peepholes: (f: Tensor, i: Tensor, o: Tensor)?
        var cellClip: Float?
        var projection: Tensor?
        var projectionClip: Float?
        var activation: Activation
        var recurrentActivation: Activation

        /// Whether the C gate passes (`clstm_gates`, `clstm_gates_backward`, `clstm_row_step`)
        /// compute this cell's gates: sigmoid gates, tanh, no peepholes or cell clip.
        var hasCommonGates: Bool {
            peepholes == nil && cellClip == nil && recurrentActivation == .sigmoid && activation == .tanh
        }
    }

    struct GRUMath: Sendable {
        /// Column offsets of the update and reset gates and the candidate, in the input projection.
        var update: Int, reset: Int, candidate: Int
        /// Keras `reset_after`: the reset gate scales the state's product (with its own bias);
        /// otherwise it scales the state before its product with `candidateKernel`.
        var resetAfter: Bool
        var recurrentBias: Tensor?
        var candidateKernel: MatrixBlock?
        var activation: Activation
        var recurrentActivation: Activation
    }

    /// Every tensor the cell computes with, once each (blocks of one kernel share it):
    /// the inputs of its loop's backward rule besides the sequence and the state.
    var differentiableWeights: [Tensor] {
        var tensors = inputBlocks.map(\.tensor) + inputBiases.map(\.tensor) + [recurrent.tensor]
        switch math {
        case .simple: break
        case .lstm(let m):
            if let p = m.peepholes { tensors += [p.f, p.i, p.o] }
            if let projection = m.projection { tensors.append(projection) }
        case .gru(let m):
            if let kernel = m.candidateKernel { tensors.append(kernel.tensor) }
            if let bias = m.recurrentBias { tensors.append(bias) }
        }
        var seen = Set<ObjectIdentifier>()
        return tensors.filter { seen.insert(ObjectIdentifier($0.storage)).inserted }
    }

    /// The activations, each of which the backward pass differentiates elementwise.
    var activations: [Activation] {
        switch math {
        case .simple(let activation): [activation]
        case .lstm(let m): [m.activation, m.recurrentActivation]
        case .gru(let m): [m.activation, m.recurrentActivation]
        }
    }

    /// A block of a row-major matrix: `rows × columns` from row `firstRow` and
    /// column `offset`, each row `stride` scalars apart, written to the product's
    /// columns from `target`.
    struct MatrixBlock: Sendable {
        let tensor: Tensor
        let firstRow: Int, rows: Int, offset: Int, columns: Int, target: Int
        var stride: Int { tensor.shape[1] }
    }
}

extension RecurrentCell {
    /// `tf.compat.v1.nn.rnn_cell.BasicRNNCell`: `h = activation(concat([x, h]) · kernel + bias)`;
    /// kernel `[input + units, units]`, bias `[units]`.
    public static func basicRNN(kernel: Tensor, bias: Tensor, activation: Activation = .tanh) throws -> RecurrentCell {
        let (input, units) = try tf1Kernel(kernel, gates: 1, op: "BasicRNNCell")
        try expect(bias, [units], "bias", op: "BasicRNNCell")
        return RecurrentCell(inputSize: input, outputSize: units, math: .simple(activation: activation), units: units,
                             gateWidth: units, inputBlocks: [MatrixBlock(kernel, rows: 0..<input, columns: 0..<units)],
                             inputBiases: [(bias, 0)], recurrent: MatrixBlock(kernel, rows: input..<(input + units), columns: 0..<units),
                             internalStateSizes: [units], order: [0])
    }

    /// `tf.compat.v1.nn.rnn_cell.LSTMCell` and `BasicLSTMCell` (no peepholes, no
    /// projection): gates `i, j, f, o` of `concat([x, h]) · kernel + bias`,
    /// kernel `[input + (numProj ?? units), 4·units]`;
    /// `c = σ(f + forgetBias [+ w_f·c']) c' + σ(i [+ w_i·c']) act(j)`, clipped to `cellClip`;
    /// `h = σ(o [+ w_o·c]) act(c)`, times `projection` (`[units, numProj]`), clipped to `projectionClip`.
    /// The state is `[c, h]`.
    public static func lstm(kernel: Tensor, bias: Tensor, forgetBias: Float = 1, activation: Activation = .tanh,
                            peepholes: (f: Tensor, i: Tensor, o: Tensor)? = nil, cellClip: Float? = nil,
                            projection: Tensor? = nil, projectionClip: Float? = nil) throws -> RecurrentCell {
        let op = projection == nil && peepholes == nil ? "BasicLSTMCell" : "LSTMCell"
        guard kernel.rank == 2, kernel.shape[1] % 4 == 0 else {
            throw TensorError(op: op, shapes: [kernel.shape], reason: "is not a kernel of 4 gates ([input + state, 4·units])")
        }
        let units = kernel.shape[1] / 4
        var output = units
        if let projection {
            guard projection.rank == 2, projection.shape[0] == units else {
                throw TensorError(op: op, shapes: [kernel.shape, projection.shape],
                                  reason: "do not fit: the projection must be [\(units), num_proj]")
            }
            output = projection.shape[1]
        }
        let input = kernel.shape[0] - output
        guard input >= 0 else {
            throw TensorError(op: op, shapes: [kernel.shape], reason: "has fewer rows than the state's \(output)")
        }
        try expect(bias, [4 * units], "bias", op: op)
        if let peepholes {
            for (name, w) in [("w_f_diag", peepholes.f), ("w_i_diag", peepholes.i), ("w_o_diag", peepholes.o)] {
                try expect(w, [units], name, op: op)
            }
        }
        let math = LSTMMath(i: 0, j: units, f: 2 * units, o: 3 * units, forgetBias: forgetBias, peepholes: peepholes,
                            cellClip: cellClip, projection: projection, projectionClip: projectionClip,
                            activation: activation, recurrentActivation: .sigmoid)
        return RecurrentCell(inputSize: input, outputSize: output, math: .lstm(math), units: units, gateWidth: 4 * units,
                             inputBlocks: [MatrixBlock(kernel, rows: 0..<input, columns: 0..<(4 * units))],
                             inputBiases: [(bias, 0)],
                             recurrent: MatrixBlock(kernel, rows: input..<(input + output), columns: 0..<(4 * units)),
                             internalStateSizes: [units, output], order: [0, 1])
    }

    /// `tf.compat.v1.nn.rnn_cell.GRUCell`: `r, u = σ(concat([x, h]) · gates/kernel + gates/bias)`,
    /// `c = act(concat([x, r·h]) · candidate/kernel + candidate/bias)`, `h = u·h' + (1 − u)·c`.
    public static func gru(gatesKernel: Tensor, gatesBias: Tensor, candidateKernel: Tensor, candidateBias: Tensor,
                           activation: Activation = .tanh) throws -> RecurrentCell {
        let (input, units) = try tf1Kernel(candidateKernel, gates: 1, op: "GRUCell")
        try expect(gatesKernel, [input + units, 2 * units], "gates/kernel", op: "GRUCell")
        try expect(gatesBias, [2 * units], "gates/bias", op: "GRUCell")
        try expect(candidateBias, [units], "candidate/bias", op: "GRUCell")
        let state = input..<(input + units)
        let math = GRUMath(update: units, reset: 0, candidate: 2 * units, resetAfter: false, recurrentBias: nil,
                           candidateKernel: MatrixBlock(candidateKernel, rows: state, columns: 0..<units),
                           activation: activation, recurrentActivation: .sigmoid)
        return RecurrentCell(inputSize: input, outputSize: units, math: .gru(math), units: units, gateWidth: 3 * units,
                             inputBlocks: [MatrixBlock(gatesKernel, rows: 0..<input, columns: 0..<(2 * units)),
                                           MatrixBlock(candidateKernel, rows: 0..<input, columns: 0..<units, at: 2 * units)],
                             inputBiases: [(gatesBias, 0), (candidateBias, 2 * units)],
                             recurrent: MatrixBlock(gatesKernel, rows: state, columns: 0..<(2 * units)),
                             internalStateSizes: [units], order: [0])
    }

    /// The cell of Keras `SimpleRNN`: `h = activation(x · kernel + h' · recurrent_kernel + bias)`.
    public static func kerasSimpleRNN(kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?,
                                      activation: Activation = .tanh) throws -> RecurrentCell {
        let (input, units) = try kerasKernels(kernel, recurrentKernel, gates: 1, op: "SimpleRNN")
        if let bias { try expect(bias, [units], "bias", op: "SimpleRNN") }
        return RecurrentCell(inputSize: input, outputSize: units, math: .simple(activation: activation), units: units,
                             gateWidth: units, inputBlocks: [MatrixBlock(kernel, rows: 0..<input, columns: 0..<units)],
                             inputBiases: bias.map { [($0, 0)] } ?? [],
                             recurrent: MatrixBlock(recurrentKernel, rows: 0..<units, columns: 0..<units),
                             internalStateSizes: [units], order: [0])
    }

    /// The cell of Keras `LSTM`: gates `i, f, c, o`; `c = f·c' + i·act(c̃)`, `h = o·act(c)`.
    /// The state is `[h, c]`, as Keras returns and takes it.
    public static func kerasLSTM(kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, activation: Activation = .tanh,
                                 recurrentActivation: Activation = .sigmoid) throws -> RecurrentCell {
        let (input, units) = try kerasKernels(kernel, recurrentKernel, gates: 4, op: "LSTM")
        if let bias { try expect(bias, [4 * units], "bias", op: "LSTM") }
        let math = LSTMMath(i: 0, j: 2 * units, f: units, o: 3 * units, forgetBias: 0, peepholes: nil, cellClip: nil,
                            projection: nil, projectionClip: nil, activation: activation,
                            recurrentActivation: recurrentActivation)
        return RecurrentCell(inputSize: input, outputSize: units, math: .lstm(math), units: units, gateWidth: 4 * units,
                             inputBlocks: [MatrixBlock(kernel, rows: 0..<input, columns: 0..<(4 * units))],
                             inputBiases: bias.map { [($0, 0)] } ?? [],
                             recurrent: MatrixBlock(recurrentKernel, rows: 0..<units, columns: 0..<(4 * units)),
                             internalStateSizes: [units, units], order: [1, 0])
    }

    /// The cell of Keras `GRU`: gates `z, r, h`. With `resetAfter` (Keras's default) the bias is
    /// `[2, 3·units]` (input and recurrent rows) and `h̃ = act(x·W_h + r·(h'·U_h + b_h))`; without,
    /// the bias is `[3·units]` and `h̃ = act(x·W_h + (r·h')·U_h + b_h)`. `h = z·h' + (1 − z)·h̃`.
    public static func kerasGRU(kernel: Tensor, recurrentKernel: Tensor, bias: Tensor?, resetAfter: Bool = true,
                                activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid) throws -> RecurrentCell {
        let (input, units) = try kerasKernels(kernel, recurrentKernel, gates: 3, op: "GRU")
        var inputBias: Tensor?, recurrentBias: Tensor?
        if let bias {
            if resetAfter {
                try expect(bias, [2, 3 * units], "bias", op: "GRU")
                inputBias = try reshape(slice(bias, 0..<1), [3 * units])
                recurrentBias = try reshape(slice(bias, 1..<2), [3 * units])
            } else {
                try expect(bias, [3 * units], "bias", op: "GRU")
                inputBias = bias
            }
        }
        let math = GRUMath(update: 0, reset: units, candidate: 2 * units, resetAfter: resetAfter, recurrentBias: recurrentBias,
                           candidateKernel: resetAfter ? nil : MatrixBlock(recurrentKernel, rows: 0..<units, columns: (2 * units)..<(3 * units)),
                           activation: activation, recurrentActivation: recurrentActivation)
        return RecurrentCell(inputSize: input, outputSize: units, math: .gru(math), units: units, gateWidth: 3 * units,
                             inputBlocks: [MatrixBlock(kernel, rows: 0..<input, columns: 0..<(3 * units))],
                             inputBiases: inputBias.map { [($0, 0)] } ?? [],
                             recurrent: MatrixBlock(recurrentKernel, rows: 0..<units,
                                                    columns: 0..<(resetAfter ? 3 * units : 2 * units)),
                             internalStateSizes: [units], order: [0])
    }

    /// `[input + state, gates · units]`: the input width and the units.
    private static func tf1Kernel(_ kernel: Tensor, gates: Int, op: String) throws -> (input: Int, units: Int) {
        guard kernel.rank == 2, kernel.shape[1] % gates == 0, kernel.shape[0] >= kernel.shape[1] / gates else {
            throw TensorError(op: op, shapes: [kernel.shape],
                              reason: "is not a kernel [input + units, \(gates == 1 ? "" : "\(gates)·")units]")
        }
        let units = kernel.shape[1] / gates
        return (kernel.shape[0] - units, units)
    }

    /// `[input, gates · units]` and `[units, gates · units]`: the input width and the units.
    private static func kerasKernels(_ kernel: Tensor, _ recurrent: Tensor, gates: Int, op: String) throws -> (input: Int, units: Int) {
        guard kernel.rank == 2, recurrent.rank == 2, recurrent.shape[1] == gates * recurrent.shape[0],
              kernel.shape[1] == recurrent.shape[1] else {
            throw TensorError(op: op, shapes: [kernel.shape, recurrent.shape],
                              reason: "do not fit: the kernels must be [input, \(gates)·units] and [units, \(gates)·units]")
        }
        return (kernel.shape[0], recurrent.shape[0])
    }

    private static func expect(_ tensor: Tensor, _ shape: [Int], _ name: String, op: String) throws {
        guard tensor.shape == shape else {
            throw TensorError(op: op, shapes: [tensor.shape], reason: "is not the shape \(describe(shape)) of \(name)")
        }
    }
}

extension RecurrentCell.MatrixBlock {
    /// Rows and columns of a rank-2 `tensor`, placed at column `at` of the product.
    init(_ tensor: Tensor, rows: Range<Int>, columns: Range<Int>, at: Int = 0) {
        self.tensor = tensor
        self.firstRow = rows.lowerBound
        self.rows = rows.count
        self.offset = columns.lowerBound
        self.columns = columns.count
        self.target = at
    }
}
