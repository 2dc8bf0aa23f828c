import CConvolution

/// The input projection of every step of a loop, `[batch · time, inputSize] · kernel + bias`
/// into `[batch · time, gates]`, before the first step.
extension RecurrentLoop {
    /// How the input projection is multiplied.
    enum InputProjection: CaseIterable {
        /// The biases written first, then OpenBLAS's GEMM adds each block's product to them.
        case blas
        /// Each block's kernel rows packed once for `csgemm_run` (kept with the variable's
        /// buffer, ``PackedWeights``), the biases added in the kernel's epilogue, in row chunks
        /// that keep the chunk's inputs in cache while every panel of the kernel passes:
        /// `[3200, 256]·[256, 1024]` 15.1 ms where OpenBLAS's GEMM with its bias pass takes 17.3
        /// (measured alone on core 1 with AVX-512). Needs the blocks to cover the gate columns
        /// side by side (every cell does) and no input dropout.
        case packed
    }

    /// Rows of one chunk of the packed projection: 16–256 rows ran at the same 111 GFLOP/s
    /// (AVX-512, 256 inputs, 1024 gate columns), all 3200 rows in one call at 96.
    static let projectionChunkRows = 128

    /// The packed kernel with AVX-512's 16-row tiles; without it OpenBLAS's GEMM, which is faster
    /// than the 6-row AVX2 tiles at these sizes (as for the state's product: ``rowsForBLAS``).
    var inputProjection: InputProjection {
        KernelInstructions.inUse == .avx512 && packedProjectionApplies ? .packed : .blas
    }

    /// Whether ``InputProjection/packed`` can compute this loop's projection.
    var packedProjectionApplies: Bool {
        if let masks = cell.dropoutMasks?.input, !masks.isEmpty { return false }
        var column = 0
        for block in cell.inputBlocks.sorted(by: { $0.target < $1.target }) {
            guard block.target == column else { return false }
            column += block.columns
        }
        return column == cell.gateWidth
    }

    /// Writes the projection of `input` (`rows` rows of `cell.inputSize`) into `xp` (`rows` rows of
    /// `cell.gateWidth`), by `method` (``InputProjection/packed`` only where it applies).
    func projectInput(_ input: Tensor, rows: Int, into xp: UnsafeMutablePointer<Float>, by method: InputProjection) {
        switch method {
        case .packed: projectInputPacked(input, rows: rows, into: xp)
        case .blas: projectInputBLAS(input, rows: rows, into: xp)
        }
    }

    private func projectInputBLAS(_ input: Tensor, rows: Int, into xp: UnsafeMutablePointer<Float>) {
        let g = cell.gateWidth
        let covered = cell.inputBiases.reduce(0) { $0 + $1.tensor.scalarCount }
        if covered < g { xp.update(repeating: 0, count: rows * g) }
        for (bias, offset) in cell.inputBiases {
            let n = bias.scalarCount, bp = bias.storage.base
            for r in 0..<rows { (xp + r * g + offset).update(from: bp, count: n) }
        }
        for block in cell.inputBlocks {
            if let masks = cell.dropoutMasks?.input, !masks.isEmpty {
                projectMaskedInput(input, block, masks: masks, into: xp)
            } else {
                multiply(input.storage.base, lda: cell.inputSize, rows: rows, block, into: xp + block.target, ldc: g,
                         accumulate: true)
            }
        }
        withExtendedLifetime((input, cell)) {}
    }

    private func projectInputPacked(_ input: Tensor, rows: Int, into xp: UnsafeMutablePointer<Float>) {
        precondition(packedProjectionApplies, "the packed input projection needs blocks side by side and no dropout")
        let g = cell.gateWidth, n = cell.inputSize
        // The biases as one row of the gate columns (a later bias over the same columns wins,
        // as in the BLAS path, where it is written over the earlier one).
        let bias = TensorBuffer<Float>(repeating: 0, count: g)
        for (tensor, offset) in cell.inputBiases {
            (bias.base + offset).update(from: tensor.storage.base, count: tensor.scalarCount)
        }
        for block in cell.inputBlocks {
            let packed = PackedWeights.block(block.tensor, start: block.firstRow * block.stride + block.offset,
                                             stride: block.stride, rows: block.rows, n: block.columns)
            var first = 0
            while first < rows {
                let count = Swift.min(Self.projectionChunkRows, rows - first)
                csgemm_run(Int32(count), Int32(block.columns), Int32(block.rows), input.storage.base + first * n, Int32(n),
                           packed.base, bias.base + block.target, 0, xp + first * g + block.target, Int32(g))
                first += count
            }
            withExtendedLifetime((block.tensor, packed)) {}
        }
        withExtendedLifetime((input, bias, cell)) {}
    }
}
