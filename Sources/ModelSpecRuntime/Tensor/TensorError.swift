/// The error every tensor operation throws: which operation failed, the
/// shapes it was given, and why.
///
/// Its `description` reads like
/// `matmul: shapes [8, 20] and [30, 10] do not fit: inner dimensions 20 and 30 differ`.
public struct TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operation, as its function is named (`matmul`, `conv2d`, ...).
    public let op: String
    /// The shapes of the operands involved, in argument order.
    public let shapes: [[Int]]
    /// What is wrong with them.
    public let reason: String

    public init(op: String, shapes: [[Int]], reason: String) {
        self.op = op
        self.shapes = shapes
        self.reason = reason
    }

    public var description: String {
        switch shapes.count {
        case 0:
            return "\(op): \(reason)"
        case 1:
            return "\(op): shape \(describe(shapes[0])) \(reason)"
        case 2:
            return "\(op): shapes \(describe(shapes[0])) and \(describe(shapes[1])) \(reason)"
        default:
            let list = shapes.map(describe).joined(separator: ", ")
            return "\(op): shapes \(list) \(reason)"
        }
    }
}

/// `[2, 3]`: how shapes appear in messages.
@usableFromInline
func describe(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
