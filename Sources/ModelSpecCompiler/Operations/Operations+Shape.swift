extension OperationDeclaration {
    static let shaping: [OperationDeclaration] = [
        OperationDeclaration("reshape", tensorflow: "tf.reshape", operands: .one, attributes: [
            AttributeDeclaration("shape", .shape, .required, swift: nil),
        ], result: "the element counts must agree", swift: .call("reshape")) { shapes, arguments in
            try ShapeRules.reshape(shapes[0], to: arguments.ints("shape") ?? [])
        },
        OperationDeclaration("expand_dims", tensorflow: "tf.expand_dims", operands: .one, attributes: [
            AttributeDeclaration("axis", .int, .required, swift: "axis"),
        ], result: "a 1 inserted", swift: .call("expandDims")) { shapes, arguments in
            try ShapeRules.expandDims(shapes[0], axis: arguments.int("axis"))
        },
        OperationDeclaration("squeeze", tensorflow: "tf.squeeze", operands: .one, attributes: [
            AttributeDeclaration("axis", .ints, .optional("all size-1 dimensions"), swift: "axes"),
        ], result: "the named dimensions must be 1", swift: .call("squeeze")) { shapes, arguments in
            try ShapeRules.squeeze(shapes[0], axes: arguments.ints("axis") ?? [])
        },
        OperationDeclaration("concat", tensorflow: "tf.concat", operands: .many, attributes: [
            AttributeDeclaration("axis", .int, .required, swift: "axis"),
        ], result: "same rank; other dimensions agree", swift: .call("concat", operandsAsArray: true)) { shapes, arguments in
            try ShapeRules.concat(shapes, axis: arguments.int("axis"))
        },
        OperationDeclaration("transpose", tensorflow: "tf.transpose", operands: .one, attributes: [
            AttributeDeclaration("perm", .ints, .required, swift: "perm"),
        ], result: "permuted", swift: .call("transpose")) { shapes, arguments in
            try ShapeRules.transpose(shapes[0], perm: arguments.ints("perm") ?? [])
        },
    ]
}
