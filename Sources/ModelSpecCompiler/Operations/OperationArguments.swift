import TFNaming

/// An attribute's value as a spec writes it: constants, or `$params` evaluated
/// when the model is made.
public enum AttributeValue: Hashable, Sendable {
    case int(Expr<Int>)
    case ints([Expr<Int>])
    case bool(Bool)
    case float(Expr<Double>)
    case tensor(TensorLiteral)
    case dtype(DType)
    case intLists([[Expr<Int>]])
    case name(String)

    /// The value with every `$param` replaced by its value.
    public func evaluated(_ params: [String: Literal]) throws -> ArgumentValue {
        switch self {
        case let .int(expr): .int(try expr.evaluated(params))
        case let .ints(exprs): .ints(try exprs.map { try $0.evaluated(params) })
        case let .bool(value): .bool(value)
        case let .float(expr): .float(try expr.evaluated(params))
        case let .tensor(literal): .tensor(try literal.evaluated(params))
        case let .dtype(dtype): .dtype(dtype)
        case let .intLists(lists): .intLists(try lists.map { try $0.map { try $0.evaluated(params) } })
        case let .name(name): .name(name)
        }
    }
}

/// An attribute's value once every `$param` has its value.
public enum ArgumentValue: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case ints([Int])
    case bool(Bool)
    case float(Double)
    case tensor(TensorValue)
    case dtype(DType)
    case intLists([[Int]])
    case name(String)

    public var description: String {
        switch self {
        case let .int(value): String(value)
        case let .ints(values): "[" + values.map(String.init).joined(separator: ", ") + "]"
        case let .bool(value): String(value)
        case let .float(value): String(value)
        case let .tensor(value): value.description
        case let .dtype(dtype): dtype.rawValue
        case let .intLists(lists): "[" + lists.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        case let .name(name): name
        }
    }
}

/// Numbers written in a spec as a tensor: `0.5`, `[1, 2]`, `[[1, 0], [0, 1]]`, `$scale`.
public struct TensorLiteral: Hashable, Sendable {
    public var shape: [Int]
    /// The scalars in row-major order (`true` and `false` as 1 and 0).
    public var scalars: [Expr<Double>]
    /// Written as `true` and `false` (a bool constant).
    public var isBoolean: Bool
    /// Written as integers only (`1`, `[2, -3]`, an `Int` `$param`), as a Python int is: it may
    /// take an integer dtype.
    public var isInteger: Bool
    /// The dtype it is converted to as an operand (the other operands', as TensorFlow's
    /// `convert_to_tensor` converts a Python number), set by the checker; float32 until then.
    public var dtype: DType = .float32

    public init(shape: [Int], scalars: [Expr<Double>], isBoolean: Bool = false, isInteger: Bool = false) {
        self.shape = shape
        self.scalars = scalars
        self.isBoolean = isBoolean
        self.isInteger = isInteger && !isBoolean
    }

    public func evaluated(_ params: [String: Literal]) throws -> TensorValue {
        TensorValue(shape: shape, scalars: try scalars.map { try $0.evaluated(params) })
    }
}

/// A tensor of numbers known before anything runs.
public struct TensorValue: Hashable, Sendable, CustomStringConvertible {
    public var shape: [Int]
    public var scalars: [Double]

    public init(shape: [Int], scalars: [Double]) {
        self.shape = shape
        self.scalars = scalars
    }

    public var description: String {
        shape.isEmpty ? scalars.first.map { String($0) } ?? "" : "\(scalars) of shape \(shape)"
    }
}

/// A tensor operand of an operation: a value of the forward pass, or numbers written in place.
public enum Operand: Hashable, Sendable {
    case value(String)
    case literal(TensorLiteral)

    public var valueName: String? {
        if case let .value(name) = self { return name }
        return nil
    }
}

/// A `$param` without a value of the type needed, found while evaluating a spec expression.
public struct ParameterValueError: Error, CustomStringConvertible {
    public var description: String
}

extension Expr<Int> {
    public func evaluated(_ params: [String: Literal]) throws -> Int {
        switch self {
        case let .literal(value): return value
        case let .param(name):
            if case let .int(value)? = params[name] { return value }
            throw ParameterValueError.missing(name, .int, params[name])
        }
    }
}

