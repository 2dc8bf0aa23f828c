import Foundation

// MARK: - Binary operations with broadcasting

/// `a + b` elementwise, with NumPy broadcasting.
public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(AddKernel.self, op: "add", a, b)
    if let tape = GradientTape.active {
        tape.record("add", out, [a, b]) { g, _ in [try unbroadcast(g, to: a.shape), try unbroadcast(g, to: b.shape)] }
    }
    return out
}

/// `a - b` elementwise, with NumPy broadcasting.
public func subtract(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(SubtractKernel.self, op: "subtract", a, b)
    if let tape = GradientTape.active {
        tape.record("subtract", out, [a, b]) { g, needed in
            [try unbroadcast(g, to: a.shape), needed[1] ? try unbroadcast(negative(g), to: b.shape) : nil]
        }
    }
    return out
}

/// `a * b` elementwise, with NumPy broadcasting.
public func multiply(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(MultiplyKernel.self, op: "multiply", a, b)
    if let tape = GradientTape.active {
        tape.record("multiply", out, [a, b]) { g, needed in
            [needed[0] ? try unbroadcast(multiply(g, b), to: a.shape) : nil,
             needed[1] ? try unbroadcast(multiply(g, a), to: b.shape) : nil]
        }
    }
    return out
}

/// `a / b` elementwise (IEEE: x/0 is ±inf or NaN), with NumPy broadcasting.
public func divide(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(DivideKernel.self, op: "divide", a, b)
    if let tape = GradientTape.active {
        tape.record("divide", out, [a, b]) { g, needed in
            // TensorFlow: g / b and -g·a / b².
            [needed[0] ? try unbroadcast(divide(g, b), to: a.shape) : nil,
             needed[1] ? try unbroadcast(multiply(g, divide(divide(negative(a), b), b)), to: b.shape) : nil]
        }
    }
    return out
}

/// The larger of `a` and `b` elementwise (NaN propagates), with broadcasting.
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(MaximumKernel.self, op: "maximum", a, b)
    if let tape = GradientTape.active {
        // TensorFlow: the gradient goes to a where a >= b, else to b.
        tape.record("maximum", out, [a, b]) { g, _ in try selectGradients(g, a, b, GreaterEqualKernel.self) }
    }
    return out
}

/// The smaller of `a` and `b` elementwise (NaN propagates), with broadcasting.
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(MinimumKernel.self, op: "minimum", a, b)
    if let tape = GradientTape.active {
        tape.record("minimum", out, [a, b]) { g, _ in try selectGradients(g, a, b, LessEqualKernel.self) }
    }
    return out
}

/// `a` to the power `b` elementwise, with broadcasting (`tf.math.pow`): a negative
/// base with a non-integer exponent gives NaN.
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(PowKernel.self, op: "pow", a, b)
    if let tape = GradientTape.active {
        tape.record("pow", out, [a, b]) { g, needed in
            // TensorFlow: g·b·a^(b−1), and g·aᵇ·log(a) where a > 0 (0 elsewhere).
            [needed[0] ? try unbroadcast(multiply(g, multiply(b, pow(a, b - 1))), to: a.shape) : nil,
             needed[1] ? try unbroadcast(multiply(g, multiply(out, a.map { $0 > 0 ? Foundation.logf($0) : 0 })), to: b.shape) : nil]
        }
    }
    return out
}

/// `(a - b)²` elementwise, with broadcasting (`tf.math.squared_difference`).
public func squaredDifference(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try broadcastBinary(SquaredDifferenceKernel.self, op: "squaredDifference", a, b)
    if let tape = GradientTape.active {
        tape.record("squaredDifference", out, [a, b]) { g, needed in
            let twice = try multiply(g, subtract(a, b) * 2)
            return [needed[0] ? try unbroadcast(twice, to: a.shape) : nil,
                    needed[1] ? try unbroadcast(negative(twice), to: b.shape) : nil]
        }
    }
    return out
}

/// The gradients of `maximum` and `minimum`: `g` to `a` where `Chosen(a, b)` is 1, else to `b`.
private func selectGradients<K: BinaryKernel>(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ chosen: K.Type) throws -> [Tensor?] {
    let mask = try broadcastBinary(K.self, op: "mask", a, b)
    let toA = try multiply(g, mask)
    return [try unbroadcast(toA, to: a.shape), try unbroadcast(subtract(g, toA), to: b.shape)]
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
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.scalarMap("addScalar", { $0 + rhs }) { g, _ in g } }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.scalarMap("subtractScalar", { $0 - rhs }) { g, _ in g } }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.scalarMap("multiplyScalar", { $0 * rhs }) { g, _ in g.map { $0 * rhs } } }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs.scalarMap("divideScalar", { $0 / rhs }) { g, _ in g.map { $0 / rhs } } }
    /// Adds every element to a scalar.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.scalarMap("scalarSubtract", { lhs - $0 }) { g, _ in -g } }
    /// Multiplies a scalar by every element.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
    /// Divides a scalar by every element.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor {
        rhs.scalarMap("scalarDivide", { lhs / $0 }) { g, y in zipMap(g, y, rhs) { g, y, x in -g * y / x } }
    }
    /// Negates every element.
    public static prefix func - (x: Tensor) -> Tensor { x.scalarMap("negative", { -$0 }) { g, _ in g.map { -$0 } } }

    /// `map(transform)`, recorded on an active tape with `backward(g, output)` giving the input's gradient.
    @inline(__always)
    func scalarMap(_ operation: StaticString, _ transform: (Float) -> Float,
                   backward: @escaping (_ g: Tensor, _ output: Tensor) throws -> Tensor) -> Tensor {
        let out = map(transform)
        if let tape = GradientTape.active { tape.record(operation, out, [self]) { g, _ in [try backward(g, out)] } }
        return out
    }

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
    if let tape = GradientTape.active { tape.record("exp", out, [x]) { g, _ in [zipMap(g, out) { $0 * $1 }] } }
    return out
}

/// Natural logarithm elementwise.
public func log(_ x: Tensor) -> Tensor {
    x.scalarMap("log", { Foundation.logf($0) }) { g, _ in zipMap(g, x) { $0 / $1 } }
}

/// Square root elementwise.
public func sqrt(_ x: Tensor) -> Tensor {
    x.scalarMap("sqrt", { $0.squareRoot() }) { g, y in zipMap(g, y) { $0 * 0.5 / $1 } }
}

/// 1/√x elementwise (`tf.math.rsqrt`).
public func rsqrt(_ x: Tensor) -> Tensor {
    x.scalarMap("rsqrt", { 1 / $0.squareRoot() }) { g, y in zipMap(g, y) { $0 * -0.5 * $1 * $1 * $1 } }
}

/// x² elementwise.
public func square(_ x: Tensor) -> Tensor {
    x.scalarMap("square", { $0 * $0 }) { g, _ in zipMap(g, x) { $0 * 2 * $1 } }
}

/// −x elementwise (`tf.math.negative`).
public func negative(_ x: Tensor) -> Tensor { -x }

/// |x| elementwise.
public func abs(_ x: Tensor) -> Tensor {
    x.scalarMap("abs", { Swift.abs($0) }) { g, _ in zipMap(g, x) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) } }
}
