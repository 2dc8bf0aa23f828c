import TFNaming

/// A layer of a declared kind with the arguments a spec gives it, checked
/// against the kind's arguments in its form; arguments not given take the
/// form's defaults when evaluated (``evaluated(_:)``).
public struct LayerConfig: Hashable, Sendable {
    public var kind: LayerKind
    /// Where it is written, which decides its defaults.
    public var form: LayerForm
    /// The arguments given, by spec key.
    public var arguments: [String: LayerValue] = [:]
    public var trainable: Bool = true
    /// The explicit `name`.
    public var name: String?
    /// A name formatted from loop indices (`"fc_{i}"`, a functional layer inside `repeat`), which stands
    /// for `name` at each iteration.
    public var nameFormat: NameFormat?
    /// `reuse` (functional legacy forms only).
    public var reuse: Reuse = .inherit
    /// The training flag passed to the layer: `nil` means the default, which is
    /// `false` for a legacy functional layer and the model's flag for a native layer.
    public var training: TrainingFlag?

    public init(kind: LayerKind, form: LayerForm) {
        self.kind = kind
        self.form = form
    }

    /// The layer with its name formatted from the loop indices' values (itself without a format).
    public func named(_ indices: [String: Int]) -> LayerConfig {
        guard let nameFormat else { return self }
        var named = self
        named.name = nameFormat.formatted(indices)
        return named
    }

    /// Whether a recurrent layer returns its final state after its output (`return_state`).
    public var returnsState: Bool { kind.recurrentStates > 0 && arguments["return_state"] == .bool(true) }

    /// How many values a call makes: the output, then the state tensors with `return_state`.
    public var resultCount: Int { 1 + (returnsState ? kind.recurrentStates : 0) }
}

public enum Padding: String, Hashable, Sendable {
    case valid, same
}

/// A layer's `activation:`; each but `linear` is also an operation without variables
/// of the same name and semantics (its declaration's defaults: `leaky_relu`'s
/// alpha 0.2, `gelu` exact), which a test keeps true.
public enum Activation: String, Hashable, Sendable, CaseIterable {
    case linear, relu, relu6, elu, tanh, sigmoid, softmax
    case leakyRelu = "leaky_relu", softplus, softsign, selu, swish, gelu
}

/// A variable initializer, with TensorFlow's defaults for its arguments.
public enum Initializer: Hashable, Sendable {
    case zeros
    case ones
    case constant(Double)
    case randomNormal(mean: Double, stddev: Double, seed: Int?)
    case truncatedNormal(mean: Double, stddev: Double, seed: Int?)
    case randomUniform(minval: Double, maxval: Double, seed: Int?)
    case glorotUniform(seed: Int?)
    case glorotNormal(seed: Int?)
    /// `variance_scaling`, and `he_normal`, `he_uniform`, `lecun_normal`, `lecun_uniform` (its presets).
    case varianceScaling(scale: Double, mode: FanMode, distribution: ScalingDistribution, seed: Int?)
    case orthogonal(gain: Double, seed: Int?)
    case identity(gain: Double)

    /// Why TensorFlow refuses to make a variable of `shape` with it (as `get_variable` and
    /// `add_weight` raise when the variable is made), or nil: `identity` needs rank 2,
    /// `orthogonal` rank 2 or more.
    public func shapeRefusal(_ shape: [Int]) -> String? {
        switch self {
        case .identity where shape.count != 2:
            "the identity initializer makes matrices, but this variable has shape \(shape) (rank \(shape.count)); TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\" (and its identity is for 2D matrices only)"
        case .orthogonal where shape.count < 2:
            "the orthogonal initializer needs a shape of rank 2 or more, but this variable has shape \(shape); TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\""
        default:
            nil
        }
    }

    /// `he_normal`: variance scaling by 2 over the fan-in, truncated normal.
    public static func heNormal(seed: Int?) -> Initializer { .varianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal, seed: seed) }
    /// `he_uniform`: variance scaling by 2 over the fan-in, uniform.
    public static func heUniform(seed: Int?) -> Initializer { .varianceScaling(scale: 2, mode: .fanIn, distribution: .uniform, seed: seed) }
    /// `lecun_normal`: variance scaling by 1 over the fan-in, truncated normal.
    public static func lecunNormal(seed: Int?) -> Initializer { .varianceScaling(scale: 1, mode: .fanIn, distribution: .truncatedNormal, seed: seed) }
    /// `lecun_uniform`: variance scaling by 1 over the fan-in, uniform.
    public static func lecunUniform(seed: Int?) -> Initializer { .varianceScaling(scale: 1, mode: .fanIn, distribution: .uniform, seed: seed) }
}

/// Which fan a variance-scaling initializer divides by.
public enum FanMode: String, Hashable, Sendable, CaseIterable {
    case fanIn = "fan_in", fanOut = "fan_out", fanAvg = "fan_avg"
}

/// What a variance-scaling initializer draws from (`normal` is TensorFlow's alias of `truncated_normal`).
public enum ScalingDistribution: String, Hashable, Sendable, CaseIterable {
    case truncatedNormal = "truncated_normal", untruncatedNormal = "untruncated_normal", uniform
}

/// A weight regularizer; its loss is added to the layer's `losses` on each call.
public enum Regularizer: Hashable, Sendable {
    case l1(Double)
    case l2(Double)
    case l1l2(l1: Double, l2: Double)
}
