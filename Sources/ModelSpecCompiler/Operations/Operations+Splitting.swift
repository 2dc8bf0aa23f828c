extension OperationDeclaration {
    static let splitting: [OperationDeclaration] = [
        OperationDeclaration("split", tensorflow: "tf.split", operands: .one, attributes: [
            AttributeDeclaration("num_or_size_splits", .countOrSizes, .required, swift: nil),
            AttributeDeclaration("axis", .int, .defaultValue(.int(0)), swift: "axis"),
        ], results: [], result: "N values (`as: [a, b, ...]`, or `as: parts` picked as `parts[i]`): a count splits `axis` evenly; sizes (one may be -1, the rest) give each part's",
           swift: .custom("split") { operands, arguments, function in
               // A count or a list of sizes, told apart by the runtime's labels.
               let parts = arguments[0].hasPrefix("[") ? "sizes: " + arguments[0] : "count: " + arguments[0]
               return "try \(function)(" + ([operands[0], parts] + arguments.dropFirst()).joined(separator: ", ") + ")"
           }, types: .sameAsOperand, count: { attributes, bound in
            switch attributes["num_or_size_splits"] {
            case let .ints(sizes)?: return sizes.count
            case let .int(.literal(count))?:
                guard count > 0, count <= maximumValues else {
                    throw TypeMismatch("split needs a positive count of at most \(maximumValues), not \(count)")
                }
                return count
            default:
                guard let bound else { throw TypeMismatch("split by a $param count makes as many values as 'as:' names; name them, as: [a, b, ...]") }
                return bound
            }
        }) { shapes, arguments in
            try splitShapes(shapes[0], arguments)
        },
        OperationDeclaration("unstack", tensorflow: "tf.unstack", operands: .one, attributes: [
            AttributeDeclaration("num", .int, .optional("the number of `as:` names"), swift: nil),
            AttributeDeclaration("axis", .int, .defaultValue(.int(0)), swift: "axis"),
        ], results: [], result: "N values (`as: [a, b, ...]`, or `as: parts` picked as `parts[i]`), the slices along `axis`, each without it; N is the dimension's size",
           swift: .call("unstack"), types: .sameAsOperand, count: { attributes, bound in
            if case let .int(.literal(count))? = attributes["num"] {
                guard count >= 0, count <= maximumValues else { throw TypeMismatch("unstack's num must be 0 to \(maximumValues), not \(count)") }
                return count
            }
            guard let bound else { throw TypeMismatch("unstack makes one value for each entry of its axis; name them, as: [a, b, ...], or give num") }
            return bound
        }) { shapes, arguments in
            let axis = try ShapeRules.axis(arguments.int("axis"), rank: shapes[0].count, op: "unstack", shape: shapes[0])
            if let size = shapes[0][axis].size, size != arguments.resultCount {
                throw ShapeMismatch(message: "unstack of \(shapes[0].shapeDescription) on axis \(axis) makes \(size) values, but \(arguments.resultCount) are named")
            }
            var slice = shapes[0]
            slice.remove(at: axis)
            return Array(repeating: slice, count: arguments.resultCount)
        },
        OperationDeclaration("strided_slice", tensorflow: "tf.strided_slice", operands: .one, attributes: [
            AttributeDeclaration("begin", .ints, .required, swift: "begin"),
            AttributeDeclaration("end", .ints, .required, swift: "end"),
            AttributeDeclaration("strides", .ints, .optional("all 1"), swift: "strides"),
            AttributeDeclaration("begin_mask", .int, .defaultValue(.int(0)), swift: "beginMask"),
            AttributeDeclaration("end_mask", .int, .defaultValue(.int(0)), swift: "endMask"),
            AttributeDeclaration("ellipsis_mask", .int, .defaultValue(.int(0)), swift: "ellipsisMask"),
            AttributeDeclaration("new_axis_mask", .int, .defaultValue(.int(0)), swift: "newAxisMask"),
            AttributeDeclaration("shrink_axis_mask", .int, .defaultValue(.int(0)), swift: "shrinkAxisMask"),
        ], result: "TensorFlow's: ranges clamped, indices inside their dimension; written as an operand `x[1:, ::-1, None, ..., 0]` (see slicing)",
           swift: .call("stridedSlice"), types: .sameAsOperand) { shapes, arguments in
            try StridedSliceRule(arguments).shape(shapes[0])
        },
    ]

    /// The most values one step makes (`split`'s count, `unstack`'s num).
    static let maximumValues = 10_000

    /// `tf.split`: equal parts of a divisible dimension, or the sizes given (adding up to it, one -1 taking the rest).
    private static func splitShapes(_ shape: TracedShape, _ arguments: OperationArguments) throws -> [TracedShape] {
        let axis = try ShapeRules.axis(arguments.int("axis"), rank: shape.count, op: "split", shape: shape)
        let length = shape[axis].size
        var sizes: [TracedDim]
        if case let .ints(given)? = arguments.values["num_or_size_splits"] {
            let known = given.filter { $0 != -1 }
            guard given.count - known.count <= 1, known.allSatisfy({ $0 >= 0 }) else {
                throw ShapeMismatch(message: "split: sizes \(given) must be at least 0, with at most one -1")
            }
            let total = known.reduce(0) { $0.addingReportingOverflow($1).partialValue }
            if let length, total > length || (known.count == given.count && total != length) {
                throw ShapeMismatch(message: "split of \(shape.shapeDescription): sizes \(given) do not add up to dimension \(axis) of size \(length)")
            }
            sizes = given.map { $0 == -1 ? length.map { .known($0 - total) } ?? .unknown : .known($0) }
        } else {
            let count = try arguments.int("num_or_size_splits")
            guard count > 0 else { throw ShapeMismatch(message: "split needs a positive count, not \(count)") }
            if let length, length % count != 0 {
                throw ShapeMismatch(message: "split of \(shape.shapeDescription): dimension \(axis) of size \(length) does not split into \(count) equal parts")
            }
            sizes = Array(repeating: length.map { .known($0 / count) } ?? .unknown, count: count)
        }
        guard sizes.count == arguments.resultCount else {
            throw ShapeMismatch(message: "split makes \(sizes.count) values, but \(arguments.resultCount) are named")
        }
        return sizes.map { size in
            var part = shape
            part[axis] = size
            return part
        }
    }
}

