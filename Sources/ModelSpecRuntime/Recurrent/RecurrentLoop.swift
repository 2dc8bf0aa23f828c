import CConvolution

/// Which steps of which sequences a loop computes, and what it writes for the others.
enum StepMask {
    /// Every step of every sequence.
    case none
    /// `sequence_length` of TF1's loops: from each sequence's end on, outputs are
    /// zero and the state is carried unchanged.
    case lengths([Int])
    /// A Keras mask, `[batch · time]` batch-major: at a masked step the state is
    /// carried and the output is the previous step's (zeros before the first).
    case keras([Bool])
}

/// One cell run over a sequence: the input projection of all steps as one product
/// (one per kernel block), then per step the state's product and one pass over
/// the gates. Every buffer is allocated before the first step.
struct RecurrentLoop {
    let cell: RecurrentCell
    let batch: Int, time: Int
    let timeMajor: Bool
    let mask: StepMask
    /// Runs the sequence backwards (within each sequence's length when there are lengths),
    /// writing each output at its own step: TF1's `bidirectional_dynamic_rnn` backward direction.
    let reverse: Bool
    /// A `DropoutWrapper`'s masks of the state `h` a step hands on (`[time, batch, outputSize]`, by the
    /// loop's step): applied after the step's output is written (``applyStateDropout(_:step:to:stepOf:)``).
    var stateDropout: Tensor? = nil
    /// Batch 1 of the common LSTM cell runs one fused C call a step (``fusedRowMath``); false
    /// keeps it on the general loop, which tests compare it with.
    var fusesBatchOneSteps = true

    /// Without AVX-512, from this batch size on the state's product is OpenBLAS's GEMM rather than the packed kernel's.
    static let rowsForBLAS = 16
    /// With AVX-512 the packed kernel's 16-row tiles are faster than OpenBLAS's GEMM at any batch
    /// while a panel of the kernel (its rows × 16 floats) stays in L1: up to this many rows.
    static let packedRowsWithAVX512 = 512

    /// Whether the state's product is `csgemm_run` over the kernel packed once, not `cblas_sgemm`.
    var usesPackedKernel: Bool {
        batch < Self.rowsForBLAS || (KernelInstructions.inUse == .avx512 && cell.recurrent.rows <= Self.packedRowsWithAVX512)
    }

    /// The row of the `[batch, time]` or `[time, batch]` layout for step `t` of sequence `b`.
    @inline(__always)
    func row(_ b: Int, _ t: Int) -> Int { timeMajor ? t * batch + b : b * time + t }

    /// The step of sequence `b` computed at the loop's step `s`, or nil where it is past
    /// its end or masked.
    @inline(__always)
    func step(of b: Int, at s: Int) -> Int? {
        switch mask {
        case .none: return reverse ? time - 1 - s : s
        case .lengths(let lengths):
            let length = lengths[b]
            guard s < length else { return nil }
            return reverse ? length - 1 - s : s
        case .keras(let flags):
            return flags[b * time + s] ? s : nil
        }
    }

