/// Keras's dropout inside a recurrent loop, as tf_keras 2 computes it when `recurrent_dropout`
/// is set (the cell's `implementation=1`, masks from `DropoutRNNCellMixin`): one mask of the
/// previous output per gate (`rec_dp_mask`: 4 for an LSTM, 3 for a GRU, 1 for a SimpleRNN),
/// and with `dropout` one mask of the input per gate (`dp_mask`), each drawn once per call
/// and reused at every step. Gate `k` multiplies its masked copy by its own columns of the
/// kernel (`(x·m_k)·W_k`, `(h'·r_k)·U_k`); a GRU that resets before its candidate product
/// masks `r·(h'·r_2)`; the carried state (an LSTM's `c`, a GRU's `z·h'`) is not masked.
public struct RecurrentDropoutMasks: Sendable {
    /// One `[batch, features]` mask of the input per gate, in the kernel's column order, or none.
    public let input: [Tensor]
    /// One `[batch, units]` mask of the previous output per gate, in the kernel's column order.
    public let state: [Tensor]

    public init(input: [Tensor] = [], state: [Tensor]) {
        self.input = input
        self.state = state
    }

    /// The masks tf_keras draws for one call (`generator.dropout(ones_like(x), rate)` per gate):
    /// kept elements `1/(1-rate)`, dropped 0. The input's masks first, then the state's, gate by gate.
    static func draw<G: RandomNumberGenerator>(gates: Int, batch: Int, features: Int, units: Int, dropout: Float,
                                               recurrentDropout: Float, generator: inout G) throws -> RecurrentDropoutMasks {
        func masks(_ width: Int, _ rate: Float) throws -> [Tensor] {
            guard rate > 0 else { return [] }
            let ones = try Tensor(shape: [batch, width], scalars: Array(repeating: 1, count: batch * width))
            return try (0..<gates).map { _ in try ModelSpecRuntime.dropout(ones, rate: rate, generator: &generator) }
        }
        let input = try masks(features, dropout)
        return RecurrentDropoutMasks(input: input, state: try masks(units, recurrentDropout))
    }

    /// - Throws: `TensorError` unless there is one mask per gate of the cell's shapes (input masks optional).
    func check(for cell: RecurrentCell, batch: Int, op: String) throws {
        let gates = cell.gateWidth / cell.units
        for (masks, width, name) in [(input, cell.inputSize, "input"), (state, cell.units, "state")] {
            guard masks.count == gates || (name == "input" && masks.isEmpty) else {
                throw TensorError(op: op, shapes: masks.map(\.shape),
                                  reason: "are \(masks.count) dropout masks of the \(name), but the cell has \(gates) gates: one mask per gate")
            }
            if let bad = masks.first(where: { $0.shape != [batch, width] }) {
                throw TensorError(op: op, shapes: [bad.shape],
                                  reason: "is not the [\(batch), \(width)] of a dropout mask of the \(name)")
            }
        }
    }
}

extension RecurrentCell.MatrixBlock {
    /// The `u` columns of gate `k`.
    func gate(_ k: Int, units u: Int) -> Self {
        Self(tensor: tensor, firstRow: firstRow, rows: rows, offset: offset + k * u, columns: u, target: target + k * u)
    }
}

extension RecurrentLoop {
    /// The batch index of a row of the input's layout.
    @inline(__always)
    func sequence(ofRow r: Int) -> Int { timeMajor ? r % batch : r / time }

    /// `out[r, ·] = a[r, ·] · mask[sequence(r), ·]` for rows of `width` (`perRow`: one mask row per batch row).
    func multiplyRows(_ a: UnsafePointer<Float>, rows: Int, width: Int, by mask: Tensor, perRow: Bool = false,
                      into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        let m = mask.storage.base
        for r in 0..<rows {
            let src = a + r * width, dst = out + r * width, mr = m + (perRow ? r : sequence(ofRow: r)) * width
            if accumulate {
                for k in 0..<width { dst[k] += src[k] * mr[k] }
            } else {
                for k in 0..<width { dst[k] = src[k] * mr[k] }
            }
        }
        withExtendedLifetime(mask) {}
    }

