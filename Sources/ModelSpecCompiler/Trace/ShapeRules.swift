/// How each operation's output shape follows from its input shapes, as
/// TensorFlow computes it. A rule throws a ``ShapeMismatch`` with a message that
/// names the operation and the shapes.
struct ShapeMismatch: Error {
    var message: String
}

enum ShapeRules {
    private static func fail(_ message: String) -> ShapeMismatch { ShapeMismatch(message: message) }

    /// Whether two dimensions can be equal; records symbol equalities nowhere (symbols are trusted).
    static func agree(_ a: TracedDim, _ b: TracedDim) -> Bool {
        if let x = a.size, let y = b.size { return x == y }
        return true
    }

    static func matmul(_ a: TracedShape, _ b: TracedShape) throws -> TracedShape {
        guard a.count >= 2, b.count >= 2 else {
            throw fail("matmul needs operands of rank 2 or more, but got shapes \(a.shapeDescription) and \(b.shapeDescription)")
        }
        guard agree(a[a.count - 1], b[b.count - 2]) else {
            throw fail("matmul of \(a.shapeDescription) by \(b.shapeDescription): inner dimensions \(a[a.count - 1]) and \(b[b.count - 2]) differ")
        }
        let batch = try broadcast(Array(a.dropLast(2)), Array(b.dropLast(2)), op: "matmul")
        return batch + [a[a.count - 2], b[b.count - 1]]
    }

    static func biasAdd(_ value: TracedShape, _ bias: TracedShape) throws -> TracedShape {
        guard bias.count == 1, let last = value.last, agree(last, bias[0]) else {
            throw fail("bias_add needs a bias of shape [\(value.last?.description ?? "?")] for a value of shape \(value.shapeDescription), but the bias has shape \(bias.shapeDescription)")
        }
        return value
    }

    /// NumPy broadcasting.
    static func broadcast(_ a: TracedShape, _ b: TracedShape, op: String) throws -> TracedShape {
        let rank = max(a.count, b.count)
        let x = Array(repeating: TracedDim.known(1), count: rank - a.count) + a
        let y = Array(repeating: TracedDim.known(1), count: rank - b.count) + b
        return try zip(x, y).map { p, q in
            if p.size == 1 { return q }
            if q.size == 1 { return p }
            guard agree(p, q) else {
                throw fail("\(op): shapes \(a.shapeDescription) and \(b.shapeDescription) do not broadcast (\(p) against \(q))")
            }
            return p.size != nil ? p : q
        }
    }

