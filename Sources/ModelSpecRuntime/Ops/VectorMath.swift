/// Vectorisable transcendental functions: branch-free scalar kernels that the
/// compiler turns into SIMD loops, so softmax, sigmoid and ELU do not call
/// libm once per element.
///
/// The exponential is Cephes' `expf` (as Eigen's `pexp`, which TensorFlow
/// uses): range reduction by ln 2 in two parts, a degree-6 polynomial, and
/// scaling by 2ⁿ in two steps so that results reach the subnormal range and
/// overflow to +inf where `expf` does. Error is within 2 ulp.

/// eˣ without branches or calls.
@inline(__always)
func fastExp(_ input: Float) -> Float {
    let overflow: Float = 88.72283905206835   // ln(Float.greatestFiniteMagnitude)
    let x0 = Swift.min(Swift.max(input, -104), overflow)
    // n = round(x / ln 2) by the 1.5·2²³ trick: no float-to-int conversion check.
    let magic: Float = 0x1.8p23
    let shifted = x0 * 1.44269504088896341 + magic
    let n = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
    let fx = shifted - magic
    var x = x0 - fx * 0.693359375
    x = x - fx * -2.12194440e-4
    let z = x * x
    var y: Float = 1.9875691500e-4
    y = y * x + 1.3981999507e-3
    y = y * x + 8.3334519073e-3
    y = y * x + 4.1665795894e-2
    y = y * x + 1.6666665459e-1
    y = y * x + 5.0000001201e-1
    y = y * z + x + 1
    // y · 2ⁿ as y · 2^(n/2) · 2^(n − n/2), each factor a normal float.
    let n1 = n &>> 1
    let n2 = n &- n1
    let s1 = Float(bitPattern: UInt32(bitPattern: (n1 &+ 127) &<< 23))
    let s2 = Float(bitPattern: UInt32(bitPattern: (n2 &+ 127) &<< 23))
    let r = y * s1 * s2
    let big = input > overflow ? Float.infinity : r
    return input != input ? input : big
}

/// dst[i] = exp(src[i]) for n floats (src and dst may be the same).
func vectorExp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dst[i] = fastExp(src[i]) }
}

/// dst[i] = 1 / (1 + exp(−src[i])).
func vectorSigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dst[i] = 1 / (1 + fastExp(-src[i])) }
}

/// dst[i] = src[i] > 0 ? src[i] : exp(src[i]) − 1, as TensorFlow's `Elu` kernel.
func vectorElu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let x = src[i]
        let e = fastExp(x) - 1
        dst[i] = x > 0 ? x : e
    }
}
