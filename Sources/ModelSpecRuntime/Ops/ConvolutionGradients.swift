import CConvolution

extension ConvGeometry {
    /// The convolution, its bias added and ReLU applied as the forward pass fuses them, recorded
    /// on `tape` as one operation: the backward rule masks the gradient by the ReLU and sums the
    /// bias's gradient in one pass (``biasActivationBackward(_:output:relu:bias:)``), then runs the
    /// convolution's rule.
    func differentiable(input: Tensor, filter: Tensor, bias: Tensor? = nil, relu: Bool = false,
                        tape: GradientTape) -> Tensor {
        let out = run(input: input, filter: filter, scale: nil, shift: bias, activation: relu ? .relu : .linear)
        tape.record("conv2d", out, [input, filter, bias]) { g, needed in
            let (gz, gb) = biasActivationBackward(g, output: out, relu: relu, bias: needed[2])
            return self.backward(gz, input: input, filter: filter, needed: needed) + [gb]
        }
        return out
    }

    /// The filter gradient, Σ over images and positions of each window ⊗ g, on the forward
    /// kernel's register tiles (`cconv_filter_gradient`): no window matrix, no OpenBLAS.
    func directFilterGradient(_ g: Tensor, input: Tensor, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        guard out.scalarCount > 0 else { return out }
        var k = kernel
        let scratch = TensorBuffer<Float>(uninitializedCount: cconv_filter_gradient_scratch_count(&k))
        cconv_filter_gradient(&k, input.storage.base, g.storage.base, scratch.base, out.storage.base)
        withExtendedLifetime((input, g, scratch)) {}
        return out
    }
}

/// The backward pass of a bias and ReLU fused into an operation's forward pass, in one pass over
/// the channels-last gradient `g`: the gradient before the ReLU (`g·(output > 0 ? 1 : 0)`, as
/// TensorFlow's ReluGrad; `g` itself without ReLU), and the bias's gradient (the sum over every
/// axis but the last, in double precision) when `bias` is wanted.
func biasActivationBackward(_ g: Tensor, output: Tensor, relu: Bool, bias: Bool) -> (Tensor, Tensor?) {
    guard relu || bias else { return (g, nil) }
    let c = output.shape.last ?? 0, rows = c == 0 ? 0 : output.scalarCount / c
    let masked = relu ? Tensor(uninitializedShape: output.shape) : g
    let biasGradient = bias ? Tensor(uninitializedShape: [c]) : nil
    cbias_relu_backward(rows, c, g.storage.base, output.storage.base, relu ? 1 : 0, masked.storage.base,
                        biasGradient?.storage.base)
    withExtendedLifetime((g, output)) {}
    return (masked, biasGradient)
}

