/// Recurrent loops as TensorFlow runs them: `tf.compat.v1.nn.dynamic_rnn` (and
/// `static_rnn`, which computes the same), `bidirectional_dynamic_rnn`, and the
/// Keras recurrent layers' call.
///
/// A list of cells is a `MultiRNNCell`: each cell runs over the whole sequence of
/// the one before it (the same values as running them step by step), and the
/// state is every cell's state in turn.

/// `tf.compat.v1.nn.dynamic_rnn(cell, input, sequence_length:, initial_state:, time_major:)`.
///
/// - Parameters:
///   - cells: one cell, or the cells of a `MultiRNNCell`, first to last.
///   - input: `[batch, time, features]`, or `[time, batch, features]` when `timeMajor`.
///   - sequenceLength: `[batch]`: from each sequence's end on, outputs are zero and
///     the state is carried, so the final state is the state at each sequence's end.
///   - initialState: every cell's state tensors in TensorFlow's order (`c, h` for an
///     LSTM), each `[batch, size]`; zeros when nil.
/// - Returns: the top cell's outputs in the input's layout, and the final state as
///   `initialState` is ordered.
public func dynamicRNN(_ cells: [RecurrentCell], input: Tensor, sequenceLength: IndexTensor? = nil,
                       initialState: [Tensor]? = nil, timeMajor: Bool = false) throws -> (outputs: Tensor, state: [Tensor]) {
    try dynamicRNN(RecurrentStack(cells), input: input, sequenceLength: sequenceLength, initialState: initialState,
                   timeMajor: timeMajor, noise: nil)
}

/// ``dynamicRNN(_:input:sequenceLength:initialState:timeMajor:)`` of cells that may be wrapped;
/// `noise` gives the `DropoutWrapper`s' masks.
func dynamicRNN(_ stack: RecurrentStack, input: Tensor, sequenceLength: IndexTensor? = nil, initialState: [Tensor]? = nil,
                timeMajor: Bool = false, noise: DropoutNoise?) throws -> (outputs: Tensor, state: [Tensor]) {
    let (batch, time) = try sequenceShape(input, stack.inputSize, timeMajor: timeMajor, op: "dynamic_rnn")
    let mask = try lengthMask(sequenceLength, batch: batch, time: time, op: "dynamic_rnn")
    let run = RecurrentRun(batch: batch, time: time, timeMajor: timeMajor, mask: mask, reverse: false, op: "dynamic_rnn", noise: noise)
    return try runStack(stack, input: input, run: run, initialState: initialState)
}

/// `tf.compat.v1.nn.bidirectional_dynamic_rnn`: the forward cells as `dynamicRNN`, the
/// backward cells over each sequence reversed (within its length when `sequenceLength`
/// is given, as `tf.reverse_sequence`), their outputs put back in time order.
public func bidirectionalDynamicRNN(forward: [RecurrentCell], backward: [RecurrentCell], input: Tensor,
                                    sequenceLength: IndexTensor? = nil, initialStateForward: [Tensor]? = nil,
                                    initialStateBackward: [Tensor]? = nil, timeMajor: Bool = false) throws
    -> (outputForward: Tensor, outputBackward: Tensor, stateForward: [Tensor], stateBackward: [Tensor]) {
    try bidirectionalDynamicRNN(forward: RecurrentStack(forward), backward: RecurrentStack(backward), input: input,
                                sequenceLength: sequenceLength, initialStateForward: initialStateForward,
                                initialStateBackward: initialStateBackward, timeMajor: timeMajor, noise: nil)
}

/// ``bidirectionalDynamicRNN(forward:backward:input:sequenceLength:initialStateForward:initialStateBackward:timeMajor:)``
/// of cells that may be wrapped; `noise` gives the `DropoutWrapper`s' masks.
func bidirectionalDynamicRNN(forward: RecurrentStack, backward: RecurrentStack, input: Tensor,
                             sequenceLength: IndexTensor? = nil, initialStateForward: [Tensor]? = nil,
                             initialStateBackward: [Tensor]? = nil, timeMajor: Bool = false, noise: DropoutNoise?) throws
    -> (outputForward: Tensor, outputBackward: Tensor, stateForward: [Tensor], stateBackward: [Tensor]) {
    let op = "bidirectional_dynamic_rnn"
    let (batch, time) = try sequenceShape(input, forward.inputSize, timeMajor: timeMajor, op: op)
    _ = try sequenceShape(input, backward.inputSize, timeMajor: timeMajor, op: op)
    let mask = try lengthMask(sequenceLength, batch: batch, time: time, op: op)
    let fw = try runStack(forward, input: input, run: RecurrentRun(batch: batch, time: time, timeMajor: timeMajor, mask: mask,
                                                                   reverse: false, op: op, noise: noise),
                          initialState: initialStateForward)
    let bw = try runStack(backward, input: input, run: RecurrentRun(batch: batch, time: time, timeMajor: timeMajor, mask: mask,
                                                                    reverse: true, op: op, noise: noise),
                          initialState: initialStateBackward)
    return (fw.outputs, bw.outputs, fw.state, bw.state)
}