extension Expr<Double> {
    /// An Int parameter may stand for a Float.
    public func evaluated(_ params: [String: Literal]) throws -> Double {
        switch self {
        case let .literal(value): return value
        case let .param(name):
            switch params[name] {
            case let .float(value)?: return value
            case let .int(value)?: return Double(value)
            case let other: throw ParameterValueError.missing(name, .float, other)
            }
        }
    }
}

extension ParameterValueError {
    static func missing(_ name: String, _ expected: ParamType, _ value: Literal?) -> ParameterValueError {
        guard let value else {
            return ParameterValueError(description: "parameter '$\(name)' has no value: give it a default in the spec or pass it with --param \(name)=VALUE")
        }
        let shown = value.type == .string ? "'\(value)'" : value.description
        return ParameterValueError(description: "parameter '$\(name)' must be \(expected.rawValue), but its value is \(shown) (\(value.type.rawValue))")
    }
}

/// The evaluated attributes of one step: every declared attribute that has a
/// value or a default, by spec key. Shape rules and runtime functions read them.
public struct OperationArguments: Sendable {
    public let operation: String
    public var values: [String: ArgumentValue]
    /// How many values the step makes (`split`'s parts, `unstack`'s slices).
    public var resultCount: Int

    public init(operation: String, values: [String: ArgumentValue], resultCount: Int = 1) {
        self.operation = operation
        self.values = values
        self.resultCount = resultCount
    }

    private func value(_ key: String) throws -> ArgumentValue {
        guard let value = values[key] else {
            throw ParameterValueError(description: "\(operation) has no '\(key)'")
        }
        return value
    }

    private func mismatch(_ key: String, _ type: String) -> ParameterValueError {
        ParameterValueError(description: "\(operation): '\(key)' is not \(type)")
    }

    public func int(_ key: String) throws -> Int {
        guard case let .int(value) = try value(key) else { throw mismatch(key, "an integer") }
        return value
    }

    /// A list of integers; nil when the attribute is optional and not given.
    public func ints(_ key: String) throws -> [Int]? {
        guard let value = values[key] else { return nil }
        guard case let .ints(list) = value else { throw mismatch(key, "a list of integers") }
        return list
    }

    public func bool(_ key: String) throws -> Bool {
        guard case let .bool(value) = try value(key) else { throw mismatch(key, "true or false") }
        return value
    }

    public func float(_ key: String) throws -> Double {
        guard case let .float(value) = try value(key) else { throw mismatch(key, "a number") }
        return value
    }

    public func intLists(_ key: String) throws -> [[Int]] {
        guard case let .intLists(value) = try value(key) else { throw mismatch(key, "a list of lists of integers") }
        return value
    }

    public func name(_ key: String) throws -> String {
        guard case let .name(value) = try value(key) else { throw mismatch(key, "a name") }
        return value
    }

    public func tensor(_ key: String) throws -> TensorValue {
        guard case let .tensor(value) = try value(key) else { throw mismatch(key, "numbers") }
        return value
    }
}

/// A step of an operation without variables: the declaration, its operands and
/// the attributes the spec gives.
public struct MathOperation: Sendable {
    public let declaration: OperationDeclaration
    /// The tensor operands in order: values (also in the step's `inputs`) and literals.
    public var operands: [Operand]
    /// The attributes the spec gives, by key; the others take their defaults.
    public var attributes: [String: AttributeValue]
    /// How many values the step makes.
    public var resultCount = 1
    /// The dtype its operands share, which it computes in (``ValueTypes/sharesDtype(_:)``): the runtime
    /// function is the one of this dtype's type; float32 when no operand shares one. Set by the checker.
    public var operandType: DType = .float32

    public var name: String { declaration.name }

    /// The attributes with their `$params` evaluated and the defaults filled in.
    public func arguments(_ params: [String: Literal]) throws -> OperationArguments {
        var values: [String: ArgumentValue] = [:]
        for attribute in declaration.attributes {
            if let given = attributes[attribute.name] {
                values[attribute.name] = try given.evaluated(params)
            } else if let value = attribute.defaultValue {
                values[attribute.name] = value
            }
        }
        return OperationArguments(operation: declaration.name, values: values, resultCount: resultCount)
    }
}
