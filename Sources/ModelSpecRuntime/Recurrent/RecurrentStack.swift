/// A TF1 cell with its weights as `tf.compat.v1.nn.rnn_cell` composes it: one cell, a
/// `MultiRNNCell` of cells, or a cell inside `DropoutWrapper` or `ResidualWrapper`
/// (`DeviceWrapper` changes nothing and is not kept).
///
/// Each cell runs over the whole sequence of what comes before it (``RecurrentLoop``);
/// a wrapper works around its cell's loop as TensorFlow's does around each step:
/// dropout of the input before it and of the output after it (each step's mask is
/// independent of the loop, so the masks of all steps are applied at once), the
/// residual sum after it, and dropout of the state inside the loop of each cell it
/// wraps (the only part a step sees: ``RecurrentLoop/stateDropout``).
indirect enum RecurrentStack {
    case cell(RecurrentCell)
    case multi([RecurrentStack])
    case dropout(RecurrentStack, DropoutWrapping)
    case residual(RecurrentStack)

    /// A `MultiRNNCell` of plain cells, or the one cell.
    init(_ cells: [RecurrentCell]) {
        self = cells.count == 1 ? .cell(cells[0]) : .multi(cells.map { .cell($0) })
    }

    /// The cells, first to last.
    var cells: [RecurrentCell] {
        switch self {
        case .cell(let cell): [cell]
        case .multi(let list): list.flatMap(\.cells)
        case .dropout(let inner, _), .residual(let inner): inner.cells
        }
    }

    var inputSize: Int { cells.first?.inputSize ?? 0 }
    var outputSize: Int { cells.last?.outputSize ?? 0 }
    /// The state's widths flattened as `tf.nest.flatten` orders them.
    var stateSizes: [Int] { cells.flatMap(\.stateSizes) }
}

/// The keep probabilities of one `DropoutWrapper` (`1` keeps everything: no dropout), whether
/// its masks are variational (`variational_recurrent`), and its place among the loop's
/// wrappers (``DropoutSite/wrapper``).
struct DropoutWrapping {
    var input: Float, state: Float, output: Float
    var variational: Bool
    var wrapper: Int
}

/// Where a `DropoutWrapper` draws noise: the `wrapper`-th `DropoutWrapper` of a cell (depth
/// first, outer before inner; the backward cell's after the forward's), its `input`, `state` or
/// `output`, and the index of the tensor in the wrapped cell's flattened state (TensorFlow's
/// `_gen_seed(salt_prefix, index)`; 0 for the input and the output).
struct DropoutSite: Hashable, Sendable, CustomStringConvertible {
    enum Part: String, Hashable, Sendable { case input, state, output }
    var wrapper: Int
    var part: Part
    var index: Int

    init(wrapper: Int, part: Part, index: Int = 0) {
        self.wrapper = wrapper
        self.part = part
        self.index = index
    }

    var description: String { "DropoutWrapper \(wrapper)'s \(part.rawValue) \(index)" }
}

/// The uniform noise in `[0, 1)` a `DropoutWrapper`'s masks are made of: an element is kept
/// (and scaled by `1 / keep`) where `floor(keep + noise)` is 1, as TensorFlow makes the masks.
/// Variational masks draw `[1, width]` once per loop (one mask for every sequence of the batch
/// and every step, as TensorFlow's `batch_noise`); the others draw each step's own noise for
/// every sequence, all steps at once (`[time · batch, width]`).
struct DropoutNoise {
    let draw: (DropoutSite, _ shape: [Int]) throws -> Tensor

    /// Noise from `context`'s generator (a model call's randomness).
    static func from(_ context: CallContext) -> DropoutNoise {
        DropoutNoise { _, shape in
            try Tensor(shape: shape) { p in
                for i in p.indices { p[i] = Float(context.generator.next() >> 40) * 0x1p-24 }
            }
        }
    }

    /// The mask `floor(keep + noise) / keep` of a site.
    func mask(_ site: DropoutSite, keep: Float, shape: [Int]) throws -> Tensor {
        let noise = try draw(site, shape)
        guard noise.shape == shape else {
            throw TensorError(op: "DropoutWrapper", shapes: [noise.shape], reason: "is not the noise \(describe(shape)) of \(site)")
        }
        let scale = 1 / keep
        return try Tensor(shape: shape) { p in
            let u = noise.storage.base
            for i in p.indices { p[i] = (keep + u[i]).rounded(.down) * scale }
            withExtendedLifetime(noise) {}
        }
    }
}

/// What every cell of one direction of a loop shares.
struct RecurrentRun {
    let batch: Int, time: Int
    let timeMajor: Bool
    let mask: StepMask
    let reverse: Bool
    let op: String
    let noise: DropoutNoise?

    /// One state mask on a cell's `h`: the wrapper's keep probability and the site it draws from.
    struct StateDropout {
        var keep: Float
        var variational: Bool
        var site: DropoutSite
    }

