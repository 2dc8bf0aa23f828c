import COpenBLAS
import CConvolution

/// Row-major single-precision GEMM: C = A·B (+ C when `accumulate`).
/// `a` is m×k (k×m when `transA`), `b` is k×n (n×k when `transB`), C is m×n
/// with leading dimension `ldc`.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false,
           m: Int, n: Int, k: Int,
           a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           c: UnsafeMutablePointer<Float>, ldc: Int,
           accumulate: Bool = false) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        if !accumulate {
            for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        }
        return
    }
    precondition(m <= Int32.max && n <= Int32.max && k <= Int32.max, "matrix too large for 32-bit BLAS")
    if m == 1 {
        // A row vector times a matrix: GEMV streams the matrix once, where this
        // OpenBLAS's GEMM packs it first (784x512 at batch 1: 2.5x faster).
        // The row of `a` is contiguous whether or not it is transposed (m = 1).
        // Output buffers start uninitialized and BLAS may scale them by beta = 0
        // (0 · NaN = NaN): zero them and accumulate instead.
        let incA = transA ? Swift.max(lda, 1) : 1
        if !accumulate { c.update(repeating: 0, count: n) }
        cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans,
                    transB ? Int32(n) : Int32(k), transB ? Int32(k) : Int32(n),
                    1, b, Int32(Swift.max(ldb, 1)), a, Int32(incA),
                    1, c, 1)
        return
    }
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k),
                1, a, Int32(Swift.max(lda, 1)),
                b, Int32(Swift.max(ldb, 1)),
                accumulate ? 1 : 0, c, Int32(Swift.max(ldc, 1)))
}

/// Matrix product, as `tf.linalg.matmul`, computed with `cblas_sgemm`.
///
/// - `[m, k] × [k, n] → [m, n]`, with `transposeA`/`transposeB` transposing
///   an operand's last two dimensions first.
/// - `[..., k] × [k, n] → [..., n]`: with a 2-D right operand, all leading
///   dimensions of the left one are batch (as Keras `Dense` does with
///   `tf.tensordot`), done in a single GEMM.
/// - `[b..., m, k] × [b..., k, n] → [b..., m, n]` for equal batch dimensions.
///
/// - Throws: `TensorError` when the ranks or inner dimensions do not fit, e.g.
///   `matmul: shapes [8, 20] and [30, 10] do not fit: inner dimensions 20 and 30 differ`.
public func matmul(_ a: Tensor, _ b: Tensor,
                   transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
    let plan = try MatMulPlan(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB, op: "matmul")
    let out = Tensor(uninitializedShape: plan.outShape)
    plan.run(a.storage.base, b.storage.base, out.storage.base)
    if let tape = GradientTape.active {
        tape.record("matmul", out, [a, b]) { g, needed in
            try matmulBackward(g, a, b, transposeA: transposeA, transposeB: transposeB, needed: needed)
        }
    }
    return out
}

/// The gradients of `matmul(a, b)`: products of the output's gradient with the other operand,
/// transposed as the forward product was.
func matmulBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool,
                    needed: [Bool]) throws -> [Tensor?] {
    if b.rank == 2 && a.rank > 2 {
        // The leading dimensions of `a` were one batch of rows.
        let k = a.shape[a.rank - 1], rows = a.scalarCount / Swift.max(k, 1)
        let a2 = a.viewed(as: [rows, k]), g2 = g.viewed(as: [rows, g.shape[g.rank - 1]])
        let ga = needed[0] ? try matmul(g2, b, transposeB: !transposeB).viewed(as: a.shape) : nil
        let gb = needed[1] ? (transposeB ? try matmul(g2, a2, transposeA: true) : try matmul(a2, g2, transposeA: true)) : nil
        return [ga, gb]
    }
    let ga: Tensor?, gb: Tensor?
    switch (transposeA, transposeB) {
    case (false, false):
        ga = needed[0] ? try matmul(g, b, transposeB: true) : nil
        gb = needed[1] ? try matmul(a, g, transposeA: true) : nil
    case (true, false):
        ga = needed[0] ? try matmul(b, g, transposeB: true) : nil
        gb = needed[1] ? try matmul(a, g) : nil
    case (false, true):
        ga = needed[0] ? try matmul(g, b) : nil
        gb = needed[1] ? try matmul(g, a, transposeA: true) : nil
    case (true, true):
        ga = needed[0] ? try matmul(b, g, transposeA: true, transposeB: true) : nil
        gb = needed[1] ? try matmul(g, a, transposeA: true, transposeB: true) : nil
    }
    return [ga, gb]
}

/// A dense layer's computation in one pass over the output: `activation(x·kernel + bias)`.
///
/// `x` is `[..., k]`, `kernel` `[k, n]`, `bias` `[n]`; the result is `[..., n]`.
/// The kernel is packed into panels of 16 columns on the first call and kept
/// with its buffer (``PackedWeights``); the small-GEMM kernel (`csgemm_run` in `CConvolution`) streams the
/// panels and adds the bias and ReLU as it stores each tile of 6 rows × 16
/// columns. With several ``BLASThreads``, large batches are split by rows.
public func dense(_ x: Tensor, kernel: Tensor, bias: Tensor? = nil,
                  activation: Activation = .linear) throws -> Tensor {
    try dense(x, kernel: kernel, bias: bias, activation: activation, reusing: nil)
}

