/// A variable: a named, mutable tensor with TensorFlow's attributes, shared by
/// reference between the layer that owns it, the shim's variable store and
/// the `weights` lists (which, like TensorFlow's, compare by identity).
///
/// A variable's shape is fixed at creation; `assign` and `assignAdd` keep it.
/// Not `Sendable`: confine a model and its variables to one task.
public final class Variable {
    /// The full name without `:0` (`model/dense/kernel`, or an attribute path `conv_layer/kernel`).
    public let name: String
    /// The current value. Reading it is cheap (copy-on-write).
    public private(set) var value: Tensor
    /// Whether the variable is listed in `trainableWeights`.
    public let trainable: Bool
    /// The regularizer whose loss the owning layer reports in `losses`.
    public let regularizer: Regularizer?

    public init(name: String, value: Tensor, trainable: Bool = true, regularizer: Regularizer? = nil) {
        self.name = name
        self.value = value
        self.trainable = trainable
        self.regularizer = regularizer
    }

    /// The shape, fixed at creation.
    public var shape: [Int] { value.shape }

    /// Replaces the value (`tf.Variable.assign`); the shape must not change.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape else {
            throw TensorError(op: "assign", shapes: [value.shape, newValue.shape],
                              reason: "do not fit: variable '\(name)' keeps its shape")
        }
        value = newValue
    }

    /// Adds to the value in place (`tf.Variable.assign_add`).
    public func assignAdd(_ delta: Tensor) throws {
        try value.addInPlace(delta)
    }

    /// Subtracts from the value in place (`tf.Variable.assign_sub`).
    public func assignSub(_ delta: Tensor) throws {
        try value.addInPlace(delta, scaledBy: -1)
    }

    /// The regularization loss of the current value, if the variable has a regularizer.
    /// Read while a tape records, a trainable variable is watched (its gradient takes the loss in).
    public var regularizationLoss: Tensor? {
        guard let regularizer else { return nil }
        if trainable, let tape = GradientTape.active { tape.watch(self) }
        return regularizer.loss(value)
    }
}

extension Variable {
    /// Writes the value in place (an optimizer's update), copying first if another tensor shares it.
    func updateInPlace(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        try value.withUnsafeMutableBufferPointer(body)
    }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        "Variable('\(name)', shape: \(value.shape)\(trainable ? "" : ", trainable: false"))"
    }
}

/// A weight regularizer, as Keras computes it: `l1 = factor · Σ|x|`,
/// `l2 = factor · Σx²` (no ½), `l1_l2` the sum of both. The factor of the
/// spec's bare `l2` is Keras' default, 0.01.
public enum Regularizer: Hashable, Sendable {
    case l1(Float)
    case l2(Float)
    case l1l2(l1: Float, l2: Float)

    /// The scalar loss of `x` (sums accumulated in double precision).
    public func loss(_ x: Tensor) -> Tensor {
        let (l1, l2): (Float, Float) = switch self {
        case let .l1(f): (f, 0)
        case let .l2(f): (0, f)
        case let .l1l2(a, b): (a, b)
        }
        var absSum = 0.0, squareSum = 0.0
        x.withUnsafeBufferPointer { p in
            for v in p {
                let d = Double(v)
                absSum += Swift.abs(d)
                squareSum += d * d
            }
        }
        var total: Float = 0
        if l1 != 0 { total += l1 * Float(absSum) }
        if l2 != 0 { total += l2 * Float(squareSum) }
        let result = Tensor(total)
        if let tape = GradientTape.active {
            tape.record("regularizer", result, [x]) { g, _ in
                let scale = g.scalar ?? 0
                return [x.map { v in scale * (l1 * (v > 0 ? 1 : (v < 0 ? -1 : 0)) + 2 * l2 * v) }]
            }
        }
        return result
    }
}
