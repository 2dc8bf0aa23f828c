import COpenBLAS

/// In-place updates, for variables and optimizers. Each writes into the
/// tensor's own buffer when no other tensor shares it (copy-on-write
/// otherwise) and uses BLAS level-1 routines.
extension Tensor {
    /// Replaces the value with `other`, which must have the same shape
    /// (TensorFlow's `assign` with `validate_shape=True`). Shares `other`'s
    /// storage: no scalars are copied.
    public mutating func assign(_ other: Tensor) throws {
        guard other.shape == shape else {
            throw TensorError(op: "assign", shapes: [shape, other.shape], reason: "differ")
        }
        self = other
    }

    /// `self += alpha · other` for a tensor of the same shape (`cblas_saxpy`).
    public mutating func addInPlace(_ other: Tensor, scaledBy alpha: Float = 1) throws {
        guard other.shape == shape else {
            throw TensorError(op: "assignAdd", shapes: [shape, other.shape], reason: "differ")
        }
        let n = scalarCount
        let src = other.storage
        withUnsafeMutableBufferPointer { dst in
            axpy(n, alpha, src.base, dst.baseAddress!)
        }
    }

    /// `self *= alpha` (`cblas_sscal`).
    public mutating func scaleInPlace(by alpha: Float) {
        let n = scalarCount
        withUnsafeMutableBufferPointer { p in
            var done = 0
            while done < n {
                let chunk = Swift.min(n - done, Int(Int32.max))
                cblas_sscal(Int32(chunk), alpha, p.baseAddress! + done, 1)
                done += chunk
            }
        }
    }
}

/// y += alpha·x over `n` scalars, in 32-bit-sized chunks.
func axpy(_ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    var done = 0
    while done < n {
        let chunk = Swift.min(n - done, Int(Int32.max))
        cblas_saxpy(Int32(chunk), alpha, x + done, 1, y + done, 1)
        done += chunk
    }
}

/// A mutable holder of a tensor, for state that is updated in place (a
/// variable's value, a moving average). The variable-store shim wraps it with
/// a name, trainability and an initializer; this type only holds the value.
///
/// Not `Sendable`: confine it to one task, or copy `value` out (a cheap,
/// copy-on-write copy) to share it.
public final class TensorVariable {
    /// The current value. Reading it is cheap (shares storage).
    public private(set) var value: Tensor

    public init(_ value: Tensor) {
        self.value = value
    }

    /// The value's shape, fixed at creation.
    public var shape: [Int] { value.shape }

    /// Replaces the value (`tf.Variable.assign`); the shape must not change.
    public func assign(_ newValue: Tensor) throws {
        try value.assign(newValue)
    }

    /// Adds to the value in place (`tf.Variable.assign_add`).
    public func assignAdd(_ delta: Tensor) throws {
        try value.addInPlace(delta)
    }

    /// Subtracts from the value in place (`tf.Variable.assign_sub`).
    public func assignSub(_ delta: Tensor) throws {
        try value.addInPlace(delta, scaledBy: -1)
    }
}
