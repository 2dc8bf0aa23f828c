import Foundation

/// TensorFlow's own starting values: each initializer's transform as the
/// `tf.compat.v1` initializers of `get_variable` compute it (`init_ops.py`),
/// drawing from the random op the ``DeterministicRandomTestTool`` seeds.
/// One small function per initializer; the constant ones draw nothing (they
/// make no random op, so they take no operation seed).
extension Initializer {
    /// The value TensorFlow gives a variable of `shape` made with this
    /// initializer under `tool`, advancing the tool as TensorFlow's random op
    /// does; nil for an initializer whose TensorFlow transform is not
    /// reproduced. Such a case still takes the operation seeds of the random ops
    /// TensorFlow's initializer makes (`_ = tool.nextSeeds()` for one), so that
    /// the variables made after it stay in step. A new initializer adds its case
    /// here, beside its transform.
    public func tensorFlowValue(shape: [Int], tool: inout DeterministicRandomTestTool) throws -> Tensor? {
        switch self {
        case .zeros, .ones, .constant:
            return try makeValue(shape: shape, name: "")
        case let .randomNormal(mean, stddev, _):
            return try tool.randomNormal(shape: shape, mean: mean, stddev: stddev)
        case let .truncatedNormal(mean, stddev, _):
            return try tool.truncatedNormal(shape: shape, mean: mean, stddev: stddev)
        case let .randomUniform(minval, maxval, _):
            return try tool.randomUniform(shape: shape, minval: minval, maxval: maxval)
        case .glorotUniform:
            return try Self.varianceScalingUniform(shape: shape, scale: Self.fanAverageScale(shape), tool: &tool)
        case .glorotNormal:
            return try Self.varianceScalingTruncated(shape: shape, scale: Self.fanAverageScale(shape), tool: &tool)
        case let .varianceScaling(scale, mode, distribution, seed):
            return try Self.varianceScalingBase(shape: shape, scale: scale, mode: mode, distribution: distribution, seed: seed)
                .tensorFlowValue(shape: shape, tool: &tool)
        case .identity:
            return try makeValue(shape: shape, name: "")
        case let .unitForgetBias(base):
            let units = shape[0] / 4
            guard let input = try base.tensorFlowValue(shape: [units], tool: &tool),
                  let rest = try base.tensorFlowValue(shape: [2 * units], tool: &tool) else { return nil }
            return try Tensor(shape: shape, scalars: input.scalars + [Float](repeating: 1, count: units) + rest.scalars)
        case let .orthogonal(gain, _):
            return try Self.orthogonal(shape: shape, gain: gain, tool: &tool)
        }
    }

    /// `Orthogonal`: one `random_normal` of `[max(rows, columns), min(rows, columns)]`
    /// (`rows` the product of all but the last dimension), the `Q` of its QR
    /// decomposition times the sign of `R`'s diagonal, transposed when
    /// `rows < columns`, times `gain`. TensorFlow decomposes in float32 (Householder);
    /// the sign-fixed `Q` is unique, so ModelSpec's decomposition (in double) gives
    /// it within float32 rounding.
    static func orthogonal(shape: [Int], gain: Float, tool: inout DeterministicRandomTestTool) throws -> Tensor {
        guard shape.count >= 2 else {
            throw TensorError(op: "orthogonal initializer", shapes: [shape], reason: "is not of rank 2 or more, which it needs")
        }
        let columns = shape[shape.count - 1], rows = shape.dropLast().reduce(1, *)
        let sample = try tool.randomNormal(shape: [Swift.max(rows, columns), Swift.min(rows, columns)])
        let q = orthogonalMatrix(sample.scalars.map(Double.init), rows: rows, columns: columns)
        return try Tensor(shape: shape, scalars: q.map { gain * Float($0) })
    }

    /// `VarianceScaling(mode="fan_avg")`'s scale: `1 / max(1, (fan_in + fan_out) / 2)`.
    static func fanAverageScale(_ shape: [Int]) -> Double {
        let (fanIn, fanOut) = fans(shape)
        return 1 / Swift.max(1, (fanIn + fanOut) / 2)
    }

    /// `VarianceScaling(distribution="uniform")`: `U(-limit, limit)`, `limit = √(3 scale)`.
    static func varianceScalingUniform(shape: [Int], scale: Double, tool: inout DeterministicRandomTestTool) throws -> Tensor {
        let limit = (3 * scale).squareRoot()
        return try tool.randomUniform(shape: shape, minval: Float(-limit), maxval: Float(limit))
    }

    /// `VarianceScaling(distribution="truncated_normal")`: stddev `√scale / 0.87962566103423978`.
    static func varianceScalingTruncated(shape: [Int], scale: Double, tool: inout DeterministicRandomTestTool) throws -> Tensor {
        let stddev = scale.squareRoot() / 0.87962566103423978
        return try tool.truncatedNormal(shape: shape, mean: 0, stddev: Float(stddev))
    }
}
