/// TensorFlow's integer kernels for `IndexTensor` (int32) and `Int64Tensor` (int64):
/// elementwise arithmetic with NumPy broadcasting, wrapping around on overflow
/// (two's complement), as TensorFlow's int32 and int64 kernels do.
///
///     let next = try add(ids, IndexTensor(1))     // tf.add(ids, 1): int32
///     let total = try reduceSum(counts)            // int32, as tf.reduce_sum

public func add<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "add") { $0 &+ $1 }
}

public func subtract<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "subtract") { $0 &- $1 }
}

public func multiply<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "multiply") { $0 &* $1 }
}

public func maximum<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "maximum") { Swift.max($0, $1) }
}

public func minimum<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "minimum") { Swift.min($0, $1) }
}

public func squaredDifference<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    try broadcastIntegers(a, b, op: "squared_difference") { ($0 &- $1) &* ($0 &- $1) }
}

/// `tf.math.pow` of integers: repeated multiplication, wrapping around.
/// - Throws: `TensorError` for a negative exponent, as TensorFlow refuses it.
public func pow<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>) throws -> IntegerTensor<S> {
    if b.scalars.contains(where: { $0 < 0 }) {
        throw TensorError(op: "pow", shapes: [a.shape, b.shape], reason: "raises integers to a negative power, which TensorFlow does not allow")
    }
    return try broadcastIntegers(a, b, op: "pow") { base, exponent in
        var result: S = 1, factor = base, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result &* factor }
            factor = factor &* factor
            e >>= 1
        }
        return result
    }
}

/// `tf.math.abs`: the smallest integer stays itself, as in TensorFlow.
public func abs<S>(_ x: IntegerTensor<S>) -> IntegerTensor<S> { mapIntegers(x) { $0 < 0 ? 0 &- $0 : $0 } }

public func negative<S>(_ x: IntegerTensor<S>) -> IntegerTensor<S> { mapIntegers(x) { 0 &- $0 } }

public func square<S>(_ x: IntegerTensor<S>) -> IntegerTensor<S> { mapIntegers(x) { $0 &* $0 } }

public func relu<S>(_ x: IntegerTensor<S>) -> IntegerTensor<S> { mapIntegers(x) { Swift.max($0, 0) } }

public func relu6<S>(_ x: IntegerTensor<S>) -> IntegerTensor<S> { mapIntegers(x) { Swift.min(Swift.max($0, 0), 6) } }

/// `tf.nn.bias_add` of integers: `bias` (the last dimension's size) added to every row.
public func biasAdd<S>(_ x: IntegerTensor<S>, _ bias: IntegerTensor<S>) throws -> IntegerTensor<S> {
    guard x.rank >= 1, bias.shape == [x.shape[x.rank - 1]] else {
        throw TensorError(op: "biasAdd", shapes: [x.shape, bias.shape], reason: "do not fit: the bias must be [last dimension]")
    }
    return try add(x, bias)
}

/// `tf.linalg.matmul` of integers (`[..., m, k] x [..., k, n]`, batch dimensions broadcast),
/// sums wrapping around.
public func matmul<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>, transposeA: Bool = false,
                      transposeB: Bool = false) throws -> IntegerTensor<S> {
    let a = transposeA ? try swapLastAxes(a) : a, b = transposeB ? try swapLastAxes(b) : b
    guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
        throw TensorError(op: "matmul", shapes: [a.shape, b.shape], reason: "do not fit: [..., m, k] x [..., k, n] needs equal inner sizes")
    }
    let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
    let batch = try broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
    let plan = BroadcastPlan(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), outShape: batch)
    return try IntegerTensor(shape: batch + [m, n]) { dst in
        guard !dst.isEmpty else { return }
        let pa = a.storage.base, pb = b.storage.base
        plan.forEachRun { ao, bo, oo, count, sa, sb in
            for item in 0..<count {
                let left = pa + (ao + item * sa) * m * k, right = pb + (bo + item * sb) * k * n
                let out = (oo + item) * m * n
                for i in 0..<m {
                    for j in 0..<n {
                        var sum: S = 0
                        for l in 0..<k { sum = sum &+ left[i * k + l] &* right[l * n + j] }
                        dst[out + i * n + j] = sum
                    }
                }
            }
        }
    }
}

/// The last two axes exchanged (matmul's `transpose_a`/`transpose_b`).
private func swapLastAxes<S>(_ x: IntegerTensor<S>) throws -> IntegerTensor<S> {
    guard x.rank >= 2 else { return x }
    var perm = Array(0..<x.rank)
    perm.swapAt(x.rank - 1, x.rank - 2)
    return try transpose(x, perm: perm)
}

/// `f` of each element.
private func mapIntegers<S>(_ x: IntegerTensor<S>, _ f: (S) -> S) -> IntegerTensor<S> {
    // Cannot fail: the shape is x's.
    try! IntegerTensor(shape: x.shape) { dst in
        let src = x.storage.base
        for i in dst.indices { dst[i] = f(src[i]) }
    }
}

/// `f` of the elements of two tensors broadcast against each other.
private func broadcastIntegers<S>(_ a: IntegerTensor<S>, _ b: IntegerTensor<S>, op: String,
                                  _ f: (S, S) -> S) throws -> IntegerTensor<S> {
    let shape = a.shape == b.shape ? a.shape : try broadcastShape(a.shape, b.shape, op: op)
    return try IntegerTensor(shape: shape) { dst in
        guard !dst.isEmpty else { return }
        let pa = a.storage.base, pb = b.storage.base
        BroadcastPlan(a.shape, b.shape, outShape: shape).forEachRun { ao, bo, oo, n, sa, sb in
            for i in 0..<n { dst[oo + i] = f(pa[ao + i * sa], pb[bo + i * sb]) }
        }
    }
}
