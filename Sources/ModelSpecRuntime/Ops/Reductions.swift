/// Reductions over axes: sum, mean, max, min and product, as `tf.math.reduce_*`.
///
/// Sums accumulate in double precision, so long reductions stay within float
/// rounding of the exact result.

/// The sum over `axes` (all when nil); reduced axes are kept as size 1 when `keepDims`.
public func reduceSum(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
    try reduce(x, axes: axes, keepDims: keepDims, kind: .sum, op: "reduceSum")
}

/// The mean over `axes` (all when nil).
public func reduceMean(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
    try reduce(x, axes: axes, keepDims: keepDims, kind: .mean, op: "reduceMean")
}

/// The maximum over `axes` (all when nil); -inf over an empty axis.
public func reduceMax(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
    try reduce(x, axes: axes, keepDims: keepDims, kind: .max, op: "reduceMax")
}

/// The minimum over `axes` (all when nil); +inf over an empty axis.
public func reduceMin(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
    try reduce(x, axes: axes, keepDims: keepDims, kind: .min, op: "reduceMin")
}

/// The product over `axes` (all when nil), accumulated in double precision; 1 over an empty axis.
public func reduceProd(_ x: Tensor, axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
    try reduce(x, axes: axes, keepDims: keepDims, kind: .prod, op: "reduceProd")
}

enum ReductionKind { case sum, mean, max, min, prod }

func reduce(_ x: Tensor, axes: [Int]?, keepDims: Bool, kind: ReductionKind, op: String) throws -> Tensor {
    let list = try normalizeAxes(axes, rank: x.rank, op: op, shape: x.shape)
    let reduced = Set(list)
    let outShape = keepDims
        ? x.shape.indices.map { reduced.contains($0) ? 1 : x.shape[$0] }
        : x.shape.indices.filter { !reduced.contains($0) }.map { x.shape[$0] }

    // Merge neighbouring axes that are both reduced or both kept.
    var groups: [(size: Int, reduced: Bool)] = []
    for (i, d) in x.shape.enumerated() {
        let r = reduced.contains(i)
        if let last = groups.last, last.reduced == r {
            groups[groups.count - 1].size *= d
        } else {
            groups.append((d, r))
        }
    }
    var count = 1
    for g in groups where g.reduced { count *= g.size }

    var current = x.storage
    // Reduce the innermost reduced group first, until none is left.
    while let g = groups.lastIndex(where: { $0.reduced }) {
        let outer = groups[..<g].reduce(1) { $0 * $1.size }
        let n = groups[g].size
        let inner = groups[(g + 1)...].reduce(1) { $0 * $1.size }
        let next = TensorBuffer<Float>(uninitializedCount: outer * inner)
        reduceGroupSplit(current.base, outer: outer, n: n, inner: inner, into: next.base, kind: kind)
        current = next
        groups.remove(at: g)
    }
    var out = Tensor(shape: outShape, storage: current === x.storage ? TensorBuffer(copying: current) : current)
    if kind == .mean {
        out.withUnsafeMutableBufferPointer { p in
            // Divide as TensorFlow does (sum / count); count 0 gives NaN.
            if count == 0 { for i in p.indices { p[i] = .nan } } else {
                let c = Float(count)
                for i in p.indices { p[i] /= c }
            }
        }
    }
    if let tape = GradientTape.active {
        let result = out
        tape.record("reduce", result, [x]) { g, _ in
            [try reductionBackward(g, x: x, y: result, axes: list, count: count, kind: kind)]
        }
    }
    return out
}

