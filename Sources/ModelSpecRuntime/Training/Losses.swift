import Foundation

/// The losses of `tf.compat.v1.losses`, with TensorFlow's weights and reductions.
/// Each is recorded on a recording ``GradientTape`` with TensorFlow's gradient.
///
///     let loss = try Losses.sparseSoftmaxCrossEntropy(labels: labels, logits: logits)
///     let total = try Losses.total(loss, regularization: model.losses)   // tf.compat.v1.losses.get_total_loss()
public enum Losses {
    /// `tf.compat.v1.losses.Reduction`.
    public enum Reduction: String, Sendable, CaseIterable {
        /// The weighted losses, unreduced.
        case none
        /// Their sum.
        case sum
        /// Their sum divided by the sum of the weights (0 when that is 0).
        case mean
        /// Their sum divided by the number of loss elements.
        case sumOverBatchSize = "sum_over_batch_size"
        /// Their sum divided by the number of non-zero weights (broadcast to the losses' shape), 0 when
        /// there is none: the default of every `tf.compat.v1.losses` function.
        case sumByNonzeroWeights = "sum_by_nonzero_weights"
    }

    /// `tf.compat.v1.losses.softmax_cross_entropy`: `−Σ labels·log softmax(logits)` over the last axis
    /// for each example, with `label_smoothing` mixing the labels with the uniform distribution
    /// (`labels·(1 − s) + s/classes`). As in TensorFlow, no gradient flows to the labels.
    public static func softmaxCrossEntropy(onehotLabels labels: Tensor, logits: Tensor, weights: Tensor? = nil,
                                           labelSmoothing: Float = 0,
                                           reduction: Reduction = .sumByNonzeroWeights) throws -> Tensor {
        guard labels.shape == logits.shape, logits.rank >= 1 else {
            throw TensorError(op: "softmaxCrossEntropy", shapes: [labels.shape, logits.shape],
                              reason: "do not fit: labels and logits need one shape with a class axis")
        }
        var smoothed = stopGradient(labels)
        if labelSmoothing > 0 {
            let classes = Float(logits.shape[logits.rank - 1])
            smoothed = smoothed * (1 - labelSmoothing) + labelSmoothing / classes
        }
        return try reduce(softmaxCrossEntropyWithLogits(labels: smoothed, logits: logits), weights: weights, reduction)
    }

    /// `tf.compat.v1.losses.sparse_softmax_cross_entropy`: `−log softmax(logits)[label]` for each example.
    /// Weights of the logits' rank whose last dimension is 1 are taken without it, as TensorFlow does.
    public static func sparseSoftmaxCrossEntropy(labels: IndexTensor, logits: Tensor, weights: Tensor? = nil,
                                                 reduction: Reduction = .sumByNonzeroWeights) throws -> Tensor {
        var weights = weights
        if let w = weights, w.rank == labels.rank + 1, w.shape.last == 1 { weights = w.viewed(as: Array(w.shape.dropLast())) }
        return try reduce(sparseSoftmaxCrossEntropyWithLogits(labels: labels, logits: logits), weights: weights, reduction)
    }

    /// `tf.compat.v1.losses.sigmoid_cross_entropy`, elementwise, with `label_smoothing`
    /// (`labels·(1 − s) + s/2`).
    public static func sigmoidCrossEntropy(multiClassLabels labels: Tensor, logits: Tensor, weights: Tensor? = nil,
                                           labelSmoothing: Float = 0,
                                           reduction: Reduction = .sumByNonzeroWeights) throws -> Tensor {
        let smoothed = labelSmoothing > 0 ? labels * (1 - labelSmoothing) + 0.5 * labelSmoothing : labels
        return try reduce(sigmoidCrossEntropyWithLogits(labels: smoothed, logits: logits), weights: weights, reduction)
    }

    /// `tf.compat.v1.losses.mean_squared_error`: `(predictions − labels)²`, elementwise, then reduced.
    public static func meanSquaredError(labels: Tensor, predictions: Tensor, weights: Tensor? = nil,
                                        reduction: Reduction = .sumByNonzeroWeights) throws -> Tensor {
        guard labels.shape == predictions.shape else {
            throw TensorError(op: "meanSquaredError", shapes: [labels.shape, predictions.shape], reason: "differ")
        }
        return try reduce(squaredDifference(predictions, labels), weights: weights, reduction)
    }

    /// `tf.compat.v1.losses.get_total_loss()`: the losses and the regularization losses, summed.
    public static func total(_ losses: Tensor..., regularization: [Tensor] = []) throws -> Tensor {
        try (losses + regularization).reduce(Tensor(0)) { try add($0, reduceSum($1)) }
    }

