extension OperationDeclaration {
    /// Every operation without variables, in the order of the reference.
    public static let all: [OperationDeclaration] = constants + arithmetic + comparisons + activations + shaping + splitting
        + reductions + lookups + neuralNetwork + images + losses

    /// The declarations by spec name.
    public static let named: [String: OperationDeclaration] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // MARK: Forms shared by many declarations

    /// A function of each element of one tensor.
    static func elementwise(_ name: String, tensorflow: String, swift function: String,
                            attributes: [AttributeDeclaration] = [], throwing: Bool = false, types: ValueTypes = .float) -> OperationDeclaration {
        OperationDeclaration(name, tensorflow: tensorflow, operands: .one, attributes: attributes,
                             result: "the input's", swift: .call(function, throwing: throwing), types: types) { shapes, _ in shapes[0] }
    }

    /// A function of two tensors' elements, with NumPy broadcasting.
    static func broadcasting(_ name: String, tensorflow: String, swift function: String, types: ValueTypes = .float) -> OperationDeclaration {
        OperationDeclaration(name, tensorflow: tensorflow, operands: .two([]), result: "NumPy broadcasting",
                             swift: .call(function), types: types) { shapes, _ in
            try ShapeRules.broadcast(shapes[0], shapes[1], op: name)
        }
    }

    /// A reduction over axes (all by default), keeping them as size 1 with `keepdims`.
    static func reduction(_ name: String, tensorflow: String, swift function: String) -> OperationDeclaration {
        OperationDeclaration(name, tensorflow: tensorflow, operands: .one, attributes: [
            AttributeDeclaration("axis", .ints, .optional("all"), swift: "axes"),
            AttributeDeclaration("keepdims", .bool, .defaultValue(.bool(false)), swift: "keepDims"),
        ], result: "reduced", swift: .call(function), types: .numbers) { shapes, arguments in
            try ShapeRules.reduce(shapes[0], axes: arguments.ints("axis"), keepDims: arguments.bool("keepdims"), op: name)
        }
    }
}
