import TFNaming

/// The layers ModelSpec knows, as `tf.compat.v1.layers` functions and objects and
/// as Keras-native classes, with their arguments.
public enum LayerKind: String, Hashable, Sendable, CaseIterable {
    case dense, conv2d, batchNormalization = "batch_normalization", flatten, dropout
    case maxPooling2d = "max_pooling2d", averagePooling2d = "average_pooling2d"

    /// The Keras class name (`Dense`, `Conv2D`, ...), also the native spelling in specs.
    public var className: String {
        switch self {
        case .dense: "Dense"
        case .conv2d: "Conv2D"
        case .batchNormalization: "BatchNormalization"
        case .flatten: "Flatten"
        case .dropout: "Dropout"
        case .maxPooling2d: "MaxPooling2D"
        case .averagePooling2d: "AveragePooling2D"
        }
    }

    /// The snake-case name TensorFlow derives from the class, the base of auto-names.
    public var baseName: String { rawValue }

    public init?(className: String) {
        guard let kind = Self.allCases.first(where: { $0.className == className }) else { return nil }
        self = kind
    }
}

/// A layer with its arguments, checked against the layer's signature; arguments
/// not given take TensorFlow's defaults when read through the accessors.
public struct LayerConfig: Hashable, Sendable {
    public var kind: LayerKind
    public var units: Expr<Int>?
    public var filters: Expr<Int>?
    public var kernelSize: [Expr<Int>]?
    public var strides: [Expr<Int>]?
    public var dilationRate: [Expr<Int>]?
    public var poolSize: [Expr<Int>]?
    public var padding: Padding = .valid
    public var activation: Activation = .linear
    public var useBias: Bool = true
    public var kernelInitializer: Initializer?
    public var biasInitializer: Initializer?
    public var kernelRegularizer: Regularizer?
    public var biasRegularizer: Regularizer?
    public var trainable: Bool = true
    /// The explicit `name`.
    public var name: String?
    /// `reuse` (functional legacy forms only).
    public var reuse: Reuse = .inherit
    /// Dropout rate.
    public var rate: Expr<Double>?
    /// Batch normalization.
    public var momentum: Double = 0.99
    public var epsilon: Double = 0.001
    public var center: Bool = true
    public var scale: Bool = true
    public var axis: Int = -1
    /// The training flag passed to the layer: `nil` means the default, which is
    /// `false` for a legacy functional layer and the model's flag for a native layer.
    public var training: TrainingFlag?

    public init(kind: LayerKind) {
        self.kind = kind
    }
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
}

/// A weight regularizer; its loss is added to the layer's `losses` on each call.
public enum Regularizer: Hashable, Sendable {
    case l1(Double)
    case l2(Double)
    case l1l2(l1: Double, l2: Double)
}
