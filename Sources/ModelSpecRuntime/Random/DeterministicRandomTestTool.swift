/// TensorFlow's `tf.compat.v1.keras.utils.DeterministicRandomTestTool`, which
/// the guide to the shim uses to start old and migrated code from the same
/// weights (`tf_keras/src/legacy_tf_layers/migration_utils.py`).
///
/// Within its scope every random op that asks `random_seed.get_seed` for its
/// seeds gets `(seed, operation seed)`: in `numRandomOps` mode the operation
/// seed counts the random ops made so far (from `operationSeed`, 0 by default);
/// in `constant` mode it is always `operationSeed` and every op starts its
/// stream afresh (the tool resets TensorFlow's global seed, which drops the
/// cached kernels). The ops stay TensorFlow's stateful kernels
/// (``TensorFlowRandomOps``).
///
/// What draws through it (TensorFlow 2.21, checked in `oracle/starting_weights.py`):
/// `tf.random.uniform`/`normal`/`truncated_normal` and the
/// `tf.compat.v1` initializers of `get_variable` (ModelSpec's `variable`
/// steps). Keras layers' initializers (`tf.compat.v1.layers` and native layers
/// alike) do not: tf_keras seeds them from Python's `random`, outside the tool.
public struct DeterministicRandomTestTool: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case constant
        case numRandomOps = "num_random_ops"
    }

    public var seed: Int
    public var mode: Mode
    /// The next operation seed (TensorFlow's `operation_seed` property).
    public var operationSeed: Int

    public init(seed: Int = 42, mode: Mode = .constant, operationSeed: Int = 0) {
        self.seed = seed
        self.mode = mode
        self.operationSeed = operationSeed
    }

    /// The `(seed, seed2)` of the next random op.
    public mutating func nextSeeds() -> (seed: UInt64, seed2: UInt64) {
        let operation = operationSeed
        if mode == .numRandomOps { operationSeed += 1 }
        return (UInt64(bitPattern: Int64(seed)), UInt64(bitPattern: Int64(operation)))
    }

    /// `tf.random.uniform(shape, minval, maxval)`: `rnd * (maxval - minval) + minval` in float32.
    public mutating func randomUniform(shape: [Int], minval: Float = 0, maxval: Float = 1) throws -> Tensor {
        let (seed, seed2) = nextSeeds()
        let range = maxval - minval
        let values = TensorFlowRandomOps.uniform(count: try Self.count(shape), seed: seed, seed2: seed2)
        return try Tensor(shape: shape, scalars: values.map { $0 * range + minval })
    }

    /// `tf.random.normal(shape, mean, stddev)`: `rnd * stddev + mean` in float32.
    public mutating func randomNormal(shape: [Int], mean: Float = 0, stddev: Float = 1) throws -> Tensor {
        let (seed, seed2) = nextSeeds()
        let values = TensorFlowRandomOps.standardNormal(count: try Self.count(shape), seed: seed, seed2: seed2)
        return try Tensor(shape: shape, scalars: values.map { $0 * stddev + mean })
    }

    /// `tf.random.truncated_normal(shape, mean, stddev)`: `rnd * stddev + mean` in float32.
    public mutating func truncatedNormal(shape: [Int], mean: Float = 0, stddev: Float = 1) throws -> Tensor {
        let (seed, seed2) = nextSeeds()
        let values = TensorFlowRandomOps.truncatedNormal(count: try Self.count(shape), seed: seed, seed2: seed2)
        return try Tensor(shape: shape, scalars: values.map { $0 * stddev + mean })
    }

    private static func count(_ shape: [Int]) throws -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(op: "random", shapes: [shape], reason: "has a negative dimension")
        }
        return try TensorAllocation.byteCount(of: shape, scalarBytes: 4, op: "random") / 4
    }
}
