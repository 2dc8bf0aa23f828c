import CConvolution

/// Backpropagation through time for ``RecurrentLoop``: the loop's backward rule, beside
/// its kernel.
///
/// The steps run backwards from the final state's gradient. Each step turns the gradient
/// of its output and state into the gradient of the gates' inputs (TensorFlow's gradients
/// of its cells' operations, `clip_by_value` passing where the value was within the
/// bounds); those of the state's product give the previous state's gradient (`dG·Rᵀ`, one
/// product per step, on the kernel transposed and packed once where the forward pass packs it)
/// and are kept for every step, so that the recurrent kernel's
/// gradient `Σ_s h'_sᵀ·dG_s` is one product over all steps after the last; those of the
/// input projection are kept for every step too, and the input's gradient and the input
/// kernels' are one product each over all steps (as are the LSTM projection's and a GRU
/// candidate kernel's that reset before it). The common LSTM step (no peepholes, no clip,
/// sigmoid and tanh) is one C pass per sequence (`clstm_gates_backward`). Every buffer is allocated once.
/// Sequences a step does not compute carry their state's gradient unchanged; under a
/// Keras mask the gradient of an output repeated at masked steps goes to the step that
/// computed it.
extension RecurrentLoop {
    /// ``run(_:state:trace:)``, recorded on the tape when one follows the sequence, the
    /// initial state or a weight of the cell: one entry whose outputs are the outputs and
    /// the final state (internal order), whose rule is ``backward(_:trace:outputGradient:stateGradients:inputNeeded:)``.
    func runRecorded(_ input: Tensor, state initial: [Tensor], op: String) throws -> (outputs: Tensor, state: [Tensor]) {
        guard let tape = GradientTape.active else { return run(input, state: initial) }
        let weights = cell.differentiableWeights
        guard tape.isFollowing(input) || (initial + weights).contains(where: tape.isFollowing) else {
            return run(input, state: initial)
        }
        if let activation = cell.activations.first(where: { !$0.isElementwise }) {
            throw TensorError(op: op, shapes: [input.shape],
                              reason: "has no gradient with the cell activation \(activation): only elementwise activations are differentiated")
        }
        let trace = try RecurrentTrace(cell, batch: batch, time: time)
        let (outputs, state) = run(input, state: initial, trace: trace)
        tape.record("recurrent loop", outputs: [outputs] + state, [input] + initial + weights) { gradients, needed in
            let result = try backward(input, trace: trace, outputGradient: gradients[0],
                                      stateGradients: Array(gradients[1...state.count]), inputNeeded: needed[0])
            return [result.input] + result.initialState + weights.map { result.weights[ObjectIdentifier($0.storage)] }
        }
        return (outputs, state)
    }

    struct Gradients {
        /// `[batch, time, inputSize]` (or time-major, as the input); nil when not asked for.
        var input: Tensor?
        /// The initial state's, in the internal order.
        var initialState: [Tensor]
        /// Each of ``RecurrentCell/differentiableWeights``', by storage.
        var weights: [ObjectIdentifier: Tensor]
    }

