import Foundation

// MARK: - Binary operations with broadcasting

/// `a + b` elementwise, with NumPy broadcasting.
public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(AddKernel.self, op: "add", a, b)
}

/// `a - b` elementwise, with NumPy broadcasting.
public func subtract(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(SubtractKernel.self, op: "subtract", a, b)
}

/// `a * b` elementwise, with NumPy broadcasting.
public func multiply(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(MultiplyKernel.self, op: "multiply", a, b)
}

/// `a / b` elementwise (IEEE: x/0 is ±inf or NaN), with NumPy broadcasting.
public func divide(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(DivideKernel.self, op: "divide", a, b)
}

/// The larger of `a` and `b` elementwise (NaN propagates), with broadcasting.
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(MaximumKernel.self, op: "maximum", a, b)
}

/// The smaller of `a` and `b` elementwise (NaN propagates), with broadcasting.
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(MinimumKernel.self, op: "minimum", a, b)
}

/// `a` to the power `b` elementwise, with broadcasting (`tf.math.pow`): a negative
/// base with a non-integer exponent gives NaN.
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(PowKernel.self, op: "pow", a, b)
}

/// `(a - b)²` elementwise, with broadcasting (`tf.math.squared_difference`).
public func squaredDifference(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try broadcastBinary(SquaredDifferenceKernel.self, op: "squaredDifference", a, b)
}

extension Tensor {
    /// `add(lhs, rhs)`: `try a + b`.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try add(lhs, rhs) }
    /// `subtract(lhs, rhs)`: `try a - b`.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try subtract(lhs, rhs) }
    /// `multiply(lhs, rhs)`: `try a * b`.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try multiply(lhs, rhs) }
    /// `divide(lhs, rhs)`: `try a / b`.
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try divide(lhs, rhs) }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 + rhs } }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 - rhs } }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 * rhs } }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.map { $0 / rhs } }
    /// Adds every element to a scalar.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs + $0 } }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs - $0 } }
    /// Multiplies a scalar by every element.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
    /// Divides a scalar by every element.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs / $0 } }
    /// Negates every element.
    public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }

    /// A new tensor of the same shape with `transform` applied to each scalar.
    @inlinable
    public func map(_ transform: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        for i in 0..<scalarCount { dst[i] = transform(src[i]) }
        return out
    }
}

// MARK: - Unary math

/// eˣ elementwise.
public func exp(_ x: Tensor) -> Tensor {
    let out = Tensor(uninitializedShape: x.shape)
    vectorExp(x.storage.base, out.storage.base, x.scalarCount)
    return out
}

/// Natural logarithm elementwise.
public func log(_ x: Tensor) -> Tensor { x.map { Foundation.logf($0) } }

/// Square root elementwise.
public func sqrt(_ x: Tensor) -> Tensor { x.map { $0.squareRoot() } }

/// 1/√x elementwise (`tf.math.rsqrt`).
public func rsqrt(_ x: Tensor) -> Tensor { x.map { 1 / $0.squareRoot() } }

/// x² elementwise.
public func square(_ x: Tensor) -> Tensor { x.map { $0 * $0 } }

/// −x elementwise (`tf.math.negative`).
public func negative(_ x: Tensor) -> Tensor { -x }

/// |x| elementwise.
public func abs(_ x: Tensor) -> Tensor { x.map { Swift.abs($0) } }