    /// - Parameters:
    ///   - input: `[batch, time, inputSize]` (`[time, batch, inputSize]` when time-major).
    ///   - state: the initial state in the cell's internal order (`[h]`, `[c, h]`), each `[batch, size]`.
    ///   - trace: filled with what the backward pass needs of each step (while a tape records).
    /// - Returns: the outputs in the input's layout and the final state, in the internal order.
    func run(_ input: Tensor, state initial: [Tensor], trace: RecurrentTrace? = nil) -> (outputs: Tensor, state: [Tensor]) {
        let g = cell.gateWidth, u = cell.units, o = cell.outputSize
        let rows = batch * time
        let outputs = Tensor(uninitializedShape: timeMajor ? [time, batch, o] : [batch, time, o])
        var current = initial.map { copy($0) }
        var next = initial.map { Tensor(uninitializedShape: $0.shape) }
        guard time > 0, batch > 0 else { return (outputs, current) }

        // The input projection of every step.
        let projection = Tensor(uninitializedShape: [rows, g])
        let xp = projection.storage.base
        projectInput(input, rows: rows, into: xp, by: inputProjection)
        if lstmBatchStepsApply(trace: trace) {
            runLSTMBatchSteps(projection: xp, outputs: outputs, state: &current)
            withExtendedLifetime((input, projection)) {}
            return (outputs, current)
        }

        if let m = fusedRowMath {
            return withExtendedLifetime((input, projection)) {
                runFusedRows(m, projection: xp, outputs: outputs, state: current, trace: trace)
            }
        }

        // Per-step buffers.
        let recurrentWidth = cell.recurrent.columns
        let product = Tensor(uninitializedShape: [batch, recurrentWidth])
        let scratch = Tensor(uninitializedShape: [batch, u])
        let candidate = Tensor(uninitializedShape: [batch, u])
        let held = Tensor(uninitializedShape: [batch, o])
        held.storage.base.update(repeating: 0, count: batch * o)
        let hIndex = current.count - 1   // h is the last internal state tensor
        let recurrentInput = cell.recurrent.rows

        // The state's product: `csgemm_run` over the kernel packed once, or OpenBLAS's GEMM, which
        // packs it every step: with AVX2 tiles (6 rows) GEMM is twice as fast from 16 rows on
        // ([64, 256]·[256, 1024]: 0.41 ms against 0.82), with AVX-512's 16-row tiles the packed
        // kernel is faster at any batch (0.33 against 0.42 at 64 rows) while a panel stays in L1
        // ([64, 1024]·[1024, 4096]: 12.3 ms against 7.1).
        let stateMasks = cell.dropoutMasks?.state
        let maskedState = stateMasks.map { _ in Tensor(uninitializedShape: [batch, u]) }
        let packed = usesPackedKernel && stateMasks == nil ? packedRecurrentKernel() : nil
        for s in 0..<time {
            let hPrev = current[hIndex].storage.base
            let stepTrace = trace?.step(s, batch: batch)
            if let trace {
                for (i, state) in current.enumerated() { trace.keep(state, into: trace.states[i], at: s) }
            }
            if let stateMasks, let maskedState {
                multiplyMaskedState(hPrev, masks: stateMasks, scratch: maskedState.storage.base, into: product.storage.base)
            } else if let packed {
                csgemm_run(Int32(batch), Int32(recurrentWidth), Int32(recurrentInput), hPrev, Int32(recurrentInput),
                           packed.base, nil, 0, product.storage.base, Int32(recurrentWidth))
            } else {
                multiply(hPrev, lda: recurrentInput, rows: batch, cell.recurrent, into: product.storage.base,
                         ldc: recurrentWidth)
            }
            func stepOf(_ b: Int) -> Int? { step(of: b, at: s) }
            switch cell.math {
            case .simple(let activation):
                let p = product.storage.base, h = next[0].storage.base
                for b in 0..<batch {
                    guard let t = stepOf(b) else { continue }
                    let x = xp + row(b, t) * g, d = h + b * u, r = p + b * u
                    for k in 0..<u { d[k] = x[k] + r[k] }
                    stepTrace?.gates(b).update(from: d, count: u)
                    activate(activation, d, u)
                }
            case .lstm(let m):
                lstmStep(m, xp: xp, product: product.storage.base, cPrev: current[0].storage.base,
                         c: next[0].storage.base, hidden: scratch.storage.base, trace: stepTrace, stepOf: stepOf)
                let h = next[1].storage.base
                if let projection = m.projection {
                    sgemm(m: batch, n: o, k: u, a: scratch.storage.base, lda: u, b: projection.storage.base, ldb: o,
                          c: h, ldc: o)
                    if let clip = m.projectionClip {
                        if let stepTrace {
                            for b in 0..<batch where stepOf(b) != nil { stepTrace.projected(b).update(from: h + b * o, count: o) }
                        }
                        for i in 0..<(batch * o) { h[i] = Swift.min(Swift.max(h[i], -clip), clip) }
                    }
                } else {
                    h.update(from: scratch.storage.base, count: batch * u)
                }
            case .gru(let m):
                gruStep(m, xp: xp, product: product.storage.base, hPrev: hPrev, h: next[0].storage.base,
                        scratch: scratch.storage.base, candidate: candidate.storage.base, trace: stepTrace, stepOf: stepOf)
            }
            // Carry the state and write the outputs.
            let h = next[hIndex].storage.base, out = outputs.storage.base, hold = held.storage.base
            for b in 0..<batch {
                if let t = stepOf(b) {
                    (out + row(b, t) * o).update(from: h + b * o, count: o)
                    if case .keras = mask { (hold + b * o).update(from: h + b * o, count: o) }
                } else {
                    for i in 0..<current.count {
                        let n = current[i].shape[1]
                        (next[i].storage.base + b * n).update(from: current[i].storage.base + b * n, count: n)
                    }
                    if case .keras = mask {
                        (out + row(b, s) * o).update(from: hold + b * o, count: o)
                    } else {
                        (out + row(b, s) * o).update(repeating: 0, count: o)
                    }
                }
            }
            if let stateDropout { applyStateDropout(stateDropout, step: s, to: next[hIndex], stepOf: stepOf) }
            swap(&current, &next)
        }
        withExtendedLifetime((input, cell, projection, product, scratch, candidate, held, packed, maskedState, trace)) {}
        return (outputs, current)
    }

