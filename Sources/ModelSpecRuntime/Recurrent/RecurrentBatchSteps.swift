import CConvolution

/// The steps of the common LSTM cell at larger batches (sigmoid gates, tanh, no peepholes,
/// cell clip or projection; every step of every sequence), where `h` lives in the outputs:
/// each step's state product reads the previous step's outputs in place (their rows are
/// `time · units` or `units` apart, a leading dimension for `csgemm_run`) and the gate pass
/// writes `h` straight into the step's outputs, so no step copies `h` (two copies a step in
/// ``RecurrentLoop/run(_:state:trace:)``'s general loop). The same products and gate pass
/// as the general loop, so the same values bit for bit.
extension RecurrentLoop {
    /// From this batch on (the state's product with many rows, ``usesPackedKernel`` with AVX-512).
    static let batchStepsFromRows = 16

    /// Whether ``runLSTMBatchSteps(projection:outputs:state:)`` computes this loop's steps: not
    /// while a tape records (the trace keeps each step's state tensors) or with masks or dropout
    /// (Keras's recurrent dropout, a `DropoutWrapper`'s state dropout).
    func lstmBatchStepsApply(trace: RecurrentTrace?) -> Bool {
        guard trace == nil, batch >= Self.batchStepsFromRows, usesPackedKernel, case .none = mask else { return false }
        return plainLSTMMath != nil
    }

    /// The cell's math when the LSTM's fast paths (these batch steps, ``fusedRowMath``) may take
    /// it: gates the C passes compute, no projection, and no dropout on the state.
    var plainLSTMMath: RecurrentCell.LSTMMath? {
        guard cell.dropoutMasks == nil, stateDropout == nil, case .lstm(let m) = cell.math,
              m.hasCommonGates, m.projection == nil else { return nil }
        return m
    }

    /// Runs every step into `outputs` from the input projection `xp`; `state` is the initial
    /// `[c, h]` on entry and the final on return.
    func runLSTMBatchSteps(projection xp: UnsafePointer<Float>, outputs: Tensor, state: inout [Tensor]) {
        guard case .lstm(let m) = cell.math else { preconditionFailure("runLSTMBatchSteps on a cell that is not an LSTM") }
        let g = cell.gateWidth, u = cell.units, width = cell.recurrent.columns
        let packed = packedRecurrentKernel()
        let product = Tensor(uninitializedShape: [batch, width])
        var c = state[0], cNext = Tensor(uninitializedShape: [batch, u])
        let out = outputs.storage.base
        // Rows of one step in the outputs: `row(b, t) = b · time + t` (or `t · batch + b`).
        let ldOut = timeMajor ? u : time * u
        var hPrev = UnsafePointer(state[1].storage.base), ldPrev = u
        for s in 0..<time {
            let t = reverse ? time - 1 - s : s
            csgemm_run(Int32(batch), Int32(width), Int32(u), hPrev, Int32(ldPrev), packed.base, nil, 0,
                       product.storage.base, Int32(width))
            let cp = c.storage.base, cn = cNext.storage.base, p = product.storage.base
            for b in 0..<batch {
                clstm_gates(Int32(u), xp + row(b, t) * g, p + b * width, Int32(m.i), Int32(m.j), Int32(m.f), Int32(m.o),
                            m.forgetBias, cp + b * u, cn + b * u, out + row(b, t) * u, nil)
            }
            swap(&c, &cNext)
            (hPrev, ldPrev) = (UnsafePointer(out + row(0, t) * u), ldOut)
        }
        let h = Tensor(uninitializedShape: [batch, u])
        for b in 0..<batch { (h.storage.base + b * u).update(from: hPrev + b * ldPrev, count: u) }
        withExtendedLifetime((cell, packed, product, outputs, state)) {}
        state = [c, h]
    }
}
