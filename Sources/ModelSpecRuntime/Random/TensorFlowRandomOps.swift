import Foundation

/// TensorFlow's stateful random kernels on the CPU, bit for bit in float32:
/// `RandomUniform`, `RandomStandardNormal` and `TruncatedNormal` with the op
/// attributes `seed` and `seed2` (`random_op.cc`, `random_op_cpu.h`,
/// `random_distributions.h`).
///
/// A new kernel starts a ``Philox`` generator keyed by `seed` with `seed2` in
/// its counter. Uniform and normal values come four per generator call, in
/// order; a normal pair is Box–Muller of two uniforms (`BoxMullerFloat`). The
/// truncated normal fills groups of four, group `g` from the generator skipped
/// by `256 g` calls, drawing Box–Muller pairs and keeping the values below 2
/// in magnitude.
public enum TensorFlowRandomOps {
    /// `RandomUniform` (float32): values in [0, 1).
    public static func uniform(count: Int, seed: UInt64, seed2: UInt64) -> [Float] {
        var generator = Philox(seed: seed, seed2: seed2)
        return fill(count) { generator.next() }.map(uint32ToFloat)
    }

    /// `RandomStandardNormal` (float32).
    public static func standardNormal(count: Int, seed: UInt64, seed2: UInt64) -> [Float] {
        var generator = Philox(seed: seed, seed2: seed2)
        var result: [Float] = []
        result.reserveCapacity(count + 3)
        while result.count < count {
            let (a, b, c, d) = generator.next()
            let (f0, f1) = boxMuller(a, b), (f2, f3) = boxMuller(c, d)
            result += [f0, f1, f2, f3]
        }
        return Array(result.prefix(count))
    }

    /// `TruncatedNormal` (float32): standard normal values within two standard deviations.
    public static func truncatedNormal(count: Int, seed: UInt64, seed2: UInt64) -> [Float] {
        let base = Philox(seed: seed, seed2: seed2)
        var result: [Float] = []
        result.reserveCapacity(count + 3)
        var group: UInt64 = 0
        while result.count < count {
            var generator = base
            generator.skip(group * 256)
            var samples = SingleSamples(generator: generator)
            var values: [Float] = []
            while values.count < 4 {
                let (f0, f1) = boxMuller(samples.next(), samples.next())
                for f in [f0, f1] where abs(f) < 2 && values.count < 4 { values.append(f) }
            }
            result += values
            group += 1
        }
        return Array(result.prefix(count))
    }

    /// `Uint32ToFloat`: 23 random mantissa bits as a float in [0, 1).
    static func uint32ToFloat(_ x: UInt32) -> Float {
        Float(bitPattern: (x & 0x7F_FFFF) | 0x3F80_0000) - 1
    }

    /// `BoxMullerFloat`.
    static func boxMuller(_ x0: UInt32, _ x1: UInt32) -> (Float, Float) {
        var u1 = uint32ToFloat(x0)
        if u1 < 1.0e-7 { u1 = 1.0e-7 }
        // `2.0f * M_PI * Uint32ToFloat(x1)` is computed in double, then stored as float.
        let v1 = Float(2.0 * Double.pi * Double(uint32ToFloat(x1)))
        let u2 = (-2 * Foundation.log(u1)).squareRoot()
        return (Foundation.sin(v1) * u2, Foundation.cos(v1) * u2)
    }

    /// The four values of each generator call, flattened.
    private static func fill(_ count: Int, _ next: () -> (UInt32, UInt32, UInt32, UInt32)) -> [UInt32] {
        var bits: [UInt32] = []
        bits.reserveCapacity(count + 3)
        while bits.count < count {
            let (a, b, c, d) = next()
            bits += [a, b, c, d]
        }
        return Array(bits.prefix(count))
    }

    /// `SingleSampleAdapter`: one value at a time from a generator's groups of four.
    private struct SingleSamples {
        var generator: Philox
        var pending: [UInt32] = []

        mutating func next() -> UInt32 {
            if pending.isEmpty {
                let (a, b, c, d) = generator.next()
                pending = [d, c, b, a]
            }
            return pending.removeLast()
        }
    }
}