    /// The input projection of every step with a mask per gate: `(x·m_k)·W_k` into gate `k`'s columns.
    func projectMaskedInput(_ input: Tensor, _ block: RecurrentCell.MatrixBlock, masks: [Tensor],
                            into xp: UnsafeMutablePointer<Float>) {
        let rows = batch * time, n = cell.inputSize, u = cell.units
        let masked = Tensor(uninitializedShape: [rows, n])
        for (k, mask) in masks.enumerated() {
            multiplyRows(input.storage.base, rows: rows, width: n, by: mask, into: masked.storage.base)
            let gate = block.gate(k, units: u)
            let b = gate.tensor.storage.base + gate.firstRow * gate.stride + gate.offset
            sgemm(m: rows, n: u, k: gate.rows, a: masked.storage.base, lda: n, b: b, ldb: gate.stride,
                  c: xp + gate.target, ldc: cell.gateWidth, accumulate: true)
            withExtendedLifetime(gate.tensor) {}
        }
        withExtendedLifetime((input, masked)) {}
    }

    /// The state's product with a mask per gate: `(h'·r_k)·U_k` into gate `k`'s columns of `product`.
    func multiplyMaskedState(_ hPrev: UnsafePointer<Float>, masks: [Tensor], scratch: UnsafeMutablePointer<Float>,
                             into product: UnsafeMutablePointer<Float>) {
        let u = cell.units, recurrent = cell.recurrent
        for k in 0..<(recurrent.columns / u) {
            multiplyRows(hPrev, rows: batch, width: u, by: masks[k], perRow: true, into: scratch)
            let gate = recurrent.gate(k, units: u)
            sgemm(m: batch, n: u, k: gate.rows, a: scratch, lda: u,
                  b: gate.tensor.storage.base + gate.firstRow * gate.stride + gate.offset, ldb: gate.stride,
                  c: product + k * u, ldc: recurrent.columns)
            withExtendedLifetime(gate.tensor) {}
        }
    }

    /// The backward rule of ``multiplyMaskedState(_:masks:scratch:into:)``: `Σ_k (dG_k·U_kᵀ)·r_k` added to
    /// the previous state's gradient, `(h'·r_k)ᵀ·dG_k` to the recurrent kernel's gate columns.
    func backMaskedState(_ hPrev: UnsafePointer<Float>, masks: [Tensor], dProduct: UnsafePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>, dPrevious: UnsafeMutablePointer<Float>,
                         kernelGradient: UnsafeMutablePointer<Float>) {
        let u = cell.units, recurrent = cell.recurrent, width = recurrent.columns
        for k in 0..<(width / u) {
            let gate = recurrent.gate(k, units: u)
            sgemm(transB: true, m: batch, n: u, k: u, a: dProduct + k * u, lda: width,
                  b: gate.tensor.storage.base + gate.firstRow * gate.stride + gate.offset, ldb: gate.stride,
                  c: scratch, ldc: u)
            multiplyRows(scratch, rows: batch, width: u, by: masks[k], perRow: true, into: dPrevious, accumulate: true)
            multiplyRows(hPrev, rows: batch, width: u, by: masks[k], perRow: true, into: scratch)
            sgemm(transA: true, m: u, n: u, k: batch, a: scratch, lda: u, b: dProduct + k * u, ldb: width,
                  c: kernelGradient + k * u, ldc: gate.stride, accumulate: true)
            withExtendedLifetime(gate.tensor) {}
        }
    }

    /// The backward rule of ``projectMaskedInput(_:_:masks:into:)``: `Σ_k (dP_k·W_kᵀ)·m_k` added to the
    /// input's gradient (when asked for), `(x·m_k)ᵀ·dP_k` to the kernel's gate columns.
    func backMaskedInput(_ input: Tensor, _ block: RecurrentCell.MatrixBlock, masks: [Tensor],
                         dProjection: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?,
                         kernelGradient: UnsafeMutablePointer<Float>) {
        let rows = batch * time, n = cell.inputSize, u = cell.units, g = cell.gateWidth
        let buffer = Tensor(uninitializedShape: [rows, n])
        let scratch = buffer.storage.base
        for (k, mask) in masks.enumerated() {
            let gate = block.gate(k, units: u)
            let dp = dProjection + gate.target
            if let dInput {
                sgemm(transB: true, m: rows, n: n, k: u, a: dp, lda: g,
                      b: gate.tensor.storage.base + gate.firstRow * gate.stride + gate.offset, ldb: gate.stride,
                      c: scratch, ldc: n)
                multiplyRows(scratch, rows: rows, width: n, by: mask, into: dInput, accumulate: true)
            }
            multiplyRows(input.storage.base, rows: rows, width: n, by: mask, into: scratch)
            sgemm(transA: true, m: n, n: u, k: rows, a: scratch, lda: n, b: dp, ldb: g,
                  c: kernelGradient + k * u, ldc: gate.stride, accumulate: true)
            withExtendedLifetime(gate.tensor) {}
        }
        withExtendedLifetime((input, buffer)) {}
    }
}
