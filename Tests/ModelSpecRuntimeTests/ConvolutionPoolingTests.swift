import CConvolution
import Testing
@testable import ModelSpecRuntime

/// A convolution with the max pooling of its output fused into it (`cconv_run_pooled`,
/// `cwino_run_pooled`, ``conv2dMaxPool2d(_:filter:strides:padding:dilations:bias:activation:poolSize:poolStrides:poolPadding:)``)
/// against the two run one after the other, bit for bit: the direct kernel and Winograd's, odd
/// sizes (windows cut by the edge with SAME pooling, a row and column no window reads with
/// VALID), channel counts that are not multiples of 16 or 8, windows of 2 and 3 and a stride
/// beyond the window, strided and 1×1 convolutions, the epilogues, NaN and −∞ among the inputs
/// and the large values that make NaN and infinities in the outputs; with each instruction set;
/// on one thread and two. Where it is not fused (a gradient tape recording, overlapping windows,
/// other activations) the values are the same.
@Suite struct ConvolutionPoolingTests {
    struct Case: CustomStringConvertible {
        var convolution: ConvolutionTests.Case
        var window: (Int, Int), strides: (Int, Int)
        var padding: Padding
        var description: String { "\(convolution), pooled \(window) s\(strides) \(padding)" }
    }

    static func pooled(_ n: Int, _ h: Int, _ w: Int, _ c: Int, _ k: Int, _ o: Int, strides: (Int, Int) = (1, 1),
                       window: Int = 2, stride: Int = 2, padding: Padding = .valid) -> Case {
        Case(convolution: ConvolutionTests.Case(n: n, h: h, w: w, c: c, kh: k, kw: k, o: o, strides: strides),
             window: (window, window), strides: (stride, stride), padding: padding)
    }

    static let cases: [Case] = [
        pooled(3, 28, 28, 1, 3, 32),                      // cnn_small's first, direct
        pooled(2, 14, 14, 32, 3, 64),                     // cnn_small's second, Winograd
        pooled(2, 13, 11, 17, 3, 33, padding: .same),     // Winograd, odd: partial windows
        pooled(2, 13, 11, 17, 3, 33),                     // Winograd, odd: last row and column unread
        pooled(1, 9, 7, 3, 3, 13, padding: .same),        // direct, odd, one partial vector
        pooled(2, 9, 7, 3, 3, 20, window: 3, stride: 3),
        pooled(1, 10, 11, 5, 3, 17, window: 3, stride: 3, padding: .same),  // SAME windows start before the image
        pooled(2, 9, 10, 4, 1, 9, window: 2, stride: 3),  // rows no window reads
        pooled(2, 11, 9, 6, 3, 24, strides: (2, 2), padding: .same),
        pooled(1, 2, 3, 4, 3, 5),
    ]

    static func random(_ shape: [Int], _ g: inout SeededGenerator, amplitude: Float = 1) throws -> Tensor {
        try Tensor(shape: shape) { p in for i in p.indices { p[i] = (g.nextUniform() * 2 - 1) * amplitude } }
    }

    static func bits(_ t: Tensor) -> [UInt32] { t.scalars.map(\.bitPattern) }

    @Test(arguments: cases) func fusedGivesTheUnfusedBitsOnBothKernels(_ t: Case) throws {
        var g = SeededGenerator(seed: 21)
        let k = t.convolution
        // Large inputs make infinite sums, and NaN where they meet (in Winograd's transforms too).
        for amplitude: Float in [1, 3e37] {
            var x = try Self.random([k.n, k.h, k.w, k.c], &g, amplitude: amplitude)
            x[0, 0, 1, 0] = .nan
            x[k.n - 1, k.h - 1, 0, k.c - 1] = -.infinity
            let f = try Self.random([k.kh, k.kw, k.c, k.o], &g)
            let scale = try Self.random([k.o], &g), shift = try Self.random([k.o], &g)
            let geometry = try ConvGeometry(input: x.shape, filter: f.shape, strides: k.strides, padding: k.padding,
                                            dilations: k.dilations)
            let output = geometry.outputShape
            let (gh, gw) = try windowGeometry(op: "maxPool2d", shapes: [output], height: output[1], width: output[2],
                                              window: t.window, strides: t.strides, dilations: (1, 1), padding: t.padding)
            var pool = try #require(cpoolGeometry(output, gh, gw, windowSize: t.window, strides: t.strides))
            // Winograd's kernel wherever it computes the convolution, not only where the rule picks it.
            var kernel = geometry.kernel
            let winograd = cwino_supports(&kernel) != 0 ? [false, true] : [false]
            for instructions in KernelInstructions.allCases {
                try instructions.limiting {
                    for (s, h, activation) in [(nil, nil, Activation.linear), (scale, shift, .relu), (nil, shift, .relu)] {
                        for onWinograd in winograd where !onWinograd || cwino_supports_pooling(&pool) != 0 {
                            let full = geometry.run(input: x, filter: f, scale: s, shift: h, activation: activation, winograd: onWinograd)
                            let expected = try maxPool2d(full, windowSize: t.window, strides: t.strides, padding: t.padding)
                            let fused = geometry.run(input: x, filter: f, scale: s, shift: h, activation: activation,
                                                     winograd: onWinograd, pooling: pool)
                            #expect(fused.shape == expected.shape)
                            #expect(Self.bits(fused) == Self.bits(expected), "\(t) \(instructions) \(activation) winograd \(onWinograd)")
                            #expect(expected.scalars.contains { $0.isNaN })
                        }
                    }
                }
            }
        }
    }

