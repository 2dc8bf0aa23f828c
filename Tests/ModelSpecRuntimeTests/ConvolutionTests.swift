import Testing
@testable import ModelSpecRuntime

/// The direct convolution kernel against a plain loop over every output, on
/// geometries that reach each of its paths: rows cut into tiles of every size, strided rows,
/// dilated taps, partial channel blocks (8 channels or fewer: one vector), SAME and VALID
/// padding (VALID read in place), the fused scale, shift and ReLU; with each instruction set.
@Suite struct ConvolutionTests {
    struct Case: CustomStringConvertible {
        var n, h, w, c, kh, kw, o: Int
        var strides = (1, 1), dilations = (1, 1)
        var padding = Padding.same
        var description: String { "\(n)x\(h)x\(w)x\(c) * \(kh)x\(kw)x\(o) s\(strides) d\(dilations) \(padding)" }
    }

    static let cases: [Case] = [
        Case(n: 2, h: 5, w: 5, c: 5, kh: 3, kw: 3, o: 3, padding: .valid),
        Case(n: 2, h: 12, w: 12, c: 16, kh: 3, kw: 3, o: 32),
        Case(n: 3, h: 28, w: 28, c: 1, kh: 3, kw: 3, o: 32),
        Case(n: 1, h: 4, w: 37, c: 3, kh: 3, kw: 3, o: 20),
        Case(n: 2, h: 14, w: 14, c: 32, kh: 3, kw: 3, o: 24),
        Case(n: 2, h: 9, w: 11, c: 7, kh: 3, kw: 2, o: 24, strides: (2, 3)),
        Case(n: 2, h: 9, w: 11, c: 7, kh: 3, kw: 3, o: 20, dilations: (2, 2)),
        Case(n: 2, h: 9, w: 11, c: 7, kh: 3, kw: 3, o: 20, strides: (2, 1), dilations: (2, 1), padding: .valid),
        Case(n: 1, h: 3, w: 3, c: 4, kh: 5, kw: 5, o: 17),
        Case(n: 1, h: 7, w: 1, c: 4, kh: 3, kw: 1, o: 8),
        Case(n: 1, h: 2, w: 2, c: 4, kh: 1, kw: 1, o: 8, padding: .valid),
        Case(n: 5, h: 4, w: 6, c: 3, kh: 1, kw: 1, o: 40, strides: (2, 2)),
        Case(n: 2, h: 6, w: 6, c: 2, kh: 2, kw: 2, o: 1, dilations: (1, 3), padding: .valid),
    ]

    @Test(arguments: cases) func matchesPlainLoops(_ t: Case) throws {
        var g = SeededGenerator(seed: 11)
        func random(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
        }
        let x = try random([t.n, t.h, t.w, t.c]), f = try random([t.kh, t.kw, t.c, t.o])
        let scale = try random([t.o]), shift = try random([t.o])
        let plain = try reference(x, f, t)
        // Every kernel the machine can run: AVX-512 (more than 8 channels), AVX2, portable.
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let y = try conv2d(x, filter: f, strides: t.strides, padding: t.padding, dilations: t.dilations)
                #expect(y.shape == plain.shape)
                #expect(maxDifference(y, plain) < 1e-4)

                let biased = try conv2d(x, filter: f, strides: t.strides, padding: t.padding, dilations: t.dilations,
                                        bias: shift, activation: .relu)
                let expectedBiased = relu(try biasAdd(plain, shift))
                #expect(maxDifference(biased, expectedBiased) < 1e-4)

                let folded = try conv2d(x, filter: f, strides: t.strides, padding: t.padding, dilations: t.dilations,
                                        scale: scale, shift: shift, activation: .relu)
                let expectedFolded = relu(try add(multiply(plain, scale), shift))
                #expect(maxDifference(folded, expectedFolded) < 1e-4)
            }
        }
    }

    /// Enough multiply-adds for three parts; on the direct kernel, and on Winograd's.
    @Test(arguments: [([7, 24, 18, 6], [3, 3, 6, 20]), ([5, 16, 12, 32], [3, 3, 32, 48])])
    func imagesSplitAcrossThreadsGiveTheSameResult(_ shapes: ([Int], [Int])) throws {
        var g = SeededGenerator(seed: 3)
        let x = try Tensor(shape: shapes.0) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let f = try Tensor(shape: shapes.1) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        // The task's own thread limit, so tests running at once keep theirs.
        let one = try KernelThreads.$limit.withValue(1) { try conv2d(x, filter: f, padding: .same, activation: .relu) }
        let three = try KernelThreads.$limit.withValue(3) { try conv2d(x, filter: f, padding: .same, activation: .relu) }
        #expect(one == three)
    }

    @Test func emptyInputChannelsGiveTheBias() throws {
        let bias = try Tensor(shape: [3], scalars: [1, -2, 3])
        let y = try conv2d(Tensor.zeros([2, 4, 5, 0]), filter: Tensor.zeros([3, 3, 0, 3]), padding: .same,
                           bias: bias, activation: .relu)
        #expect(y.shape == [2, 4, 5, 3])
        #expect(y.scalars == Array(repeating: [1, 0, 3], count: 2 * 4 * 5).flatMap { $0 })
        #expect(try conv2d(Tensor.zeros([0, 4, 5, 2]), filter: Tensor.zeros([3, 3, 2, 3])).shape == [0, 2, 3, 3])
    }

    @Test func perChannelValuesMustMatchTheFilter() throws {
        let x = try Tensor.zeros([1, 4, 4, 2]), f = try Tensor.zeros([3, 3, 2, 5])
        #expect(throws: TensorError.self) { try conv2d(x, filter: f, scale: .zeros([4]), shift: .zeros([5])) }
        #expect(throws: TensorError.self) { try conv2d(x, filter: f, bias: .zeros([2])) }
    }

    /// Σ over taps and channels, one output at a time, in Double.
    func reference(_ x: Tensor, _ f: Tensor, _ t: Case) throws -> Tensor {
        func outSize(_ size: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
            let span = (k - 1) * d + 1
            if t.padding == .valid { return ((size - span) / s + 1, 0) }
            let out = (size + s - 1) / s
            return (out, Swift.max(0, (out - 1) * s + span - size) / 2)
        }
        let (oh, top) = outSize(t.h, t.kh, t.strides.0, t.dilations.0)
        let (ow, left) = outSize(t.w, t.kw, t.strides.1, t.dilations.1)
        let xs = x.scalars, fs = f.scalars
        var out = [Float](repeating: 0, count: t.n * oh * ow * t.o)
        for b in 0..<t.n { for y in 0..<oh { for xx in 0..<ow { for k in 0..<t.o {
            var sum = 0.0
            for i in 0..<t.kh { for j in 0..<t.kw {
                let iy = y * t.strides.0 + i * t.dilations.0 - top, ix = xx * t.strides.1 + j * t.dilations.1 - left
                guard iy >= 0, iy < t.h, ix >= 0, ix < t.w else { continue }
                for ch in 0..<t.c { sum += Double(xs[((b * t.h + iy) * t.w + ix) * t.c + ch]) * Double(fs[((i * t.kw + j) * t.c + ch) * t.o + k]) }
            } }
            out[((b * oh + y) * ow + xx) * t.o + k] = Float(sum)
        } } } }
        return try Tensor(shape: [t.n, oh, ow, t.o], scalars: out)
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }
}
