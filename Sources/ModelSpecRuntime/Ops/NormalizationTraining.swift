import CConvolution

/// Batch normalization in training over the last axis (channels last), as the moments and
/// normalization of ``batchMoments(_:)`` and ``batchNormalization(_:mean:variance:offset:scale:epsilon:)``
/// compute it, in three passes over `x` (`cnorm_moments`, then `cnorm_affine`) and recorded as
/// one operation whose backward rule is TensorFlow's fused gradient, two more passes
/// (`cnorm_gradient_sums`, `cnorm_affine`), instead of a pass per broadcast operation each way.
///
/// - Returns: the normalized `x`, and the batch's mean and (biased) variance, `[channels]`;
///   nil when `x` has no rows to take moments over (the caller takes the general path).
func batchNormalizationInTraining(_ x: Tensor, scale: Tensor?, offset: Tensor?,
                                  epsilon: Float) -> (output: Tensor, mean: Tensor, variance: Tensor)? {
    let c = x.shape.last ?? 0
    guard x.rank >= 1, c > 0, x.scalarCount > 0,
          scale.map({ $0.shape == [c] }) ?? true, offset.map({ $0.shape == [c] }) ?? true else { return nil }
    let rows = x.scalarCount / c
    let mean = Tensor(uninitializedShape: [c]), variance = Tensor(uninitializedShape: [c])
    cnorm_moments(rows, c, x.storage.base, mean.storage.base, variance.storage.base)
    // Per channel, as the general path: inv = γ/√(σ² + ε), shift = β − μ·inv.
    let inv = Tensor(uninitializedShape: [c]), shift = Tensor(uninitializedShape: [c])
    for j in 0..<c {
        var i = 1 / (variance.storage.base[j] + epsilon).squareRoot()
        if let scale { i *= scale.storage.base[j] }
        inv.storage.base[j] = i
        let m = mean.storage.base[j] * i
        shift.storage.base[j] = offset.map { $0.storage.base[j] - m } ?? -m
    }
    let output = Tensor(uninitializedShape: x.shape)
    cnorm_affine(rows, c, x.storage.base, inv.storage.base, nil, nil, nil, shift.storage.base, output.storage.base)
    withExtendedLifetime((x, scale, offset)) {}
    if let tape = GradientTape.active {
        tape.record("batch_normalization", outputs: [output, mean, variance], [x, scale, offset]) { gradients, needed in
            batchNormalizationGradients(gradients, x: x, mean: mean, variance: variance, scale: scale,
                                        epsilon: epsilon, needed: needed)
        }
    }
    return (output, mean, variance)
}

/// The gradients of ``batchNormalizationInTraining(_:scale:offset:epsilon:)`` with respect to `x`,
/// `scale` and `offset` from those of its output, mean and variance (each possibly nil):
/// with x̂ = (x − μ)·inv, inv = 1/√(σ² + ε) and N rows,
///
///     dβ = Σ dy,  dγ = Σ dy·x̂,
///     dx = γ·inv·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) + dμ/N + dσ²·2(x − μ)/N
private func batchNormalizationGradients(_ gradients: [Tensor?], x: Tensor, mean: Tensor, variance: Tensor,
                                         scale: Tensor?, epsilon: Float, needed: [Bool]) -> [Tensor?] {
    let c = mean.scalarCount, rows = x.scalarCount / c, n = Double(rows)
    let dy = gradients[0] ?? {
        let zeros = Tensor(uninitializedShape: x.shape)
        zeros.storage.base.update(repeating: 0, count: zeros.scalarCount)
        return zeros
    }()
    var sumG = [Double](repeating: 0, count: c), sumGX = [Double](repeating: 0, count: c)
    cnorm_gradient_sums(rows, c, x.storage.base, dy.storage.base, mean.storage.base, &sumG, &sumGX)
    let dScale = Tensor(uninitializedShape: [c]), dOffset = Tensor(uninitializedShape: [c])
    // dx = k1·dy + (x − μ)·k2 + k0.
    let k1 = Tensor(uninitializedShape: [c]), k2 = Tensor(uninitializedShape: [c]), k0 = Tensor(uninitializedShape: [c])
    let dMean = gradients[1]?.storage.base, dVariance = gradients[2]?.storage.base
    for j in 0..<c {
        let inv = 1 / (Double(variance.storage.base[j]) + Double(epsilon)).squareRoot()
        let gamma = scale.map { Double($0.storage.base[j]) } ?? 1
        dOffset.storage.base[j] = Float(sumG[j])
        dScale.storage.base[j] = Float(sumGX[j] * inv)
        k1.storage.base[j] = Float(gamma * inv)
        k2.storage.base[j] = Float(-gamma * inv * inv * inv * sumGX[j] / n + 2 * Double(dVariance?[j] ?? 0) / n)
        k0.storage.base[j] = Float(-gamma * inv * sumG[j] / n + Double(dMean?[j] ?? 0) / n)
    }
    var dx: Tensor?
    if needed[0] {
        let out = Tensor(uninitializedShape: x.shape)
        cnorm_affine(rows, c, dy.storage.base, k1.storage.base, x.storage.base, mean.storage.base,
                     k2.storage.base, k0.storage.base, out.storage.base)
        dx = out
    }
    withExtendedLifetime((x, dy, mean, gradients)) {}
    return [dx, needed[1] ? dScale : nil, needed[2] ? dOffset : nil]
}