    /// - Parameters:
    ///   - input: the sequence the loop ran on with `trace`.
    ///   - outputGradient: the outputs' gradient (their layout), or nil.
    ///   - stateGradients: the final state's, internal order, nil where none.
    func backward(_ input: Tensor, trace: RecurrentTrace, outputGradient: Tensor?, stateGradients: [Tensor?],
                  inputNeeded: Bool) throws -> Gradients {
        let g = cell.gateWidth, u = cell.units, o = cell.outputSize
        let sizes = cell.internalStateSizes
        var weights: [ObjectIdentifier: Tensor] = [:]
        for w in cell.differentiableWeights { weights[ObjectIdentifier(w.storage)] = try Tensor.zeros(w.shape) }
        func gradient(_ t: Tensor) -> UnsafeMutablePointer<Float> { weights[ObjectIdentifier(t.storage)]!.storage.base }
        func gradient(_ block: RecurrentCell.MatrixBlock) -> UnsafeMutablePointer<Float> {
            gradient(block.tensor) + block.firstRow * block.stride + block.offset
        }
        var dState = try zip(stateGradients, sizes).map { given, n in
            try given.map { try Tensor(shape: [batch, n], scalars: $0.scalars) } ?? Tensor.zeros([batch, n])
        }
        guard time > 0, batch > 0 else {
            return Gradients(input: inputNeeded ? try Tensor.zeros(input.shape) : nil, initialState: dState, weights: weights)
        }
        var dPrevious = try sizes.map { try Tensor.zeros([batch, $0]) }
        let rows = batch * time
        let dProjection = try Tensor.zeros([rows, g])            // the input projection's, every step
        let recurrent = cell.recurrent
        let width = recurrent.columns
        // The state's product's gradient, `[time, batch, width]` in the loop's order of steps (the
        // recurrent kernel's gradient is one product over all of them at the end); one step's
        // rows, reused, under recurrent dropout's per-gate masks.
        let stateMasks = cell.dropoutMasks?.state
        let dProducts = try Tensor.zeros([stateMasks == nil ? time : 1, batch, width])
        // dG·Rᵀ of every step on Rᵀ packed once for `csgemm_run` (OpenBLAS's GEMM would pack it every
        // step), when the forward pass streams R packed too (``usesPackedKernel``).
        let packedTranspose = stateMasks == nil && usesPackedKernel ? packedTransposedRecurrentKernel() : nil
        let dStateProduct = try Tensor.zeros([packedTranspose == nil ? 0 : batch, recurrent.rows])
        let dOutput = try Tensor.zeros([batch, o])                // the step's output's, in total
        let dHeld = try Tensor.zeros([batch, o])                  // outputs repeated at masked steps
        let values = try Tensor.zeros([batch, g])                 // the gates' activations, recomputed
        let cellBuffers = try BackwardBuffers(cell, batch: batch, time: time)
        let hIndex = sizes.count - 1
        // The state gradients' buffers, swapped after each step (the arrays are shared, not copied, per step).
        var dStateBases = dState.map { $0.storage.base }, dPreviousBases = dPrevious.map { $0.storage.base }
        let dOut = outputGradient?.storage.base
        let keras: Bool
        if case .keras = mask { keras = true } else { keras = false }

        for s in (0..<time).reversed() {
            let step = trace.step(s, batch: batch)
            let dh = dState[hIndex].storage.base, dm = dOutput.storage.base, held = dHeld.storage.base
            for b in 0..<batch {
                let dmb = dm + b * o, hb = held + b * o
                if let t = self.step(of: b, at: s) {
                    dmb.update(from: dh + b * o, count: o)
                    // A DropoutWrapper's state mask: the next step (and the final state) had `h` times it.
                    if let mask = stateDropout?.storage.base { for k in 0..<o { dmb[k] *= mask[(s * batch + b) * o + k] } }
                    if let dOut { for k in 0..<o { dmb[k] += dOut[row(b, t) * o + k] } }
                    if keras {
                        for k in 0..<o { dmb[k] += hb[k] }
                        hb.update(repeating: 0, count: o)
                    }
                } else {
                    dmb.update(repeating: 0, count: o)
                    if keras, let dOut { for k in 0..<o { hb[k] += dOut[row(b, s) * o + k] } }
                    // The state is carried: so is its gradient.
                    for i in 0..<sizes.count {
                        let n = sizes[i]
                        (dPrevious[i].storage.base + b * n).update(from: dState[i].storage.base + b * n, count: n)
                    }
                }
            }
            let dProduct = dProducts.storage.base + (stateMasks == nil ? s * batch * width : 0)
            if stateMasks != nil { dProduct.update(repeating: 0, count: batch * width) }
            let context = StepContext(s: s, trace: step, dOutput: dm, dProduct: dProduct,
                                      dProjection: dProjection.storage.base, values: values.storage.base,
                                      dPrevious: dPreviousBases, dState: dStateBases)
            switch cell.math {
            case .simple(let activation):
                for b in 0..<batch {
                    guard let t = self.step(of: b, at: s) else { continue }
                    let pre = step.gates(b), y = context.values + b * g, dx = context.dProjection + row(b, t) * g
                    let dp = context.dProduct + b * width, dm = context.dOutput + b * o
                    y.update(from: pre, count: u)
                    activate(activation, y, u)
                    for k in 0..<u {
                        let d = dm[k] * activation.derivative(x: pre[k], y: y[k])
                        dx[k] = d
                        dp[k] = d
                    }
                    (context.dPrevious[0] + b * u).update(repeating: 0, count: u)
                }
            case .lstm(let m):
                lstmBackward(m, context, cellBuffers, gradient: gradient)
            case .gru(let m):
                gruBackward(m, context, cellBuffers, gradient: gradient)
            }
            // The state's product: h'·R (per gate, h'·r_k·R_k, under recurrent dropout).
            if let stateMasks {
                backMaskedState(step.state(hIndex, 0), masks: stateMasks, dProduct: dProduct,
                                scratch: cellBuffers.scratch.storage.base, dPrevious: dPrevious[hIndex].storage.base,
                                kernelGradient: gradient(recurrent))
            } else {
                if let packedTranspose {
                    let d = dPrevious[hIndex].storage.base, p = dStateProduct.storage.base
                    csgemm_run(Int32(batch), Int32(recurrent.rows), Int32(width), dProduct, Int32(width), packedTranspose.base,
                               nil, 0, p, Int32(recurrent.rows))
                    for i in 0..<(batch * recurrent.rows) { d[i] += p[i] }
                } else {
                    let kernel = recurrent.tensor.storage.base + recurrent.firstRow * recurrent.stride + recurrent.offset
                    sgemm(transB: true, m: batch, n: recurrent.rows, k: width, a: dProduct, lda: width,
                          b: kernel, ldb: recurrent.stride, c: dPrevious[hIndex].storage.base, ldc: recurrent.rows,
                          accumulate: true)
                }
            }
            swap(&dState, &dPrevious)
            swap(&dStateBases, &dPreviousBases)
        }
        withExtendedLifetime(dPrevious) {}
        if stateMasks == nil {
            // The recurrent kernel's: every step's h'ᵀ·dG in one product (the trace keeps h' in step order).
            sgemm(transA: true, m: recurrent.rows, n: width, k: rows, a: trace.states[hIndex].storage.base,
                  lda: recurrent.rows, b: dProducts.storage.base, ldb: width, c: gradient(recurrent),
                  ldc: recurrent.stride, accumulate: true)
        }

        // The input projection of every step.
        let dInput = inputNeeded ? try Tensor.zeros(input.shape) : nil
        let inputSize = cell.inputSize
        for block in cell.inputBlocks {
            if let masks = cell.dropoutMasks?.input, !masks.isEmpty {
                backMaskedInput(input, block, masks: masks, dProjection: dProjection.storage.base,
                                dInput: dInput?.storage.base, kernelGradient: gradient(block))
                continue
            }
            let dp = dProjection.storage.base + block.target
            if let dInput {
                let kernel = block.tensor.storage.base + block.firstRow * block.stride + block.offset
                sgemm(transB: true, m: rows, n: inputSize, k: block.columns, a: dp, lda: g, b: kernel, ldb: block.stride,
                      c: dInput.storage.base, ldc: inputSize, accumulate: true)
            }
            sgemm(transA: true, m: inputSize, n: block.columns, k: rows, a: input.storage.base, lda: inputSize,
                  b: dp, ldb: g, c: gradient(block), ldc: block.stride, accumulate: true)
        }
        for (bias, offset) in cell.inputBiases {
            addColumnSums(dProjection.storage.base + offset, rows: rows, columns: bias.scalarCount, stride: g, into: gradient(bias))
        }
        cellBuffers.finish(cell, trace: trace, rows: rows, gradient: gradient)
        withExtendedLifetime((input, trace, outputGradient, cell, dProjection, dProducts, dOutput, dHeld, values, cellBuffers,
                              packedTranspose, dStateProduct, stateDropout)) {}
        return Gradients(input: dInput, initialState: dState, weights: weights)
    }

