import TFNaming

/// A layer kind, declared once: its spec names in each API form, its arguments
/// with each API's defaults, the variables it makes, its output shape and the
/// runtime call. The checker reads a layer by its arguments, the tracer makes its
/// variables and output shape by its rules, the generator writes its runtime call,
/// the interpreter binds its name to a runtime configuration
/// (`RuntimeLayers` in ModelSpecInterpreter), and the layer reference of
/// docs/spec-language.md is rendered from it (``LayerReference``). The
/// declarations are in `Layers+*.swift`, listed by ``allCases``.
public struct LayerKind: Sendable, Hashable, CustomStringConvertible {
    /// The functional step and TensorFlow's base name (`conv2d`): the snake-case
    /// name of the class, the base of auto-names (`conv2d`, `conv2d_1`).
    public let name: String
    /// The class (`Conv2D`): `v1.Conv2D` and `Conv2D` under `layers:`, and the runtime's
    /// `v1.Conv2D(...)` and `keras.Conv2D(..., path:)`.
    public let className: String
    /// TensorFlow's function or class in each form it has; a form TensorFlow lacks is absent.
    public let tensorflow: [LayerForm: String]
    /// The arguments, in the order of the runtime's parameters.
    public let arguments: [LayerArgument]
    /// The variables, in TensorFlow's creation order.
    public let variables: [LayerVariable]
    /// Whether a call takes a `training` flag (the functional form's `training:`).
    public let takesTraining: Bool
    /// The output shape, in words, for the reference.
    public let result: String
    /// The output shape from the input's and the evaluated arguments; throws a
    /// ``ShapeMismatch`` naming the layer and the shape. It also refuses an input the
    /// variables' shape rules cannot read (a rank, an unknown channel count).
    let output: @Sendable (_ input: TracedShape, _ arguments: LayerArguments) throws -> TracedShape
    /// The runtime's functional method (`tf.conv2d(x, ...)`); its classes are ``className``.
    public let swiftFunction: String
    /// TensorFlow's default scope name of an unnamed call, made unique (`conv2d`, `conv2d_1`;
    /// TF-Slim's `Conv`, `Conv_1`).
    public let baseName: String
    /// A Keras recurrent layer's state: how many `[batch, units]` tensors it takes after
    /// its input (the initial state) and makes after its output with `return_state`; 0 for
    /// every other layer, which takes one input and makes one value.
    public let recurrentStates: Int
    /// The Keras name of the sublayer that owns the variables (a recurrent layer's cell,
    /// `gru_cell`): a variable declared `cell/kernel` is `gru/cell/kernel` by object path
    /// and `.../gru/gru_cell/kernel` by TensorFlow's variable name.
    public let cellName: String?
    /// Whether the input is integer ids (`Embedding`): an integer value is handed to the
    /// runtime as it is (an `IndexTensor`), a float one is cast to int32 by the layer, as Keras does.
    public let takesIds: Bool

    init(_ name: String, className: String, baseName: String? = nil, tensorflow: [LayerForm: String], arguments: [LayerArgument],
         variables: [LayerVariable] = [], takesTraining: Bool = false, result: String, swift function: String,
         recurrentStates: Int = 0, cellName: String? = nil, takesIds: Bool = false,
         output: @escaping @Sendable (_ input: TracedShape, _ arguments: LayerArguments) throws -> TracedShape) {
        self.recurrentStates = recurrentStates
        self.cellName = cellName
        self.takesIds = takesIds
        self.name = name
        self.baseName = baseName ?? name
        self.className = className
        self.tensorflow = tensorflow
        // An argument is taken in the forms the layer has.
        self.arguments = arguments.map { $0.restricted(to: Set(tensorflow.keys)) }
        self.variables = variables
        self.takesTraining = takesTraining
        self.result = result
        self.output = output
        self.swiftFunction = function
    }

    public var description: String { name }

    /// Whether the layer makes variables (it then takes `trainable` and, functional, `reuse`).
    public var hasVariables: Bool { !variables.isEmpty }

    public func argument(named key: String) -> LayerArgument? {
        arguments.first { $0.key == key }
    }

    /// The arguments a layer written in `form` takes.
    public func arguments(in form: LayerForm) -> [LayerArgument] {
        arguments.filter { $0.defaults[form] != nil }
    }

    /// TensorFlow's variable name of a declared variable below the layer's name: the
    /// cell's Keras name for `cell/` (``cellName``).
    public func kerasVariableName(_ variable: String) -> String {
        guard let cellName, variable.hasPrefix("cell/") else { return variable }
        return cellName + variable.dropFirst(4)
    }

    /// The output shape of a call on `input`.
    public func outputShape(_ input: TracedShape, _ arguments: LayerArguments) throws -> TracedShape {
        try output(input, arguments)
    }

    public static func == (a: LayerKind, b: LayerKind) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The declared kind of that functional name (`conv2d`).
    public init?(rawValue name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// The declared kind of that class (`Conv2D`).
    public init?(className: String) {
        guard let kind = Self.allCases.first(where: { $0.className == className }) else { return nil }
        self = kind
    }
}

/// Where a layer is written: which API it is, which decides its keys and defaults.
public enum LayerForm: String, Hashable, Sendable, CaseIterable {
    /// A functional `tf.compat.v1.layers` step (`- conv2d: {...}`): takes `input`, `reuse`, `training`.
    case functional
    /// A `tf.compat.v1.layers` object in `layers:` (`v1.Conv2D`).
    case legacyObject
    /// A Keras-native layer in `layers:` (`Conv2D`), also `get_or_create_layer`'s.
    case native

