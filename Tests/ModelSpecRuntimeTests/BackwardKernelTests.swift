import CConvolution
import Testing
@testable import ModelSpecRuntime

/// The backward passes on kernels of their own against the paths they replaced, with each
/// instruction set: conv2d's filter gradient on the forward kernel's tiles against windowsᵀ·g and a
/// strided convolution's input gradient in phases on the direct kernel against g·filterᵀ,
/// the bias and ReLU backward fused into conv2d and dense against the separate operations,
/// batch normalization in training against its moments and broadcast operations, max
/// pooling's backward pass against a plain loop, Adam's vectorized update against the scalar loop.
@Suite struct BackwardKernelTests {
    static func random(_ shape: [Int], _ g: inout SeededGenerator) throws -> Tensor {
        try Tensor(shape: shape) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
    }

    /// The largest difference relative to the larger of 1 and the expected value.
    static func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
        #expect(a.shape == b.shape)
        return zip(a.scalars, b.scalars).map { abs($0 - $1) / Swift.max(1, abs($1)) }.max() ?? 0
    }

    // Every geometry of the forward kernel's tests (strides, dilations, SAME and VALID,
    // channels not whole blocks of 16 or 8, one-channel images, 1x1 filters), and rows of
    // filter taps longer than one tile.
    static let filterCases = ConvolutionTests.cases + [
        ConvolutionTests.Case(n: 2, h: 10, w: 9, c: 37, kh: 3, kw: 3, o: 33, strides: (2, 2)),
        ConvolutionTests.Case(n: 1, h: 8, w: 8, c: 64, kh: 3, kw: 3, o: 64),
    ]

    @Test(arguments: filterCases) func filterGradientMatchesTheWindowProducts(_ t: ConvolutionTests.Case) throws {
        var g = SeededGenerator(seed: 23)
        let x = try Self.random([t.n, t.h, t.w, t.c], &g)
        let geometry = try ConvGeometry(input: x.shape, filter: [t.kh, t.kw, t.c, t.o], strides: t.strides,
                                        padding: t.padding, dilations: t.dilations)
        let dy = try Self.random(geometry.outputShape, &g)
        let expected = geometry.columns.filterGradient(dy, input: x, shape: [t.kh, t.kw, t.c, t.o])
        for instructions in KernelInstructions.allCases {
            instructions.limiting {
                let direct = geometry.directFilterGradient(dy, input: x, shape: [t.kh, t.kw, t.c, t.o])
                #expect(Self.relativeDifference(direct, expected) < 1e-4, "\(instructions)")
            }
        }
    }

    // Strided geometries: windows wider and narrower than the stride, 1×1 windows (phases with
    // no tap), SAME padding odd and even, channels not whole blocks.
    static let stridedCases = filterCases.filter { $0.strides.0 > 1 || $0.strides.1 > 1 } + [
        ConvolutionTests.Case(n: 2, h: 11, w: 9, c: 5, kh: 5, kw: 5, o: 18, strides: (2, 2), padding: .valid),
        ConvolutionTests.Case(n: 1, h: 10, w: 13, c: 3, kh: 3, kw: 3, o: 20, strides: (3, 3)),
        ConvolutionTests.Case(n: 2, h: 8, w: 8, c: 16, kh: 2, kw: 2, o: 16, strides: (2, 2), padding: .valid),
        ConvolutionTests.Case(n: 1, h: 9, w: 7, c: 4, kh: 4, kw: 4, o: 9, strides: (2, 2)),
        ConvolutionTests.Case(n: 1, h: 7, w: 7, c: 2, kh: 1, kw: 3, o: 17, strides: (3, 2), padding: .valid),
    ]

    @Test(arguments: stridedCases) func stridedInputGradientMatchesTheWindowProducts(_ t: ConvolutionTests.Case) throws {
        var g = SeededGenerator(seed: 29)
        let f = try Self.random([t.kh, t.kw, t.c, t.o], &g)
        let geometry = try ConvGeometry(input: [t.n, t.h, t.w, t.c], filter: f.shape, strides: t.strides,
                                        padding: t.padding, dilations: t.dilations)
        let dy = try Self.random(geometry.outputShape, &g)
        let expected = geometry.columns.inputGradient(dy, filter: f, shape: [t.n, t.h, t.w, t.c])
        for instructions in KernelInstructions.allCases {
            instructions.limiting {
                let phased = geometry.phasedInputGradient(dy, filter: f)
                if t.dilations != (1, 1) {
                    #expect(phased == nil)
                } else if let phased {
                    #expect(Self.relativeDifference(phased, expected) < 1e-4, "\(instructions)")
                } else {
                    Issue.record("no phased gradient for \(t)")
                }
            }
        }
    }

    /// Gradients of Σ w·f(inputs) with respect to `inputs`, for fixed random weights w.
    static func gradients(_ inputs: [Tensor], seed: UInt64, _ f: () throws -> Tensor) throws -> [Tensor] {
        let tape = GradientTape()
        for input in inputs { tape.watch(input) }
        var g = SeededGenerator(seed: seed)
        let loss = try tape.record { () throws -> Tensor in
            let y = try f()
            return try reduceSum(multiply(y, random(y.shape, &g)))
        }
        return try tape.gradient(of: loss, withRespectTo: inputs).map { try #require($0) }
    }

    @Test(arguments: [ConvolutionTests.cases[1], ConvolutionTests.cases[3], ConvolutionTests.cases[5]])
    func convolutionBiasAndReLUBackwardMatchSeparateOperations(_ t: ConvolutionTests.Case) throws {
        var g = SeededGenerator(seed: 31)
        let x = try Self.random([t.n, t.h, t.w, t.c], &g), f = try Self.random([t.kh, t.kw, t.c, t.o], &g)
        let b = try Self.random([t.o], &g)
        func conv(_ x: Tensor) throws -> Tensor {
            try conv2d(x, filter: f, strides: t.strides, padding: t.padding, dilations: t.dilations)
        }
        let separate = try Self.gradients([x, f, b], seed: 5) { relu(try biasAdd(conv(x), b)) }
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let fused = try Self.gradients([x, f, b], seed: 5) {
                    try conv2d(x, filter: f, strides: t.strides, padding: t.padding, dilations: t.dilations,
                               bias: b, activation: .relu)
                }
                for (a, e) in zip(fused, separate) { #expect(Self.relativeDifference(a, e) < 1e-4, "\(instructions)") }
            }
        }
    }

    @Test func denseBiasAndReLUBackwardMatchSeparateOperations() throws {
        var g = SeededGenerator(seed: 37)
        let x = try Self.random([13, 29], &g), w = try Self.random([29, 21], &g), b = try Self.random([21], &g)
        let separate = try Self.gradients([x, w, b], seed: 6) { relu(try biasAdd(matmul(x, w), b)) }
        let fused = try Self.gradients([x, w, b], seed: 6) { try dense(x, kernel: w, bias: b, activation: .relu) }
        for (a, e) in zip(fused, separate) { #expect(Self.relativeDifference(a, e) < 1e-5) }
        // Without ReLU, and a NaN gradient kept where the ReLU passes nothing (TensorFlow's ReluGrad: g·0).
        let linear = try Self.gradients([x, w, b], seed: 6) { try dense(x, kernel: w, bias: b) }
        let linearSeparate = try Self.gradients([x, w, b], seed: 6) { try biasAdd(matmul(x, w), b) }
        for (a, e) in zip(linear, linearSeparate) { #expect(Self.relativeDifference(a, e) < 1e-5) }
        let y = try Tensor(shape: [1, 2], scalars: [-1, 2])
        let (masked, bias) = biasActivationBackward(try Tensor(shape: [1, 2], scalars: [.nan, 3]), output: y,
                                                    relu: true, bias: true)
        #expect(masked.scalars[0].isNaN && masked.scalars[1] == 3)
        #expect(bias?.scalars[1] == 3)
    }

    @Test(arguments: [[4, 5, 6, 19], [3, 7, 64], [2, 1, 1, 1], [5, 16]])
    func batchNormalizationInTrainingMatchesTheBroadcastOperations(_ shape: [Int]) throws {
        var g = SeededGenerator(seed: 41)
        // An offset mean, so that the centring matters.
        let x = try add(Self.random(shape, &g), Tensor(3))
        let c = shape.last!
        let gamma = try Self.random([c], &g), beta = try Self.random([c], &g)
        let composite = try Self.gradients([x, gamma, beta], seed: 8) {
            let (mean, variance) = try batchMoments(x)
            let y = try batchNormalization(x, mean: mean, variance: variance, offset: beta, scale: gamma, epsilon: 1e-3)
            // The statistics used downstream too: their gradients reach x.
            return try add(y, multiply(add(mean, variance), Tensor(0.5)))
        }
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let (mean, variance) = try batchMoments(x)
                let plain = try batchNormalization(x, mean: mean, variance: variance, offset: beta, scale: gamma, epsilon: 1e-3)
                let fused = try #require(batchNormalizationInTraining(x, scale: gamma, offset: beta, epsilon: 1e-3))
                #expect(Self.relativeDifference(fused.output, plain) < 1e-5)
                #expect(Self.relativeDifference(fused.mean, mean) < 1e-6)
                #expect(Self.relativeDifference(fused.variance, variance) < 1e-6)
                let gradients = try Self.gradients([x, gamma, beta], seed: 8) {
                    let (y, mean, variance) = try #require(batchNormalizationInTraining(x, scale: gamma, offset: beta, epsilon: 1e-3))
                    return try add(y, multiply(add(mean, variance), Tensor(0.5)))
                }
                for (a, e) in zip(gradients, composite) { #expect(Self.relativeDifference(a, e) < 1e-4, "\(instructions)") }
            }
        }
    }

    static let poolCases = MaxPoolKernelTests.cases + [
        MaxPoolKernelTests.Case(n: 2, h: 6, w: 5, c: 9, window: (3, 3), strides: (1, 1), padding: .same),
    ]

    @Test(arguments: poolCases) func maxPoolBackwardMatchesAPlainLoop(_ t: MaxPoolKernelTests.Case) throws {
        var g = SeededGenerator(seed: 43)
        // Few distinct values: windows with ties, whose gradient goes to the first maximum only.
        var x = try Tensor(shape: [t.n, t.h, t.w, t.c]) { p in for i in p.indices { p[i] = Float(Int(g.nextUniform() * 4)) } }
        x[0, 1, 1, t.c - 1] = .nan
        let y = try maxPool2d(x, windowSize: t.window, strides: t.strides, padding: t.padding)
        let dy = try Self.random(y.shape, &g)
        let expected = try reference(x, y, dy, t)
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let tape = GradientTape()
                tape.watch(x)
                let loss = try tape.record {
                    try reduceSum(multiply(maxPool2d(x, windowSize: t.window, strides: t.strides, padding: t.padding), dy))
                }
                let dx = try #require(try tape.gradient(of: loss, withRespectTo: x))
                #expect(dx.scalars == expected.scalars, "\(instructions)")
            }
        }
    }

    /// Each output's gradient added at the first position of its window, row by row, that holds its maximum.
    func reference(_ x: Tensor, _ y: Tensor, _ dy: Tensor, _ t: MaxPoolKernelTests.Case) throws -> Tensor {
        let (oh, ow) = (y.shape[1], y.shape[2])
        let top = t.padding == .valid ? 0 : Swift.max(0, (oh - 1) * t.strides.0 + t.window.0 - t.h) / 2
        let left = t.padding == .valid ? 0 : Swift.max(0, (ow - 1) * t.strides.1 + t.window.1 - t.w) / 2
        var out = [Float](repeating: 0, count: x.scalarCount)
        for b in 0..<t.n { for oy in 0..<oh { for ox in 0..<ow { for k in 0..<t.c {
            let m = y[b, oy, ox, k]
            search: for i in 0..<t.window.0 { for j in 0..<t.window.1 {
                let iy = oy * t.strides.0 + i - top, ix = ox * t.strides.1 + j - left
                guard iy >= 0, iy < t.h, ix >= 0, ix < t.w else { continue }
                let v = x[b, iy, ix, k]
                if v == m || (v.isNaN && m.isNaN) {
                    out[((b * t.h + iy) * t.w + ix) * t.c + k] += dy[b, oy, ox, k]
                    break search
                }
            } }
        } } } }
        return try Tensor(shape: x.shape, scalars: out)
    }

    @Test(arguments: [1, 15, 16, 37, 1000]) func adamUpdateIsTheScalarLoopBitForBit(_ n: Int) throws {
        var g = SeededGenerator(seed: UInt64(47 + n))
        let gradient = try Self.random([n], &g).scalars
        let start = (m: try Self.random([n], &g).scalars, v: try Self.random([n], &g).scalars.map(abs),
                     x: try Self.random([n], &g).scalars)
        let (b1, b2, alpha, eps): (Float, Float, Float, Float) = (0.9, 0.999, 3e-3, 1e-8)
        var expected = start
        for i in 0..<n {
            expected.m[i] += (gradient[i] - expected.m[i]) * (1 - b1)
            expected.v[i] += (gradient[i] * gradient[i] - expected.v[i]) * (1 - b2)
            expected.x[i] -= (expected.m[i] * alpha) / (expected.v[i].squareRoot() + eps)
        }
        for instructions in KernelInstructions.allCases {
            var got = start
            instructions.limiting {
                coptimizer_adam(n, gradient, &got.m, &got.v, &got.x, b1, b2, alpha, eps)
            }
            #expect(got.m == expected.m && got.v == expected.v && got.x == expected.x, "\(instructions)")
        }
    }
}