    /// Each kernel meets a NaN in every position of a window (and none), and the NaN it keeps
    /// is the pooling kernel's.
    @Test func nanInAnyPositionOfAWindowIsKeptAsThePoolingKeepsIt() throws {
        var g = SeededGenerator(seed: 22)
        for (c, o) in [(1, 32), (32, 64)] {
            let f = try Self.random([3, 3, c, o], &g)
            let bias = try Self.random([o], &g)
            for (y, x) in [(0, 0), (0, 1), (1, 0), (1, 1), (4, 5)] {
                var input = try Self.random([1, 8, 8, c], &g)
                input[0, y, x, 0] = .nan
                for instructions in KernelInstructions.allCases {
                    try instructions.limiting {
                        let expected = try maxPool2d(conv2d(input, filter: f, padding: .same, bias: bias),
                                                     windowSize: (2, 2), strides: (2, 2))
                        let fused = try conv2dMaxPool2d(input, filter: f, padding: .same, bias: bias,
                                                        poolSize: (2, 2), poolStrides: (2, 2))
                        #expect(Self.bits(fused) == Self.bits(expected), "\(c) → \(o) NaN at \(y), \(x) \(instructions)")
                        #expect(fused.scalars.contains { $0.isNaN })
                    }
                }
            }
        }
    }

    /// The public calls where they fuse and where they fall back: overlapping windows, another
    /// activation, a gradient tape (whose gradients are the separate calls').
    @Test func publicCallsGiveTheSeparateCallsValuesAndGradients() throws {
        var g = SeededGenerator(seed: 23)
        let x = try Self.random([2, 9, 9, 16], &g), f = try Self.random([3, 3, 16, 32], &g)
        let bias = try Self.random([32], &g), scale = try Self.random([32], &g), shift = try Self.random([32], &g)
        for (window, strides, activation) in [((2, 2), (2, 2), Activation.relu), ((3, 3), (2, 2), .relu), ((2, 2), (2, 2), .tanh),
                                              ((3, 3), (3, 3), .linear)] {
            for padding in [Padding.valid, .same] {
                let separate = try maxPool2d(conv2d(x, filter: f, padding: .same, bias: bias, activation: activation),
                                             windowSize: window, strides: strides, padding: padding)
                let fused = try conv2dMaxPool2d(x, filter: f, padding: .same, bias: bias, activation: activation,
                                                poolSize: window, poolStrides: strides, poolPadding: padding)
                #expect(Self.bits(fused) == Self.bits(separate), "\(window) \(strides) \(activation) \(padding)")
                let folded = try maxPool2d(conv2d(x, filter: f, padding: .same, scale: scale, shift: shift, activation: activation),
                                           windowSize: window, strides: strides, padding: padding)
                let foldedFused = try conv2dMaxPool2d(x, filter: f, padding: .same, scale: scale, shift: shift, activation: activation,
                                                      poolSize: window, poolStrides: strides, poolPadding: padding)
                #expect(Self.bits(foldedFused) == Self.bits(folded), "\(window) \(strides) \(activation) \(padding)")
            }
        }
        // Under a gradient tape the two calls run (the backward pass reads the convolution's output).
        let separate = try BackwardKernelTests.gradients([x, f, bias], seed: 7) {
            try maxPool2d(conv2d(x, filter: f, padding: .same, bias: bias, activation: .relu), windowSize: (2, 2), strides: (2, 2))
        }
        let fused = try BackwardKernelTests.gradients([x, f, bias], seed: 7) {
            try conv2dMaxPool2d(x, filter: f, padding: .same, bias: bias, activation: .relu, poolSize: (2, 2), poolStrides: (2, 2))
        }
        #expect(separate.map(Self.bits) == fused.map(Self.bits))
        #expect(separate.allSatisfy { $0.scalars.contains { $0 != 0 } })
    }

    /// Split across threads, the fused call gives the separate calls' values on as many threads;
    /// on the direct kernel (and Winograd's with AVX-512) those of one thread. (Winograd's AVX2 and
    /// portable products round differently for blocks of other sizes, fused or not.)
    @Test func splitByImagesGivesTheSeparateCallsValues() throws {
        var g = SeededGenerator(seed: 24)
        // 7 images in parts of 1 or 2, on the direct kernel (5 → 24 channels) and Winograd's (32 → 40).
        for (c, o) in [(5, 24), (32, 40)] {
            let x = try Self.random([7, 15, 13, c], &g), f = try Self.random([3, 3, c, o], &g)
            let bias = try Self.random([o], &g)
            for instructions in KernelInstructions.allCases {
                for padding in [Padding.valid, .same] {
                    let ((one, two), (separateOne, separateTwo)) = try instructions.limiting {
                        let fused = try KernelThreadsTests().oneAndTwoThreads {
                            try conv2dMaxPool2d(x, filter: f, padding: .same, bias: bias, activation: .relu,
                                                poolSize: (2, 2), poolStrides: (2, 2), poolPadding: padding)
                        }
                        let separate = try KernelThreadsTests().oneAndTwoThreads {
                            try maxPool2d(conv2d(x, filter: f, padding: .same, bias: bias, activation: .relu),
                                          windowSize: (2, 2), strides: (2, 2), padding: padding)
                        }
                        return (fused, separate)
                    }
                    #expect(Self.bits(one) == Self.bits(separateOne), "\(c) → \(o) \(instructions) \(padding)")
                    #expect(Self.bits(two) == Self.bits(separateTwo), "\(c) → \(o) \(instructions) \(padding)")
                    if c < 16 || instructions == .avx512 {
                        #expect(Self.bits(one) == Self.bits(two), "\(c) → \(o) \(instructions) \(padding)")
                    }
                }
            }
        }
    }
}