    /// Whether the form's defaults are Keras's rather than `tf.compat.v1`'s.
    public var isKeras: Bool { self == .native }
}

/// An argument of a layer: its spec key, type, each API's default, TensorFlow's
/// keyword and the runtime's label.
public struct LayerArgument: Sendable {
    /// The spec key (`kernel_size`).
    public let key: String
    public let type: LayerArgumentType
    /// The default in each form that takes the argument.
    public private(set) var defaults: [LayerForm: LayerDefault]
    /// TensorFlow's keyword argument.
    public let tensorflow: String
    /// The runtime's argument label (`kernelSize`).
    public let swiftLabel: String

    /// An argument with one default in every form.
    init(_ key: String, _ type: LayerArgumentType, _ presence: LayerDefault, tensorflow: String? = nil, swift label: String) {
        self.init(key, type, compatV1: presence, keras: presence, tensorflow: tensorflow, swift: label)
    }

    /// An argument whose default differs between the `tf.compat.v1.layers` forms and Keras;
    /// nil: the form does not take it.
    init(_ key: String, _ type: LayerArgumentType, compatV1: LayerDefault?, keras: LayerDefault?,
         tensorflow: String? = nil, swift label: String) {
        self.key = key
        self.type = type
        var defaults: [LayerForm: LayerDefault] = [:]
        if let compatV1 { defaults[.functional] = compatV1; defaults[.legacyObject] = compatV1 }
        if let keras { defaults[.native] = keras }
        self.defaults = defaults
        self.tensorflow = tensorflow ?? key
        self.swiftLabel = label
    }
}

extension LayerArgument {
    /// The argument in those forms only.
    func restricted(to forms: Set<LayerForm>) -> LayerArgument {
        var copy = self
        copy.defaults = defaults.filter { forms.contains($0.key) }
        return copy
    }
}

/// What a layer argument is when a spec leaves it out.
public enum LayerDefault: Hashable, Sendable {
    /// It must be given.
    case required
    /// This value, which is also the runtime's default (the generator leaves it out).
    case value(LayerValue)
    /// The runtime decides; the text says what (`pool_size`, `glorot_uniform`).
    case absent(String)
}

/// How a layer argument is written and checked.
public enum LayerArgumentType: Hashable, Sendable {
    /// An integer or an Int `$param`.
    case int
    /// A positive integer or an Int `$param` (`units`, `filters`).
    case size
    /// A positive integer for every spatial axis, or a list of `rank` of them (`kernel_size`).
    case sizes(rank: Int)
    /// An axis or a list of axes (each an integer or an Int `$param`; negative counts from the end).
    case axes
    /// A number or a Float `$param`.
    case float
    /// A rate: at least 0 and less than 1.
    case rate
    case bool
    /// `valid` or `same`.
    case padding
    case activation
    case initializer
    case regularizer

    /// How the reference describes a value of this type.
    public var description: String {
        switch self {
        case .int: "int"
        case .size: "positive int"
        case let .sizes(rank): rank == 1 ? "positive int" : "int or list of \(rank)"
        case .axes: "int or list"
        case .float: "number"
        case .rate: "0 to below 1"
        case .bool: "true or false"
        case .padding: "`valid` or `same`"
        case .activation: "activation"
        case .initializer: "initializer"
        case .regularizer: "regularizer"
        }
    }
}

/// A variable a layer makes.
public struct LayerVariable: Sendable {
    /// Its name in the layer's scope (`kernel`).
    public let name: String
    /// Its shape, in words, for the reference (`[kh, kw, in, filters]`).
    public let shape: String
    /// The argument that must be true for it to be made (`use_bias`); nil: always made.
    public let condition: String?
    /// What the input's rank and the arguments must satisfy for it to be made here (TF-Slim's
    /// batch norm makes `beta` before `gamma` except through the core layer); nil: always.
    public let inputCondition: (@Sendable (Int, LayerArguments) -> Bool)?
    /// Where its initializer comes from.
    public let initializer: VariableInitializer
    /// The argument that gives its regularizer (`kernel_regularizer`); nil: none applies.
    public let regularizer: String?
    /// False for a variable that is never trainable (`moving_mean`); true follows the layer's `trainable`.
    public let trainable: Bool
    /// Its shape from the input's and the evaluated arguments (the input was accepted by the output rule).
    let rule: @Sendable (_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int]

    init(_ name: String, _ shape: String, if condition: String? = nil,
         ifInput inputCondition: (@Sendable (Int, LayerArguments) -> Bool)? = nil,
         initializer: VariableInitializer, regularizer: String? = nil, trainable: Bool = true,
         rule: @escaping @Sendable (_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int]) {
        self.name = name
        self.shape = shape
        self.condition = condition
        self.inputCondition = inputCondition
        self.initializer = initializer
        self.regularizer = regularizer
        self.trainable = trainable
        self.rule = rule
    }

    /// Whether a call with these arguments makes it.
    public func isMade(_ arguments: LayerArguments, inputRank: Int) -> Bool {
        (condition.map { arguments.bool($0) } ?? true) && (inputCondition?(inputRank, arguments) ?? true)
    }

    /// Its shape for a call on `input`.
    public func shape(_ input: TracedShape, _ arguments: LayerArguments) throws -> [Int] {
        try rule(input, arguments)
    }
}

/// Where a layer variable's initializer comes from.
public enum VariableInitializer: Hashable, Sendable {
    /// The argument that gives it (`kernel_initializer`), with that argument's default.
    case argument(String)
    /// Always this one (`moving_variance`: ones).
    case fixed(Initializer)
}
