import TFNaming

/// An operation without variables, declared once. The checker reads a step of
/// it by its operands and attributes, the tracer computes its result shape by
/// its shape rule, the generator writes its runtime call from ``swift``, the
/// interpreter binds its name to a runtime function (`RuntimeOperations` in
/// ModelSpecInterpreter), and the operation reference of docs/spec-language.md
/// is rendered from it (``OperationReference``). The declarations themselves
/// are in `Operations+*.swift`, listed by ``all``.
public struct OperationDeclaration: Sendable {
    /// The spec name (`reduce_max`).
    public let name: String
    /// The TensorFlow function it reproduces (`tf.math.reduce_max`).
    public let tensorflow: String
    public let operands: OperandSignature
    /// The positions of the operands read as integer indices (`embedding_lookup`'s ids): the
    /// runtime function takes them as an `IndexTensor`.
    public let indexOperands: Set<Int>
    /// The attributes, in the order of the runtime function's arguments.
    public let attributes: [AttributeDeclaration]
    /// The names of the values it makes, when it makes more than one (`mean`, `variance`);
    /// empty for one value.
    public let results: [String]
    /// The result shape, in words, for the reference.
    public let result: String
    /// The result shapes from the operand shapes and evaluated attributes; throws a
    /// ``ShapeMismatch`` naming the operation and the shapes.
    let shapes: @Sendable (_ operands: [TracedShape], _ arguments: OperationArguments) throws -> [TracedShape]
    /// The Swift the generator writes for a step of it.
    public let swift: SwiftCall
    /// The dtypes its operands take and its results have (``ValueTypes/float``: numbers in, float32 out).
    public let types: ValueTypes
    /// How many values a step makes when the attributes say (`split`'s `num_or_size_splits`), from the
    /// attributes as written and the number of `as:` names (nil without `as:`); throws when it cannot be known.
    let count: (@Sendable (_ attributes: [String: AttributeValue], _ bound: Int?) throws -> Int)?
    /// Whether gradients flow through it (training, docs/architecture.md#training): the backward
    /// rule is written beside the runtime kernel, and a test differentiates every declared
    /// operation against finite differences. Not given, it follows ``types``: an operation
    /// whose results are integers or bools has none.
    public let gradient: GradientRule

    /// An operation that makes one value.
    init(_ name: String, tensorflow: String, operands: OperandSignature, indexOperands: Set<Int> = [],
         attributes: [AttributeDeclaration] = [], result: String, swift: SwiftCall, types: ValueTypes = .float,
         gradient: GradientRule? = nil,
         shape: @escaping @Sendable (_ operands: [TracedShape], _ arguments: OperationArguments) throws -> TracedShape) {
        self.init(name, tensorflow: tensorflow, operands: operands, indexOperands: indexOperands, attributes: attributes,
                  results: [], result: result, swift: swift, types: types, gradient: gradient) { [try shape($0, $1)] }
    }

    /// An operation that makes several values: named (`moments`: its runtime function returns a tuple), or
    /// as many as `count` says (`split`: its runtime function returns an array).
    init(_ name: String, tensorflow: String, operands: OperandSignature, indexOperands: Set<Int> = [],
         attributes: [AttributeDeclaration] = [], results: [String], result: String, swift: SwiftCall, types: ValueTypes = .float,
         count: (@Sendable (_ attributes: [String: AttributeValue], _ bound: Int?) throws -> Int)? = nil,
         gradient: GradientRule? = nil,
         shapes: @escaping @Sendable (_ operands: [TracedShape], _ arguments: OperationArguments) throws -> [TracedShape]) {
        self.name = name
        self.tensorflow = tensorflow
        self.operands = operands
        self.indexOperands = indexOperands
        self.attributes = attributes
        self.results = results
        self.result = result
        self.swift = swift
        self.types = types
        self.count = count
        self.gradient = gradient ?? (types.differentiable ? .differentiable : .none("its results are integers or bools"))
        self.shapes = shapes
    }

    /// How many values a step of it makes, when that does not depend on its attributes.
    public var resultCount: Int { max(results.count, 1) }

    /// Whether the number of values depends on the step (`split`, `unstack`): the runtime function returns an array.
    public var makesCountedResults: Bool { count != nil }