    /// The state's kernel block transposed (`[columns, rows]`) and packed for `csgemm_run`, for this call.
    private func packedTransposedRecurrentKernel() -> TensorBuffer<Float> {
        let block = cell.recurrent, rows = block.rows, columns = block.columns
        let transposed = TensorBuffer<Float>(uninitializedCount: rows * columns)
        let source = block.tensor.storage.base + block.firstRow * block.stride + block.offset, t = transposed.base
        for r in 0..<rows {
            let row = source + r * block.stride
            for c in 0..<columns { t[c * rows + r] = row[c] }
        }
        let packed = TensorBuffer<Float>(uninitializedCount: csgemm_packed_count(Int32(columns), Int32(rows)))
        csgemm_pack(Int32(columns), Int32(rows), t, Int32(rows), packed.base)
        withExtendedLifetime((block.tensor, transposed)) {}
        return packed
    }

    /// What one step's backward pass reads and writes, the rows of step `s`.
    struct StepContext {
        let s: Int
        let trace: RecurrentTrace.Step
        /// `[batch, outputSize]`: the gradient of each sequence's output at this step, zero where not computed.
        let dOutput: UnsafeMutablePointer<Float>
        /// `[batch, recurrent columns]`: the gradient of the state's product's gates (zeros in, filled for computed sequences).
        let dProduct: UnsafeMutablePointer<Float>
        /// `[rows, gateWidth]`: the input projection's, at the rows of the input's layout.
        let dProjection: UnsafeMutablePointer<Float>
        /// `[batch, gateWidth]` scratch for the gates' activations.
        let values: UnsafeMutablePointer<Float>
        /// The previous state's gradient, besides the product's (written for computed sequences).
        let dPrevious: [UnsafeMutablePointer<Float>]
        /// The gradient of the state this step made.
        let dState: [UnsafeMutablePointer<Float>]
    }

