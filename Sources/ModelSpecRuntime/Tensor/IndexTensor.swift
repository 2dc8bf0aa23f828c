/// An int32 tensor of indices, e.g. the token ids of an embedding lookup.
///
/// Same storage model as `Tensor`: row-major, copy-on-write.
public struct IndexTensor: Sendable {
    /// The dimensions, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorBuffer<Int32>

    /// An index tensor of `shape` holding `scalars` in row-major order.
    /// - Throws: `TensorError` when the counts disagree or a dimension is negative.
    public init(shape: [Int], scalars: [Int32]) throws {
        try validate(shape: shape, op: "IndexTensor")
        guard scalars.count == elementCount(of: shape) else {
            throw TensorError(op: "IndexTensor", shapes: [shape],
                              reason: "needs \(elementCount(of: shape)) scalars, got \(scalars.count)")
        }
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.base.update(from: b, count: src.count) }
        }
    }

    /// A rank-1 index tensor.
    public init(_ scalars: [Int32]) {
        // Cannot fail: the shape is the count.
        try! self.init(shape: [scalars.count], scalars: scalars)
    }

    /// An index tensor whose scalars `initializer` writes (it must write all).
    public init(shape: [Int],
                initializingWith initializer: (UnsafeMutableBufferPointer<Int32>) throws -> Void) throws {
        try validate(shape: shape, op: "IndexTensor")
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: elementCount(of: shape))
        try initializer(storage.buffer)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of scalars.
    public var scalarCount: Int { storage.count }

    /// The scalars in row-major order (a copy).
    public var scalars: [Int32] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Reads the scalars in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }
}

extension IndexTensor: Equatable {
    public static func == (lhs: IndexTensor, rhs: IndexTensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension IndexTensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "IndexTensor(\(describe(shape)), [\(shown)\(scalarCount > 8 ? ", ..." : "")])"
    }
}
