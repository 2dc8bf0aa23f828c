/// The storage behind `Tensor` and `IndexTensor`: one contiguous, 64-byte
/// aligned, row-major block of scalars owned by a final class.
///
/// Tensors share a buffer until one of them is mutated (copy-on-write), so
/// passing, returning and reshaping a tensor never copies its scalars. The
/// buffer is immutable once a tensor that others can see holds it, which is
/// what makes the `@unchecked Sendable` safe: every write goes through
/// `ensureUnique` first.
@usableFromInline
final class TensorBuffer<Scalar: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int
    /// A form of these scalars made once for a kernel (weights packed for
    /// `dense` or `conv2d`, ``PackedWeights``), kept as long as the buffer and
    /// dropped before any write to it (`Tensor.ensureUnique`). Read and set
    /// under ``PackedWeights``' lock.
    @usableFromInline var derived: AnyObject?

    /// Allocates room for `count` scalars, left uninitialized (the scalar
    /// types are trivial, so the caller must write every element).
    @usableFromInline
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative scalar count \(count)")
        let bytes = Swift.max(count, 1) * MemoryLayout<Scalar>.stride
        let raw = TensorMemory.allocate(byteCount: bytes)
        self.base = raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
        self.count = count
    }

    @usableFromInline
    convenience init(repeating value: Scalar, count: Int) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    @usableFromInline
    convenience init(copying other: TensorBuffer<Scalar>) {
        self.init(uninitializedCount: other.count)
        base.update(from: other.base, count: other.count)
    }

    deinit {
        TensorMemory.deallocate(UnsafeMutableRawPointer(base),
                                byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride)
    }

    @usableFromInline
    var buffer: UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }
}
