/// What a recurrent loop keeps of each step while a tape records, for its backward
/// pass (``RecurrentLoop/backward(_:input:initialState:trace:outputGradient:stateGradients:)``):
/// the state before each step, the gates before their activations, and the values a
/// cell's derivative needs besides. Every buffer is allocated once, before the first
/// step, as `[time, batch, width]` in the loop's order of steps; rows of sequences a
/// step does not compute stay zero.
final class RecurrentTrace {
    /// The state tensors before each step, in the cell's internal order (`[h]`, `[c, h]`).
    let states: [Tensor]
    /// The gates' inputs to their activations, `[time, batch, gateWidth]` at the gates'
    /// columns: for an LSTM with peepholes and `forget_bias` added, for a GRU the candidate's.
    let gates: Tensor
    /// LSTM: the cell state before `cell_clip`. GRU: the state's product for the candidate
    /// (with its bias) when the reset comes after it, else `r·h'`, the candidate product's input.
    let aux: Tensor
    /// LSTM with a projection: `σ(o)·act(c)`, the projection's input.
    let hidden: Tensor?
    /// LSTM with `proj_clip`: the projection before the clip.
    let projected: Tensor?

    init(_ cell: RecurrentCell, batch: Int, time: Int) throws {
        func buffer(_ width: Int) throws -> Tensor { try Tensor.zeros([time, batch, width]) }
        states = try cell.internalStateSizes.map(buffer)
        gates = try buffer(cell.gateWidth)
        aux = try buffer(cell.units)
        var hidden: Tensor?, projected: Tensor?
        if case .lstm(let m) = cell.math, m.projection != nil {
            hidden = try buffer(cell.units)
            if m.projectionClip != nil { projected = try buffer(cell.outputSize) }
        }
        self.hidden = hidden
        self.projected = projected
    }

    /// Copies a `[batch, size]` state into step `s` of `into`.
    func keep(_ state: Tensor, into buffer: Tensor, at s: Int) {
        (buffer.storage.base + s * state.scalarCount).update(from: state.storage.base, count: state.scalarCount)
    }

    /// The rows of step `s`.
    func step(_ s: Int, batch: Int) -> Step { Step(trace: self, firstRow: s * batch) }

    /// One step's rows, by sequence (no allocation: read through the trace).
    struct Step {
        let trace: RecurrentTrace
        let firstRow: Int

        @inline(__always)
        private func row(_ t: Tensor, _ b: Int) -> UnsafeMutablePointer<Float> {
            t.storage.base + (firstRow + b) * t.shape[2]
        }
        func gates(_ b: Int) -> UnsafeMutablePointer<Float> { row(trace.gates, b) }
        func aux(_ b: Int) -> UnsafeMutablePointer<Float> { row(trace.aux, b) }
        /// Only for an LSTM with a projection.
        func hidden(_ b: Int) -> UnsafeMutablePointer<Float> { row(trace.hidden!, b) }
        /// Only for an LSTM with `proj_clip`.
        func projected(_ b: Int) -> UnsafeMutablePointer<Float> { row(trace.projected!, b) }
        func state(_ i: Int, _ b: Int) -> UnsafeMutablePointer<Float> { row(trace.states[i], b) }
    }
}
