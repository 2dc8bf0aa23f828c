extension OperationDeclaration {
    static let shaping: [OperationDeclaration] = [
        OperationDeclaration("reshape", tensorflow: "tf.reshape", operands: .one, attributes: [
            AttributeDeclaration("shape", .shape, .required, swift: nil),
        ], result: "the element counts must agree", swift: .call("reshape"), types: .sameAsOperand) { shapes, arguments in
            try ShapeRules.reshape(shapes[0], to: arguments.ints("shape") ?? [])
        },
        OperationDeclaration("expand_dims", tensorflow: "tf.expand_dims", operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .required, swift: "axis"),
        ], result: "a 1 inserted", swift: .call("expandDims"), types: .sameAsOperand) { shapes, arguments in
            try ShapeRules.expandDims(shapes[0], axis: arguments.int("axis"))
        },
        OperationDeclaration("squeeze", tensorflow: "tf.squeeze", operands: .one, attributes: [
            AttributeDeclaration("axis", .ints, .optional("all size-1 dimensions"), swift: "axes"),
        ], result: "the named dimensions must be 1", swift: .call("squeeze"), types: .sameAsOperand) { shapes, arguments in
            try ShapeRules.squeeze(shapes[0], axes: arguments.ints("axis") ?? [])
        },
        OperationDeclaration("concat", tensorflow: "tf.concat", operands: .many, attributes: [
            AttributeDeclaration("axis", .int, .required, swift: "axis"),
        ], result: "same rank; other dimensions agree", swift: .call("concat", operandsAsArray: true), types: .sameAsOperand) { shapes, arguments in
            try ShapeRules.concat(shapes, axis: arguments.int("axis"))
        },
        OperationDeclaration("stack", tensorflow: "tf.stack", operands: .many, attributes: [
            AttributeDeclaration("axis", .int, .defaultValue(.int(0)), swift: "axis"),
        ], result: "one shape for all; a dimension of their count inserted at `axis`",
           swift: .call("stack", operandsAsArray: true), types: .sameAsOperand) { shapes, arguments in
            try stackShape(shapes, axis: arguments.int("axis"))
        },
        OperationDeclaration("tile", tensorflow: "tf.tile", operands: .one, attributes: [
            AttributeDeclaration("multiples", .ints, .required, swift: "multiples"),
        ], result: "each dimension times its multiple", swift: .call("tile"), types: .sameAsOperand) { shapes, arguments in
            try tileShape(shapes[0], multiples: arguments.ints("multiples") ?? [])
        },
        OperationDeclaration("pad", tensorflow: "tf.pad", operands: .one, attributes: [
            AttributeDeclaration("paddings", .pairs, .required, swift: "paddings"),
            AttributeDeclaration("mode", .choice(["constant", "reflect", "symmetric"]), .defaultValue(.name("constant")), swift: "mode"),
            AttributeDeclaration("constant_values", .float, .defaultValue(.float(0)), swift: "constantValue"),
        ], result: "each dimension grown by its pair; `reflect` pads less than the size, `symmetric` at most the size",
           swift: .call("pad"), types: padTypes) { shapes, arguments in
            try padShape(shapes[0], paddings: arguments.intLists("paddings"), mode: arguments.name("mode"))
        },
        OperationDeclaration("slice", tensorflow: "tf.slice", operands: .one, attributes: [
            AttributeDeclaration("begin", .ints, .required, swift: "begin"),
            AttributeDeclaration("size", .ints, .required, swift: "size"),
        ], result: "`size`, a -1 there taking the rest of the dimension; the slice must lie inside the input",
           swift: .call("slice"), types: .sameAsOperand) { shapes, arguments in
            try sliceShape(shapes[0], begin: arguments.ints("begin") ?? [], size: arguments.ints("size") ?? [])
        },
        OperationDeclaration("transpose", tensorflow: "tf.transpose", operands: .one, attributes: [
            AttributeDeclaration("perm", .ints, .required, swift: "perm"),
        ], result: "permuted", swift: .call("transpose"), types: .sameAsOperand) { shapes, arguments in
            try ShapeRules.transpose(shapes[0], perm: arguments.ints("perm") ?? [])
        },
    ]

    /// `tf.pad` keeps the dtype; `constant_values` must be one of it (TensorFlow refuses `0.5` for int32).
    private static let padTypes = ValueTypes(operands: [.any], results: { shared, attributes in
        guard case let .float(.literal(value))? = attributes["constant_values"] else { return [shared] }
        if ValueKind(shared).isInteger, value.rounded() != value {
            throw TypeMismatch("pad: constant_values \(value) is not an integer, and the input is \(shared.rawValue) (TensorFlow cannot convert it)")
        }
        if shared == .bool, value != 0 {
            throw TypeMismatch("pad: a bool input is padded with false; constant_values must be 0 here")
        }
        return [shared]
    }, differentiable: true, description: "the input's")

    /// `tf.stack`: the operands agree in shape; their count is inserted at `axis` (in `-rank-1 ... rank`).
    private static func stackShape(_ shapes: [TracedShape], axis: Int) throws -> TracedShape {
        guard let first = shapes.first else { throw ShapeMismatch(message: "stack needs at least one operand") }
        for shape in shapes.dropFirst() where shape.count != first.count || !zip(shape, first).allSatisfy(ShapeRules.agree) {
            throw ShapeMismatch(message: "stack: shapes \(first.shapeDescription) and \(shape.shapeDescription) differ; stacked values have one shape")
        }
        var result = first
        result.insert(.known(shapes.count), at: try ShapeRules.axis(axis, rank: first.count + 1, op: "stack", shape: first))
        return result
    }

    /// `tf.tile`: one non-negative multiple per dimension.
    private static func tileShape(_ shape: TracedShape, multiples: [Int]) throws -> TracedShape {
        guard multiples.count == shape.count else {
            throw ShapeMismatch(message: "tile: multiples \(multiples) needs one entry for each of the \(shape.count) dimensions of \(shape.shapeDescription)")
        }
        return try zip(shape, multiples).map { dim, times in
            guard times >= 0 else { throw ShapeMismatch(message: "tile: multiple \(times) is negative") }
            if times == 1 { return dim }
            guard let size = dim.size else { return times == 0 ? .known(0) : .unknown }
            let (tiled, overflow) = size.multipliedReportingOverflow(by: times)
            guard !overflow else { throw ShapeMismatch(message: "tile: \(size) times \(times) is more than can be counted") }
            return .known(tiled)
        }
    }

    /// `tf.pad`: one `[before, after]` pair per dimension; reflection needs room in the input.
    private static func padShape(_ shape: TracedShape, paddings: [[Int]], mode: String) throws -> TracedShape {
        guard paddings.count == shape.count else {
            throw ShapeMismatch(message: "pad: paddings has \(paddings.count) pairs, but \(shape.shapeDescription) has \(shape.count) dimensions")
        }
        return try zip(shape, paddings).map { dim, pair in
            let (before, after) = (pair[0], pair[1])
            guard let size = dim.size else { return before == 0 && after == 0 ? dim : .unknown }
            if mode == "reflect", max(before, after) >= size, max(before, after) > 0 {
                throw ShapeMismatch(message: "pad: reflect padding \(pair) of a dimension of size \(size) must be less than the size")
            }
            if mode == "symmetric", max(before, after) > size {
                throw ShapeMismatch(message: "pad: symmetric padding \(pair) of a dimension of size \(size) must be at most the size")
            }
            let (grown, overflow) = size.addingReportingOverflow(before)
            let (total, overflowTotal) = grown.addingReportingOverflow(after)
            guard !overflow, !overflowTotal else { throw ShapeMismatch(message: "pad: \(size) padded by \(pair) is more than can be counted") }
            return .known(total)
        }
    }

    /// `tf.slice`: `begin` and `size` give one entry per dimension; a size of -1 takes the rest.
    private static func sliceShape(_ shape: TracedShape, begin: [Int], size: [Int]) throws -> TracedShape {
        guard begin.count == shape.count, size.count == shape.count else {
            throw ShapeMismatch(message: "slice: begin \(begin) and size \(size) need one entry for each of the \(shape.count) dimensions of \(shape.shapeDescription)")
        }
        return try zip(shape, zip(begin, size)).map { dim, slice in
            let (start, count) = slice
            guard start >= 0, count >= -1 else {
                throw ShapeMismatch(message: "slice: begin \(start) and size \(count) must be at least 0 (a size may be -1)")
            }
            guard let length = dim.size else { return count == -1 ? .unknown : .known(count) }
            let end = count == -1 ? length : start.addingReportingOverflow(count).partialValue
            guard start <= length, end <= length, count == -1 || !start.addingReportingOverflow(count).overflow else {
                throw ShapeMismatch(message: "slice of \(shape.shapeDescription) from \(begin) of size \(size) goes past a dimension of size \(length)")
            }
            return .known(end - start)
        }
    }
}