    /// How many values a step with these attributes and `bound` `as:` names makes.
    public func resultCount(_ attributes: [String: AttributeValue], bound: Int?) throws -> Int {
        try count?(attributes, bound) ?? resultCount
    }

    /// The dtypes of a step's results from the dtype its operands share (``MathOperation/operandType``); each
    /// result has the first's when the rule gives one for several.
    public func resultTypes(_ shared: DType, _ attributes: [String: AttributeValue], count: Int) throws -> [DType] {
        var given = attributes
        for attribute in self.attributes where given[attribute.name] == nil {
            if case let .dtype(dtype)? = attribute.defaultValue { given[attribute.name] = .dtype(dtype) }
        }
        let types = try self.types.results(shared, given)
        return (0..<count).map { $0 < types.count ? types[$0] : types.first ?? .float32 }
    }

    public func attribute(named name: String) -> AttributeDeclaration? {
        attributes.first { $0.name == name }
    }

    /// The result shapes of a step of this operation.
    public func resultShapes(_ operands: [TracedShape], _ arguments: OperationArguments) throws -> [TracedShape] {
        try shapes(operands, arguments)
    }
}

/// How gradients pass through an operation.
public enum GradientRule: Hashable, Sendable {
    /// To every operand that is not read as indices, by the backward rule its runtime kernel records.
    case differentiable
    /// Only to the operands at these positions, and why not to the others (TensorFlow stops it there).
    case only(Set<Int>, String)
    /// Nowhere, and why (a constant has no operands; an index is not differentiable).
    case none(String)
}

extension OperationDeclaration {
    /// The operand positions no gradient reaches: those read as indices, and those the rule leaves out.
    public func nonDifferentiableOperands(count: Int) -> Set<Int> {
        switch gradient {
        case .differentiable: indexOperands
        case let .only(positions, _): indexOperands.union(Set(0..<count).subtracting(positions))
        case .none: Set(0..<count)
        }
    }
}

/// The tensor operands an operation takes.
public enum OperandSignature: Hashable, Sendable {
    /// None (`constant`).
    case none
    /// One, implicit: the previous value when none is given; `input:` in the mapping form.
    case one
    /// Two, with their roles when they differ (`value`, `bias`); `inputs:` in the mapping form.
    case two([String])
    /// Three, with their roles (`where`'s `condition`, `x`, `y`); `inputs:` in the mapping form.
    case three([String])
    /// Two, and an optional third: the three roles (a loss's `labels`, `logits`, `weights`);
    /// `inputs:` in the mapping form.
    case twoOrThree([String])
    /// One or more (`concat`); `inputs:` in the mapping form.
    case many

    /// The exact count; nil for one or more, or two or three.
    public var count: Int? {
        switch self {
        case .none: 0
        case .one: 1
        case .two: 2
        case .three: 3
        case .twoOrThree, .many: nil
        }
    }

    /// The key that gives the operands in the mapping form.
    public var key: String? {
        switch self {
        case .none: nil
        case .one: "input"
        case .two, .three, .twoOrThree, .many: "inputs"
        }
    }
}

/// An attribute of an operation: its spec key, type, default and TensorFlow's name.
public struct AttributeDeclaration: Sendable {
    /// The spec key (`axis`, `keepdims`).
    public let name: String
    public let type: AttributeType
    public let presence: Presence
    /// TensorFlow's keyword argument (`keepdims`, `transpose_b`, `alpha`).
    public let tensorflow: String
    /// The runtime function's argument label (`keepDims`); nil for an unlabelled argument.
    public let swiftLabel: String?

    /// Whether an attribute must be given, and what it is when it is not.
    public enum Presence: Sendable {
        case required
        /// The default, as an evaluated value.
        case defaultValue(ArgumentValue)
        /// May be left out; the text says what leaving it out means (`all`).
        case optional(String)
    }

    public init(_ name: String, _ type: AttributeType, _ presence: Presence, tensorflow: String? = nil, swift label: String?) {
        self.name = name
        self.type = type
        self.presence = presence
        self.tensorflow = tensorflow ?? name
        self.swiftLabel = label
    }

