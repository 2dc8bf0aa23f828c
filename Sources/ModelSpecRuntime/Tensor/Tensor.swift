/// A dense float32 tensor: a shape and its scalars in row-major (C) order.
///
/// `Tensor` is a value type with copy-on-write storage: copies share one
/// buffer until one of them is written to, reshaping shares the buffer, and
/// every operation writes its result into a freshly allocated tensor.
///
///     let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
///     let y = try relu(matmul(x, w) + b)
public struct Tensor: Sendable {
    /// The dimensions, outermost first. `[]` is a scalar.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorBuffer<Float>
    /// The steps a Keras layer's output is masked at (Keras's `_keras_mask`), or nil:
    /// set by an `Embedding` with `maskZero`, handed on by the layers that pass masks
    /// on, read by the recurrent layers (``KerasMask``). Any other operation makes a
    /// tensor without one, as TensorFlow's operations make tensors without `_keras_mask`.
    public internal(set) var kerasMask: KerasMask?

    @usableFromInline
    init(shape: [Int], storage: TensorBuffer<Float>) {
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of the given shape whose scalars are not yet written.
    /// Internal: every operation allocates its output this way.
    @usableFromInline
    init(uninitializedShape shape: [Int]) {
        self.shape = shape
        self.storage = TensorBuffer(uninitializedCount: elementCount(of: shape))
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    /// - Throws: `TensorError` when a dimension is negative or the number of
    ///   scalars is not the product of the dimensions.
    public init(shape: [Int], scalars: [Float]) throws {
        try validate(shape: shape, op: "Tensor")
        guard scalars.count == elementCount(of: shape) else {
            throw TensorError(op: "Tensor", shapes: [shape],
                              reason: "needs \(elementCount(of: shape)) scalars, got \(scalars.count)")
        }
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { src in
            storage.base.update(from: src.baseAddress!, count: src.count)
        }
    }

    /// A rank-1 tensor of the given scalars.
    public init(_ scalars: [Float]) {
        self.init(uninitializedShape: [scalars.count])
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.base.update(from: b, count: src.count) }
        }
    }

    /// A rank-0 (scalar) tensor.
    public init(_ scalar: Float) {
        self.init(shape: [], storage: TensorBuffer(repeating: scalar, count: 1))
    }

    /// A tensor of `shape` with every scalar set to `value`.
    public init(shape: [Int], repeating value: Float) throws {
        try validate(shape: shape, op: "Tensor")
        self.init(shape: shape, storage: TensorBuffer(repeating: value, count: elementCount(of: shape)))
    }

    /// A tensor of `shape` whose scalars `initializer` writes, without an
    /// intermediate array (for readers of checkpoints and `.npy` files).
    /// The initializer must write every element of the buffer it is given.
    public init(shape: [Int],
                initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) throws {
        try validate(shape: shape, op: "Tensor")
        self.init(uninitializedShape: shape)
        try initializer(storage.buffer)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, repeating: 0)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, repeating: 1)
    }

    /// A tensor with every scalar set to `value`.
    public static func filled(_ shape: [Int], with value: Float) throws -> Tensor {
        try Tensor(shape: shape, repeating: value)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of scalars (the product of the dimensions).
    public var scalarCount: Int { storage.count }

    /// The scalars in row-major order (a copy).
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// The single scalar of a tensor with one element.
    public var scalar: Float? {
        storage.count == 1 ? storage.base[0] : nil
    }

    /// Reads the scalars in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Writes the scalars in place, copying the buffer first if another
    /// tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        ensureUnique()
        return try body(storage.buffer)
    }

    @inlinable
    mutating func ensureUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorBuffer(copying: storage)
        } else if storage.derived != nil {
            // About to be written in place: weights packed from the old values are stale.
            // (Unique, so no other tensor, and no other thread, can be reading it.)
            storage.derived = nil
        }
    }

    /// The flat row-major offset of a multi-index; traps when out of range.
    @usableFromInline
    func offset(of indices: [Int]) -> Int {
        precondition(indices.count == shape.count,
                     "\(indices.count) indices for a tensor of shape \(describe(shape))")
        var offset = 0
        for (i, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[i],
                         "index \(index) out of range for dimension \(i) of shape \(describe(shape))")
            offset = offset * shape[i] + index
        }
        return offset
    }

    /// The scalar at a multi-index, e.g. `x[0, 2]`. Traps when out of range.
    public subscript(indices: Int...) -> Float {
        get { storage.base[offset(of: indices)] }
        set {
            let o = offset(of: indices)
            ensureUnique()
            storage.base[o] = newValue
        }
    }

    /// The scalar at a multi-index given as an array. Traps when out of range.
    public func scalar(at indices: [Int]) -> Float {
        storage.base[offset(of: indices)]
    }

    /// Whether two tensors share one buffer (for tests of copy-on-write).
    public func sharesStorage(with other: Tensor) -> Bool {
        storage === other.storage
    }

    /// The same scalars seen with another shape of equal scalar count. Internal:
    /// callers have checked the count.
    @usableFromInline
    func viewed(as newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}

extension Tensor: Equatable {
    /// Equal shapes and bitwise-equal scalars (NaN differs from itself).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        for i in 0..<lhs.scalarCount where lhs.storage.base[i] != rhs.storage.base[i] {
            return false
        }
        return true
    }
}

extension Tensor: CustomStringConvertible {
    /// `Tensor([2, 3], [1.0, 2.0, ...])`, with at most 8 scalars shown.
    public var description: String {
        let shown = UnsafeBufferPointer(start: storage.base, count: Swift.min(storage.count, 8))
        let list = shown.map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(describe(shape)), [\(list)\(storage.count > 8 ? ", ..." : "")])"
    }
}

/// Throws unless every dimension is non-negative and the tensor's bytes can be
/// allocated (``TensorAllocation``; `Float` and `Int32` scalars take 4 bytes, `Int64` 8).
func validate(shape: [Int], op: String, scalarBytes: Int = MemoryLayout<Float>.stride) throws {
    if let bad = shape.first(where: { $0 < 0 }) {
        throw TensorError(op: op, shapes: [shape], reason: "has a negative dimension \(bad)")
    }
    _ = try TensorAllocation.byteCount(of: shape, scalarBytes: scalarBytes, op: op)
}
