import CConvolution
import Dispatch

/// 2-D convolution, NHWC input and HWIO filter, as `tf.nn.conv2d`
/// (cross-correlation, like every deep-learning framework), with an optional
/// bias and activation fused into the same pass.
///
/// - Parameters:
///   - input: `[batch, height, width, inChannels]`.
///   - filter: `[filterHeight, filterWidth, inChannels, outChannels]`.
///   - strides: (vertical, horizontal) steps.
///   - padding: `.valid` or `.same`, with TensorFlow's SAME arithmetic (the odd
///     padding goes after).
///   - dilations: (vertical, horizontal) spacing between filter taps.
///   - bias: `[outChannels]`, added to every output position.
///   - activation: applied after the bias.
/// - Returns: `[batch, outHeight, outWidth, outChannels]`.
///
/// Computed directly (the `CConvolution` kernel: tiles of positions × 16
/// channels accumulated in registers over the zero-padded input, AVX-512 or
/// AVX2 + FMA when the CPU has them), with no im2col matrix, or for a 3×3
/// stride-1 convolution with enough channels by Winograd's F(2×2, 3×3)
/// (``ConvGeometry/usesWinograd``); bias and ReLU are applied as each output
/// is stored.
public func conv2d(_ input: Tensor, filter: Tensor,
                   strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                   dilations: (Int, Int) = (1, 1),
                   bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
    let geometry = try ConvGeometry(input: input.shape, filter: filter.shape, strides: strides,
                                    padding: padding, dilations: dilations)
    if let bias { try geometry.checkChannelVector(bias, filter: filter.shape) }
    if let tape = GradientTape.active, tape.follows(input, filter, bias) {
        if activation == .linear || activation == .relu {
            // Differentiated with the bias and ReLU still fused, their backward pass one pass too.
            return geometry.differentiable(input: input, filter: filter, bias: bias, relu: activation == .relu, tape: tape)
        }
        // Other activations as operations of their own.
        var out = geometry.differentiable(input: input, filter: filter, tape: tape)
        if let bias { out = try biasAdd(out, bias) }
        return activate(out, activation)
    }
    return geometry.run(input: input, filter: filter, scale: nil, shift: bias, activation: activation)
}

/// A convolution followed by a per-channel affine map and an activation,
/// `activation(conv2d(input, filter) · scale + shift)`, in one pass: how a
/// batch normalization in inference is folded into the convolution before it
/// (`scale = γ/√(σ² + ε)`, `shift = β − μ·scale`, plus `bias·scale` when the
/// convolution has a bias).
///
/// - Parameters:
///   - scale: `[outChannels]`, multiplies each output channel.
///   - shift: `[outChannels]`, added after the scale.
///   - Other parameters as in ``conv2d(_:filter:strides:padding:dilations:bias:activation:)``.
public func conv2d(_ input: Tensor, filter: Tensor,
                   strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                   dilations: (Int, Int) = (1, 1),
                   scale: Tensor, shift: Tensor, activation: Activation = .linear) throws -> Tensor {
    let geometry = try ConvGeometry(input: input.shape, filter: filter.shape, strides: strides,
                                    padding: padding, dilations: dilations)
    try geometry.checkChannelVector(scale, filter: filter.shape)
    try geometry.checkChannelVector(shift, filter: filter.shape)
    if let tape = GradientTape.active, tape.follows(input, filter, scale, shift) {
        let out = geometry.differentiable(input: input, filter: filter, tape: tape)
        return activate(try add(multiply(out, scale), shift), activation)
    }
    return geometry.run(input: input, filter: filter, scale: scale, shift: shift, activation: activation)
}

/// The checked sizes of one convolution, and its evaluation by the direct kernel.
struct ConvGeometry {
    var kernel: cconv_geometry

    init(input: [Int], filter: [Int], strides: (Int, Int), padding: Padding, dilations: (Int, Int)) throws {
        let shapes = [input, filter]
        guard input.count == 4, filter.count == 4 else {
            throw TensorError(op: "conv2d", shapes: shapes,
                              reason: "do not fit: input must be NHWC (rank 4) and filter HWIO (rank 4)")
        }
        let (n, h, w, c) = (input[0], input[1], input[2], input[3])
        let (kh, kw, fc, o) = (filter[0], filter[1], filter[2], filter[3])
        guard fc == c else {
            throw TensorError(op: "conv2d", shapes: shapes,
                              reason: "do not fit: input channels \(c) and filter input channels \(fc) differ")
        }
        let (gh, gw) = try windowGeometry(op: "conv2d", shapes: shapes, height: h, width: w,
                                          window: (kh, kw), strides: strides, dilations: dilations,
                                          padding: padding)
        let sizes = [n, h, w, c, kh, kw, o, gh.outputSize, gw.outputSize, gh.padBefore, gw.padBefore,
                     strides.0, strides.1, dilations.0, dilations.1]
        guard let narrow = sizes.map({ Int32(exactly: $0) }) as? [Int32] else {
            throw TensorError(op: "conv2d", shapes: shapes, reason: "are too large for the convolution kernel")
        }
        kernel = cconv_geometry(n: narrow[0], h: narrow[1], w: narrow[2], c: narrow[3],
                                kh: narrow[4], kw: narrow[5], o: narrow[6], oh: narrow[7], ow: narrow[8],
                                pad_top: narrow[9], pad_left: narrow[10], stride_h: narrow[11],
                                stride_w: narrow[12], dilation_h: narrow[13], dilation_w: narrow[14])
    }

