import Foundation
import Testing
@testable import ModelSpecRuntime

/// Winograd's F(2×2, 3×3) kernel (`cwino_run`) against the direct kernel, a plain loop in
/// Double, and TensorFlow (Tests/Goldens/winograd, oracle/winograd.py): odd sizes (partial
/// tiles at the right and bottom), SAME and VALID, channel counts that are not multiples of 16
/// (partial vectors in both transforms), several images and blocks of tiles, the fused
/// epilogues, large values; with each instruction set. (Split across threads: `ConvolutionTests`.)
@Suite struct WinogradConvolutionTests {
    typealias Case = ConvolutionTests.Case

    static let cases: [Case] = [
        Case(n: 1, h: 16, w: 16, c: 64, kh: 3, kw: 3, o: 64),          // cnn_bn's convolution, smaller
        Case(n: 1, h: 14, w: 14, c: 32, kh: 3, kw: 3, o: 64),          // cnn_small's second
        Case(n: 3, h: 9, w: 7, c: 16, kh: 3, kw: 3, o: 32),            // odd sizes, 3 images
        Case(n: 2, h: 13, w: 11, c: 17, kh: 3, kw: 3, o: 33, padding: .valid),
        Case(n: 1, h: 6, w: 5, c: 40, kh: 3, kw: 3, o: 20),
        Case(n: 2, h: 4, w: 4, c: 33, kh: 3, kw: 3, o: 16),
        Case(n: 5, h: 17, w: 6, c: 8, kh: 3, kw: 3, o: 7, padding: .valid),   // the kernel on a shape the rule leaves to the direct one
    ]

    static func random(_ shape: [Int], _ g: inout SeededGenerator, amplitude: Float = 1) throws -> Tensor {
        try Tensor(shape: shape) { p in for i in p.indices { p[i] = (g.nextUniform() * 2 - 1) * amplitude } }
    }

    static func geometry(_ t: Case) throws -> ConvGeometry {
        try ConvGeometry(input: [t.n, t.h, t.w, t.c], filter: [3, 3, t.c, t.o], strides: (1, 1),
                         padding: t.padding, dilations: (1, 1))
    }

    /// Largest difference over the largest magnitude of `expected` (or 1, whichever is larger).
    static func relativeDifference(_ actual: Tensor, _ expected: Tensor) -> Float {
        let scale = Swift.max(1, expected.scalars.map(abs).max() ?? 0)
        return (zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0) / scale
    }

    @Test(arguments: cases) func matchesTheDirectKernelAndPlainLoops(_ t: Case) throws {
        var g = SeededGenerator(seed: 5)
        for amplitude: Float in [1, 1e4] {
            let x = try Self.random([t.n, t.h, t.w, t.c], &g, amplitude: amplitude)
            let f = try Self.random([3, 3, t.c, t.o], &g)
            let scale = try Self.random([t.o], &g), shift = try Self.random([t.o], &g, amplitude: amplitude)
            let plain = try ConvolutionTests().reference(x, f, t)
            let geometry = try Self.geometry(t)
            for instructions in KernelInstructions.allCases {
                try instructions.limiting {
                    for (s, h, activation) in [(nil, nil, Activation.linear), (scale, shift, .relu), (nil, shift, .relu)] {
                        let affine = try add(multiply(plain, s ?? Tensor(shape: [], scalars: [1])), h ?? Tensor.zeros([]))
                        let expected = activation == .relu ? relu(affine) : affine
                        let winograd = geometry.run(input: x, filter: f, scale: s, shift: h, activation: activation, winograd: true)
                        let direct = geometry.run(input: x, filter: f, scale: s, shift: h, activation: activation, winograd: false)
                        #expect(winograd.shape == expected.shape)
                        // F(2×2, 3×3) rounds as the direct kernel does, within a few units of 1e-7 of
                        // the largest output.
                        #expect(Self.relativeDifference(winograd, expected) < 2e-6, "\(t) \(instructions) \(amplitude)")
                        #expect(Self.relativeDifference(winograd, direct) < 2e-6, "\(t) \(instructions) \(amplitude)")
                    }
                }
            }
        }
    }

    @Test func theRuleTakesWinogradForWideThreeByThreeConvolutionsOnly() throws {
        func uses(_ input: [Int], _ filter: [Int], strides: (Int, Int) = (1, 1), padding: Padding = .same,
                  dilations: (Int, Int) = (1, 1)) throws -> Bool {
            try ConvGeometry(input: input, filter: filter, strides: strides, padding: padding, dilations: dilations).usesWinograd
        }
        #expect(try uses([1, 32, 32, 64], [3, 3, 64, 64]))            // cnn_bn's second and third
        #expect(try uses([16, 14, 14, 32], [3, 3, 32, 64]))           // cnn_small's second
        #expect(try !uses([1, 32, 32, 3], [3, 3, 3, 64]))             // cnn_bn's first: 3 channels
        #expect(try !uses([1, 28, 28, 1], [3, 3, 1, 32]))             // cnn_small's first
        #expect(try !uses([1, 14, 14, 16], [3, 3, 16, 16]))           // 16 → 16: no faster
        #expect(try !uses([1, 32, 32, 64], [3, 3, 64, 64], strides: (2, 2)))
        #expect(try !uses([1, 32, 32, 64], [3, 3, 64, 64], dilations: (2, 2)))
        #expect(try !uses([1, 32, 32, 64], [5, 5, 64, 64]))
        #expect(try !uses([1, 5, 5, 64], [3, 3, 64, 64], padding: .valid))   // 3×3 outputs
    }

