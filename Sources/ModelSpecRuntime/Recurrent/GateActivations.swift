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
