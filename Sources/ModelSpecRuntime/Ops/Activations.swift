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
        let channels = x.shape.last ?? x.scalarCount
        activation.apply(to: out.storage.base, count: x.scalarCount, channels: channels)
        if let tape = GradientTape.active {
            tape.record("softmax", out, [x]) { g, _ in [softmaxBackward(g, out, outer: x.scalarCount / Swift.max(channels, 1), n: channels, inner: 1)] }
        }
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
        if let tape = GradientTape.active {
            if activation == .elu {
                // TensorFlow's EluGrad, from the output: g·(y + 1) where y < 0.
                tape.record("elu", out, [x]) { g, _ in [zipMap(g, out) { $1 < 0 ? $0 * ($1 + 1) : $0 }] }
            } else {
                tape.record("sigmoid", out, [x]) { g, _ in [zipMap(g, out) { $0 * $1 * (1 - $1) }] }
            }
        }
        return out
    }
}

/// `transform` of each element, recorded with the derivative `derivative(x, y)`
/// (the gradient is `g · derivative`).
@inline(__always)
private func activation(_ name: StaticString, _ x: Tensor, _ transform: (Float) -> Float,
                        derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
    let out = x.map(transform)
    if let tape = GradientTape.active {
        tape.record(name, out, [x]) { g, _ in [zipMap(g, x, out) { g, x, y in g * derivative(x, y) }] }
    }
    return out
}

/// max(x, 0) elementwise (`tf.nn.relu`); the gradient passes where the output is positive.
public func relu(_ x: Tensor) -> Tensor {
    let out = x.map(reluScalar)
    if let tape = GradientTape.active {
        // g·(y > 0 ? 1 : 0) in one vectorized pass (`cbias_relu_backward`).
        tape.record("relu", out, [x]) { g, _ in [biasActivationBackward(g, output: out, relu: true, bias: false).0] }
    }
    return out
}

/// min(max(x, 0), 6) elementwise (`tf.nn.relu6`); the gradient passes where 0 < x < 6.
public func relu6(_ x: Tensor) -> Tensor { activation("relu6", x, relu6Scalar) { x, _ in x > 0 && x < 6 ? 1 : 0 } }

/// Exponential linear unit: x for x > 0, else eˣ − 1 (`tf.nn.elu`).
public func elu(_ x: Tensor) -> Tensor { activate(x, .elu) }

/// x for x > 0, else `alpha`·x (`tf.nn.leaky_relu`).
public func leakyRelu(_ x: Tensor, alpha: Float = 0.2) -> Tensor {
    activation("leakyRelu", x, { $0 > 0 ? $0 : alpha * $0 }) { x, _ in x > 0 ? 1 : alpha }
}

/// Hyperbolic tangent elementwise (`tf.math.tanh`).
public func tanh(_ x: Tensor) -> Tensor { activation("tanh", x, { Foundation.tanhf($0) }) { _, y in 1 - y * y } }

/// Logistic sigmoid 1 / (1 + e⁻ˣ) elementwise (`tf.math.sigmoid`).
public func sigmoid(_ x: Tensor) -> Tensor { activate(x, .sigmoid) }

/// log(1 + eˣ) elementwise (`tf.math.softplus`), with TensorFlow's thresholds:
/// x itself above −log(ε) − 2, eˣ below log(ε) + 2.
public func softplus(_ x: Tensor) -> Tensor {
    activation("softplus", x, softplusScalar) { x, _ in 1 / (1 + Foundation.expf(-x)) }
}

@inline(__always) func softplusScalar(_ x: Float) -> Float {
    let threshold = Foundation.logf(Float.ulpOfOne) + 2
    if x > -threshold { return x }
    if x < threshold { return Foundation.expf(x) }
    return Foundation.log1pf(Foundation.expf(x))
}

/// x / (1 + |x|) elementwise (`tf.nn.softsign`).
public func softsign(_ x: Tensor) -> Tensor {
    activation("softsign", x, softsignScalar) { x, _ in 1 / ((1 + Swift.abs(x)) * (1 + Swift.abs(x))) }
}

@inline(__always) func softsignScalar(_ x: Float) -> Float { x / (1 + Swift.abs(x)) }

private let seluScale: Float = 1.0507009873554804934193349852946
private let seluAlpha: Float = 1.6732632423543772848170429916717

/// Scaled exponential linear unit (`tf.nn.selu`): scale·x for x > 0, else scale·α·(eˣ − 1).
public func selu(_ x: Tensor) -> Tensor {
    // TensorFlow's SeluGrad, from the output: g·(y + scale·α) where y < 0, g·scale elsewhere.
    activation("selu", x, seluScalar) { _, y in y < 0 ? y + seluScale * seluAlpha : seluScale }
}

@inline(__always) func seluScalar(_ x: Float) -> Float {
    x > 0 ? seluScale * x : seluScale * seluAlpha * Foundation.expm1f(x)
}

/// x · sigmoid(x) elementwise (`tf.nn.silu`, `tf.nn.swish`).
public func swish(_ x: Tensor) -> Tensor {
    activation("swish", x, swishScalar) { x, _ in
        let s = 1 / (1 + Foundation.expf(-x))
        return s * (1 + x * (1 - s))
    }
}

@inline(__always) func swishScalar(_ x: Float) -> Float { x / (1 + Foundation.expf(-x)) }

/// Gaussian error linear unit (`tf.nn.gelu`): x·Φ(x) = x/2·(1 + erf(x/√2)), or with
/// `approximate`, x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public func gelu(_ x: Tensor, approximate: Bool = false) -> Tensor {
    if approximate {
        return activation("gelu", x, geluTanhScalar) { x, _ in
            let c: Float = 0.7978845608028654
            let t = Foundation.tanhf(c * (x + 0.044715 * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)
        }
    }
    return activation("gelu", x, geluScalar) { x, _ in
        0.5 * (1 + Foundation.erff(x * 0.70710678118654752440)) + x * 0.3989422804014327 * Foundation.expf(-0.5 * x * x)
    }
}

@inline(__always) func geluScalar(_ x: Float) -> Float {
    0.5 * x * (1 + Foundation.erff(x * 0.70710678118654752440))
}

@inline(__always) func geluTanhScalar(_ x: Float) -> Float {
    0.5 * x * (1 + Foundation.tanhf(0.7978845608028654 * (x + 0.044715 * x * x * x)))
}
