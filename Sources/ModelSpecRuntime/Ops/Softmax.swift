import Foundation

/// `exp(x) / sum(exp(x))` along `axis` (`tf.nn.softmax`), computed as
/// TensorFlow does: `e = exp(x − max)`, then `e · (1 / sum(e))`, so that large
/// logits (1e4 and beyond) neither overflow nor lose the result.
public func softmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    let out = try softmaxLike(x, axis: axis, op: "softmax", log: false)
    if let tape = GradientTape.active {
        let (outer, n, inner) = try softmaxGroups(x.shape, axis: axis)
        // (g − Σ g·y) · y along the axis.
        tape.record("softmax", out, [x]) { g, _ in [softmaxBackward(g, out, outer: outer, n: n, inner: inner)] }
    }
    return out
}

/// `(x − max) − log(sum(exp(x − max)))` along `axis` (`tf.nn.log_softmax`).
public func logSoftmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    let out = try softmaxLike(x, axis: axis, op: "logSoftmax", log: true)
    if let tape = GradientTape.active {
        let (outer, n, inner) = try softmaxGroups(x.shape, axis: axis)
        // g − eʸ · Σ g along the axis.
        tape.record("logSoftmax", out, [x]) { g, _ in
            [groupBackward(g, out, outer: outer, n: n, inner: inner) { g, y, sums in g - Foundation.expf(y) * sums.0 }]
        }
    }
    return out
}

/// The sizes around a softmax axis: groups, the axis, the contiguous inner block.
func softmaxGroups(_ shape: [Int], axis: Int) throws -> (outer: Int, n: Int, inner: Int) {
    let a = try normalizeAxis(axis, rank: shape.count, op: "softmax", shape: shape)
    return (product(shape, 0..<a), shape[a], product(shape, (a + 1)..<shape.count))
}

/// The gradient of softmax from its output `y`: `(g − Σ g·y) · y` along the axis.
func softmaxBackward(_ g: Tensor, _ y: Tensor, outer: Int, n: Int, inner: Int) -> Tensor {
    groupBackward(g, y, outer: outer, n: n, inner: inner) { g, y, sums in (g - sums.1) * y }
}

/// For each group along the axis, the sums Σg and Σg·y, then `rule(g, y, sums)` per element.
private func groupBackward(_ g: Tensor, _ y: Tensor, outer: Int, n: Int, inner: Int,
                           _ rule: (Float, Float, (Float, Float)) -> Float) -> Tensor {
    let out = Tensor(uninitializedShape: y.shape)
    let pg = g.storage.base, py = y.storage.base, po = out.storage.base
    for o in 0..<outer {
        for j in 0..<inner {
            var sum = 0.0, dot = 0.0
            for i in 0..<n {
                let k = (o * n + i) * inner + j
                sum += Double(pg[k]); dot += Double(pg[k]) * Double(py[k])
            }
            let sums = (Float(sum), Float(dot))
            for i in 0..<n {
                let k = (o * n + i) * inner + j
                po[k] = rule(pg[k], py[k], sums)
            }
        }
    }
    return out
}

func softmaxLike(_ x: Tensor, axis: Int, op: String, log: Bool) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: op, shape: x.shape)
    let outer = product(x.shape, 0..<a), n = x.shape[a], inner = product(x.shape, (a + 1)..<x.rank)
    let out = Tensor(uninitializedShape: x.shape)
    if out.scalarCount == 0 { return out }
    let src = x.storage.base, dst = out.storage.base
    if inner == 1 {
        // The usual case, the last axis: each row is contiguous.
        for o in 0..<outer {
            let s = src + o * n, d = dst + o * n
            var m = -Float.infinity
            for i in 0..<n { m = Swift.max(m, s[i]) }
            for i in 0..<n { d[i] = s[i] - m }
            finishRow(d, n, log: log)
        }
        return out
    }
    // Another axis: rows of `inner` scalars, n of them per softmax group;
    // every loop runs along the contiguous inner dimension.
    let m = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    let sum = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    defer { m.deallocate(); sum.deallocate() }
    for o in 0..<outer {
        let s = src + o * n * inner, d = dst + o * n * inner
        m.update(repeating: -.infinity, count: inner)
        for i in 0..<n {
            let row = s + i * inner
            for j in 0..<inner { m[j] = Swift.max(m[j], row[j]) }
        }
        for i in 0..<n {
            let row = s + i * inner, drow = d + i * inner
            for j in 0..<inner { drow[j] = row[j] - m[j] }
        }
        if log {
            // Keep x − max in the output, exponentiate into a scratch copy for the sums.
            let e = UnsafeMutablePointer<Float>.allocate(capacity: n * inner)
            defer { e.deallocate() }
            vectorExp(d, e, n * inner)
            sum.update(repeating: 0, count: inner)
            for i in 0..<n { for j in 0..<inner { sum[j] += e[i * inner + j] } }
            for j in 0..<inner { sum[j] = Foundation.logf(sum[j]) }
            for i in 0..<n { for j in 0..<inner { d[i * inner + j] -= sum[j] } }
        } else {
            vectorExp(d, d, n * inner)
            sum.update(repeating: 0, count: inner)
            for i in 0..<n { for j in 0..<inner { sum[j] += d[i * inner + j] } }
            for j in 0..<inner { sum[j] = 1 / sum[j] }
            for i in 0..<n { for j in 0..<inner { d[i * inner + j] *= sum[j] } }
        }
    }
    return out
}

/// Turns a contiguous row of `x − max` into softmax or log-softmax in place.
@inline(__always)
func finishRow(_ d: UnsafeMutablePointer<Float>, _ n: Int, log: Bool) {
    if log {
        var total: Float = 0
        for i in 0..<n { total += fastExp(d[i]) }
        let l = Foundation.logf(total)
        for i in 0..<n { d[i] -= l }
    } else {
        vectorExp(d, d, n)
        var total: Float = 0
        for i in 0..<n { total += d[i] }
        let inverse = 1 / total
        for i in 0..<n { d[i] *= inverse }
    }
}
