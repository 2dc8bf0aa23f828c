/// Dropout with inverted scaling, as `tf.nn.dropout`: each element is kept
/// with probability `1 − rate` and then multiplied by `1 / (1 − rate)` (the
/// scale computed in double precision and rounded to float, as TensorFlow
/// does), and set to zero otherwise.
///
/// Reproducible from the generator's state, but **not** the same random
/// stream as TensorFlow: the same seed does not drop the same elements.
///
/// - Parameters:
///   - rate: the probability of dropping an element, in `[0, 1)`; 0 returns `x`.
///   - noiseShape: a shape broadcastable to `x` for the mask (e.g. `[n, 1, 1, c]`
///     to drop whole channels, as `SpatialDropout2D`); nil means `x.shape`.
///   - generator: the source of randomness, advanced by one draw per mask element.
public func dropout<G: RandomNumberGenerator>(_ x: Tensor, rate: Float, noiseShape: [Int]? = nil,
                                              generator: inout G) throws -> Tensor {
    guard rate >= 0, rate < 1 else {
        throw TensorError(op: "dropout", shapes: [x.shape], reason: "cannot use rate \(rate): it must be in [0, 1)")
    }
    if rate == 0 { return x }
    let scale = Float(1 / (1 - Double(rate)))
    let maskShape = noiseShape ?? x.shape
    let mask = try Tensor(shape: maskShape) { p in
        for i in p.indices {
            let u = Float(generator.next() >> 40) * 0x1p-24
            p[i] = u >= rate ? scale : 0
        }
    }
    if noiseShape != nil {
        _ = try broadcastShape(x.shape, maskShape, op: "dropout")
        let out = try multiply(x, mask)
        guard out.shape == x.shape else {
            throw TensorError(op: "dropout", shapes: [x.shape, maskShape],
                              reason: "do not fit: the noise shape must broadcast to the input's shape")
        }
        return out
    }
    return try multiply(x, mask)
}
