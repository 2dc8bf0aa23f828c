import Foundation

/// An activation function that dense and convolution layers can apply as part
/// of the same pass that adds the bias (see `dense` and `conv2d`).
public enum Activation: Sendable, Equatable {
    /// No activation (Keras `linear`, `None`).
    case linear
    /// max(x, 0).
    case relu
    /// min(max(x, 0), 6).
    case relu6
    /// x for x > 0, else eˣ − 1 (`tf.nn.elu`).
    case elu
    /// x for x > 0, else αx (`tf.nn.leaky_relu`, α = 0.2 by default there).
    case leakyRelu(alpha: Float)
    /// Hyperbolic tangent.
    case tanh
    /// 1 / (1 + e⁻ˣ).
    case sigmoid

    /// Applies the activation in place to `count` scalars.
    public func apply(to p: UnsafeMutablePointer<Float>, count n: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<n { p[i] = reluScalar(p[i]) }
        case .relu6:
            for i in 0..<n { p[i] = relu6Scalar(p[i]) }
        case .elu:
            for i in 0..<n { p[i] = eluScalar(p[i]) }
        case .leakyRelu(let alpha):
            for i in 0..<n { let x = p[i]; p[i] = x > 0 ? x : alpha * x }
        case .tanh:
            for i in 0..<n { p[i] = Foundation.tanhf(p[i]) }
        case .sigmoid:
            for i in 0..<n { p[i] = sigmoidScalar(p[i]) }
        }
    }
}

@inline(__always) func reluScalar(_ x: Float) -> Float { x > 0 ? x : (x.isNaN ? x : 0) }
@inline(__always) func relu6Scalar(_ x: Float) -> Float { x.isNaN ? x : Swift.min(Swift.max(x, 0), 6) }
@inline(__always) func eluScalar(_ x: Float) -> Float { x > 0 ? x : Foundation.expm1f(x) }
@inline(__always) func sigmoidScalar(_ x: Float) -> Float { 1 / (1 + Foundation.expf(-x)) }

/// Applies `activation` to a tensor, returning a new tensor.
public func activate(_ x: Tensor, _ activation: Activation) -> Tensor {
    if activation == .linear { return x }
    let out = Tensor(uninitializedShape: x.shape)
    out.storage.base.update(from: x.storage.base, count: x.scalarCount)
    activation.apply(to: out.storage.base, count: out.scalarCount)
    return out
}

/// max(x, 0) elementwise (`tf.nn.relu`).
public func relu(_ x: Tensor) -> Tensor { x.map(reluScalar) }

/// min(max(x, 0), 6) elementwise (`tf.nn.relu6`).
public func relu6(_ x: Tensor) -> Tensor { x.map(relu6Scalar) }

/// Exponential linear unit: x for x > 0, else eˣ − 1 (`tf.nn.elu`).
public func elu(_ x: Tensor) -> Tensor { x.map(eluScalar) }

/// x for x > 0, else `alpha`·x (`tf.nn.leaky_relu`).
public func leakyRelu(_ x: Tensor, alpha: Float = 0.2) -> Tensor { x.map { $0 > 0 ? $0 : alpha * $0 } }

/// Hyperbolic tangent elementwise (`tf.math.tanh`).
public func tanh(_ x: Tensor) -> Tensor { x.map { Foundation.tanhf($0) } }

/// Logistic sigmoid 1 / (1 + e⁻ˣ) elementwise (`tf.math.sigmoid`).
public func sigmoid(_ x: Tensor) -> Tensor { x.map(sigmoidScalar) }
