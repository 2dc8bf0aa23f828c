import Foundation

/// A variable initializer with TensorFlow's formulas.
///
/// - `glorotUniform`: U(−limit, limit), `limit = √(6 / (fanIn + fanOut))`.
/// - `glorotNormal`: a normal truncated at two standard deviations, with
///   `stddev = √(2 / (fanIn + fanOut)) / 0.87962566103423978` (Keras' and
///   TF1's `VarianceScaling` correction for the truncation).
/// - `truncatedNormal(mean, stddev)`: a normal truncated at two standard
///   deviations, without correction (`tf.compat.v1.truncated_normal_initializer`).
/// - Fans as TensorFlow computes them: rank 2 `[in, out]`; for convolution
///   kernels `[h, w, in, out]` the receptive field `h·w` times the channels;
///   rank 1 uses its size for both; a scalar has fans of 1.
///
/// Random initializers are reproducible: with a `seed`, from that seed; without
/// one, from a hash of the variable's full name. **The random streams are not
/// TensorFlow's** (TensorFlow uses Philox): only the distributions agree, so
/// weights are loaded from a checkpoint to reproduce a TensorFlow model.
/// TensorFlow's own starting values under `DeterministicRandomTestTool` are
/// ``tensorFlowValue(shape:tool:)`` (`Initializer+TensorFlowRandom.swift`).
public enum Initializer: Hashable, Sendable {
    case zeros
    case ones
    case constant(Float)
    case randomNormal(mean: Float = 0, stddev: Float = 0.05, seed: Int? = nil)
    case truncatedNormal(mean: Float = 0, stddev: Float = 0.05, seed: Int? = nil)
    case randomUniform(minval: Float = -0.05, maxval: Float = 0.05, seed: Int? = nil)
    case glorotUniform(seed: Int? = nil)
    case glorotNormal(seed: Int? = nil)

    /// The default of `get_variable` and of Keras' `add_weight` for floats.
    public static let `default`: Initializer = .glorotUniform(seed: nil)

    /// `(fan_in, fan_out)` of a weight shape, as `_compute_fans` in TensorFlow.
    public static func fans(_ shape: [Int]) -> (fanIn: Double, fanOut: Double) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (Double(shape[0]), Double(shape[0]))
        case 2: return (Double(shape[0]), Double(shape[1]))
        default:
            let receptive = Double(shape.dropLast(2).reduce(1, *))
            return (Double(shape[shape.count - 2]) * receptive, Double(shape[shape.count - 1]) * receptive)
        }
    }

    /// Makes the initial value of the variable `name` of shape `shape`.
    public func makeValue(shape: [Int], name: String) throws -> Tensor {
        switch self {
        case .zeros: return try Tensor(shape: shape, repeating: 0)
        case .ones: return try Tensor(shape: shape, repeating: 1)
        case let .constant(value): return try Tensor(shape: shape, repeating: value)
        case let .randomNormal(mean, stddev, seed):
            var g = Self.generator(seed, name)
            return try Tensor(shape: shape) { p in
                for i in p.indices { p[i] = Float(Double(mean) + Double(stddev) * Self.normal(&g)) }
            }
        case let .truncatedNormal(mean, stddev, seed):
            var g = Self.generator(seed, name)
            return try Tensor(shape: shape) { p in
                for i in p.indices { p[i] = Float(Double(mean) + Double(stddev) * Self.truncatedNormal(&g)) }
            }
        case let .randomUniform(minval, maxval, seed):
            var g = Self.generator(seed, name)
            return try Tensor(shape: shape) { p in
                for i in p.indices { p[i] = minval + (maxval - minval) * g.nextUniform() }
            }
        case let .glorotUniform(seed):
            let (fanIn, fanOut) = Self.fans(shape)
            let limit = Float((6 / Swift.max(1, fanIn + fanOut)).squareRoot())
            return try Initializer.randomUniform(minval: -limit, maxval: limit, seed: seed)
                .makeValue(shape: shape, name: name)
        case let .glorotNormal(seed):
            let (fanIn, fanOut) = Self.fans(shape)
            let stddev = (2 / Swift.max(1, fanIn + fanOut)).squareRoot() / 0.87962566103423978
            return try Initializer.truncatedNormal(mean: 0, stddev: Float(stddev), seed: seed)
                .makeValue(shape: shape, name: name)
        }
    }

    static func generator(_ seed: Int?, _ name: String) -> SeededGenerator {
        if let seed { return SeededGenerator(seed: UInt64(bitPattern: Int64(seed))) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return SeededGenerator(seed: hash)
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ g: inout SeededGenerator) -> Double {
        let u1 = Double(g.next() >> 11) * 0x1p-53
        let u2 = Double(g.next() >> 11) * 0x1p-53
        return (-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A standard normal draw, redrawn until it is within two standard deviations.
    static func truncatedNormal(_ g: inout SeededGenerator) -> Double {
        while true {
            let z = normal(&g)
            if Swift.abs(z) <= 2 { return z }
        }
    }
}