/// `dense`, written into `recycled` when it has the output's shape: a tensor no one else
/// holds (``CallContext/recycledOutput()``), the same layer's output in the call before.
func dense(_ x: Tensor, kernel: Tensor, bias: Tensor?, activation: Activation, reusing recycled: Tensor?) throws -> Tensor {
    guard let tape = GradientTape.active, tape.follows(x, kernel, bias) else {
        return try denseKernel(x, kernel: kernel, bias: bias, activation: activation, reusing: recycled)
    }
    // Differentiated: the product, bias and ReLU fused as in inference (their backward pass one
    // pass over the gradient), other activations as operations of their own.
    let relu = activation == .relu
    let out = try denseKernel(x, kernel: kernel, bias: bias, activation: relu ? .relu : .linear)
    tape.record("dense", out, [x, kernel, bias]) { g, needed in
        let k = kernel.shape[0], n = kernel.shape[1], rows = x.scalarCount / Swift.max(k, 1)
        let (gz, gb) = biasActivationBackward(g, output: out, relu: relu, bias: needed[2])
        let x2 = x.viewed(as: [rows, k]), g2 = gz.viewed(as: [rows, n])
        return [needed[0] ? try matmul(g2, kernel, transposeB: true).viewed(as: x.shape) : nil,
                needed[1] ? try matmul(x2, g2, transposeA: true) : nil,
                gb]
    }
    return relu ? out : activate(out, activation)
}

/// `dense` computed in one pass, bias and activation fused.
private func denseKernel(_ x: Tensor, kernel: Tensor, bias: Tensor?, activation: Activation,
                         reusing recycled: Tensor? = nil) throws -> Tensor {
    guard kernel.rank == 2 else {
        throw TensorError(op: "dense", shapes: [x.shape, kernel.shape],
                          reason: "do not fit: the kernel must have rank 2")
    }
    let out: Tensor
    if let recycled, recycled.isDenseOutput(of: x.shape, kernel: kernel.shape) {
        out = recycled
    } else {
        let plan = try MatMulPlan(x.shape, kernel.shape, transposeA: false, transposeB: false, op: "dense")
        out = Tensor(uninitializedShape: plan.outShape)
    }
    let k = kernel.shape[0], n = kernel.shape[1], rows = out.rowCount
    if let bias {
        guard bias.rank == 1, bias.shape[0] == n else {
            throw TensorError(op: "dense", shapes: [kernel.shape, bias.shape],
                              reason: "do not fit: the bias must have shape [\(n)]")
        }
    }
    guard rows > 0, n > 0 else { return out }
    guard rows <= Int32.max, n <= Int32.max, k <= Int32.max else {
        // Beyond the kernel's 32-bit sizes: bias first, then GEMM accumulating onto it.
        if let bias { fillRows(out.storage.base, rows: rows, with: bias.storage.base, count: n) }
        sgemm(m: rows, n: n, k: k, a: x.storage.base, lda: k, b: kernel.storage.base, ldb: n,
              c: out.storage.base, ldc: n, accumulate: bias != nil)
        activation.apply(to: out.storage.base, count: out.scalarCount, channels: n)
        return out
    }
    let job = DenseJob(rows: rows, n: n, k: k, x: x.storage.base,
                       packed: PackedWeights.matrix(kernel, k: k, n: n), bias: bias?.storage.base,
                       relu: activation == .relu, output: out.storage.base)
    // Rows in whole tiles of 6 per part, when each part has at least 100,000 multiply-adds.
    let parts = KernelThreads.parts(work: rows * n * k, minimum: 100_000, limit: rows / 12)
    KernelThreads.run(parts: parts) { job.run(part: $0, of: parts) }
    withExtendedLifetime((x, bias, job.packed)) {}
    if !job.relu { activation.apply(to: out.storage.base, count: out.scalarCount, channels: n) }
    return out
}

extension Tensor {
    /// Whether this is the shape `dense` makes of an input of `input` and a kernel of `kernel` (`[k, n]`):
    /// the input's leading dimensions (rank 2 or more), then `n`.
    fileprivate func isDenseOutput(of input: [Int], kernel: [Int]) -> Bool {
        let rank = input.count
        guard rank >= 2, shape.count == rank, input[rank - 1] == kernel[0], shape[rank - 1] == kernel[1] else { return false }
        for axis in 0 ..< rank - 1 where shape[axis] != input[axis] { return false }
        return true
    }

    /// The product of the dimensions before the last (the rows of a matrix product's output).
    fileprivate var rowCount: Int {
        var rows = 1
        for axis in 0 ..< Swift.max(rank - 1, 0) { rows *= shape[axis] }
        return rows
    }
}