    /// Runs `stack` on `input`, taking its initial state from the front of `state` (TensorFlow's order).
    func run(_ stack: RecurrentStack, _ input: Tensor, state: inout ArraySlice<Tensor>,
             stateDropouts: [StateDropout] = []) throws -> (outputs: Tensor, state: [Tensor]) {
        switch stack {
        case .cell(let cell):
            let count = cell.stateSizes.count
            let given = Array(state.prefix(count))
            state.removeFirst(count)
            // TensorFlow's order to the kernels' (`order[i]` is where state i goes).
            var internalState = given
            for (i, position) in cell.order.enumerated() { internalState[position] = given[i] }
            var loop = RecurrentLoop(cell: cell, batch: batch, time: time, timeMajor: timeMajor, mask: mask, reverse: reverse)
            if !stateDropouts.isEmpty {
                // `h` is the last of the cell's state tensors.
                let onH = stateDropouts.map { d in
                    StateDropout(keep: d.keep, variational: d.variational,
                                 site: DropoutSite(wrapper: d.site.wrapper, part: .state, index: d.site.index + count - 1))
                }
                loop.stateDropout = try stateMask(onH, width: cell.outputSize)
            }
            let (outputs, final) = try loop.runRecorded(input, state: internalState, op: op)
            return (outputs, cell.order.map { final[$0] })
        case .multi(let list):
            var sequence = input
            var final: [Tensor] = []
            var offset = 0
            for (index, inner) in list.enumerated() {
                if index > 0, sequence.shape[2] != inner.inputSize {
                    throw TensorError(op: op, shapes: [[sequence.shape[2]], [inner.inputSize]],
                                      reason: "do not fit: cell \(index - 1) outputs \(sequence.shape[2]) features, cell \(index) takes \(inner.inputSize)")
                }
                let shifted = stateDropouts.map { d in
                    StateDropout(keep: d.keep, variational: d.variational,
                                 site: DropoutSite(wrapper: d.site.wrapper, part: .state, index: d.site.index + offset))
                }
                let (outputs, states) = try run(inner, sequence, state: &state, stateDropouts: shifted)
                offset += states.count
                final += states
                sequence = outputs
            }
            return (sequence, final)
        case .dropout(let inner, let w):
            var x = input
            if w.input < 1 { x = try dropped(x, keep: w.input, variational: w.variational, site: DropoutSite(wrapper: w.wrapper, part: .input)) }
            var inside = stateDropouts
            if w.state < 1 {
                // Each cell's `h` (an LSTM state's `c` is never dropped), at its index in the wrapped cell's state.
                inside.append(StateDropout(keep: w.state, variational: w.variational,
                                           site: DropoutSite(wrapper: w.wrapper, part: .state, index: 0)))
            }
            var (outputs, final) = try run(inner, x, state: &state, stateDropouts: inside)
            if w.output < 1 {
                outputs = try dropped(outputs, keep: w.output, variational: w.variational,
                                      site: DropoutSite(wrapper: w.wrapper, part: .output))
            }
            return (outputs, final)
        case .residual(let inner):
            let (outputs, final) = try run(inner, input, state: &state, stateDropouts: stateDropouts)
            guard outputs.shape == input.shape else {
                let rows = timeMajor ? input.shape[1] : input.shape[0]
                throw TensorError(op: "ResidualWrapper", shapes: [input.shape, outputs.shape],
                                  reason: "do not fit: Shapes (\(rows), \(input.shape[2])) and (\(rows), \(outputs.shape[2])) are incompatible (the cell's output must have its input's size)")
            }
            var sum = try add(input, outputs)
            if case .lengths(let lengths) = mask {
                // TensorFlow's loop writes zeros past each sequence's end, after the wrapper's sum.
                let shape = timeMajor ? [time, batch, 1] : [batch, time, 1]
                let kept = try Tensor(shape: shape) { p in
                    for b in 0..<batch {
                        for t in 0..<time { p[timeMajor ? t * batch + b : b * time + t] = t < lengths[b] ? 1 : 0 }
                    }
                }
                sum = try multiply(sum, kept)
            }
            return (sum, final)
        }
    }

    /// `x` times a dropout mask of a sequence: `[1, 1, width]` for every step (variational), or each element its own.
    private func dropped(_ x: Tensor, keep: Float, variational: Bool, site: DropoutSite) throws -> Tensor {
        guard let noise else { throw TensorError(op: op, shapes: [x.shape], reason: "has a DropoutWrapper but no randomness to draw its masks from") }
        let width = x.shape[2]
        if variational {
            let mask = try noise.mask(site, keep: keep, shape: [1, width])
            return try multiply(x, reshape(mask, [1, 1, width]))
        }
        let mask = try noise.mask(site, keep: keep, shape: [time * batch, width])
        return try multiply(x, reshape(mask, x.shape))
    }

    /// The product of the state masks of every step, `[time, batch, width]` (rows of the loop's steps).
    private func stateMask(_ dropouts: [StateDropout], width: Int) throws -> Tensor {
        guard let noise else { throw TensorError(op: op, shapes: [], reason: "has a DropoutWrapper but no randomness to draw its masks from") }
        let count = time * batch * width
        let product = try Tensor(shape: [time, batch, width], scalars: Array(repeating: 1, count: count))
        let p = product.storage.base
        for d in dropouts {
            // A variational mask is one row for every step and sequence.
            let rows = d.variational ? 1 : time * batch
            let m = try noise.mask(d.site, keep: d.keep, shape: [rows, width])
            for i in 0..<count { p[i] *= m.storage.base[i % (rows * width)] }
            withExtendedLifetime(m) {}
        }
        return product
    }
}

extension RecurrentLoop {
    /// A `DropoutWrapper`'s state dropout at step `s`: `h` of each sequence the step computed
    /// times its mask (a finished sequence's carried state is not dropped again, as TensorFlow
    /// copies the state it had).
    func applyStateDropout(_ masks: Tensor, step s: Int, to h: Tensor, stepOf: (Int) -> Int?) {
        let o = cell.outputSize, hp = h.storage.base, mp = masks.storage.base + s * batch * o
        for b in 0..<batch where stepOf(b) != nil {
            for k in 0..<o { hp[b * o + k] *= mp[b * o + k] }
        }
        withExtendedLifetime((masks, h)) {}
    }
}