    @Test func theTransformedFilterFollowsItsVariable() throws {
        var g = SeededGenerator(seed: 9)
        let t = Case(n: 1, h: 10, w: 10, c: 32, kh: 3, kw: 3, o: 32)
        let x = try Self.random([1, 10, 10, 32], &g)
        var f = try Self.random([3, 3, 32, 32], &g)
        let geometry = try Self.geometry(t)
        #expect(geometry.usesWinograd)
        let before = try conv2d(x, filter: f, padding: .same)
        // Written in place: the transformed form made by the first call must not be reused.
        f.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= -2 } }
        let after = try conv2d(x, filter: f, padding: .same)
        #expect(Self.relativeDifference(after, try multiply(before, Tensor(shape: [], scalars: [-2]))) < 2e-6)
        // The same filter on a shape the direct kernel takes, then Winograd's again: each repacks.
        let small = try Self.random([1, 3, 3, 32], &g)
        let direct = try conv2d(small, filter: f, padding: .valid)
        #expect(Self.relativeDifference(direct, try ConvolutionTests().reference(small, f, Case(n: 1, h: 3, w: 3, c: 32, kh: 3, kw: 3, o: 32, padding: .valid))) < 2e-6)
        #expect(Self.relativeDifference(try conv2d(x, filter: f, padding: .same), after) == 0)
    }

    struct GoldenCase: Decodable, CustomStringConvertible {
        let name: String
        let input: [Int]
        let out_channels: Int
        let padding: String
        let amplitude: Double
        let epilogue: String
        var description: String { name }
    }

    static let directory = Goldens.directory.deletingLastPathComponent().appendingPathComponent("winograd")

    static var goldenCases: [GoldenCase] {
        struct Index: Decodable { let cases: [GoldenCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")),
              let index = try? JSONDecoder().decode(Index.self, from: data) else { return [] }
        return index.cases
    }

    /// `amplitude · wave(rate · i + phase)` for each scalar, in Double, rounded to Float: the
    /// oracle's formula.
    static func formula(_ shape: [Int], _ amplitude: Double, _ rate: Double, _ phase: Double,
                        _ wave: (Double) -> Double) throws -> Tensor {
        try Tensor(shape: shape) { p in for i in p.indices { p[i] = Float(amplitude * wave(rate * Double(i) + phase)) } }
    }

    @Test func everyGoldenCaseIsRead() {
        #expect(Self.goldenCases.count == 4)
    }

    @Test("TensorFlow's conv2d (Tests/Goldens/winograd, oracle/winograd.py)", arguments: goldenCases)
    func matchesTensorFlow(_ golden: GoldenCase) throws {
        let (n, h, w, c) = (golden.input[0], golden.input[1], golden.input[2], golden.input[3]), o = golden.out_channels
        let x = try Self.formula([n, h, w, c], golden.amplitude, 0.731, 0.3, sin)
        let f = try Self.formula([3, 3, c, o], 0.25, 1.37, 0.1, cos)
        let k = (0..<o).map { Double($0) * 0.5 }
        let scale = try Tensor(shape: [o], scalars: k.map { Float(cos($0)) })
        let shift = try Tensor(shape: [o], scalars: k.map { Float(sin($0) * golden.amplitude) })
        let padding: Padding = golden.padding == "SAME" ? .same : .valid
        let expected = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("\(golden.name)/y.npy"))
        let geometry = try ConvGeometry(input: x.shape, filter: f.shape, strides: (1, 1), padding: padding, dilations: (1, 1))
        #expect(geometry.usesWinograd)
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let y: Tensor
                switch golden.epilogue {
                case "bias_relu": y = try conv2d(x, filter: f, padding: padding, bias: shift, activation: .relu)
                case "scale_shift_relu": y = try conv2d(x, filter: f, padding: padding, scale: scale, shift: shift, activation: .relu)
                default: y = try conv2d(x, filter: f, padding: padding)
                }
                // 1e-5 of the largest output (TensorFlow's own sums round differently from both kernels).
                #expect(y.shape == expected.shape)
                #expect(Self.relativeDifference(y, expected) < 1e-5, "\(golden.name) \(instructions)")
                if golden.amplitude == 1 { expectClose(y, expected, "\(golden.name) \(instructions)") }
            }
        }
    }
}
