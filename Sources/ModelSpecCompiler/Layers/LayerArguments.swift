import TFNaming

/// A layer argument as a spec writes it: constants, or `$params` evaluated when
/// the model is made.
public enum LayerValue: Hashable, Sendable {
    case int(Expr<Int>)
    /// One per spatial axis (a single integer in the spec is repeated).
    case ints([Expr<Int>])
    case float(Expr<Double>)
    case bool(Bool)
    case padding(Padding)
    case activation(Activation)
    case initializer(Initializer)
    case regularizer(Regularizer)

    /// The value with every `$param` replaced by its value.
    public func evaluated(_ params: [String: Literal]) throws -> LayerArgumentValue {
        switch self {
        case let .int(expr): .int(try expr.evaluated(params))
        case let .ints(exprs): .ints(try exprs.map { try $0.evaluated(params) })
        case let .float(expr): .float(try expr.evaluated(params))
        case let .bool(value): .bool(value)
        case let .padding(value): .padding(value)
        case let .activation(value): .activation(value)
        case let .initializer(value): .initializer(value)
        case let .regularizer(value): .regularizer(value)
        }
    }
}

/// A layer argument once every `$param` has its value.
public enum LayerArgumentValue: Hashable, Sendable {
    case int(Int)
    case ints([Int])
    case float(Double)
    case bool(Bool)
    case padding(Padding)
    case activation(Activation)
    case initializer(Initializer)
    case regularizer(Regularizer)
}

/// A layer's arguments, evaluated, with the form's defaults filled in: what the
/// shape rules and the interpreter read. An argument left to the runtime
/// (``LayerDefault/absent(_:)``) has no value.
public struct LayerArguments: Sendable {
    public let kind: LayerKind
    public private(set) var values: [String: LayerArgumentValue]

    public init(kind: LayerKind, values: [String: LayerArgumentValue]) {
        self.kind = kind
        self.values = values
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    public func int(_ key: String) -> Int {
        if case let .int(value)? = values[key] { return value }
        preconditionFailure("\(kind.name) has no int argument '\(key)'")
    }

    public func optionalInts(_ key: String) -> [Int]? {
        if case let .ints(value)? = values[key] { return value }
        return nil
    }

    public func ints(_ key: String) -> [Int] {
        guard let value = optionalInts(key) else { preconditionFailure("\(kind.name) has no sizes argument '\(key)'") }
        return value
    }

    public func double(_ key: String) -> Double {
        if case let .float(value)? = values[key] { return value }
        preconditionFailure("\(kind.name) has no float argument '\(key)'")
    }

    public func bool(_ key: String) -> Bool {
        if case let .bool(value)? = values[key] { return value }
        preconditionFailure("\(kind.name) has no bool argument '\(key)'")
    }

    public func padding(_ key: String = "padding") -> Padding {
        if case let .padding(value)? = values[key] { return value }
        preconditionFailure("\(kind.name) has no padding argument '\(key)'")
    }

    public func activation(_ key: String = "activation") -> Activation {
        if case let .activation(value)? = values[key] { return value }
        preconditionFailure("\(kind.name) has no activation argument '\(key)'")
    }

    /// nil: the runtime's default.
    public func initializer(_ key: String) -> Initializer? {
        if case let .initializer(value)? = values[key] { return value }
        return nil
    }

    public func regularizer(_ key: String) -> Regularizer? {
        if case let .regularizer(value)? = values[key] { return value }
        return nil
    }
}

extension LayerConfig {
    /// The argument as given, or its default in the layer's form; nil when neither.
    public func value(_ key: String) -> LayerValue? {
        if let given = arguments[key] { return given }
        if case let .value(value)? = kind.argument(named: key)?.defaults[form] { return value }
        return nil
    }

    /// The arguments evaluated with `params`, defaults filled in.
    public func evaluated(_ params: [String: Literal]) throws -> LayerArguments {
        var values: [String: LayerArgumentValue] = [:]
        for argument in kind.arguments(in: form) {
            if let value = value(argument.key) { values[argument.key] = try value.evaluated(params) }
        }
        return LayerArguments(kind: kind, values: values)
    }
}