    var outputShape: [Int] { [Int(kernel.n), Int(kernel.oh), Int(kernel.ow), Int(kernel.o)] }

    func checkChannelVector(_ vector: Tensor, filter: [Int]) throws {
        guard vector.shape == [Int(kernel.o)] else {
            throw TensorError(op: "conv2d", shapes: [filter, vector.shape],
                              reason: "do not fit: per-channel values must have shape [\(kernel.o)]")
        }
    }

    /// Packs the filter (once: ``PackedWeights``), then convolves whole images, split across
    /// ``BLASThreads/count`` threads when there are several images; by Winograd's kernel when
    /// `winograd` says so (nil: when ``usesWinograd``; true only where `cwino_supports`).
    /// With `pooling` (the max pooling of the output, `activation` linear or ReLU, and for
    /// Winograd's kernel one it supports: `cwino_supports_pooling`), returns the pooled output,
    /// the whole output never written (`cconv_run_pooled`, `cwino_run_pooled`).
    func run(input: Tensor, filter: Tensor, scale: Tensor?, shift: Tensor?, activation: Activation,
             winograd: Bool? = nil, pooling: cpool_geometry? = nil) -> Tensor {
        let out = Tensor(uninitializedShape: pooling.map { [Int($0.n), Int($0.oh), Int($0.ow), Int($0.c)] } ?? outputShape)
        guard out.scalarCount > 0 else { return out }
        let winograd = winograd ?? usesWinograd
        let packed = winograd ? PackedWeights.winogradFilter(filter, geometry: kernel)
                              : PackedWeights.filter(filter, geometry: kernel)
        let job = ConvolutionJob(geometry: kernel, pooling: pooling, winograd: winograd, input: input.storage.base,
                                 packedFilter: packed.base, scale: scale?.storage.base, shift: shift?.storage.base,
                                 relu: activation == .relu, output: out.storage.base)
        // Images split across the kernel threads, four parts a thread, when each part has at least
        // 100,000 multiply-adds (about 2 µs: a thread waiting for work takes a part within a
        // microsecond).
        let k = kernel
        let multiplyAdds = Int(k.n) * Int(k.oh) * Int(k.ow) * Int(k.o) * Int(k.kh) * Int(k.kw) * Int(k.c)
        let parts = KernelThreads.parts(work: multiplyAdds, minimum: 100_000, limit: Int(k.n), perThread: 4)
        KernelThreads.run(parts: parts) { job.run(part: $0, of: parts) }
        withExtendedLifetime((input, filter, packed, scale, shift)) {}
        if !job.relu { activation.apply(to: job.output, count: out.scalarCount, channels: Int(kernel.o)) }
        return out
    }
}

extension ConvGeometry {
    /// Whether Winograd's F(2×2, 3×3) (`cwino_run`) computes this convolution rather than the
    /// direct kernel: 3×3, stride 1, no dilation, outputs at least 4×4, at least 16 input and
    /// 16 output channels and 32 of one of them. Measured on Zen 4, one core, AVX-512: 1.8–1.9×
    /// the direct kernel at 64 → 64 channels on 32×32 and 32 → 64 on 14×14; 1.0–1.5× at the edges
    /// of the rule (16 → 32, 32 → 16, 4×4 images); fewer channels lose to the transforms
    /// (16 → 16 on 7×7: 0.95×, 8 → 64: 0.7–0.9×, 4 → anything: under 0.7×).
    var usesWinograd: Bool {
        var k = kernel
        return cwino_supports(&k) != 0 && Swift.min(k.oh, k.ow) >= 4 && Swift.min(k.c, k.o) >= 16 && Swift.max(k.c, k.o) >= 32
    }

    /// The gradients with respect to the input and the filter: the filter's on the forward
    /// kernel's tiles (``directFilterGradient(_:input:shape:)``), the input's on the direct kernel
    /// (``directInputGradient(_:filter:)`` for stride 1, ``phasedInputGradient(_:filter:)`` for
    /// strides without dilation), else as g·filterᵀ added back into the image through the
    /// windows (``ConvolutionColumns``).
    func backward(_ g: Tensor, input: Tensor, filter: Tensor, needed: [Bool]) -> [Tensor?] {
        [needed[0] ? directInputGradient(g, filter: filter) ?? phasedInputGradient(g, filter: filter)
                     ?? columns.inputGradient(g, filter: filter, shape: input.shape) : nil,
         needed[1] ? directFilterGradient(g, input: input, shape: filter.shape) : nil]
    }

