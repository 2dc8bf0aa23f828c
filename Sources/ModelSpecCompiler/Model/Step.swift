import LocatedYAML
import TFNaming

/// One step of a forward pass: an operation, the values it reads, and the
/// names of the values it makes.
public struct Step: Sendable {
    public var operation: Operation
    /// The tensor operands, by value name.
    public var inputs: [String]
    /// The names of the values the step makes (a bound name, or a generated `_N`).
    public var results: [String]
    public var location: SourceLocation
    /// The dtypes of the results, by position (``ValueTypes``); float32 where not given.
    public var types: [DType] = []

    /// The dtype of result `position`.
    public func type(_ position: Int) -> DType {
        position < types.count ? types[position] : .float32
    }
}

/// What a step does.
public indirect enum Operation: Sendable {
    /// `tf.compat.v1.variable_scope(name or default_name, reuse:, initializer: ...)` around `body`.
    case variableScope(ScopeName, reuse: Reuse, defaults: ScopeDefaults, body: [Step])
    /// `tf.compat.v1.name_scope(name)` around `body`; it does not change variable names.
    case nameScope(String, body: [Step])
    /// Opens and closes `variable_scope(name)` at once, to keep a removed layer's auto-name taken.
    case recordScope(String)
    /// `tf.compat.v1.get_variable`.
    case variable(VariableDeclaration)
    /// A functional `tf.compat.v1.layers` call (`dense`, `conv2d`, ...).
    case legacyLayer(LayerConfig)
    /// A call of a sublayer or template declared in `layers:`.
    case callLayer(String, training: TrainingFlag?)
    /// `tf.compat.v1.keras.utils.get_or_create_layer(name, ...)`: a native layer made on the
    /// first call; `inModel`: made as the one layer of a `tf.keras.Model` (or `Sequential`),
    /// which TensorFlow tracks its weights through (`layer_with_weights-0/kernel`).
    case getOrCreateLayer(name: String, LayerConfig, inModel: Bool)
    /// An operation without variables (``OperationDeclaration``).
    case math(MathOperation)
    /// A TF1 recurrent loop (`dynamic_rnn`, `static_rnn`, `bidirectional_dynamic_rnn`) and its cells.
    case recurrent(RecurrentLoop)
    /// `variable.assign(value)` or `variable.assign_add(value)`; the result is the new value.
    case assign(variable: String, add: Bool)
    /// `repeat:` — the body run `count` times, as a Python `for` loop; the step's inputs are the
    /// carried values' initial values, its results their values after the loop.
    case repeated(Loop, body: [Step])
    /// `if:` — the body run when a `Bool` holds; the step's inputs are the merged values'
    /// `otherwise`, its results the merged values.
    case conditional(Condition, body: [Step])
}

/// How a `variable_scope` step names its scope.
public enum ScopeName: Hashable, Sendable {
    /// An explicit name, used as given.
    case name(Expr<String>)
    /// `default_name`: made unique in the enclosing scope (`block`, `block_1`).
    case defaultName(String)
    /// A name formatted from loop indices (`"block_{i}"`), used as given.
    case formatted(NameFormat)
}

/// The training flag given to a layer.
public enum TrainingFlag: Hashable, Sendable {
    /// A constant (`training: false`).
    case constant(Bool)
    /// The model's own training flag (`training: training`).
    case callFlag
}

/// A `get_variable` call, or a weight made with `add_weight`.
public struct VariableDeclaration: Hashable, Sendable {
    public var name: Expr<String>
    public var shape: [Dimension]
    /// nil: the enclosing scope's dtype (`float32` by default).
    public var dtype: DType?
    public var initializer: Initializer?
    public var regularizer: Regularizer?
    public var trainable: Bool
    /// A name formatted from loop indices (`"w_{i}"`, inside `repeat`), which stands for `name` at each iteration.
    public var nameFormat: NameFormat? = nil

    /// The declaration with its name formatted from the loop indices' values (itself without a format).
    public func named(_ indices: [String: Int]) -> VariableDeclaration {
        guard let nameFormat else { return self }
        var named = self
        named.name = .literal(nameFormat.formatted(indices))
        return named
    }
}

/// A layer of the spec's `layers:`: made once when the model is made.
public struct LayerDeclaration: Sendable {
    public enum Kind: Sendable {
        /// A Keras-native layer (`Dense`, `Conv2D`, ...): weights named by attribute path.
        case native(LayerConfig)
        /// A `tf.compat.v1.layers` object (`v1.Conv2D`): weights named by the scope of its first call.
        case legacy(LayerConfig)
        /// Another spec's model, by its type name, with arguments for its params.
        case model(String, arguments: [String: Expr<Literal>])
        /// An instance of a template of this spec, with its non-tensor arguments.
        case template(String, arguments: [String: Expr<Literal>])
    }

    /// The attribute name (`conv_layer`).
    public var name: String
    public var kind: Kind
    public var location: SourceLocation
}

/// A weight the model makes itself (`weights:`), named by its attribute.
public struct WeightDeclaration: Sendable {
    public var name: String
    public var variable: VariableDeclaration
    /// True when made at initialization (`tf.Variable` in `__init__`); false when made
    /// on the first call from the input shape (`build`).
    public var atInit: Bool
    public var location: SourceLocation
    /// TensorFlow's name of the variable (`name:`, `add_weight(name=)`); nil for the weight's key.
    public var variableName: String? = nil
}

/// A `make_template` function: its arguments and body.
public struct TemplateDeclaration: Sendable {
    public struct Argument: Hashable, Sendable {
        public var name: String
        /// `Tensor`, or a param type for arguments bound when the template is made.
        public var type: TemplateArgumentType
    }

    public var name: String
    public var arguments: [Argument]
    public var body: [Step]
    public var location: SourceLocation
    /// The dtype of the value a call returns (its last step's first value), as the checker typed it.
    public var resultType: DType = .float32

    /// The value a call returns: the last step's first value, else the first tensor argument.
    public var result: String? {
        body.last?.results.first ?? arguments.first { $0.type == .tensor }?.name
    }
}

public enum TemplateArgumentType: Hashable, Sendable {
    case tensor
    case constant(ParamType)
}
