import CConvolution
import Foundation
import Testing
@testable import ModelSpecRuntime

/// `clstm_gates`, the C gate pass of the common LSTM cell (sigmoid gates, tanh, no peepholes or
/// cell clip), against the Swift gate pass it replaces: the same values bit for bit on every
/// instruction path, rows of any width, NaN kept; and its backward rule `clstm_gates_backward`
/// against the Swift loop's formulas.
@Suite struct LSTMGateKernelTests {
    /// Gate sums over the ranges that take each branch of the activations: saturated, tiny
    /// (tanh's `x` below 4e-4), ordinary, infinite and NaN.
    static func values(_ count: Int, seed: Float) -> [Float] {
        (0..<count).map { k in
            let s = sinf(Float(k) * 1.7 + seed)
            switch k % 11 {
            case 3: return s * 120
            case 5: return s * 3e-4
            case 7 where k % 3 == 0: return .nan
            case 9 where k % 2 == 0: return s < 0 ? -.infinity : .infinity
            default: return s * 6
            }
        }
    }

    static func sigmoid(_ v: Float) -> Float {
        var out: Float = 0
        vectorSigmoid([v], &out, 1)
        return out
    }

    static func same(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

    @Test func theCGatePassGivesTheSwiftPassValuesBitForBit() {
        for instructions in KernelInstructions.allCases {
            for units in [1, 5, 16, 21, 40] {
                let g = 4 * units, forgetBias: Float = units % 2 == 0 ? 1 : 0
                let x = Self.values(g, seed: 0.3), product = Self.values(g, seed: 1.1)
                let cPrev = Self.values(units, seed: 2.9).map { $0.isFinite ? $0 : 0.5 }
                var c = [Float](repeating: 0, count: units), h = c, pre = [Float](repeating: 0, count: g)
                instructions.limiting {
                    clstm_gates(Int32(units), x, product, 0, Int32(units), Int32(2 * units), Int32(3 * units), forgetBias,
                                cPrev, &c, &h, &pre)
                }
                for k in 0..<units {
                    let sums = (0..<4).map { product[$0 * units + k] + x[$0 * units + k] }
                    var gate = [sums[0], sums[1], sums[2] + (forgetBias != 0 ? forgetBias : 0), sums[3]]
                    let expectedPre = gate
                    for n in [0, 2, 3] { gate[n] = Self.sigmoid(gate[n]) }
                    let expectedC = gate[2] * cPrev[k] + gate[0] * rationalTanh(gate[1])
                    let expectedH = rationalTanh(expectedC) * gate[3]
                    #expect(Self.same(c[k], expectedC), "\(instructions) units \(units) column \(k): c \(c[k]) against \(expectedC)")
                    #expect(Self.same(h[k], expectedH), "\(instructions) units \(units) column \(k): h \(h[k]) against \(expectedH)")
                    for n in 0..<4 {
                        #expect(Self.same(pre[n * units + k], expectedPre[n]), "\(instructions) units \(units) gate \(n) column \(k)")
                    }
                }
            }
        }
    }

    /// The gradients of the gates' inputs and of the previous cell state, as the Swift backward
    /// loop computes them from the recomputed activations (σ' = y(1−y), tanh' = 1−y²), bit for bit.
    @Test func theCBackwardPassGivesTheSwiftLoopsValuesBitForBit() {
        for instructions in KernelInstructions.allCases {
            for units in [1, 5, 16, 21, 40] {
                let g = 4 * units
                let pre = Self.values(g, seed: 0.7).map { $0.isFinite ? $0 : 2 }
                let c = Self.values(units, seed: 1.9).map { $0.isFinite ? $0 : -1 }
                let cPrev = Self.values(units, seed: 2.9).map { $0.isFinite ? $0 : 0.5 }
                let dh = Self.values(units, seed: 3.3).map { $0.isFinite ? $0 / 10 : 0.25 }
                let dc = Self.values(units, seed: 4.1).map { $0.isFinite ? $0 / 10 : -0.5 }
                var dcPrev = [Float](repeating: 0, count: units), dGates = [Float](repeating: 0, count: g)
                // Keras's gate order (i, f, c, o) to show the offsets are honoured.
                let (i, f, j, o) = (0, units, 2 * units, 3 * units)
                instructions.limiting {
                    clstm_gates_backward(Int32(units), pre, c, cPrev, dh, dc, Int32(i), Int32(j), Int32(f), Int32(o),
                                         &dcPrev, &dGates)
                }
                for k in 0..<units {
                    let yi = Self.sigmoid(pre[i + k]), yf = Self.sigmoid(pre[f + k]), yo = Self.sigmoid(pre[o + k])
                    let yj = rationalTanh(pre[j + k]), ac = rationalTanh(c[k])
                    let dO = dh[k] * ac * (yo * (1 - yo))
                    let dC = dc[k] + dh[k] * yo * (1 - ac * ac)
                    let expected = [(i, dC * yj * (yi * (1 - yi))), (f, dC * cPrev[k] * (yf * (1 - yf))),
                                    (j, dC * yi * (1 - yj * yj)), (o, dO)]
                    for (offset, value) in expected {
                        #expect(Self.same(dGates[offset + k], value), "\(instructions) units \(units) gate at \(offset) column \(k)")
                    }
                    #expect(Self.same(dcPrev[k], dC * yf), "\(instructions) units \(units) column \(k): dc_prev")
                }
            }
        }
    }
}
