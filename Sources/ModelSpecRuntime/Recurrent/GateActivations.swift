import Foundation

/// The activations of recurrent gates, over a row of scalars in place: the
/// branch-free kernels of `VectorMath` for sigmoid, the rational tanh below, and
/// ``Activation/apply(to:count:)`` for any other activation.
@inline(__always)
func activate(_ activation: Activation, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
    switch activation {
    case .sigmoid: vectorSigmoid(p, p, n)
    case .tanh: for i in 0..<n { p[i] = rationalTanh(p[i]) }
    case .linear: return
    default: activation.apply(to: p, count: n)
    }
}

/// tanh as Eigen computes it for float (`ptanh_float`, which TensorFlow's CPU
/// kernels use): a 13/6 rational function on `[-7.905, 7.905]`, saturating
/// beyond, and `x` itself below 4e-4. Branch-free, so rows vectorise.
@inline(__always)
func rationalTanh(_ input: Float) -> Float {
    let clamp: Float = 7.90531110763549805
    let x = Swift.min(Swift.max(input, -clamp), clamp)
    let x2 = x * x
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 + -8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p = p * x
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    let small = Swift.abs(input) < 0.0004
    let r = p / q
    return input != input ? input : (small ? input : r)
}

extension Activation {
    /// Whether the derivative of each element depends on that element alone (every
    /// activation but softmax), as the recurrent loop's backward pass needs.
    var isElementwise: Bool { self != .softmax }

    /// The derivative at `x` of an elementwise activation whose value there is `y`
    /// (TensorFlow's gradient kernels: tanh and sigmoid from `y`, relu where `y > 0`).
    @inline(__always)
    func derivative(x: Float, y: Float) -> Float {
        switch self {
        case .linear, .softmax: return 1
        case .tanh: return 1 - y * y
        case .sigmoid: return y * (1 - y)
        case .relu: return y > 0 ? 1 : 0
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .elu: return y < 0 ? y + 1 : 1
        case .leakyRelu(let alpha): return x > 0 ? 1 : alpha
        case .softplus: return 1 / (1 + Foundation.expf(-x))
        case .softsign: return 1 / ((1 + Swift.abs(x)) * (1 + Swift.abs(x)))
        case .selu: return y < 0 ? y + 1.7580993408473768599402175208123 : 1.0507009873554804934193349852946
        case .swish:
            let s = 1 / (1 + Foundation.expf(-x))
            return s * (1 + x * (1 - s))
        case .gelu:
            return 0.5 * (1 + Foundation.erff(x * 0.70710678118654752440)) + x * 0.3989422804014327 * Foundation.expf(-0.5 * x * x)
        }
    }
}