    /// The input gradient of a stride-1 convolution, itself a stride-1 convolution run by the
    /// direct kernel: `g` with (window − 1)·dilation − before zeros before each axis, correlated
    /// with the filter flipped in both spatial axes and its channel axes swapped. Nil for a
    /// strided convolution, or one padded by more than its window spans.
    func directInputGradient(_ g: Tensor, filter: Tensor) -> Tensor? {
        let k = kernel
        let top = (k.kh - 1) * k.dilation_h - k.pad_top, left = (k.kw - 1) * k.dilation_w - k.pad_left
        guard k.stride_h == 1, k.stride_w == 1, top >= 0, left >= 0 else { return nil }
        var transposed = self
        transposed.kernel.h = k.oh; transposed.kernel.w = k.ow; transposed.kernel.c = k.o
        transposed.kernel.o = k.c; transposed.kernel.oh = k.h; transposed.kernel.ow = k.w
        transposed.kernel.pad_top = top; transposed.kernel.pad_left = left
        let (kh, kw, c, o) = (Int(k.kh), Int(k.kw), Int(k.c), Int(k.o))
        let flipped = Tensor(uninitializedShape: [kh, kw, o, c])
        let source = filter.storage.base, target = flipped.storage.base
        for i in 0..<kh {
            for j in 0..<kw {
                let from = source + ((kh - 1 - i) * kw + (kw - 1 - j)) * c * o, to = target + (i * kw + j) * o * c
                for q in 0..<c {
                    for p in 0..<o { to[p * c + q] = from[q * o + p] }
                }
            }
        }
        withExtendedLifetime(filter) {}
        return transposed.run(input: g, filter: flipped, scale: nil, shift: nil, activation: .linear)
    }

    /// The windows of this convolution.
    var columns: ConvolutionColumns {
        let k = kernel
        return ConvolutionColumns(images: Int(k.n), channels: Int(k.c), outChannels: Int(k.o), axes: [
            WindowAxis(input: Int(k.h), window: Int(k.kh), stride: Int(k.stride_h), dilation: Int(k.dilation_h),
                       output: Int(k.oh), before: Int(k.pad_top)),
            WindowAxis(input: Int(k.w), window: Int(k.kw), stride: Int(k.stride_w), dilation: Int(k.dilation_w),
                       output: Int(k.ow), before: Int(k.pad_left)),
        ])
    }
}

/// One convolution's buffers, for the threads that share its images. The
/// caller keeps every buffer alive until all parts have run; each part writes
/// only its own images' outputs.
private struct ConvolutionJob: @unchecked Sendable {
    let geometry: cconv_geometry
    /// The max pooling of the output, fused into the convolution (nil: none).
    let pooling: cpool_geometry?
    /// Winograd's kernel (`cwino_run`, with `packedFilter` from `cwino_pack_filter`) or the direct one.
    let winograd: Bool
    let input: UnsafePointer<Float>
    let packedFilter: UnsafePointer<Float>
    let scale: UnsafePointer<Float>?
    let shift: UnsafePointer<Float>?
    let relu: Bool
    let output: UnsafeMutablePointer<Float>

    /// Convolves images `n·part/parts ..< n·(part+1)/parts`.
    func run(part: Int, of parts: Int) {
        let images = Int(geometry.n)
        let first = images * part / parts, end = images * (part + 1) / parts
        var slice = geometry
        slice.n = Int32(end - first)
        let inputImage = Int(geometry.h) * Int(geometry.w) * Int(geometry.c)
        let relu: Int32 = relu ? 1 : 0
        if var pool = pooling {
            pool.n = slice.n
            let outputImage = Int(pool.oh) * Int(pool.ow) * Int(pool.c)
            let count = winograd ? cwino_scratch_count(&slice) : cconv_pooled_scratch_count(&slice, &pool)
            let scratch = TensorBuffer<Float>(uninitializedCount: count)
            let run = winograd ? cwino_run_pooled : cconv_run_pooled
            run(&slice, &pool, input + first * inputImage, packedFilter, scale, shift, relu, scratch.base,
                output + first * outputImage)
            withExtendedLifetime(scratch) {}
            return
        }
        let outputImage = Int(geometry.oh) * Int(geometry.ow) * Int(geometry.o)
        let run = winograd ? cwino_run : cconv_run
        let scratch = TensorBuffer<Float>(uninitializedCount: winograd ? cwino_scratch_count(&slice) : cconv_scratch_count(&slice))
        run(&slice, input + first * inputImage, packedFilter, scale, shift, relu, scratch.base, output + first * outputImage)
        withExtendedLifetime(scratch) {}
    }
}
