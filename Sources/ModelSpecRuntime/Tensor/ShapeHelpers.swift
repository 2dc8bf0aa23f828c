/// Internal shape arithmetic shared by the operations.

/// Number of scalars of a shape (1 for a scalar, `[]`).
@usableFromInline
func elementCount(of shape: [Int]) -> Int {
    var n = 1
    for d in shape { n *= d }
    return n
}

/// Row-major strides, in elements.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = s
        s *= shape[i]
    }
    return strides
}

/// Resolves a possibly negative axis against a rank, or throws.
func normalizeAxis(_ axis: Int, rank: Int, op: String, shape: [Int]) throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
        throw TensorError(op: op, shapes: [shape], reason: "has no axis \(axis) (rank \(rank))")
    }
    return a
}

/// Resolves a list of axes (nil meaning all), sorted and without duplicates.
func normalizeAxes(_ axes: [Int]?, rank: Int, op: String, shape: [Int]) throws -> [Int] {
    guard let axes else { return Array(0..<rank) }
    var seen = Set<Int>()
    for axis in axes {
        let a = try normalizeAxis(axis, rank: rank, op: op, shape: shape)
        guard seen.insert(a).inserted else {
            throw TensorError(op: op, shapes: [shape], reason: "has axis \(axis) listed twice")
        }
    }
    return seen.sorted()
}

/// Product of the dimensions in a range (1 when empty).
func product(_ shape: [Int], _ range: Range<Int>) -> Int {
    var n = 1
    for i in range { n *= shape[i] }
    return n
}
