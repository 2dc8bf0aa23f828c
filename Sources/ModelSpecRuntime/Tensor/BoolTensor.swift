/// A boolean tensor: the result of a comparison (`greater`, `equal`, ...) and
/// the condition of `select` (`tf.where`).
///
/// Same storage model as `Tensor` and `IntegerTensor`: row-major, copy-on-write.
///
///     let positive = try greater(x, Tensor(0))
///     let clipped = try select(positive, x, Tensor(0))
public struct BoolTensor: Sendable {
    /// The dimensions, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorBuffer<Bool>

    /// A boolean tensor of `shape` holding `scalars` in row-major order.
    /// - Throws: `TensorError` when the counts disagree or a dimension is negative.
    public init(shape: [Int], scalars: [Bool]) throws {
        try validate(shape: shape, op: "BoolTensor")
        guard scalars.count == elementCount(of: shape) else {
            throw TensorError(op: "BoolTensor", shapes: [shape],
                              reason: "needs \(elementCount(of: shape)) scalars, got \(scalars.count)")
        }
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: scalars.count)
        for (i, value) in scalars.enumerated() { storage.base[i] = value }
    }

    /// A rank-1 boolean tensor.
    public init(_ scalars: [Bool]) {
        // Cannot fail: the shape is the count.
        try! self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A boolean tensor whose scalars `initializer` writes (it must write all).
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Bool>) throws -> Void) throws {
        try validate(shape: shape, op: "BoolTensor")
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: elementCount(of: shape))
        try initializer(storage.buffer)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of scalars.
    public var scalarCount: Int { storage.count }

    /// The scalars in row-major order (a copy).
    public var scalars: [Bool] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Reads the scalars in place.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Bool>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }
}

extension BoolTensor: Equatable {
    public static func == (lhs: BoolTensor, rhs: BoolTensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension BoolTensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "BoolTensor(\(describe(shape)), [\(shown)\(scalarCount > 8 ? ", ..." : "")])"
    }
}