    /// `compute_weighted_loss`: the losses times the weights, reduced. The weights are a scalar or
    /// have the losses' rank with each dimension 1 or the losses' (`weights_broadcast_ops`).
    static func reduce(_ losses: Tensor, weights: Tensor?, _ reduction: Reduction) throws -> Tensor {
        if let weights, weights.rank > 0, weights.rank != losses.rank
            || zip(weights.shape, losses.shape).contains(where: { $0 != 1 && $0 != $1 }) {
            throw TensorError(op: "losses", shapes: [losses.shape, weights.shape],
                              reason: "do not fit: the weights must be a scalar or have the losses' rank, each dimension 1 or the losses'")
        }
        let weighted = try weights.map { try multiply(losses, $0) } ?? losses
        switch reduction {
        case .none:
            return weighted
        case .sum:
            return try reduceSum(weighted)
        case .mean:
            guard let weights else { return try safeDivide(reduceSum(weighted), Float(losses.scalarCount)) }
            // div_no_nan by the weights' sum, a recorded tensor: the weights get TensorFlow's gradient.
            let total = try reduceSum(multiply(Tensor(shape: losses.shape, repeating: 1), weights))
            return total.scalar == 0 ? try reduceSum(weighted) * 0 : try divide(reduceSum(weighted), total)
        case .sumOverBatchSize:
            return try safeDivide(reduceSum(weighted), Float(losses.scalarCount))
        case .sumByNonzeroWeights:
            let present = try weights.map { w in
                try multiply(Tensor(shape: losses.shape, repeating: 1), w).scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            } ?? losses.scalarCount
            return try safeDivide(reduceSum(weighted), Float(present))
        }
    }

    /// `div_no_nan` by a count: 0 when it is 0.
    private static func safeDivide(_ total: Tensor, _ count: Float) throws -> Tensor {
        count == 0 ? total * 0 : total / count
    }
}

/// `tf.nn.softmax_cross_entropy_with_logits` over the last axis: one loss per example; the
/// gradient is TensorFlow's, `softmax(logits) − labels` for the logits and `−log softmax(logits)`
/// for the labels.
public func softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor) throws -> Tensor {
    guard labels.shape == logits.shape, let classes = logits.shape.last else {
        throw TensorError(op: "softmaxCrossEntropyWithLogits", shapes: [labels.shape, logits.shape],
                          reason: "do not fit: labels and logits need one shape with a class axis")
    }
    let logProbabilities = try GradientTape.$current.withValue(nil) { try logSoftmax(logits) }
    let rows = classes == 0 ? 0 : logits.scalarCount / classes
    let out = Tensor(uninitializedShape: Array(logits.shape.dropLast()))
    let pl = labels.storage.base, pp = logProbabilities.storage.base
    for r in 0..<rows {
        var total = 0.0
        for j in 0..<classes { total -= Double(pl[r * classes + j]) * Double(pp[r * classes + j]) }
        out.storage.base[r] = Float(total)
    }
    if let tape = GradientTape.active {
        tape.record("softmaxCrossEntropyWithLogits", out, [labels, logits]) { g, needed in
            let perRow = g.viewed(as: Array(logits.shape.dropLast()) + [1])
            let probabilities = exp(logProbabilities)
            return [needed[0] ? try multiply(negative(logProbabilities), perRow) : nil,
                    needed[1] ? try multiply(subtract(probabilities, labels), perRow) : nil]
        }
    }
    return out
}

/// `tf.nn.sparse_softmax_cross_entropy_with_logits`: `−log softmax(logits)[label]` for each
/// example; the gradient is `softmax(logits) − onehot(label)`.
/// - Throws: `TensorError` when a label is outside `0 ..< classes` (as TensorFlow does on CPU).
public func sparseSoftmaxCrossEntropyWithLogits(labels: IndexTensor, logits: Tensor) throws -> Tensor {
    guard logits.rank >= 1, labels.shape == Array(logits.shape.dropLast()) else {
        throw TensorError(op: "sparseSoftmaxCrossEntropyWithLogits", shapes: [labels.shape, logits.shape],
                          reason: "do not fit: the labels need the logits' shape without the class axis")
    }
    let classes = logits.shape[logits.rank - 1]
    let ids = labels.scalars
    if let bad = ids.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
        throw TensorError(op: "sparseSoftmaxCrossEntropyWithLogits", shapes: [labels.shape, logits.shape],
                          reason: "do not fit: label \(ids[bad]) at position \(bad) is outside [0, \(classes))")
    }
    let logProbabilities = try GradientTape.$current.withValue(nil) { try logSoftmax(logits) }
    let out = Tensor(uninitializedShape: labels.shape)
    for (r, id) in ids.enumerated() { out.storage.base[r] = -logProbabilities.storage.base[r * classes + Int(id)] }
    if let tape = GradientTape.active {
        tape.record("sparseSoftmaxCrossEntropyWithLogits", out, [logits]) { g, _ in
            let result = exp(logProbabilities)
            let p = result.storage.base, pg = g.storage.base
            for (r, id) in ids.enumerated() {
                p[r * classes + Int(id)] -= 1
                for j in 0..<classes { p[r * classes + j] *= pg[r] }
            }
            return [result]
        }
    }
    return out
}

/// `tf.nn.sigmoid_cross_entropy_with_logits`, elementwise, computed as TensorFlow does:
/// `max(x, 0) − x·z + log(1 + e^−|x|)`; the gradient is `sigmoid(x) − z` for the logits and
/// `−x` for the labels.
public func sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor) throws -> Tensor {
    guard labels.shape == logits.shape else {
        throw TensorError(op: "sigmoidCrossEntropyWithLogits", shapes: [labels.shape, logits.shape], reason: "differ")
    }
    let out = zipMap(logits, labels) { x, z in Swift.max(x, 0) - x * z + Foundation.log1pf(Foundation.expf(-Swift.abs(x))) }
    if let tape = GradientTape.active {
        tape.record("sigmoidCrossEntropyWithLogits", out, [labels, logits]) { g, needed in
            [needed[0] ? zipMap(g, logits) { -$0 * $1 } : nil,
             needed[1] ? zipMap(g, logits, labels) { g, x, z in g * (1 / (1 + Foundation.expf(-x)) - z) } : nil]
        }
    }
    return out
}