/// One dense layer's buffers, for the threads that share its rows. The caller
/// keeps them alive until all parts have run; each part writes only its own rows.
private struct DenseJob: @unchecked Sendable {
    let rows: Int, n: Int, k: Int
    let x: UnsafePointer<Float>
    let packed: TensorBuffer<Float>
    let bias: UnsafePointer<Float>?
    let relu: Bool
    let output: UnsafeMutablePointer<Float>

    /// Computes rows `first ..< end` of the part, whole tiles of 6 but the last.
    func run(part: Int, of parts: Int) {
        let tiles = (rows + 5) / 6
        let first = Swift.min(rows, 6 * (tiles * part / parts)), end = Swift.min(rows, 6 * (tiles * (part + 1) / parts))
        guard end > first else { return }
        csgemm_run(Int32(end - first), Int32(n), Int32(k), x + first * k, Int32(k), packed.base,
                   bias, relu ? 1 : 0, output + first * n, Int32(n))
    }
}

/// Copies `row` (of `count` scalars) into each of `rows` consecutive rows.
func fillRows(_ dst: UnsafeMutablePointer<Float>, rows: Int, with row: UnsafePointer<Float>, count: Int) {
    for r in 0..<rows { (dst + r * count).update(from: row, count: count) }
}

/// Adds a 1-D `bias` along the last dimension of `x` (`tf.nn.bias_add`, NHWC).
/// - Throws: `TensorError` unless `bias` is 1-D with the size of `x`'s last dimension.
public func biasAdd(_ x: Tensor, _ bias: Tensor) throws -> Tensor {
    guard x.rank >= 1, bias.rank == 1, bias.shape[0] == x.shape[x.rank - 1] else {
        throw TensorError(op: "biasAdd", shapes: [x.shape, bias.shape],
                          reason: "do not fit: the bias must be 1-D with the size of the last dimension")
    }
    let n = bias.shape[0]
    let out = Tensor(uninitializedShape: x.shape)
    let src = x.storage.base, dst = out.storage.base, bp = bias.storage.base
    let rows = n == 0 ? 0 : x.scalarCount / n
    for r in 0..<rows {
        let s = src + r * n, d = dst + r * n
        for j in 0..<n { d[j] = s[j] + bp[j] }
    }
    if let tape = GradientTape.active {
        tape.record("biasAdd", out, [x, bias]) { g, needed in
            [g, needed[1] ? try reduceSum(g.viewed(as: [rows, n]), axes: [0]) : nil]
        }
    }
    return out
}

/// Checked dimensions of a (batched) matrix product.
struct MatMulPlan {
    var outShape: [Int]
    var batch: Int       // number of GEMMs
    var m: Int, n: Int, k: Int
    var transposeA: Bool, transposeB: Bool
    var aStride: Int, bStride: Int   // elements between consecutive batch items (0: shared)

    init(_ a: [Int], _ b: [Int], transposeA: Bool, transposeB: Bool, op: String) throws {
        func fail(_ reason: String) -> TensorError {
            TensorError(op: op, shapes: [a, b], reason: "do not fit: " + reason)
        }
        guard a.count >= 2, b.count >= 2 else { throw fail("both operands need rank 2 or more") }
        let (kb, n) = transposeB ? (b[b.count - 1], b[b.count - 2]) : (b[b.count - 2], b[b.count - 1])
        if b.count == 2 && a.count > 2 {
            guard !transposeA else { throw fail("transposeA needs a 2-D left operand when the right one is 2-D") }
            // Leading dimensions of `a` are batch: one GEMM of all its rows.
            let k = a[a.count - 1]
            guard k == kb else { throw fail("inner dimensions \(k) and \(kb) differ") }
            self.m = product(a, 0..<(a.count - 1))
            self.k = k
            self.batch = 1
            self.outShape = Array(a.dropLast()) + [n]
        } else {
            guard a.count == b.count else {
                throw fail("ranks \(a.count) and \(b.count) differ and the right operand is not 2-D")
            }
            let batchA = Array(a.dropLast(2)), batchB = Array(b.dropLast(2))
            guard batchA == batchB else {
                throw fail("batch dimensions \(describe(batchA)) and \(describe(batchB)) differ")
            }
            let (m, k) = transposeA ? (a[a.count - 1], a[a.count - 2]) : (a[a.count - 2], a[a.count - 1])
            guard k == kb else { throw fail("inner dimensions \(k) and \(kb) differ") }
            self.m = m
            self.k = k
            self.batch = elementCount(of: batchA)
            self.outShape = batchA.isEmpty ? [m, n] : batchA + [m, n]
        }
        self.n = n
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.aStride = self.m * self.k
        self.bStride = b.count == 2 ? 0 : self.k * n
    }

    func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
             accumulate: Bool = false) {
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        for i in 0..<batch {
            sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                  a: a + i * aStride, lda: lda, b: b + i * bStride, ldb: ldb,
                  c: c + i * m * n, ldc: n, accumulate: accumulate)
        }
    }
}
