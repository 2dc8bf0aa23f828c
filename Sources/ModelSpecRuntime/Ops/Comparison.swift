/// Elementwise comparisons with NumPy broadcasting (`tf.math.greater`, ...),
/// each a `BoolTensor`, and `select`, TensorFlow 2's `tf.where(condition, x, y)`.

/// `tf.math.greater`: `x > y`.
public func greater(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "greater") { $0 > $1 } }
/// `tf.math.greater_equal`: `x >= y`.
public func greaterEqual(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "greater_equal") { $0 >= $1 } }
/// `tf.math.less`: `x < y`.
public func less(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "less") { $0 < $1 } }
/// `tf.math.less_equal`: `x <= y`.
public func lessEqual(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "less_equal") { $0 <= $1 } }
/// `tf.math.equal`: `x == y` (NaN equals nothing).
public func equal(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "equal") { $0 == $1 } }
/// `tf.math.not_equal`: `x != y`.
public func notEqual(_ x: Tensor, _ y: Tensor) throws -> BoolTensor { try compare(x, y, op: "not_equal") { $0 != $1 } }

/// `tf.math.greater` of integers.
public func greater<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "greater", >) }
/// `tf.math.greater_equal` of integers.
public func greaterEqual<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "greater_equal", >=) }
/// `tf.math.less` of integers.
public func less<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "less", <) }
/// `tf.math.less_equal` of integers.
public func lessEqual<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "less_equal", <=) }
/// `tf.math.equal` of integers.
public func equal<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "equal", ==) }
/// `tf.math.not_equal` of integers.
public func notEqual<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>) throws -> BoolTensor { try compare(x, y, op: "not_equal", !=) }

/// `tf.math.equal` of booleans.
public func equal(_ x: BoolTensor, _ y: BoolTensor) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: "equal", ==)
}
/// `tf.math.not_equal` of booleans.
public func notEqual(_ x: BoolTensor, _ y: BoolTensor) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: "not_equal", !=)
}

/// `tf.math.logical_not`.
public func logicalNot(_ x: BoolTensor) -> BoolTensor {
    // Cannot fail: the shape is x's.
    try! BoolTensor(shape: x.shape) { dst in
        let src = x.storage.base
        for i in dst.indices { dst[i] = !src[i] }
    }
}

/// `tf.math.logical_and`, with broadcasting.
public func logicalAnd(_ x: BoolTensor, _ y: BoolTensor) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: "logical_and") { $0 && $1 }
}

/// `tf.math.logical_or`, with broadcasting.
public func logicalOr(_ x: BoolTensor, _ y: BoolTensor) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: "logical_or") { $0 || $1 }
}

private func compare(_ x: Tensor, _ y: Tensor, op: String, _ predicate: (Float, Float) -> Bool) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: op, predicate)
}

private func compare<S>(_ x: IntegerTensor<S>, _ y: IntegerTensor<S>, op: String, _ predicate: (S, S) -> Bool) throws -> BoolTensor {
    try broadcastElements(x.storage.base, x.shape, y.storage.base, y.shape, op: op, predicate)
}

private func broadcastElements<A, B>(_ a: UnsafePointer<A>, _ aShape: [Int], _ b: UnsafePointer<B>, _ bShape: [Int], op: String,
                                     _ predicate: (A, B) -> Bool) throws -> BoolTensor {
    let shape = aShape == bShape ? aShape : try broadcastShape(aShape, bShape, op: op)
    return try BoolTensor(shape: shape) { dst in
        guard !dst.isEmpty else { return }
        let plan = BroadcastPlan(aShape, bShape, outShape: shape)
        plan.forEachRun { ao, bo, oo, n, sa, sb in
            for i in 0..<n { dst[oo + i] = predicate(a[ao + i * sa], b[bo + i * sb]) }
        }
    }
}

/// `tf.where(condition, x, y)` (TensorFlow 2, `where_v2`): `x` where the condition
/// holds, else `y`; the three broadcast against each other. (TensorFlow 1's
/// `tf.compat.v1.where` is the same when the three have one shape.)
/// - Throws: `TensorError` when the shapes do not broadcast.
public func select(_ condition: BoolTensor, _ x: Tensor, _ y: Tensor) throws -> Tensor {
    let (shape, offsets) = try selectLayout(condition.shape, x.shape, y.shape)
    let out = Tensor(uninitializedShape: shape)
    fillSelected(out.storage.base, condition.storage.base, x.storage.base, y.storage.base, offsets)
    if let tape = GradientTape.active {
        // TensorFlow's SelectV2 gradient: g where the condition holds to x, elsewhere to y, each
        // summed down to its operand's shape; the condition gets none.
        tape.record("where", out, [nil, x, y]) { g, needed in
            let gx = try Tensor(shape: x.shape, repeating: 0), gy = try Tensor(shape: y.shape, repeating: 0)
            let c = condition.storage.base, pg = g.storage.base, px = gx.storage.base, py = gy.storage.base
            for (i, (ci, a, b)) in offsets.enumerated() {
                if c[ci] { px[a] += pg[i] } else { py[b] += pg[i] }
            }
            return [nil, needed[1] ? gx : nil, needed[2] ? gy : nil]
        }
    }
    return out
}

/// `select` of integer or bool tensors.
public func select<T: ElementTensor>(_ condition: BoolTensor, _ x: T, _ y: T) throws -> T {
    let (shape, offsets) = try selectLayout(condition.shape, x.shape, y.shape)
    return try T(shape: shape) { dst in
        guard let base = dst.baseAddress else { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                // A non-empty result has non-empty operands.
                fillSelected(base, condition.storage.base, px.baseAddress!, py.baseAddress!, offsets)
            }
        }
    }
}

private func fillSelected<Scalar>(_ out: UnsafeMutablePointer<Scalar>, _ condition: UnsafePointer<Bool>,
                                  _ x: UnsafePointer<Scalar>, _ y: UnsafePointer<Scalar>, _ offsets: [(Int, Int, Int)]) {
    for (i, (c, a, b)) in offsets.enumerated() { out[i] = condition[c] ? x[a] : y[b] }
}

/// The broadcast shape of three operands, and for each output element the offsets in each.
private func selectLayout(_ c: [Int], _ x: [Int], _ y: [Int]) throws -> ([Int], [(Int, Int, Int)]) {
    let shape = try broadcastShape(broadcastShape(c, x, op: "where"), y, op: "where")
    func strides(_ s: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: shape.count - s.count) + s
        let rowMajor = rowMajorStrides(padded)
        return padded.indices.map { padded[$0] == 1 ? 0 : rowMajor[$0] }
    }
    let (sc, sx, sy) = (strides(c), strides(x), strides(y))
    var offsets: [(Int, Int, Int)] = []
    offsets.reserveCapacity(elementCount(of: shape))
    guard elementCount(of: shape) > 0 else { return (shape, offsets) }
    forEachIndex(of: shape) { _, index in
        var o = (0, 0, 0)
        for d in index.indices { o.0 += index[d] * sc[d]; o.1 += index[d] * sx[d]; o.2 += index[d] * sy[d] }
        offsets.append(o)
    }
    return (shape, offsets)
}
