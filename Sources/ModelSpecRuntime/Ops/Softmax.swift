import Foundation

/// `exp(x) / sum(exp(x))` along `axis` (`tf.nn.softmax`), computed as
/// `exp(x - max)` so that large logits (1e4 and beyond) do not overflow.
public func softmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    try softmaxLike(x, axis: axis, op: "softmax", log: false)
}

/// `x - log(sum(exp(x)))` along `axis` (`tf.nn.log_softmax`), numerically stable.
public func logSoftmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    try softmaxLike(x, axis: axis, op: "logSoftmax", log: true)
}

func softmaxLike(_ x: Tensor, axis: Int, op: String, log: Bool) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: op, shape: x.shape)
    let outer = product(x.shape, 0..<a), n = x.shape[a], inner = product(x.shape, (a + 1)..<x.rank)
    let out = Tensor(uninitializedShape: x.shape)
    let src = x.storage.base, dst = out.storage.base
    // Each (o, j) is one softmax over n scalars `stride` apart.
    for o in 0..<outer {
        for j in 0..<inner {
            let s = src + o * n * inner + j, d = dst + o * n * inner + j
            let st = inner
            var m = -Float.infinity
            for i in 0..<n { m = Swift.max(m, s[i * st]) }
            var sum: Float = 0
            for i in 0..<n {
                let e = Foundation.expf(s[i * st] - m)
                if !log { d[i * st] = e }
                sum += e
            }
            if log {
                let l = Foundation.logf(sum)
                for i in 0..<n { d[i * st] = (s[i * st] - m) - l }
            } else {
                for i in 0..<n { d[i * st] /= sum }
            }
        }
    }
    return out
}
