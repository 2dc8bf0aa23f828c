import TFNaming

/// What a value holds, as the generated Swift and the interpreter hold it:
/// `Tensor` (float32), `IndexTensor` (int32 and int64) or `BoolTensor` (bool).
public enum ValueKind: Hashable, Sendable {
    case float, integer, bool

    public init(_ dtype: DType) {
        switch dtype {
        case .int32, .int64: self = .integer
        case .bool: self = .bool
        default: self = .float
        }
    }

    /// The runtime type that holds it.
    public var swiftType: String {
        switch self {
        case .float: "Tensor"
        case .integer: "IndexTensor"
        case .bool: "BoolTensor"
        }
    }
}

/// The dtypes of an operation's values: what its operands take and what it makes.
/// The checker applies it to every step (the dtypes need neither shapes nor
/// parameters), records the results' dtypes on the ``Step``, and reports an
/// operand of a dtype the operation does not take at the step.
public struct ValueTypes: Sendable {
    /// What an operand takes.
    public enum Operand: Hashable, Sendable {
        /// Numbers: float32, or integers converted to float32 (exact up to 2^24, as the
        /// language has always passed integer inputs on); not bool.
        case numbers
        /// bool only (a comparison's result).
        case booleans
        /// Any dtype, as it is (`cast`, `identity`).
        case any
        /// Numbers, converted to the result's kind (`where`'s `x` and `y`).
        case result
    }

    /// The kind of each operand by position; the last one stands for the rest.
    public let operands: [Operand]
    /// The results' dtypes from the operands' (nil: not known after an earlier error) and
    /// the attributes as written; throws a ``TypeMismatch`` saying what is wrong.
    let results: @Sendable (_ operands: [DType?], _ attributes: [String: AttributeValue]) throws -> [DType]
    /// Whether a gradient can flow through it: false for integer- and bool-valued
    /// operations (comparisons, `argmax`), as TensorFlow has no gradient for them.
    public let differentiable: Bool
    /// The result dtype in words, for the reference; nil for float32.
    public let description: String?

    public func operand(_ position: Int) -> Operand {
        operands.isEmpty ? .numbers : operands[min(position, operands.count - 1)]
    }

    /// Numbers in, float32 out: most operations.
    public static let float = ValueTypes(operands: [.numbers], results: { _, _ in [.float32] }, differentiable: true, description: nil)

    /// Numbers in, bool out (`greater`, ...).
    static let comparison = ValueTypes(operands: [.numbers], results: { _, _ in [.bool] }, differentiable: false, description: "bool")

    /// Booleans in, bool out (`logical_and`, ...).
    static let logical = ValueTypes(operands: [.booleans], results: { _, _ in [.bool] }, differentiable: false, description: "bool")

    /// Numbers in, the dtype of attribute `key` out (`argmax`'s `output_type`).
    static func attribute(_ key: String, operands: [Operand] = [.numbers], differentiable: Bool) -> ValueTypes {
        ValueTypes(operands: operands, results: { _, attributes in
            guard case let .dtype(dtype)? = attributes[key] else { return [.float32] }
            return [dtype]
        }, differentiable: differentiable, description: "`\(key)`")
    }

    /// The dtype of the first operand (`identity`).
    static let sameAsOperand = ValueTypes(operands: [.any], results: { types, _ in [types.first.flatMap { $0 } ?? .float32] },
                                          differentiable: true, description: "the input's")
}

/// An operand whose dtype an operation does not take, or a value that does not fit a dtype.
public struct TypeMismatch: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