    /// One LSTM step. The state is `[c, h]`; `dOutput` already holds h's gradient.
    private func lstmBackward(_ m: RecurrentCell.LSTMMath, _ x: StepContext, _ buffers: BackwardBuffers,
                              gradient: (Tensor) -> UnsafeMutablePointer<Float>) {
        let g = cell.gateWidth, u = cell.units, o = cell.outputSize
        // Through the projection and its clip: the gradient of σ(o)·act(c).
        var dHidden = x.dOutput
        if let projection = m.projection {
            let dm = buffers.dProjected!.storage.base + x.s * batch * o
            dm.update(from: x.dOutput, count: batch * o)
            if let clip = m.projectionClip {
                for b in 0..<batch where step(of: b, at: x.s) != nil {
                    let pre = x.trace.projected(b), d = dm + b * o
                    for k in 0..<o where !(pre[k] >= -clip && pre[k] <= clip) { d[k] = 0 }
                }
            }
            dHidden = buffers.scratch.storage.base
            sgemm(transB: true, m: batch, n: u, k: o, a: dm, lda: o, b: projection.storage.base, ldb: o, c: dHidden, ldc: u)
        }
        if m.hasCommonGates {
            // The common cell in one C pass (AVX-512 / AVX2), the same values as the loop below.
            for b in 0..<batch {
                guard let t = step(of: b, at: x.s) else { continue }
                let dx = x.dProjection + row(b, t) * g
                clstm_gates_backward(Int32(u), x.trace.gates(b), x.trace.aux(b), x.trace.state(0, b), dHidden + b * u,
                                     x.dState[0] + b * u, Int32(m.i), Int32(m.j), Int32(m.f), Int32(m.o),
                                     x.dPrevious[0] + b * u, dx)
                (x.dProduct + b * g).update(from: dx, count: g)
                (x.dPrevious[1] + b * o).update(repeating: 0, count: o)
            }
            return
        }
        let c = buffers.cell.storage.base, ac = buffers.activatedCell.storage.base
        let peep = m.peepholes.map { (gradient($0.f), gradient($0.i), gradient($0.o), $0.f.storage.base, $0.i.storage.base, $0.o.storage.base) }
        for b in 0..<batch {
            guard let t = step(of: b, at: x.s) else { continue }
            let pre = x.trace.gates(b), y = x.values + b * g, cRaw = x.trace.aux(b), cp = x.trace.state(0, b)
            let dh = dHidden + b * u, dc = x.dState[0] + b * u, dcPrev = x.dPrevious[0] + b * u
            let dx = x.dProjection + row(b, t) * g, dp = x.dProduct + b * g
            y.update(from: pre, count: g)
            activate(m.recurrentActivation, y + m.i, u)
            activate(m.recurrentActivation, y + m.f, u)
            activate(m.activation, y + m.j, u)
            activate(m.recurrentActivation, y + m.o, u)
            for k in 0..<u { c[k] = m.cellClip.map { clip in Swift.min(Swift.max(cRaw[k], -clip), clip) } ?? cRaw[k] }
            ac.update(from: c, count: u)
            activate(m.activation, ac, u)
            for k in 0..<u {
                let dO = dh[k] * ac[k] * m.recurrentActivation.derivative(x: pre[m.o + k], y: y[m.o + k])
                var dC = dc[k] + dh[k] * y[m.o + k] * m.activation.derivative(x: c[k], y: ac[k])
                if let (_, _, gwo, _, _, wo) = peep {
                    dC += dO * wo[k]
                    gwo[k] += dO * c[k]
                }
                if let clip = m.cellClip, !(cRaw[k] >= -clip && cRaw[k] <= clip) { dC = 0 }
                let dI = dC * y[m.j + k] * m.recurrentActivation.derivative(x: pre[m.i + k], y: y[m.i + k])
                let dF = dC * cp[k] * m.recurrentActivation.derivative(x: pre[m.f + k], y: y[m.f + k])
                let dJ = dC * y[m.i + k] * m.activation.derivative(x: pre[m.j + k], y: y[m.j + k])
                var dPrev = dC * y[m.f + k]
                if let (gwf, gwi, _, wf, wi, _) = peep {
                    dPrev += dI * wi[k] + dF * wf[k]
                    gwi[k] += dI * cp[k]
                    gwf[k] += dF * cp[k]
                }
                dcPrev[k] = dPrev
                dx[m.i + k] = dI; dx[m.f + k] = dF; dx[m.j + k] = dJ; dx[m.o + k] = dO
            }
            dp.update(from: dx, count: g)
            (x.dPrevious[1] + b * o).update(repeating: 0, count: o)
        }
    }