    static func axis(_ axis: Int, rank: Int, op: String, shape: TracedShape) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw fail("\(op): axis \(axis) is out of range for shape \(shape.shapeDescription)")
        }
        return resolved
    }

    static func reshape(_ shape: TracedShape, to target: [Int]) throws -> TracedShape {
        if target.contains(where: { $0 < -1 }) {
            throw fail("reshape: \(target) has a negative size")
        }
        let known = try shape.knownSizes.map { try CheckedSize.product($0, "reshape: the element count of \(shape.shapeDescription)") }
        let fixed = try CheckedSize.product(target.filter { $0 != -1 }, "reshape: the element count of \(target)")
        if let known {
            if target.contains(-1) {
                guard fixed > 0 else {
                    throw fail("reshape of \(shape.shapeDescription) (\(known) elements) to \(target): the -1 cannot be inferred when another size is 0")
                }
                guard known % fixed == 0 else {
                    throw fail("reshape of \(shape.shapeDescription) (\(known) elements) to \(target): \(known) is not a multiple of \(fixed)")
                }
                return target.map { .known($0 == -1 ? known / fixed : $0) }
            }
            guard known == fixed else {
                throw fail("reshape of \(shape.shapeDescription) (\(known) elements) to \(target) (\(fixed) elements)")
            }
        }
        return target.map { $0 == -1 ? .unknown : .known($0) }
    }

    static func flatten(_ shape: TracedShape) throws -> TracedShape {
        guard let batch = shape.first else { throw fail("flatten needs a batch dimension, but the shape is []") }
        let rest = Array(shape.dropFirst())
        if let sizes = rest.knownSizes {
            return [batch, .known(try CheckedSize.product(sizes, "flatten of \(shape.shapeDescription)"))]
        }
        return [batch, .unknown]
    }

    static func expandDims(_ shape: TracedShape, axis: Int) throws -> TracedShape {
        let index = try self.axis(axis, rank: shape.count + 1, op: "expand_dims", shape: shape)
        var result = shape
        result.insert(.known(1), at: index)
        return result
    }

    static func squeeze(_ shape: TracedShape, axes: [Int]) throws -> TracedShape {
        if axes.isEmpty { return shape.filter { $0.size != 1 } }
        let resolved = try Set(axes.map { try axis($0, rank: shape.count, op: "squeeze", shape: shape) })
        for index in resolved where shape[index].size != nil && shape[index].size != 1 {
            throw fail("squeeze: dimension \(index) of \(shape.shapeDescription) is \(shape[index]), not 1")
        }
        return shape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
    }

    static func concat(_ shapes: [TracedShape], axis: Int) throws -> TracedShape {
        guard var result = shapes.first else { throw fail("concat needs at least one operand") }
        let index = try self.axis(axis, rank: result.count, op: "concat", shape: result)
        for shape in shapes.dropFirst() {
            guard shape.count == result.count else {
                throw fail("concat: shapes \(result.shapeDescription) and \(shape.shapeDescription) differ in rank")
            }
            for d in 0..<shape.count where d != index && !agree(shape[d], result[d]) {
                throw fail("concat along axis \(axis): shapes \(result.shapeDescription) and \(shape.shapeDescription) differ in dimension \(d)")
            }
            if let a = result[index].size, let b = shape[index].size {
                result[index] = .known(try CheckedSize.sum(a, b, "concat along axis \(axis)"))
            } else {
                result[index] = .unknown
            }
        }
        return result
    }

    static func transpose(_ shape: TracedShape, perm: [Int]) throws -> TracedShape {
        guard perm.count == shape.count, Set(perm) == Set(0..<shape.count) else {
            throw fail("transpose: perm \(perm) is not a permutation of the \(shape.count) dimensions of \(shape.shapeDescription)")
        }
        return perm.map { shape[$0] }
    }

    static func reduce(_ shape: TracedShape, axes: [Int]?, keepDims: Bool, op: String) throws -> TracedShape {
        let resolved = try Set((axes ?? Array(0..<shape.count)).map { try axis($0, rank: shape.count, op: op, shape: shape) })
        return shape.enumerated().compactMap { index, dim in
            resolved.contains(index) ? (keepDims ? .known(1) : nil) : dim
        }
    }

    static func embeddingLookup(table: TracedShape, ids: TracedShape) throws -> TracedShape {
        guard table.count == 2 else {
            throw fail("embedding_lookup needs a table of rank 2 [vocabulary, dimension], but it has shape \(table.shapeDescription)")
        }
        return ids + [table[1]]
    }

    /// The output size of a convolution or pooling window along one axis, as TensorFlow computes it.
    /// `(size + stride - 1) / stride` is written `(size - 1) / stride + 1` so that no sum overflows.
    static func windowOutput(_ size: TracedDim, window: Int, stride: Int, dilation: Int, padding: Padding) throws -> TracedDim {
        guard let size = size.size, window > 0, stride > 0, dilation > 0 else { return .unknown }
        let spread = try CheckedSize.product(window - 1, dilation, "a window of \(window) with dilation \(dilation)")
        let effective = try CheckedSize.sum(spread, 1, "a window of \(window) with dilation \(dilation)")
        switch padding {
        case .valid: return .known(size >= effective ? (size - effective) / stride + 1 : 0)
        case .same: return .known(size > 0 ? (size - 1) / stride + 1 : 0)
        }
    }

    /// The spatial output sizes of a channels-last convolution or pooling (the dimensions between
    /// batch and channels); a window that leaves no output is refused, naming the layer and its `what`.
    static func windows(_ input: TracedShape, window: [Int], strides: [Int], dilation: [Int], padding: Padding,
                        layer: String, what: String) throws -> [TracedDim] {
        var sizes: [TracedDim] = []
        for axis in window.indices {
            sizes.append(try windowOutput(input[axis + 1], window: window[axis], stride: strides[axis],
                                          dilation: dilation[axis], padding: padding))
        }
        if sizes.contains(where: { $0.size == 0 }) {
            throw fail("\(layer) with a \(window.map(String.init).joined(separator: "x")) \(what) and \(padding.rawValue) padding on input \(input.shapeDescription) leaves no output")
        }
        return sizes
    }
}
