/// The integer element types of ``IntegerTensor``: `Int32` (``IndexTensor``, TensorFlow's
/// int32) and `Int64` (``Int64Tensor``, int64).
public protocol TensorInteger: FixedWidthInteger, SignedInteger, BitwiseCopyable, Sendable {
    /// TensorFlow's name of the dtype (`int32`).
    static var dtypeName: String { get }
}

extension Int32: TensorInteger { public static var dtypeName: String { "int32" } }
extension Int64: TensorInteger { public static var dtypeName: String { "int64" } }

/// An int32 tensor: token ids, class indices, `argmax(output_type: int32)`, integer arithmetic.
public typealias IndexTensor = IntegerTensor<Int32>

/// An int64 tensor: TensorFlow's default integer dtype for `argmax` and Python's large integers.
public typealias Int64Tensor = IntegerTensor<Int64>

/// A tensor of integers of one width (``IndexTensor``: int32, ``Int64Tensor``: int64).
///
/// Same storage model as `Tensor`: row-major, copy-on-write. Arithmetic wraps
/// around on overflow, as TensorFlow's integer kernels do.
///
///     let ids = try IndexTensor(shape: [2, 2], scalars: [1, 4, 2, 0])
///     let next = try add(ids, IndexTensor(1))         // int32, as tf.add(ids, 1)
public struct IntegerTensor<Scalar: TensorInteger>: Sendable {
    /// The dimensions, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorBuffer<Scalar>

    init(shape: [Int], storage: TensorBuffer<Scalar>) {
        self.shape = shape
        self.storage = storage
    }

    /// An integer tensor of `shape` holding `scalars` in row-major order.
    /// - Throws: `TensorError` when the counts disagree or a dimension is negative.
    public init(shape: [Int], scalars: [Scalar]) throws {
        try validate(shape: shape, op: Self.typeName, scalarBytes: MemoryLayout<Scalar>.stride)
        guard scalars.count == elementCount(of: shape) else {
            throw TensorError(op: Self.typeName, shapes: [shape],
                              reason: "needs \(elementCount(of: shape)) scalars, got \(scalars.count)")
        }
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: scalars.count)
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.base.update(from: b, count: src.count) }
        }
    }

    /// A rank-1 integer tensor.
    public init(_ scalars: [Scalar]) {
        // Cannot fail: the shape is the count.
        try! self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A rank-0 (scalar) integer tensor.
    public init(_ scalar: Scalar) {
        self.init(shape: [], storage: TensorBuffer(repeating: scalar, count: 1))
    }

    /// An integer tensor whose scalars `initializer` writes (it must write all).
    public init(shape: [Int],
                initializingWith initializer: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) throws {
        try validate(shape: shape, op: Self.typeName, scalarBytes: MemoryLayout<Scalar>.stride)
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: elementCount(of: shape))
        try initializer(storage.buffer)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of scalars.
    public var scalarCount: Int { storage.count }

    /// The scalars in row-major order (a copy).
    public var scalars: [Scalar] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Reads the scalars in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// The Swift name of the type (`IndexTensor`, `Int64Tensor`), for messages.
    static var typeName: String { Scalar.self == Int32.self ? "IndexTensor" : "Int64Tensor" }
}

extension IntegerTensor: Equatable {
    public static func == (lhs: IntegerTensor, rhs: IntegerTensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension IntegerTensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "\(Self.typeName)(\(describe(shape)), [\(shown)\(scalarCount > 8 ? ", ..." : "")])"
    }
}
