import Foundation

/// NumPy broadcasting: shapes are aligned at their last dimension; a missing
/// or size-1 dimension stretches to the other operand's size.

/// The shape two operands broadcast to.
/// - Throws: `TensorError` naming `op` and both shapes when a pair of aligned
///   dimensions differ and neither is 1.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast") throws -> [Int] {
    let rank = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 {
            out[i] = da
        } else if da == 1 {
            out[i] = db
        } else {
            throw TensorError(op: op, shapes: [a, b],
                              reason: "cannot be broadcast: dimensions \(da) and \(db) differ")
        }
    }
    return out
}

/// How to walk two operands broadcast against each other: collapsed output
/// dimensions and each operand's element strides (0 along stretched ones).
struct BroadcastPlan {
    var outShape: [Int]
    var dims: [Int]
    var aStrides: [Int]
    var bStrides: [Int]

    init(_ a: [Int], _ b: [Int], outShape: [Int]) {
        self.outShape = outShape
        let rank = outShape.count
        func strides(_ s: [Int]) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - s.count) + s
            let rm = rowMajorStrides(padded)
            return (0..<rank).map { padded[$0] == 1 ? 0 : rm[$0] }
        }
        let sa = strides(a), sb = strides(b)
        var dims: [Int] = [], as_: [Int] = [], bs: [Int] = []
        for i in 0..<rank where outShape[i] != 1 {
            if let last = dims.indices.last,
               as_[last] == sa[i] * outShape[i], bs[last] == sb[i] * outShape[i] {
                // The previous (outer) dimension continues this one in both operands: merge.
                dims[last] *= outShape[i]
                as_[last] = sa[i]
                bs[last] = sb[i]
            } else {
                dims.append(outShape[i]); as_.append(sa[i]); bs.append(sb[i])
            }
        }
        if dims.isEmpty { dims = [1]; as_ = [0]; bs = [0] }
        self.dims = dims
        self.aStrides = as_
        self.bStrides = bs
    }

    /// Calls `body(aOffset, bOffset, outOffset, innerCount, aInnerStride, bInnerStride)`
    /// once per innermost run.
    func forEachRun(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let r = dims.count
        let inner = dims[r - 1], sa = aStrides[r - 1], sb = bStrides[r - 1]
        var outerCount = 1
        for i in 0..<(r - 1) { outerCount *= dims[i] }
        if outerCount == 0 || inner == 0 { return }
        var index = [Int](repeating: 0, count: r)
        var ao = 0, bo = 0, oo = 0
        for _ in 0..<outerCount {
            body(ao, bo, oo, inner, sa, sb)
            oo += inner
            // Advance the odometer over the outer dimensions.
            var d = r - 2
            while d >= 0 {
                index[d] += 1
                ao += aStrides[d]
                bo += bStrides[d]
                if index[d] < dims[d] { break }
                ao -= aStrides[d] * dims[d]
                bo -= bStrides[d] * dims[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

/// A scalar function of two floats, specialised into each loop.
protocol BinaryKernel {
    static func apply(_ x: Float, _ y: Float) -> Float
}

enum AddKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x + y } }
enum SubtractKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x - y } }
enum MultiplyKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x * y } }
enum DivideKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x / y } }
enum MaximumKernel: BinaryKernel {
    // NaN propagates, as in TensorFlow.
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x.isNaN || x > y ? x : y }
}
enum MinimumKernel: BinaryKernel {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x.isNaN || x < y ? x : y }
}
enum PowKernel: BinaryKernel {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { Foundation.powf(x, y) }
}
/// 1 where `x >= y` (the gradient mask of `maximum`), else 0.
enum GreaterEqualKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x >= y ? 1 : 0 } }
/// 1 where `x <= y` (the gradient mask of `minimum`), else 0.
enum LessEqualKernel: BinaryKernel { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x <= y ? 1 : 0 } }
enum SquaredDifferenceKernel: BinaryKernel {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { (x - y) * (x - y) }
}

/// One innermost run: `n` outputs from strided operands (strides 0 or 1 are
/// the fast, vectorisable cases).
@inline(__always)
func binaryRun<K: BinaryKernel>(_: K.Type,
                                _ a: UnsafePointer<Float>, _ sa: Int,
                                _ b: UnsafePointer<Float>, _ sb: Int,
                                _ o: UnsafeMutablePointer<Float>, _ n: Int) {
    switch (sa, sb) {
    case (1, 1):
        for i in 0..<n { o[i] = K.apply(a[i], b[i]) }
    case (1, 0):
        let y = b[0]
        for i in 0..<n { o[i] = K.apply(a[i], y) }
    case (0, 1):
        let x = a[0]
        for i in 0..<n { o[i] = K.apply(x, b[i]) }
    default:
        for i in 0..<n { o[i] = K.apply(a[i * sa], b[i * sb]) }
    }
}

/// Applies `K` elementwise to two tensors with NumPy broadcasting.
func broadcastBinary<K: BinaryKernel>(_ kernel: K.Type, op: String,
                                      _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let outShape = a.shape == b.shape ? a.shape : try broadcastShape(a.shape, b.shape, op: op)
    let out = Tensor(uninitializedShape: outShape)
    let ap = UnsafePointer(a.storage.base), bp = UnsafePointer(b.storage.base)
    let outp = out.storage.base
    if a.shape == b.shape {
        binaryRun(K.self, ap, 1, bp, 1, outp, out.scalarCount)
        return out
    }
    let plan = BroadcastPlan(a.shape, b.shape, outShape: outShape)
    plan.forEachRun { ao, bo, oo, n, sa, sb in
        binaryRun(K.self, ap + ao, sa, bp + bo, sb, outp + oo, n)
    }
    return out
}