    /// One GRU step. The state is `[h]`.
    private func gruBackward(_ m: RecurrentCell.GRUMath, _ x: StepContext, _ buffers: BackwardBuffers,
                             gradient: (Tensor) -> UnsafeMutablePointer<Float>) {
        let g = cell.gateWidth, u = cell.units, width = cell.recurrent.columns
        let dCandidate = buffers.dCandidate.map { $0.storage.base + x.s * batch * u }
        let recurrentBias = m.recurrentBias.map(gradient)
        for b in 0..<batch {
            guard let t = step(of: b, at: x.s) else { continue }
            let pre = x.trace.gates(b), y = x.values + b * g, hp = x.trace.state(0, b), aux = x.trace.aux(b)
            let dh = x.dOutput + b * u, dPrev = x.dPrevious[0] + b * u
            let dx = x.dProjection + row(b, t) * g, dp = x.dProduct + b * width
            y.update(from: pre, count: g)
            activate(m.recurrentActivation, y + m.update, u)
            activate(m.recurrentActivation, y + m.reset, u)
            activate(m.activation, y + m.candidate, u)
            for k in 0..<u {
                let z = y[m.update + k], candidate = y[m.candidate + k]
                let dZ = dh[k] * (hp[k] - candidate) * m.recurrentActivation.derivative(x: pre[m.update + k], y: z)
                let dC = dh[k] * (1 - z) * m.activation.derivative(x: pre[m.candidate + k], y: candidate)
                dPrev[k] = dh[k] * z
                dx[m.update + k] = dZ; dp[m.update + k] = dZ
                dx[m.candidate + k] = dC
                if m.resetAfter {
                    // candidate = act(x_h + r·(h'·U_h + b_h)): aux is h'·U_h + b_h.
                    let r = y[m.reset + k]
                    let dR = dC * aux[k] * m.recurrentActivation.derivative(x: pre[m.reset + k], y: r)
                    dx[m.reset + k] = dR; dp[m.reset + k] = dR
                    dp[m.candidate + k] = dC * r
                } else {
                    dCandidate![b * u + k] = dC
                }
            }
            if let recurrentBias { for k in 0..<width { recurrentBias[k] += dp[k] } }
        }
        guard let dCandidate, let kernel = m.candidateKernel else { return }
        // candidate = act(x_h + (r·h')·U_h + b_h): the gradient of r·h' (of r·h'·mask under recurrent dropout).
        let candidateMask = cell.dropoutMasks.map { $0.state[m.candidate / u].storage.base }
        let dRH = buffers.scratch.storage.base
        sgemm(transB: true, m: batch, n: u, k: u, a: dCandidate, lda: u,
              b: kernel.tensor.storage.base + kernel.firstRow * kernel.stride + kernel.offset, ldb: kernel.stride,
              c: dRH, ldc: u)
        for b in 0..<batch {
            guard let t = step(of: b, at: x.s) else { continue }
            let pre = x.trace.gates(b), y = x.values + b * g, hp = x.trace.state(0, b), d = dRH + b * u
            let dPrev = x.dPrevious[0] + b * u, dx = x.dProjection + row(b, t) * g, dp = x.dProduct + b * width
            let mask = candidateMask.map { $0 + b * u }
            for k in 0..<u {
                let r = y[m.reset + k], kept = mask?[k] ?? 1
                let dR = d[k] * hp[k] * kept * m.recurrentActivation.derivative(x: pre[m.reset + k], y: r)
                dx[m.reset + k] = dR; dp[m.reset + k] = dR
                dPrev[k] += d[k] * r * kept
            }
        }
        withExtendedLifetime((kernel, cell.dropoutMasks)) {}
    }

