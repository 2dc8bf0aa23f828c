/// A tensor of integers or booleans (``IntegerTensor``, ``BoolTensor``).
///
/// Their data-movement operations (`reshape`, `transpose`, `concat`, `tile`, `pad`,
/// `gather`, ...) are the float kernels' applied to the positions of their
/// elements: the kernel moves a float tensor holding 0, 1, 2, ... (exact up to
/// 2^24 elements), and the elements are picked by the positions it returns. So
/// every layout rule (and every shape error) is written once, for `Tensor`.
public protocol ElementTensor: Sendable {
    associatedtype Element: BitwiseCopyable
    var shape: [Int] { get }
    var scalarCount: Int { get }
    init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Element>) throws -> Void) throws
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R
}

extension IntegerTensor: ElementTensor {}
extension BoolTensor: ElementTensor {}

/// The most elements whose positions a `Float` holds exactly.
let exactPositions = 1 << 24

extension ElementTensor {
    /// The flat positions of `shape`'s elements as floats, from `start`.
    static func positions(_ shape: [Int], from start: Int, op: String) throws -> Tensor {
        let count = elementCount(of: shape)
        guard start + count <= exactPositions else {
            throw TensorError(op: op, shapes: [shape],
                              reason: "moves at most \(exactPositions) integer or bool elements (their positions are counted in float32)")
        }
        return try Tensor(shape: shape) { dst in
            for i in dst.indices { dst[i] = Float(start + i) }
        }
    }

    /// The elements picked by `positions` from `sources` (numbered one after the other); a
    /// negative position (padding) takes `fill`.
    static func gathering(_ positions: Tensor, from sources: [Self], fill: Element?) throws -> Self {
        var elements: [Element] = []
        elements.reserveCapacity(sources.reduce(0) { $0 + $1.scalarCount })
        for source in sources { source.withUnsafeBufferPointer { elements.append(contentsOf: $0) } }
        return try Self(shape: positions.shape) { dst in
            positions.withUnsafeBufferPointer { picked in
                for i in dst.indices {
                    let position = Int(picked[i])
                    // Only padding writes a negative position, and padding is given a fill.
                    dst[i] = position >= 0 ? elements[position] : fill!
                }
            }
        }
    }

    /// The elements moved as `layout` moves a float tensor of this shape.
    func moved(_ op: String, filling fill: Element? = nil, _ layout: (Tensor) throws -> Tensor) throws -> Self {
        try Self.gathering(layout(Self.positions(shape, from: 0, op: op)), from: [self], fill: fill)
    }

    /// The elements moved into several tensors as `layout` moves a float tensor of this shape.
    func movedParts(_ op: String, _ layout: (Tensor) throws -> [Tensor]) throws -> [Self] {
        try layout(Self.positions(shape, from: 0, op: op)).map { try Self.gathering($0, from: [self], fill: nil) }
    }

    /// Several tensors' elements moved together as `layout` moves float tensors of their shapes.
    static func moved(_ tensors: [Self], _ op: String, _ layout: ([Tensor]) throws -> Tensor) throws -> Self {
        var start = 0
        var positions: [Tensor] = []
        for tensor in tensors {
            positions.append(try Self.positions(tensor.shape, from: start, op: op))
            start += tensor.scalarCount
        }
        return try gathering(layout(positions), from: tensors, fill: nil)
    }
}
