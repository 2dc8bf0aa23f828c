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
    /// Softmax over the last axis (each group of `channels` scalars), as Keras's
    /// `activation="softmax"` on a dense or convolution layer.
    case softmax
    /// log(1 + eˣ) (`tf.math.softplus`).
    case softplus
    /// x / (1 + |x|) (`tf.nn.softsign`).
    case softsign
    /// Scaled ELU (`tf.nn.selu`).
    case selu
    /// x · sigmoid(x) (`tf.nn.silu`).
    case swish
    /// x · Φ(x), exact (`tf.nn.gelu`, Keras `"gelu"`).
    case gelu

    /// Applies the activation in place to `count` scalars, rows of `channels`
    /// scalars each (the last axis, which only softmax looks at).
    public func apply(to p: UnsafeMutablePointer<Float>, count n: Int, channels: Int) {
        guard self == .softmax else { return apply(to: p, count: n) }
        guard channels > 0 else { return }
        var row = p
        for _ in 0..<(n / channels) {
            var m = -Float.infinity
            for i in 0..<channels { m = Swift.max(m, row[i]) }
            for i in 0..<channels { row[i] -= m }
            finishRow(row, channels, log: false)
            row += channels
        }
    }

    /// Applies the activation in place to `count` scalars (softmax: over all of them).
    public func apply(to p: UnsafeMutablePointer<Float>, count n: Int) {
        switch self {
        case .softmax:
            apply(to: p, count: n, channels: n)
        case .linear:
            return
        case .relu:
            for i in 0..<n { p[i] = reluScalar(p[i]) }
        case .relu6:
            for i in 0..<n { p[i] = relu6Scalar(p[i]) }
        case .elu:
            vectorElu(p, p, n)
        case .leakyRelu(let alpha):
            for i in 0..<n { let x = p[i]; p[i] = x > 0 ? x : alpha * x }
        case .tanh:
            for i in 0..<n { p[i] = Foundation.tanhf(p[i]) }
        case .sigmoid:
            vectorSigmoid(p, p, n)
        case .softplus:
            for i in 0..<n { p[i] = softplusScalar(p[i]) }
        case .softsign:
            for i in 0..<n { p[i] = softsignScalar(p[i]) }
        case .selu:
            for i in 0..<n { p[i] = seluScalar(p[i]) }
        case .swish:
            for i in 0..<n { p[i] = swishScalar(p[i]) }
        case .gelu:
            for i in 0..<n { p[i] = geluScalar(p[i]) }
        }
    }
}

@inline(__always) func reluScalar(_ x: Float) -> Float { x > 0 ? x : (x.isNaN ? x : 0) }
@inline(__always) func relu6Scalar(_ x: Float) -> Float { x.isNaN ? x : Swift.min(Swift.max(x, 0), 6) }

/// Applies `activation` to a tensor, returning a new tensor.
public func activate(_ x: Tensor, _ activation: Activation) -> Tensor {
    switch activation {
    case .linear: return x
    case .relu: return relu(x)
    case .relu6: return relu6(x)
    case .leakyRelu(let alpha): return leakyRelu(x, alpha: alpha)
    case .tanh: return tanh(x)
    case .softmax:
        let out = Tensor(uninitializedShape: x.shape)
        out.storage.base.update(from: x.storage.base, count: x.scalarCount)
        activation.apply(to: out.storage.base, count: x.scalarCount, channels: x.shape.last ?? x.scalarCount)
        return out
    case .softplus: return softplus(x)
    case .softsign: return softsign(x)
    case .selu: return selu(x)
    case .swish: return swish(x)
    case .gelu: return gelu(x)
    case .elu, .sigmoid:
        // The vector kernels read and write through separate pointers: no copy first.
        let out = Tensor(uninitializedShape: x.shape)
        let n = x.scalarCount
        if activation == .elu { vectorElu(x.storage.base, out.storage.base, n) }
        else { vectorSigmoid(x.storage.base, out.storage.base, n) }
        return out
    }
}

/// max(x, 0) elementwise (`tf.nn.relu`).
public func relu(_ x: Tensor) -> Tensor { x.map(reluScalar) }

/// min(max(x, 0), 6) elementwise (`tf.nn.relu6`).
public func relu6(_ x: Tensor) -> Tensor { x.map(relu6Scalar) }

/// Exponential linear unit: x for x > 0, else eˣ − 1 (`tf.nn.elu`).
public func elu(_ x: Tensor) -> Tensor { activate(x, .elu) }

/// x for x > 0, else `alpha`·x (`tf.nn.leaky_relu`).
public func leakyRelu(_ x: Tensor, alpha: Float = 0.2) -> Tensor { x.map { $0 > 0 ? $0 : alpha * $0 } }

/// Hyperbolic tangent elementwise (`tf.math.tanh`).
public func tanh(_ x: Tensor) -> Tensor { x.map { Foundation.tanhf($0) } }

/// Logistic sigmoid 1 / (1 + e⁻ˣ) elementwise (`tf.math.sigmoid`).
public func sigmoid(_ x: Tensor) -> Tensor { activate(x, .sigmoid) }

/// log(1 + eˣ) elementwise (`tf.math.softplus`), with TensorFlow's thresholds:
/// x itself above −log(ε) − 2, eˣ below log(ε) + 2.
public func softplus(_ x: Tensor) -> Tensor { x.map(softplusScalar) }

@inline(__always) func softplusScalar(_ x: Float) -> Float {
    let threshold = Foundation.logf(Float.ulpOfOne) + 2
    if x > -threshold { return x }
    if x < threshold { return Foundation.expf(x) }
    return Foundation.log1pf(Foundation.expf(x))
}

/// x / (1 + |x|) elementwise (`tf.nn.softsign`).
public func softsign(_ x: Tensor) -> Tensor { x.map(softsignScalar) }

@inline(__always) func softsignScalar(_ x: Float) -> Float { x / (1 + Swift.abs(x)) }

/// Scaled exponential linear unit (`tf.nn.selu`): scale·x for x > 0, else scale·α·(eˣ − 1).
public func selu(_ x: Tensor) -> Tensor { x.map(seluScalar) }

@inline(__always) func seluScalar(_ x: Float) -> Float {
    let scale: Float = 1.0507009873554804934193349852946
    let alpha: Float = 1.6732632423543772848170429916717
    return x > 0 ? scale * x : scale * alpha * Foundation.expm1f(x)
}

/// x · sigmoid(x) elementwise (`tf.nn.silu`, `tf.nn.swish`).
public func swish(_ x: Tensor) -> Tensor { x.map(swishScalar) }

@inline(__always) func swishScalar(_ x: Float) -> Float { x / (1 + Foundation.expf(-x)) }

/// Gaussian error linear unit (`tf.nn.gelu`): x·Φ(x) = x/2·(1 + erf(x/√2)), or with
/// `approximate`, x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public func gelu(_ x: Tensor, approximate: Bool = false) -> Tensor {
    x.map { approximate ? geluTanhScalar($0) : geluScalar($0) }
}

@inline(__always) func geluScalar(_ x: Float) -> Float {
    0.5 * x * (1 + Foundation.erff(x * 0.70710678118654752440))
}

@inline(__always) func geluTanhScalar(_ x: Float) -> Float {
    0.5 * x * (1 + Foundation.tanhf(0.7978845608028654 * (x + 0.044715 * x * x * x)))
}
