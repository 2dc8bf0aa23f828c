import ModelSpecCompiler
import ModelSpecRuntime

/// A value as the interpreter holds it: the runtime type of its dtype (``ValueKind``), as
/// generated code holds it. Inputs and outputs of ``InterpretedModel/call(values:training:seed:)``.
public enum InterpretedValue: Sendable, Equatable {
    case float(Tensor)
    case int32(IndexTensor)
    case int64(Int64Tensor)
    case bool(BoolTensor)

    public var kind: ValueKind {
        switch self {
        case .float: .float
        case .int32: .int32
        case .int64: .int64
        case .bool: .bool
        }
    }

    public var shape: [Int] {
        switch self {
        case let .float(x): x.shape
        case let .int32(x): x.shape
        case let .int64(x): x.shape
        case let .bool(x): x.shape
        }
    }

    /// The numbers as float32 (`tf.cast`), which float operations and layers read.
    public var floats: Tensor {
        switch self {
        case let .float(tensor): tensor
        case let .int32(ids): Tensor(ids)
        case let .int64(ids): Tensor(ids)
        case let .bool(mask): Tensor(mask)
        }
    }

    /// The value as the runtime type of `kind` (`tf.cast`: floats truncated to integers, int64 to int32 by its
    /// low bits, nonzero to true).
    public func converted(to kind: ValueKind) throws -> InterpretedValue {
        guard kind != self.kind else { return self }
        switch (self, kind) {
        case (_, .float): return .float(floats)
        case let (.float(x), .int32): return .int32(try cast(x, to: IndexTensor.self))
        case let (.float(x), .int64): return .int64(try cast(x, to: Int64Tensor.self))
        case let (.float(x), .bool): return .bool(try cast(x, to: BoolTensor.self))
        case let (.int32(x), .int64): return .int64(Int64Tensor(x))
        case let (.int64(x), .int32): return .int32(IndexTensor(x))
        case let (.int32(x), .bool): return .bool(try cast(x, to: BoolTensor.self))
        case let (.int64(x), .bool): return .bool(try cast(x, to: BoolTensor.self))
        case let (.bool(x), .int32): return .int32(try cast(x, to: IndexTensor.self))
        case let (.bool(x), .int64): return .int64(try cast(x, to: Int64Tensor.self))
        default: return self
        }
    }

    /// The value as integer indices (int64 holds both widths exactly; floats truncated, as `tf.cast`).
    func indices() throws -> Int64Tensor {
        switch self {
        case let .int64(x): x
        case let .int32(x): Int64Tensor(x)
        case let .float(x): try Int64Tensor(truncating: x)
        case let .bool(x): try cast(x, to: Int64Tensor.self)
        }
    }
}