/// The gradient of a reduction over `axes` (normalized): the output's gradient repeated over each
/// group, divided by the count for a mean, to the maxima (minima) shared equally among ties as
/// TensorFlow does, and times the product of the other elements for a product.
private func reductionBackward(_ g: Tensor, x: Tensor, y: Tensor, axes: [Int], count: Int,
                               kind: ReductionKind) throws -> Tensor {
    let spread = try broadcast(g, to: x.shape, axes: axes)
    switch kind {
    case .sum:
        return spread
    case .mean:
        return spread / Float(count)
    case .max, .min:
        let chosen = zipMap(x, try broadcast(y, to: x.shape, axes: axes)) { $0 == $1 ? 1 : 0 }
        let ties = try broadcast(reduceSum(chosen, axes: axes, keepDims: true), to: x.shape, axes: axes)
        return zipMap(spread, chosen, ties) { g, c, t in c == 0 ? 0 : g / t }
    case .prod:
        // The reduced axes last, one row per group: each element's gradient is the product of
        // the others in its row (prefix · suffix, exact with zeros).
        let kept = (0..<x.rank).filter { !axes.contains($0) }
        let perm = kept + axes
        var inverse = perm
        for (i, p) in perm.enumerated() { inverse[p] = i }
        let rows = try transpose(x, perm: perm)
        let n = Swift.max(count, 1), groups = x.scalarCount / n
        let others = Tensor(uninitializedShape: rows.shape)
        let src = rows.storage.base, dst = others.storage.base
        for r in 0..<groups where count > 0 {
            var prefix: Float = 1
            for i in 0..<n { dst[r * n + i] = prefix; prefix *= src[r * n + i] }
            var suffix: Float = 1
            for i in stride(from: n - 1, through: 0, by: -1) { dst[r * n + i] *= suffix; suffix *= src[r * n + i] }
        }
        return try multiply(spread, transpose(others, perm: inverse))
    }
}

/// ``reduceGroup(_:outer:n:inner:into:kind:)`` split by `outer` across the kernel threads, four
/// parts a thread, when each part reads at least 64,000 values (each output computed as on one
/// thread).
private func reduceGroupSplit(_ src: UnsafePointer<Float>, outer: Int, n: Int, inner: Int,
                              into dst: UnsafeMutablePointer<Float>, kind: ReductionKind) {
    let parts = KernelThreads.parts(work: outer * n * inner, minimum: 64_000, limit: outer, perThread: 4)
    KernelThreads.run(parts: parts) { part in
        let rows = KernelThreads.share(part, of: parts, count: outer)
        reduceGroup(src + rows.lowerBound * n * inner, outer: rows.count, n: n, inner: inner,
                    into: dst + rows.lowerBound * inner, kind: kind)
    }
}

/// `dst[o, j] = reduce_i src[o, i, j]` for a contiguous `[outer, n, inner]` block.
func reduceGroup(_ src: UnsafePointer<Float>, outer: Int, n: Int, inner: Int,
                 into dst: UnsafeMutablePointer<Float>, kind: ReductionKind) {
    if kind == .max || kind == .min {
        let isMax = kind == .max
        for o in 0..<outer {
            let d = dst + o * inner
            d.update(repeating: isMax ? -.infinity : .infinity, count: inner)
            for i in 0..<n {
                let s = src + (o * n + i) * inner
                for j in 0..<inner {
                    let v = s[j]
                    if (isMax ? v > d[j] : v < d[j]) || v.isNaN { d[j] = v }
                }
            }
        }
        return
    }
    let product = kind == .prod
    if inner == 1, !product {
        for o in 0..<outer {
            let s = src + o * n
            // Four independent double accumulators (plain scalars: generic SIMD
            // code is not reliably vectorised).
            var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
            var i = 0
            while i + 4 <= n {
                a0 += Double(s[i]); a1 += Double(s[i + 1]); a2 += Double(s[i + 2]); a3 += Double(s[i + 3])
                i += 4
            }
            var total = (a0 + a1) + (a2 + a3)
            while i < n { total += Double(s[i]); i += 1 }
            dst[o] = Float(total)
        }
        return
    }
    let acc = UnsafeMutablePointer<Double>.allocate(capacity: inner)
    defer { acc.deallocate() }
    for o in 0..<outer {
        acc.update(repeating: product ? 1 : 0, count: inner)
        for i in 0..<n {
            let s = src + (o * n + i) * inner
            if product {
                for j in 0..<inner { acc[j] *= Double(s[j]) }
            } else {
                for j in 0..<inner { acc[j] += Double(s[j]) }
            }
        }
        let d = dst + o * inner
        for j in 0..<inner { d[j] = Float(acc[j]) }
    }
}
