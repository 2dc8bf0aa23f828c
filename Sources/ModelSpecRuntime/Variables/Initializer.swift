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
    /// TensorFlow's `VarianceScaling`: `scale / n` is the variance, `n` the fan of `mode`
    /// (at least 1); see ``varianceScalingBase(shape:scale:mode:distribution:seed:)``.
    case varianceScaling(scale: Float = 1, mode: FanMode = .fanIn, distribution: ScalingDistribution = .truncatedNormal,
                         seed: Int? = nil)
    /// A (semi-)orthogonal matrix times `gain`, for a shape of rank 2 or more flattened to
    /// `[product of all but the last, last]`; see ``orthogonalMatrix(_:rows:columns:)``.
    case orthogonal(gain: Float = 1, seed: Int? = nil)
    /// `gain` on the diagonal of a rank-2 shape, zeros elsewhere.
    case identity(gain: Float = 1)
    /// A Keras LSTM's bias with `unit_forget_bias`: of its gates `[i, f, c, o]`, each `units`
    /// long, `i` from the initializer given, `f` ones, then `c` and `o` from it again (one
    /// draw of `2·units`), as tf_keras's `LSTMCell.build` concatenates them.
    indirect case unitForgetBias(Initializer)

    /// `he_normal`: variance scaling by 2 over the fan-in, truncated normal.
    public static func heNormal(seed: Int? = nil) -> Initializer {
        .varianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal, seed: seed)
    }

    /// `he_uniform`: variance scaling by 2 over the fan-in, uniform.
    public static func heUniform(seed: Int? = nil) -> Initializer {
        .varianceScaling(scale: 2, mode: .fanIn, distribution: .uniform, seed: seed)
    }

    /// `lecun_normal`: variance scaling by 1 over the fan-in, truncated normal.
    public static func lecunNormal(seed: Int? = nil) -> Initializer {
        .varianceScaling(scale: 1, mode: .fanIn, distribution: .truncatedNormal, seed: seed)
    }

    /// `lecun_uniform`: variance scaling by 1 over the fan-in, uniform.
    public static func lecunUniform(seed: Int? = nil) -> Initializer {
        .varianceScaling(scale: 1, mode: .fanIn, distribution: .uniform, seed: seed)
    }

    /// Which fan a variance-scaling initializer divides by.
    public enum FanMode: Hashable, Sendable { case fanIn, fanOut, fanAvg }

    /// What a variance-scaling initializer draws from.
    public enum ScalingDistribution: Hashable, Sendable { case truncatedNormal, untruncatedNormal, uniform }

    /// TensorFlow's correction of a normal truncated at two standard deviations: the standard
    /// deviation of the truncated standard normal, by which the wanted one is divided.
    public static let truncationCorrection = 0.87962566103423978

    /// The plain distribution `VarianceScaling` draws from for `shape`: `n` the fan of `mode`
    /// (at least 1), a truncated normal of standard deviation `√(scale/n) / 0.8796…`, a normal of
    /// `√(scale/n)`, or a uniform on `±√(3·scale/n)`.
    public static func varianceScalingBase(shape: [Int], scale: Float, mode: FanMode, distribution: ScalingDistribution,
                                           seed: Int?) -> Initializer {
        let (fanIn, fanOut) = fans(shape)
        let n = switch mode {
        case .fanIn: fanIn
        case .fanOut: fanOut
        case .fanAvg: (fanIn + fanOut) / 2
        }
        let variance = Double(scale) / Swift.max(1, n)
        switch distribution {
        case .truncatedNormal:
            return .truncatedNormal(mean: 0, stddev: Float(variance.squareRoot() / truncationCorrection), seed: seed)
        case .untruncatedNormal:
            return .randomNormal(mean: 0, stddev: Float(variance.squareRoot()), seed: seed)
        case .uniform:
            let limit = Float((3 * variance).squareRoot())
            return .randomUniform(minval: -limit, maxval: limit, seed: seed)
        }
    }

    /// TensorFlow's orthogonal matrix from a `max(rows, columns) × min(rows, columns)` standard
    /// normal sample (row-major): the `Q` of its QR decomposition with `R`'s diagonal made
    /// positive (modified Gram–Schmidt gives that `Q`), transposed when `rows < columns`;
    /// `rows × columns`, row-major.
    public static func orthogonalMatrix(_ sample: [Double], rows: Int, columns: Int) -> [Double] {
        let (m, n) = (Swift.max(rows, columns), Swift.min(rows, columns))
        var q = sample
        for j in 0..<n {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<m { dot += q[i * n + k] * q[i * n + j] }
                for i in 0..<m { q[i * n + j] -= dot * q[i * n + k] }
            }
            var norm = 0.0
            for i in 0..<m { norm += q[i * n + j] * q[i * n + j] }
            norm = norm.squareRoot()
            for i in 0..<m { q[i * n + j] = norm > 0 ? q[i * n + j] / norm : 0 }
        }
        guard rows < columns else { return q }
        var transposed = [Double](repeating: 0, count: q.count)
        for i in 0..<m { for j in 0..<n { transposed[j * m + i] = q[i * n + j] } }
        return transposed
    }

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
            let stddev = (2 / Swift.max(1, fanIn + fanOut)).squareRoot() / Self.truncationCorrection
            return try Initializer.truncatedNormal(mean: 0, stddev: Float(stddev), seed: seed)
                .makeValue(shape: shape, name: name)
        case let .varianceScaling(scale, mode, distribution, seed):
            return try Self.varianceScalingBase(shape: shape, scale: scale, mode: mode, distribution: distribution, seed: seed)
                .makeValue(shape: shape, name: name)
        case let .orthogonal(gain, seed):
            guard shape.count >= 2 else {
                throw TensorError(op: "orthogonal initializer", shapes: [shape], reason: "is not of rank 2 or more, which it needs")
            }
            let columns = shape[shape.count - 1], rows = shape.dropLast().reduce(1, *)
            var g = Self.generator(seed, name)
            let sample = (0..<(rows * columns)).map { _ in Self.normal(&g) }
            let q = Self.orthogonalMatrix(sample, rows: rows, columns: columns)
            return try Tensor(shape: shape, scalars: q.map { Float($0) * gain })
        case let .unitForgetBias(base):
            let (units, remainder) = (shape.first ?? 0).quotientAndRemainder(dividingBy: 4)
            guard shape.count == 1, remainder == 0 else {
                throw TensorError(op: "unit_forget_bias initializer", shapes: [shape],
                                  reason: "is not an LSTM bias [4·units], which it needs")
            }
            return try Tensor(shape: shape, scalars: base.makeValue(shape: [units], name: name).scalars
                + [Float](repeating: 1, count: units) + base.makeValue(shape: [2 * units], name: name).scalars)
        case let .identity(gain):
            guard shape.count == 2 else {
                throw TensorError(op: "identity initializer", shapes: [shape], reason: "is not of rank 2, which it needs")
            }
            return try Tensor(shape: shape) { p in
                for i in p.indices { p[i] = i / shape[1] == i % shape[1] ? gain : 0 }
            }
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