/// The call of a Keras recurrent layer (`SimpleRNN`, `GRU`, `LSTM`) on a batch-major
/// `[batch, time, features]` input.
///
/// - Parameters:
///   - initialState: the cell's state in Keras's order (`[h, c]` for an LSTM); zeros when nil.
///   - mask: `[batch, time]`, a step kept where nonzero (the ids of an `Embedding` with
///     `mask_zero=True` are its mask): at a masked step the state is carried and the
///     output repeats the previous one.
///   - returnSequences: every step's output (`[batch, time, units]`), or only the last (`[batch, units]`).
///   - goBackwards: Keras's `go_backwards`: the steps (and the mask) read from the last to the
///     first, the outputs in the order they are computed (the first output is the last step's).
///   - dropoutMasks: the per-gate masks of a training call with `recurrent_dropout`
///     (``RecurrentDropoutMasks``), reused at every step.
/// - Returns: the output and the final state, in Keras's order.
public func kerasRecurrent(_ cell: RecurrentCell, input: Tensor, initialState: [Tensor]? = nil,
                           mask: IndexTensor? = nil, returnSequences: Bool = false, goBackwards: Bool = false,
                           dropoutMasks: RecurrentDropoutMasks? = nil) throws -> (output: Tensor, state: [Tensor]) {
    let op = "recurrent layer"
    let (batch, time) = try sequenceShape(input, cell.inputSize, timeMajor: false, op: op)
    var cell = cell
    if let dropoutMasks {
        try dropoutMasks.check(for: cell, batch: batch, op: op)
        cell.dropoutMasks = dropoutMasks
    }
    var stepMask = StepMask.none
    if let mask {
        guard mask.shape == [batch, time] else {
            throw TensorError(op: op, shapes: [input.shape, mask.shape], reason: "do not fit: the mask must be [batch, time]")
        }
        var flags = mask.scalars.map { $0 != 0 }
        if goBackwards { flags = (0..<(batch * time)).map { flags[$0 - $0 % time + time - 1 - $0 % time] } }
        stepMask = .keras(flags)
    }
    let sequence = goBackwards ? reversedInTime(input, batch: batch, time: time) : input
    let run = RecurrentRun(batch: batch, time: time, timeMajor: false, mask: stepMask, reverse: false, op: op, noise: nil)
    let (outputs, state) = try runStack(.cell(cell), input: sequence, run: run, initialState: initialState)
    guard !returnSequences else { return (outputs, state) }
    let o = cell.outputSize
    if time > 0, let tape = GradientTape.active, tape.isFollowing(outputs) {
        return (try reshape(slice(outputs, (time - 1)..<time, axis: 1), [batch, o]), state)
    }
    let last = Tensor(uninitializedShape: [batch, o])
    if time == 0 {
        last.storage.base.update(repeating: 0, count: batch * o)
    } else {
        for b in 0..<batch {
            (last.storage.base + b * o).update(from: outputs.storage.base + (b * time + time - 1) * o, count: o)
        }
    }
    return (last, state)
}

/// `[batch, time, features]` with each sequence's steps in reverse order (`tf.reverse(x, [1])`);
/// recorded on a tape, whose gradient is the same reversal.
private func reversedInTime(_ x: Tensor, batch: Int, time: Int) -> Tensor {
    let features = x.shape[2]
    let out = Tensor(uninitializedShape: x.shape)
    let src = x.storage.base, dst = out.storage.base
    for b in 0..<batch {
        for t in 0..<time {
            (dst + (b * time + t) * features).update(from: src + (b * time + time - 1 - t) * features, count: features)
        }
    }
    withExtendedLifetime(x) {}
    if let tape = GradientTape.active {
        tape.record("reverse", out, [x]) { g, _ in [reversedInTime(g, batch: batch, time: time)] }
    }
    return out
}

/// The batch and time of a rank-3 input whose features fit the first cell (`inputSize` 0: no cell).
private func sequenceShape(_ input: Tensor, _ inputSize: Int, timeMajor: Bool, op: String) throws -> (batch: Int, time: Int) {
    guard inputSize > 0 else {
        throw TensorError(op: op, shapes: [input.shape], reason: "needs at least one cell")
    }
    guard input.rank == 3 else {
        throw TensorError(op: op, shapes: [input.shape],
                          reason: "is not a sequence (\(timeMajor ? "[time, batch, features]" : "[batch, time, features]"))")
    }
    guard input.shape[2] == inputSize else {
        throw TensorError(op: op, shapes: [input.shape],
                          reason: "has \(input.shape[2]) features, but the cell's kernel takes \(inputSize)")
    }
    return timeMajor ? (input.shape[1], input.shape[0]) : (input.shape[0], input.shape[1])
}

private func lengthMask(_ lengths: IndexTensor?, batch: Int, time: Int, op: String) throws -> StepMask {
    guard let lengths else { return .none }
    guard lengths.shape == [batch] else {
        throw TensorError(op: op, shapes: [lengths.shape], reason: "is not the [\(batch)] of sequence_length")
    }
    let values = lengths.scalars.map(Int.init)
    if let bad = values.firstIndex(where: { $0 < 0 || $0 > time }) {
        throw TensorError(op: op, shapes: [lengths.shape],
                          reason: "holds sequence_length \(values[bad]) at \(bad), outside [0, \(time)]")
    }
    return .lengths(values)
}

/// Runs the cells (each on the outputs of the one before) from the initial state or zeros.
private func runStack(_ stack: RecurrentStack, input: Tensor, run: RecurrentRun,
                      initialState: [Tensor]?) throws -> (outputs: Tensor, state: [Tensor]) {
    let expected = stack.stateSizes.map { [run.batch, $0] }
    if let initialState {
        guard initialState.map(\.shape) == expected else {
            throw TensorError(op: run.op, shapes: initialState.map(\.shape),
                              reason: "are not the initial state the cells take: \(expected.map(describe).joined(separator: ", "))")
        }
    }
    var flat = ArraySlice(try initialState ?? expected.map { try Tensor.zeros($0) })
    return try run.run(stack, input, state: &flat)
}