extension ConvGeometry {
    /// The input gradient of a strided convolution (no dilation) on the direct kernel: input rows
    /// (and columns) whose index plus the padding before leaves residue r modulo the stride are
    /// reached only by the filter's taps r, r + stride, ..., so each of the stride_h × stride_w
    /// phases is a stride-1 convolution of `g` with those taps flipped and their channel axes
    /// swapped, written back to every stride-th position (the same multiply-adds as the forward
    /// pass, none on inserted zeros). Nil for a dilated or stride-1 convolution.
    func phasedInputGradient(_ g: Tensor, filter: Tensor) -> Tensor? {
        let k = kernel
        guard k.stride_h > 1 || k.stride_w > 1, k.dilation_h == 1, k.dilation_w == 1 else { return nil }
        let rows = (0..<Int(k.stride_h)).map {
            GradientPhase(size: Int(k.h), window: Int(k.kh), stride: Int(k.stride_h), before: Int(k.pad_top), residue: $0)
        }
        let columns = (0..<Int(k.stride_w)).map {
            GradientPhase(size: Int(k.w), window: Int(k.kw), stride: Int(k.stride_w), before: Int(k.pad_left), residue: $0)
        }
        let (n, h, w, c, o) = (Int(k.n), Int(k.h), Int(k.w), Int(k.c), Int(k.o))
        let out = Tensor(uninitializedShape: [n, h, w, c])
        out.storage.base.update(repeating: 0, count: out.scalarCount)
        for row in rows where !row.isEmpty {
            for column in columns where !column.isEmpty {
                // The phase's taps, flipped, channel axes swapped: [taps_h, taps_w, o, c].
                let sub = Tensor(uninitializedShape: [row.taps, column.taps, o, c])
                let source = filter.storage.base, target = sub.storage.base
                for a in 0..<row.taps {
                    for b in 0..<column.taps {
                        let i = row.tap(a), j = column.tap(b)
                        let from = source + (i * Int(k.kw) + j) * c * o, to = target + (a * column.taps + b) * o * c
                        for q in 0..<c {
                            for p in 0..<o { to[p * c + q] = from[q * o + p] }
                        }
                    }
                }
                var phase = self
                phase.kernel.h = k.oh; phase.kernel.w = k.ow; phase.kernel.c = k.o; phase.kernel.o = k.c
                phase.kernel.kh = Int32(row.taps); phase.kernel.kw = Int32(column.taps)
                phase.kernel.oh = Int32(row.computed); phase.kernel.ow = Int32(column.computed)
                phase.kernel.pad_top = Int32(row.padding); phase.kernel.pad_left = Int32(column.padding)
                phase.kernel.stride_h = 1; phase.kernel.stride_w = 1
                let part = phase.run(input: g, filter: sub, scale: nil, shift: nil, activation: .linear)
                // Output (v, u) of the phase is input position (row.input(v), column.input(u)).
                let from = part.storage.base, to = out.storage.base
                for b in 0..<n {
                    for v in row.skipped..<row.computed {
                        for u in column.skipped..<column.computed {
                            (to + ((b * h + row.input(v)) * w + column.input(u)) * c)
                                .update(from: from + ((b * row.computed + v) * column.computed + u) * c, count: c)
                        }
                    }
                }
                withExtendedLifetime(part) {}
            }
        }
        withExtendedLifetime((g, filter)) {}
        return out
    }
}

/// One phase of a strided convolution's input gradient along one axis: the input positions i with
/// (i + before) mod stride = residue, reached by taps residue, residue + stride, ... of the window.
/// Input position u·stride + residue − before receives Σ over those taps m of g[u − m]·tap: a
/// stride-1 correlation of g, padded by `padding` before, with the taps in reverse order, computed
/// for u from `start`; its outputs `skipped..<computed` are inside the input.
struct GradientPhase {
    let residue: Int, stride: Int, before: Int
    /// Taps of the window in this phase.
    let taps: Int
    /// The first u computed: the first inside the input, or earlier where g would otherwise be
    /// read from after its start (the kernel pads, it does not crop).
    let start: Int
    /// Outputs computed, and the leading ones outside the input.
    let computed: Int, skipped: Int

    init(size: Int, window: Int, stride: Int, before: Int, residue: Int) {
        (self.residue, self.stride, self.before) = (residue, stride, before)
        taps = residue < window ? (window - residue + stride - 1) / stride : 0
        // u·stride + residue − before in 0..<size.
        let low = before - residue, high = size - 1 + before - residue
        let first = low <= 0 ? -((-low) / stride) : (low + stride - 1) / stride
        let last = high >= 0 ? high / stride : -((-high + stride - 1) / stride)
        start = Swift.min(first, Swift.max(taps - 1, 0))
        computed = Swift.max(0, last - start + 1)
        skipped = first - start
    }

    var isEmpty: Bool { taps == 0 || computed <= skipped }
    /// Zeros before g in the phase's stride-1 correlation.
    var padding: Int { taps - 1 - start }
    /// The window tap of the phase's a-th flipped tap.
    func tap(_ a: Int) -> Int { residue + stride * (taps - 1 - a) }
    /// The input position of the phase's v-th output.
    func input(_ v: Int) -> Int { (v + start) * stride + residue - before }
}