    /// One LSTM step: `c` and `hidden = σ(o)·act(c)` (before the projection) of every active sequence.
    private func lstmStep(_ m: RecurrentCell.LSTMMath, xp: UnsafeMutablePointer<Float>, product: UnsafeMutablePointer<Float>,
                          cPrev: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
                          hidden: UnsafeMutablePointer<Float>, trace: RecurrentTrace.Step?, stepOf: (Int) -> Int?) {
        let g = cell.gateWidth, u = cell.units
        let peep = m.peepholes.map { ($0.f.storage.base, $0.i.storage.base, $0.o.storage.base) }
        if m.hasCommonGates {
            // The common cell in one C pass (AVX-512 / AVX2), the same values as the loop below.
            for b in 0..<batch {
                guard let t = stepOf(b) else { continue }
                let cn = c + b * u, hn = hidden + b * u
                clstm_gates(Int32(u), xp + row(b, t) * g, product + b * g, Int32(m.i), Int32(m.j), Int32(m.f), Int32(m.o),
                            m.forgetBias, cPrev + b * u, cn, hn, trace?.gates(b))
                trace?.aux(b).update(from: cn, count: u)
                if m.projection != nil { trace?.hidden(b).update(from: hn, count: u) }
            }
            return
        }
        for b in 0..<batch {
            guard let t = stepOf(b) else { continue }
            let x = xp + row(b, t) * g, gates = product + b * g
            let cp = cPrev + b * u, cn = c + b * u, hn = hidden + b * u
            for k in 0..<g { gates[k] += x[k] }
            let i = gates + m.i, j = gates + m.j, f = gates + m.f, o = gates + m.o
            if let (wf, wi, _) = peep {
                for k in 0..<u { i[k] += wi[k] * cp[k]; f[k] += wf[k] * cp[k] }
            }
            if m.forgetBias != 0 { for k in 0..<u { f[k] += m.forgetBias } }
            trace?.gates(b).update(from: gates, count: g)
            activate(m.recurrentActivation, i, u)
            activate(m.recurrentActivation, f, u)
            activate(m.activation, j, u)
            for k in 0..<u { cn[k] = f[k] * cp[k] + i[k] * j[k] }
            trace?.aux(b).update(from: cn, count: u)
            if let clip = m.cellClip { for k in 0..<u { cn[k] = Swift.min(Swift.max(cn[k], -clip), clip) } }
            if let (_, _, wo) = peep { for k in 0..<u { o[k] += wo[k] * cn[k] } }
            trace.map { ($0.gates(b) + m.o).update(from: o, count: u) }
            activate(m.recurrentActivation, o, u)
            hn.update(from: cn, count: u)
            activate(m.activation, hn, u)
            for k in 0..<u { hn[k] *= o[k] }
            if m.projection != nil { trace?.hidden(b).update(from: hn, count: u) }
        }
        withExtendedLifetime(m) {}
    }