    /// `Σ_r a[r, c]` added to `into[c]`.
    private func addColumnSums(_ a: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int, into: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = a + r * stride
            for c in 0..<columns { into[c] += row[c] }
        }
    }
}

/// The buffers one cell's backward steps share, allocated once.
final class BackwardBuffers {
    /// `[batch, units]`: the projection's gradient into σ(o)·act(c) (LSTM), the gradient of r·h' (GRU).
    let scratch: Tensor
    /// `[units]`: one sequence's clipped cell state and its activation (LSTM).
    let cell: Tensor, activatedCell: Tensor
    /// LSTM with a projection: `[time, batch, outputSize]`, the projection's output gradient of every step.
    let dProjected: Tensor?
    /// GRU resetting before its candidate product: `[time, batch, units]`, the candidate's gradient of every step.
    let dCandidate: Tensor?

    init(_ cell: RecurrentCell, batch: Int, time: Int) throws {
        scratch = try Tensor.zeros([batch, cell.units])
        self.cell = try Tensor.zeros([cell.units])
        activatedCell = try Tensor.zeros([cell.units])
        var dProjected: Tensor?, dCandidate: Tensor?
        switch cell.math {
        case .lstm(let m) where m.projection != nil: dProjected = try Tensor.zeros([time, batch, cell.outputSize])
        case .gru(let m) where m.candidateKernel != nil: dCandidate = try Tensor.zeros([time, batch, cell.units])
        default: break
        }
        self.dProjected = dProjected
        self.dCandidate = dCandidate
    }

    /// The products over every step: the LSTM projection's gradient (`hiddenᵀ·dProjected`) and a
    /// GRU candidate kernel's (`(r·h')ᵀ·dCandidate`).
    func finish(_ cell: RecurrentCell, trace: RecurrentTrace, rows: Int, gradient: (Tensor) -> UnsafeMutablePointer<Float>) {
        let u = cell.units
        switch cell.math {
        case .lstm(let m):
            guard let projection = m.projection, let dProjected, let hidden = trace.hidden else { return }
            let o = cell.outputSize
            sgemm(transA: true, m: u, n: o, k: rows, a: hidden.storage.base, lda: u, b: dProjected.storage.base, ldb: o,
                  c: gradient(projection), ldc: o, accumulate: true)
        case .gru(let m):
            guard let kernel = m.candidateKernel, let dCandidate else { return }
            sgemm(transA: true, m: u, n: u, k: rows, a: trace.aux.storage.base, lda: u, b: dCandidate.storage.base, ldb: u,
                  c: gradient(kernel.tensor) + kernel.firstRow * kernel.stride + kernel.offset, ldc: kernel.stride,
                  accumulate: true)
        case .simple:
            return
        }
    }
}
