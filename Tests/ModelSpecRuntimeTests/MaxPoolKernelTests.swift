import Testing
@testable import ModelSpecRuntime

/// `maxPool2d` on the C kernel against a plain loop over every window: SAME and
/// VALID padding, strides unlike the window, channel counts with and without a
/// remainder past whole vectors of 8 (2×2 windows whole and cut by the edge), and NaN
/// winning as in TensorFlow; with each instruction set.
@Suite struct MaxPoolKernelTests {
    struct Case: CustomStringConvertible {
        var n, h, w, c: Int
        var window: (Int, Int), strides: (Int, Int)
        var padding: Padding
        var description: String { "\(n)x\(h)x\(w)x\(c) window \(window) strides \(strides) \(padding)" }
    }

    static let cases: [Case] = [
        Case(n: 2, h: 28, w: 28, c: 32, window: (2, 2), strides: (2, 2), padding: .valid),
        Case(n: 1, h: 7, w: 9, c: 13, window: (2, 2), strides: (2, 2), padding: .same),
        Case(n: 1, h: 7, w: 9, c: 13, window: (3, 3), strides: (2, 2), padding: .same),
        Case(n: 3, h: 5, w: 4, c: 3, window: (2, 3), strides: (1, 2), padding: .same),
        Case(n: 1, h: 6, w: 6, c: 17, window: (3, 2), strides: (3, 1), padding: .valid),
    ]

    @Test(arguments: cases) func matchesPlainLoops(_ t: Case) throws {
        var g = SeededGenerator(seed: 17)
        var x = try Tensor(shape: [t.n, t.h, t.w, t.c]) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
        x[0, 1, 1, t.c - 1] = .nan
        let expected = try reference(x, t)
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                let y = try maxPool2d(x, windowSize: t.window, strides: t.strides, padding: t.padding)
                #expect(y.shape == expected.shape)
                #expect(zip(y.scalars, expected.scalars).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
                #expect(y.scalars.contains { $0.isNaN })
            }
        }
    }

    func reference(_ x: Tensor, _ t: Case) throws -> Tensor {
        func geometry(_ size: Int, _ k: Int, _ s: Int) -> (out: Int, before: Int) {
            if t.padding == .valid { return ((size - k) / s + 1, 0) }
            let out = (size + s - 1) / s
            return (out, Swift.max(0, (out - 1) * s + k - size) / 2)
        }
        let (oh, top) = geometry(t.h, t.window.0, t.strides.0), (ow, left) = geometry(t.w, t.window.1, t.strides.1)
        var out: [Float] = []
        for b in 0..<t.n { for y in 0..<oh { for xx in 0..<ow { for k in 0..<t.c {
            var m = -Float.infinity
            for i in 0..<t.window.0 { for j in 0..<t.window.1 {
                let iy = y * t.strides.0 + i - top, ix = xx * t.strides.1 + j - left
                guard iy >= 0, iy < t.h, ix >= 0, ix < t.w else { continue }
                let v = x[b, iy, ix, k]
                if v > m || v.isNaN { m = v }
            } }
            out.append(m)
        } } } }
        return try Tensor(shape: [t.n, oh, ow, t.c], scalars: out)
    }
}
