import TFNaming

/// What a value holds, as the generated Swift and the interpreter hold it:
/// `Tensor` (float32), `IndexTensor` (int32), `Int64Tensor` (int64) or `BoolTensor` (bool).
public enum ValueKind: Hashable, Sendable {
    case float, int32, int64, bool

    public init(_ dtype: DType) {
        switch dtype {
        case .int32: self = .int32
        case .int64: self = .int64
        case .bool: self = .bool
        default: self = .float
        }
    }

    /// Whether it holds integers (int32 or int64).
    public var isInteger: Bool { self == .int32 || self == .int64 }

    /// The runtime type that holds it.
    public var swiftType: String {
        switch self {
        case .float: "Tensor"
        case .int32: "IndexTensor"
        case .int64: "Int64Tensor"
        case .bool: "BoolTensor"
        }
    }
}

/// The dtypes of an operation's values: what its operands take and what it makes,
/// as TensorFlow's kernels do. The checker applies it to every step (the dtypes need
/// neither shapes nor parameters): the operands an operation computes with (``Operand/numbers``,
/// ``Operand/any``) must have one dtype, as TensorFlow's op does, a literal operand takes
/// theirs (as `convert_to_tensor` does for a Python number), and the results' dtypes are
/// recorded on the ``Step``; an operand of a dtype the operation does not take is
/// reported at the step with TensorFlow's reason.
public struct ValueTypes: Sendable {
    /// What an operand takes.
    public enum Operand: Hashable, Sendable {
        /// float32 only, as TensorFlow's floating-point kernels (`sqrt`, `softmax`, `conv2d`).
        case floats
        /// float32, int32 or int64, computed in that dtype (`add`, `reduce_sum`, `maximum`).
        case numbers
        /// Numbers, converted to float32 first, as TensorFlow's function does (`leaky_relu`).
        case converted
        /// Any dtype, as it is (`reshape`, `concat`, `identity`, `cast`, `where`'s `x` and `y`).
        case any
        /// bool only (a comparison's result).
        case booleans
    }

    /// The kind of each operand by position; the last one stands for the rest.
    public let operands: [Operand]
    /// The results' dtypes from the dtype the operands share (float32 when the operation computes in float32
    /// or the operands are unknown after an earlier error) and the attributes as written; throws a
    /// ``TypeMismatch`` saying what is wrong.
    let results: @Sendable (_ shared: DType, _ attributes: [String: AttributeValue]) throws -> [DType]
    /// Whether a gradient can flow through it: false for integer- and bool-valued
    /// operations (comparisons, `argmax`), as TensorFlow has no gradient for them.
    /// (An integer value never carries a gradient, whatever the operation.)
    public let differentiable: Bool
    /// The result dtype in words, for the reference; nil for float32.
    public let description: String?
    /// Whether TensorFlow's kernel also takes integers where this one takes float32 only (`nn.conv2d`,
    /// `nn.max_pool2d`): the refusal says the limit is ModelSpec's.
    public var integersInTensorFlow = false

    public func operand(_ position: Int) -> Operand {
        operands.isEmpty ? .floats : operands[min(position, operands.count - 1)]
    }

    /// Whether the operand at `position` is computed with in the operands' shared dtype.
    public func sharesDtype(_ position: Int) -> Bool {
        [.numbers, .any].contains(operand(position))
    }

    /// float32 in and out: TensorFlow's floating-point kernels (`sqrt`, `softmax`, the convolutions).
    public static let float = ValueTypes(operands: [.floats], results: { _, _ in [.float32] }, differentiable: true, description: nil)

    /// float32 in and out here, where TensorFlow's kernel also has an int32 form (`nn.conv2d`, `nn.max_pool2d`).
    static let floatHere: ValueTypes = {
        var types = ValueTypes.float
        types.integersInTensorFlow = true
        return types
    }()

    /// float32, int32 or int64 in, the same out (`add`, `reduce_sum`, `relu`).
    static let numbers = ValueTypes(operands: [.numbers], results: { shared, _ in [shared] }, differentiable: true,
                                    description: "the input's")

    /// Numbers converted to float32 in, float32 out (`leaky_relu`).
    static let converted = ValueTypes(operands: [.converted], results: { _, _ in [.float32] }, differentiable: true, description: nil)

    /// Numbers (or `operands`) in, bool out (`greater`; `equal` of any dtype).
    static func comparison(_ operands: Operand = .numbers) -> ValueTypes {
        ValueTypes(operands: [operands], results: { _, _ in [.bool] }, differentiable: false, description: "bool")
    }

    /// Booleans in, bool out (`logical_and`, ...).
    static let logical = ValueTypes(operands: [.booleans], results: { _, _ in [.bool] }, differentiable: false, description: "bool")

    /// The dtype of attribute `key` out (`argmax`'s `output_type`, `cast`'s `dtype`).
    static func attribute(_ key: String, operands: [Operand] = [.numbers], differentiable: Bool) -> ValueTypes {
        ValueTypes(operands: operands, results: { _, attributes in
            guard case let .dtype(dtype)? = attributes[key] else { return [.float32] }
            return [dtype]
        }, differentiable: differentiable, description: "`\(key)`")
    }

    /// Any dtype in, the same out: operations that move elements (`reshape`, `concat`, `identity`).
    static let sameAsOperand = ValueTypes(operands: [.any], results: { shared, _ in [shared] },
                                          differentiable: true, description: "the input's")

    /// Numbers in, the same out, except integers, which `rule` refuses or maps (`divide`).
    static func numbers(integers rule: @escaping @Sendable (_ integer: DType) throws -> DType, description: String) -> ValueTypes {
        ValueTypes(operands: [.numbers], results: { shared, _ in [ValueKind(shared).isInteger ? try rule(shared) : shared] },
                   differentiable: true, description: description)
    }
}

/// An operand whose dtype an operation does not take, or a value that does not fit a dtype.
public struct TypeMismatch: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