    public var isRequired: Bool {
        if case .required = presence { return true }
        return false
    }

    public var isOptional: Bool {
        if case .optional = presence { return true }
        return false
    }

    public var defaultValue: ArgumentValue? {
        if case let .defaultValue(value) = presence { return value }
        return nil
    }
}

/// What an attribute's value is written as.
public enum AttributeType: Hashable, Sendable {
    /// An integer or an Int `$param`.
    case int
    /// An integer or a list of integers (an axis or axes).
    case ints
    /// An integer (a count) or a list of integers (sizes), told apart (`split`'s `num_or_size_splits`).
    case countOrSizes
    /// A list of integers or `$params`, at most one of them -1 (reshape's shape).
    case shape
    /// A list of sizes (a constant's shape).
    case sizes
    /// A list of `[before, after]` pairs of sizes, one per dimension (pad's paddings).
    case pairs
    /// One of the given names, in any case (pad's mode).
    case choice([String])
    case bool
    /// A number or a Float `$param`.
    case float
    /// A number, a list of numbers (nested for more dimensions) or a Float `$param`.
    case tensor
    /// One of these dtypes, by name.
    case dtype([DType])

    /// How the reference describes a value of this type.
    public var description: String {
        switch self {
        case .int: "int"
        case .ints: "int or list"
        case .countOrSizes: "a count or a list of sizes"
        case .shape: "integers or `$params`, at most one `-1`"
        case .sizes: "a list of sizes"
        case .pairs: "`[before, after]` for each dimension"
        case let .choice(names): names.map { "`\($0)`" }.joined(separator: ", ")
        case .bool: "true or false"
        case .float: "number"
        case .tensor: "a number, a list of numbers or a `$param`"
        case let .dtype(dtypes): dtypes.map { "`\($0.rawValue)`" }.joined(separator: ", ")
        }
    }
}

/// How the generator writes a step of an operation as a runtime call.
public struct SwiftCall: Sendable {
    /// What the runtime function returns, when the step's dtype calls for another runtime
    /// type the generator converts it (`try cast(..., to: IndexTensor.self)`).
    public enum Returns: Hashable, Sendable {
        case kind(ValueKind)
        /// The runtime type of the dtype its operands share (``MathOperation/operandType``): `add` of two
        /// `IndexTensor`s returns an `IndexTensor`, `reshape` of a `BoolTensor` a `BoolTensor`.
        case shared
    }

    /// The runtime function (`reduceMax`); nil when the call is written otherwise (identity).
    public let function: String?
    public var returns: Returns = .shared
    public let throwing: Bool
    /// Operands as one array argument (`concat([a, b], axis: 1)`) rather than one argument each.
    public let operandsAsArray: Bool
    /// A call written otherwise: from the operands, the attribute arguments and the function's name, as Swift.
    let custom: (@Sendable (_ operands: [String], _ arguments: [String], _ function: String) -> String)?

    /// `function(operands..., label: attribute...)`, with `try` when it throws.
    public static func call(_ function: String, throwing: Bool = true, operandsAsArray: Bool = false) -> SwiftCall {
        SwiftCall(function: function, throwing: throwing, operandsAsArray: operandsAsArray, custom: nil)
    }

    /// A call written by `render`; `function` is the runtime name it uses (kept out of value names).
    static func custom(_ function: String?,
                       _ render: @escaping @Sendable (_ operands: [String], _ arguments: [String], _ function: String) -> String) -> SwiftCall {
        SwiftCall(function: function, throwing: true, operandsAsArray: false, custom: render)
    }

    /// The same call, returning `returns`.
    public func returning(_ returns: Returns) -> SwiftCall {
        var call = self
        call.returns = returns
        return call
    }

    /// The expression, from the operands and the attribute arguments (`axis: 1`) as Swift.
    public func expression(operands: [String], arguments: [String]) -> String {
        let name = function ?? ""
        if let custom { return custom(operands, arguments, name) }
        let passed = (operandsAsArray ? ["[" + operands.joined(separator: ", ") + "]"] : operands) + arguments
        return (throwing ? "try " : "") + name + "(" + passed.joined(separator: ", ") + ")"
    }
}