/// `tf.strided_slice`'s result shape (TensorFlow's `ValidateStridedSliceOp`): the items of the index
/// with `...` expanded to whole dimensions, new axes of size 1, shrunk axes removed.
struct StridedSliceRule {
    var begin: [Int], end: [Int], strides: [Int]
    var beginMask: Int, endMask: Int, ellipsisMask: Int, newAxisMask: Int, shrinkAxisMask: Int

    init(_ arguments: OperationArguments) throws {
        begin = try arguments.ints("begin") ?? []
        end = try arguments.ints("end") ?? []
        strides = try arguments.ints("strides") ?? Array(repeating: 1, count: begin.count)
        beginMask = try arguments.int("begin_mask")
        endMask = try arguments.int("end_mask")
        ellipsisMask = try arguments.int("ellipsis_mask")
        newAxisMask = try arguments.int("new_axis_mask")
        shrinkAxisMask = try arguments.int("shrink_axis_mask")
    }

    func shape(_ shape: TracedShape) throws -> TracedShape {
        func fail(_ reason: String) -> ShapeMismatch { ShapeMismatch(message: "strided_slice of \(shape.shapeDescription): \(reason)") }
        guard begin.count == end.count, end.count == strides.count else {
            throw fail("begin \(begin), end \(end) and strides \(strides) need one length")
        }
        guard [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask].allSatisfy({ $0 >= 0 }) else { throw fail("a mask cannot be negative") }
        guard ellipsisMask & (ellipsisMask - 1) == 0 else { throw fail("an index has at most one ellipsis (...)") }
        var items = begin.count
        var ellipsis = ellipsisMask
        if ellipsis == 0 { ellipsis = 1 << items; items += 1 }
        let bit = { (mask: Int, i: Int) in mask & (1 << i) != 0 }
        let dimensionItems = (0..<items).filter { !bit(newAxisMask, $0) && !bit(ellipsis, $0) }.count
        guard dimensionItems <= shape.count else { throw fail("\(dimensionItems) indices for \(shape.count) dimensions") }
        var result: TracedShape = []
        var dimension = 0
        for i in 0..<items {
            if bit(ellipsis, i) {
                result += shape[dimension..<(dimension + shape.count - dimensionItems)]
                dimension += shape.count - dimensionItems
                continue
            }
            if bit(newAxisMask, i) { result.append(.known(1)); continue }
            let stride = strides[i]
            let dim = shape[dimension]
            dimension += 1
            guard stride != 0, stride != .min else { throw fail("stride \(stride) at item \(i)") }
            guard let size = dim.size else {
                if !bit(shrinkAxisMask, i) { result.append(bit(beginMask, i) && bit(endMask, i) && abs(stride) == 1 ? dim : .unknown) }
                continue
            }
            if bit(shrinkAxisMask, i) {
                let index = begin[i] < 0 ? begin[i] + size : begin[i]
                guard index >= 0, index < size else { throw fail("index \(begin[i]) is outside dimension \(dimension - 1) of size \(size)") }
                continue
            }
            let (low, high) = stride > 0 ? (0, size) : (-1, size - 1)
            func position(_ value: Int, masked: Bool, whole: Int) -> Int {
                masked ? whole : min(max(value < 0 ? value + size : value, low), high)
            }
            let first = position(begin[i], masked: bit(beginMask, i), whole: stride > 0 ? low : high)
            let last = position(end[i], masked: bit(endMask, i), whole: stride > 0 ? high : low)
            let span = stride > 0 ? last - first : first - last
            result.append(.known(span <= 0 ? 0 : (span - 1) / abs(stride) + 1))
        }
        return result + shape[dimension...]
    }
}
