/// Reductions of integer tensors, as TensorFlow's int32 and int64 kernels compute
/// them: sums and products wrap around, the mean is the sum divided by the count
/// truncated toward zero (0 over an empty axis), the maximum of nothing is the
/// smallest integer and the minimum the largest.

public func reduceSum<S>(_ x: IntegerTensor<S>, axes: [Int]? = nil, keepDims: Bool = false) throws -> IntegerTensor<S> {
    try reduceIntegers(x, axes: axes, keepDims: keepDims, op: "reduceSum", start: 0) { $0 &+ $1 }.result
}

public func reduceMean<S>(_ x: IntegerTensor<S>, axes: [Int]? = nil, keepDims: Bool = false) throws -> IntegerTensor<S> {
    let (sum, count) = try reduceIntegers(x, axes: axes, keepDims: keepDims, op: "reduceMean", start: 0) { $0 &+ $1 }
    guard count > 0, let divisor = S(exactly: count) else { return sum.zeroed() }
    // The sum was made here: no other tensor shares its buffer.
    for i in 0..<sum.scalarCount { sum.storage.base[i] /= divisor }
    return sum
}

public func reduceMax<S>(_ x: IntegerTensor<S>, axes: [Int]? = nil, keepDims: Bool = false) throws -> IntegerTensor<S> {
    try reduceIntegers(x, axes: axes, keepDims: keepDims, op: "reduceMax", start: .min) { Swift.max($0, $1) }.result
}

public func reduceMin<S>(_ x: IntegerTensor<S>, axes: [Int]? = nil, keepDims: Bool = false) throws -> IntegerTensor<S> {
    try reduceIntegers(x, axes: axes, keepDims: keepDims, op: "reduceMin", start: .max) { Swift.min($0, $1) }.result
}

public func reduceProd<S>(_ x: IntegerTensor<S>, axes: [Int]? = nil, keepDims: Bool = false) throws -> IntegerTensor<S> {
    try reduceIntegers(x, axes: axes, keepDims: keepDims, op: "reduceProd", start: 1) { $0 &* $1 }.result
}

/// `tf.nn.moments` of integers: the mean, and the mean of the squared differences from it, in integers.
public func moments<S>(_ x: IntegerTensor<S>, axes: [Int], keepDims: Bool = false) throws -> (mean: IntegerTensor<S>, variance: IntegerTensor<S>) {
    let mean = try reduceMean(x, axes: axes, keepDims: true)
    let variance = try reduceMean(squaredDifference(x, mean), axes: axes, keepDims: keepDims)
    return (keepDims ? mean : try reduceMean(x, axes: axes, keepDims: false), variance)
}

/// The index of the largest entry along `axis` (the first of equals), as `tf.math.argmax`.
public func argmax<S>(_ x: IntegerTensor<S>, axis: Int = -1) throws -> IndexTensor {
    try argExtreme(x, axis: axis, op: "argmax", before: >)
}

/// The index of the smallest entry along `axis` (the first of equals), as `tf.math.argmin`.
public func argmin<S>(_ x: IntegerTensor<S>, axis: Int = -1) throws -> IndexTensor {
    try argExtreme(x, axis: axis, op: "argmin", before: <)
}

private func argExtreme<S>(_ x: IntegerTensor<S>, axis: Int, op: String, before: @escaping (S, S) -> Bool) throws -> IndexTensor {
    try argExtreme(x.shape, x.storage.base, axis: axis, op: op, wins: before)
}

extension IntegerTensor {
    /// Zeros of the same shape.
    fileprivate func zeroed() -> IntegerTensor {
        IntegerTensor(shape: shape, storage: TensorBuffer(repeating: 0, count: scalarCount))
    }
}

/// Every element combined into the entry of its kept dimensions, from `start`; and how many
/// elements each entry combines.
private func reduceIntegers<S>(_ x: IntegerTensor<S>, axes: [Int]?, keepDims: Bool, op: String, start: S,
                               _ combine: (S, S) -> S) throws -> (result: IntegerTensor<S>, count: Int) {
    let reduced = Set(try normalizeAxes(axes, rank: x.rank, op: op, shape: x.shape))
    let kept = x.shape.indices.filter { !reduced.contains($0) }
    let keptStrides = rowMajorStrides(kept.map { x.shape[$0] })
    let shape = keepDims ? x.shape.indices.map { reduced.contains($0) ? 1 : x.shape[$0] } : kept.map { x.shape[$0] }
    let count = reduced.reduce(1) { $0 * x.shape[$1] }
    let result = IntegerTensor<S>(shape: shape, storage: TensorBuffer(repeating: start, count: elementCount(of: shape)))
    let src = x.storage.base, dst = result.storage.base
    if x.scalarCount > 0 {
        forEachIndex(of: x.shape) { flat, index in
            var target = 0
            for (position, dimension) in kept.enumerated() { target += index[dimension] * keptStrides[position] }
            dst[target] = combine(dst[target], src[flat])
        }
    }
    return (result, count)
}