    /// One GRU step of every active sequence. `product` holds the state's product
    /// (`[batch, 3u]` with its bias when the reset comes after it, else `[batch, 2u]`).
    private func gruStep(_ m: RecurrentCell.GRUMath, xp: UnsafeMutablePointer<Float>, product: UnsafeMutablePointer<Float>,
                         hPrev: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>, candidate: UnsafeMutablePointer<Float>,
                         trace: RecurrentTrace.Step?, stepOf: (Int) -> Int?) {
        let g = cell.gateWidth, u = cell.units, width = cell.recurrent.columns
        let recurrentBias = m.recurrentBias?.storage.base
        // A reset before the product masks the state it scales: r·(h'·r_candidate).
        let candidateMask = cell.dropoutMasks.map { $0.state[m.candidate / u].storage.base }
        // The gates, and for a reset before the product, r·h' for it.
        for b in 0..<batch {
            guard let t = stepOf(b) else { continue }
            let x = xp + row(b, t) * g, p = product + b * width, hp = hPrev + b * u, rh = scratch + b * u
            if let recurrentBias { for k in 0..<width { p[k] += recurrentBias[k] } }
            let z = p + m.update, r = p + m.reset
            for k in 0..<u { z[k] += x[m.update + k]; r[k] += x[m.reset + k] }
            if let trace {
                (trace.gates(b) + m.update).update(from: z, count: u)
                (trace.gates(b) + m.reset).update(from: r, count: u)
            }
            activate(m.recurrentActivation, z, u)
            activate(m.recurrentActivation, r, u)
            if m.resetAfter {
                let c = p + m.candidate
                trace?.aux(b).update(from: c, count: u)
                for k in 0..<u { c[k] = x[m.candidate + k] + r[k] * c[k] }
            } else {
                for k in 0..<u { rh[k] = r[k] * hp[k] }
                if let mask = candidateMask.map({ $0 + b * u }) { for k in 0..<u { rh[k] *= mask[k] } }
                trace?.aux(b).update(from: rh, count: u)
            }
        }
        if let kernel = m.candidateKernel {
            multiply(scratch, lda: u, rows: batch, kernel, into: candidate, ldc: u)
        }
        for b in 0..<batch {
            guard let t = stepOf(b) else { continue }
            let p = product + b * width, hp = hPrev + b * u, hn = h + b * u
            let c: UnsafeMutablePointer<Float>
            if m.resetAfter {
                c = p + m.candidate
            } else {
                c = candidate + b * u
                let x = xp + row(b, t) * g + m.candidate
                for k in 0..<u { c[k] += x[k] }
            }
            trace.map { ($0.gates(b) + m.candidate).update(from: c, count: u) }
            activate(m.activation, c, u)
            let z = p + m.update
            for k in 0..<u { hn[k] = z[k] * hp[k] + (1 - z[k]) * c[k] }
        }
        withExtendedLifetime((m, cell.dropoutMasks)) {}
    }

    /// The state's kernel packed once for `csgemm_run`, which each step streams without
    /// packing it again (`cblas_sgemm` would, every step), and kept with the weight's buffer
    /// (``PackedWeights``) for later calls.
    func packedRecurrentKernel() -> TensorBuffer<Float> {
        let block = cell.recurrent
        return PackedWeights.block(block.tensor, start: block.firstRow * block.stride + block.offset, stride: block.stride,
                                   rows: block.rows, n: block.columns)
    }

    /// `c[rows, block.columns] = a[rows, block.rows] · block` (leading dimensions `lda`, `ldc`).
    func multiply(_ a: UnsafePointer<Float>, lda: Int, rows: Int, _ block: RecurrentCell.MatrixBlock,
                          into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
        let b = block.tensor.storage.base + block.firstRow * block.stride + block.offset
        sgemm(m: rows, n: block.columns, k: block.rows, a: a, lda: lda, b: b, ldb: block.stride,
              c: c, ldc: ldc, accumulate: accumulate)
        withExtendedLifetime(block.tensor) {}
    }

    private func copy(_ t: Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: t.shape)
        out.storage.base.update(from: t.storage.base, count: t.scalarCount)
        return out
    }
}
