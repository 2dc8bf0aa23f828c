/// Batch normalization primitives, as `tf.nn.batch_normalization` and `tf.nn.moments`.

/// Normalizes `x` with the given statistics (`tf.nn.batch_normalization`):
/// `scale · (x − mean) / √(variance + epsilon) + offset`, computed the way
/// TensorFlow does, as `x · inv + (offset − mean · inv)` with
/// `inv = scale / √(variance + epsilon)`.
///
/// `mean`, `variance`, `offset` and `scale` broadcast against `x`; usually they
/// are `[channels]` for the last axis, which takes a single fused pass.
public func batchNormalization(_ x: Tensor, mean: Tensor, variance: Tensor,
                               offset: Tensor? = nil, scale: Tensor? = nil,
                               epsilon: Float) throws -> Tensor {
    var inv = rsqrt(variance + epsilon)
    if let scale { inv = try multiply(inv, scale) }
    let shift = try offset.map { try subtract($0, multiply(mean, inv)) } ?? -(try multiply(mean, inv))
    let channels = x.shape.last ?? 0
    // The fused pass is not recorded: when differentiated, the product and sum below are.
    let differentiated = GradientTape.active?.follows(x, mean, variance, offset, scale) ?? false
    if x.rank >= 1, inv.shape == [channels], shift.shape == [channels], !differentiated {
        let out = Tensor(uninitializedShape: x.shape)
        let src = x.storage.base, dst = out.storage.base
        let ip = inv.storage.base, sp = shift.storage.base
        let rows = channels == 0 ? 0 : x.scalarCount / channels
        for r in 0..<rows {
            let s = src + r * channels, d = dst + r * channels
            for j in 0..<channels { d[j] = s[j] * ip[j] + sp[j] }
        }
        return out
    }
    do {
        return try add(multiply(x, inv), shift)
    } catch {
        throw TensorError(op: "batchNormalization", shapes: [x.shape, mean.shape],
                          reason: "do not fit: the statistics must broadcast against the input")
    }
}

/// Mean and (biased) variance over `axes`, as `tf.nn.moments`:
/// `variance = mean((x − mean)²)`.
public func moments(_ x: Tensor, axes: [Int], keepDims: Bool = false) throws -> (mean: Tensor, variance: Tensor) {
    let mean = try reduceMean(x, axes: axes, keepDims: true)
    let variance = try reduceMean(squaredDifference(x, mean), axes: axes, keepDims: keepDims)
    return (keepDims ? mean : try squeeze(mean, axes: axes), variance)
}

/// The batch statistics of a batch-normalization layer in training: mean and
/// variance over every axis but the last (channels), each of shape `[channels]`.
public func batchMoments(_ x: Tensor) throws -> (mean: Tensor, variance: Tensor) {
    guard x.rank >= 1 else {
        throw TensorError(op: "batchMoments", shapes: [x.shape], reason: "has no channel axis")
    }
    return try moments(x, axes: Array(0..<(x.rank - 1)))
}

/// `x / √max(Σx², epsilon)` over `axes` (all when nil), as `tf.math.l2_normalize`.
public func l2Normalize(_ x: Tensor, axes: [Int]? = nil, epsilon: Float = 1e-12) throws -> Tensor {
    let sum = try reduceSum(square(x), axes: axes, keepDims: true)
    return try multiply(x, rsqrt(maximum(sum, Tensor(epsilon))))
}

/// Layer normalization over `axes` (Keras's `LayerNormalization`): each example
/// normalized by its own mean and (biased) variance over those axes, then
/// `scale` and `offset`, which have the input's sizes along `axes` (in order).
public func layerNormalization(_ x: Tensor, axes: [Int], scale: Tensor? = nil, offset: Tensor? = nil,
                               epsilon: Float = 0.001) throws -> Tensor {
    let rank = x.rank
    let resolved = try axes.map { axis in
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else {
            throw TensorError(op: "layerNormalization", shapes: [x.shape], reason: "has no axis \(axis)")
        }
        return a
    }.sorted()
    let (mean, variance) = try moments(x, axes: resolved, keepDims: true)
    // The parameters broadcast with 1 along the other axes.
    var parameterShape = [Int](repeating: 1, count: rank)
    for axis in resolved { parameterShape[axis] = x.shape[axis] }
    return try batchNormalization(x, mean: mean, variance: variance,
                                  offset: offset.map { try reshape($0, parameterShape) },
                                  scale: scale.map { try reshape($0, parameterShape) }, epsilon: epsilon)
}
