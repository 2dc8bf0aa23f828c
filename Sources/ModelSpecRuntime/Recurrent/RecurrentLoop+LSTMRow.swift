import CConvolution

/// Batch 1 of the common LSTM cell (sigmoid gates, tanh, no peepholes, cell clip, projection or
/// recurrent dropout, units a multiple of 16): each step is one C call, `clstm_row_step`, that
/// accumulates the state's product block by block in registers and runs the gate pass on it
/// there, writing `c` in place and `h` straight into the step's output row, which the next
/// step reads as its state. Alternate steps take the kernel's blocks in the opposite order,
/// so that the part read last is still in cache. The values are those of the general loop in
/// `run`, bit for bit (`LSTMRowStepTests`), and a trace records the same.
extension RecurrentLoop {
    /// The cell's gate math when this loop runs the fused batch-1 steps.
    var fusedRowMath: RecurrentCell.LSTMMath? {
        guard fusesBatchOneSteps, batch == 1, usesPackedKernel, cell.units % Int(CSGEMM_PANEL) == 0 else { return nil }
        return plainLSTMMath
    }

    /// The steps after the input projection `xp` (`[time, gateWidth]`) for ``fusedRowMath``.
    /// - Parameter state: `[c, h]`, copies of the initial state, updated to the final state.
    func runFusedRows(_ m: RecurrentCell.LSTMMath, projection xp: UnsafeMutablePointer<Float>, outputs: Tensor,
                      state: [Tensor], trace: RecurrentTrace?) -> (outputs: Tensor, state: [Tensor]) {
        let u = cell.units, g = cell.gateWidth, k = cell.recurrent.rows
        let packed = packedRecurrentKernel()
        let c = state[0].storage.base, out = outputs.storage.base
        // The state's h: the initial state's, then the output row of the last step computed.
        var h = UnsafePointer(state[1].storage.base)
        var computed = 0
        for s in 0..<time {
            if let trace {
                (trace.states[0].storage.base + s * u).update(from: c, count: u)
                (trace.states[1].storage.base + s * u).update(from: h, count: u)
            }
            guard let t = step(of: 0, at: s) else {
                // Past the sequence's length: zeros; masked (Keras): the previous output.
                let row = out + row(0, s) * u
                if case .keras = mask, computed > 0 { row.update(from: h, count: u) } else { row.update(repeating: 0, count: u) }
                continue
            }
            let next = out + row(0, t) * u
            let stepTrace = trace?.step(s, batch: 1)
            let done = clstm_row_step(Int32(u), Int32(k), h, packed.base, xp + row(0, t) * g, Int32(m.i), Int32(m.j),
                                      Int32(m.f), Int32(m.o), m.forgetBias, c, c, next, stepTrace?.gates(0),
                                      Int32(computed & 1))
            precondition(done == 1, "clstm_row_step takes units in multiples of \(CSGEMM_PANEL)")
            stepTrace?.aux(0).update(from: c, count: u)
            h = UnsafePointer(next)
            computed += 1
        }
        if computed > 0 { state[1].storage.base.update(from: h, count: u) }
        withExtendedLifetime((cell, packed, outputs, trace)) {}
        return (outputs, state)
    }
}
