/// Vectorised transcendental functions: eˣ eight floats at a time, so softmax,
/// sigmoid and ELU do not call libm once per element.
///
/// The algorithm is Cephes' `expf` (as Eigen's `pexp`, which TensorFlow uses):
/// range reduction by ln 2 in two parts, a degree-6 polynomial, and scaling by
/// 2ⁿ in two steps so that results reach the subnormal range and overflow to
/// +inf exactly where `expf` does. Error is within 2 ulp of the true value.

typealias Float8 = SIMD8<Float>

@inline(__always)
func exp8(_ input: Float8) -> Float8 {
    let overflow: Float = 88.72283905206835   // ln(Float.greatestFiniteMagnitude)
    let x0 = input.clamped(lowerBound: Float8(repeating: -104), upperBound: Float8(repeating: overflow))
    var fx = (x0 * 1.44269504088896341 + 0.5).rounded(.down)
    var x = x0 - fx * 0.693359375
    x = x - fx * -2.12194440e-4
    let z = x * x
    var y = Float8(repeating: 1.9875691500e-4)
    y = y * x + 1.3981999507e-3
    y = y * x + 8.3334519073e-3
    y = y * x + 4.1665795894e-2
    y = y * x + 1.6666665459e-1
    y = y * x + 5.0000001201e-1
    y = y * z + x + 1
    // y · 2ⁿ as y · 2^(n/2) · 2^(n − n/2), each factor a normal float.
    fx = fx.clamped(lowerBound: Float8(repeating: -252), upperBound: Float8(repeating: 254))
    let n = SIMD8<Int32>(fx, rounding: .towardZero)
    let n1 = n &>> 1
    let n2 = n &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Float8.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Float8.self)
    var result = y * s1 * s2
    result.replace(with: Float8(repeating: .infinity), where: input .> overflow)
    result.replace(with: input, where: input .!= input)   // NaN stays NaN
    return result
}

/// Applies `body` to `n` floats in blocks of eight; the tail goes through a
/// padded block so it computes exactly what the full blocks do.
@inline(__always)
func forEachBlock(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int,
                  _ body: (Float8) -> Float8) {
    var i = 0
    while i + 8 <= n {
        let v = UnsafeRawPointer(src + i).loadUnaligned(as: Float8.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: body(v), as: Float8.self)
        i += 8
    }
    if i < n {
        var v = Float8()
        for j in 0..<(n - i) { v[j] = src[i + j] }
        let r = body(v)
        for j in 0..<(n - i) { dst[i + j] = r[j] }
    }
}

/// dst[i] = exp(src[i]) for n floats (src and dst may be the same).
func vectorExp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    forEachBlock(src, dst, n, exp8)
}

/// dst[i] = 1 / (1 + exp(−src[i])).
func vectorSigmoid(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    forEachBlock(src, dst, n) { 1 / (1 + exp8(-$0)) }
}

/// dst[i] = src[i] > 0 ? src[i] : exp(src[i]) − 1, as TensorFlow's `Elu` kernel.
func vectorElu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    forEachBlock(src, dst, n) { x in
        var r = exp8(x) - 1
        r.replace(with: x, where: x .> 0)
        return r
    }
}
