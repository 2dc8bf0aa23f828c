import ModelSpecCompiler
import ModelSpecRuntime
import TFNaming

/// The runtime function of each declared operation without variables
/// (``OperationDeclaration``), the functions generated code calls. A test checks
/// that every declaration has one and every entry has a declaration.
enum RuntimeOperations {
    typealias Function = @Sendable (_ operands: Operands, _ arguments: OperationArguments) throws -> Tensor
    typealias SeveralResults = @Sendable (_ operands: Operands, _ arguments: OperationArguments) throws -> [Tensor]
    /// A function whose result is not always a `Tensor` (comparisons, `argmax`, `cast`).
    typealias TypedFunction = @Sendable (_ operands: Operands, _ arguments: OperationArguments) throws -> Value

    typealias Value = InterpretedValue

    /// A step's operands: their float32 copies, and each as it is (integers and booleans as such), by position.
    struct Operands {
        let tensors: [Tensor]
        let values: [Value]

        subscript(position: Int) -> Tensor { tensors[position] }

        /// A loss's optional third operand, its weights.
        var weights: Tensor? { tensors.count > 2 ? tensors[2] : nil }

        /// The operand as indices: integers as they are, floats truncated (`tf.cast`).
        func ids(_ position: Int) throws -> Int64Tensor {
            try values[position].indices()
        }

        /// The operand as booleans (the checker gives bool operands only where they are read).
        func booleans(_ position: Int) throws -> BoolTensor {
            guard case let .bool(mask) = try values[position].converted(to: .bool) else { throw InterpreterError("not a bool operand") }
            return mask
        }
    }

    /// The operations whose runtime function returns an integer or bool tensor, or the type of its operand.
    static let typedFunctions: [String: TypedFunction] = [
        "identity": { x, _ in
            if case let .float(tensor) = x.values[0] { return .float(identity(tensor)) }
            return x.values[0]
        },
        "cast": { x, _ in x.values[0] },
        "argmax": { x, a in .int32(try argmax(x[0], axis: a.int("axis"))) },
        "argmin": { x, a in .int32(try argmin(x[0], axis: a.int("axis"))) },
        "greater": { x, _ in .bool(try greater(x[0], x[1])) },
        "greater_equal": { x, _ in .bool(try greaterEqual(x[0], x[1])) },
        "less": { x, _ in .bool(try less(x[0], x[1])) },
        "less_equal": { x, _ in .bool(try lessEqual(x[0], x[1])) },
        "equal": { x, _ in .bool(try equal(x[0], x[1])) },
        "not_equal": { x, _ in .bool(try notEqual(x[0], x[1])) },
        "logical_and": { x, _ in .bool(try logicalAnd(x.booleans(0), x.booleans(1))) },
        "logical_or": { x, _ in .bool(try logicalOr(x.booleans(0), x.booleans(1))) },
        "logical_not": { x, _ in .bool(logicalNot(try x.booleans(0))) },
        "strided_slice": { x, a in
            let slice = try StridedSliceArguments(a)
            return .float(try stridedSlice(x[0], begin: slice.begin, end: slice.end, strides: slice.strides, beginMask: slice.masks[0],
                                           endMask: slice.masks[1], ellipsisMask: slice.masks[2], newAxisMask: slice.masks[3],
                                           shrinkAxisMask: slice.masks[4]))
        },
        "where": { x, _ in .float(try select(x.booleans(0), x[1], x[2])) },
    ]

    /// The operations that make several values (``OperationDeclaration/results``).
    static let severalResults: [String: SeveralResults] = [
        "moments": { x, a in
            let (mean, variance) = try moments(x[0], axes: a.ints("axes") ?? [], keepDims: a.bool("keepdims"))
            return [mean, variance]
        },
        "split": { x, a in
            if case let .ints(sizes)? = a.values["num_or_size_splits"] { return try split(x[0], sizes: sizes, axis: a.int("axis")) }
            return try split(x[0], count: a.int("num_or_size_splits"), axis: a.int("axis"))
        },
        "unstack": { x, a in try unstack(x[0], axis: a.int("axis")) },
    ]

    static let functions: [String: Function] = [
        "constant": { _, a in try constant(tensor(a.tensor("value")), shape: a.ints("shape")) },
        "matmul": { x, a in
            try matmul(x[0], x[1], transposeA: a.bool("transpose_a"), transposeB: a.bool("transpose_b"))
        },
        "bias_add": { x, _ in try biasAdd(x[0], x[1]) },
        "add": { x, _ in try add(x[0], x[1]) },
        "subtract": { x, _ in try subtract(x[0], x[1]) },
        "multiply": { x, _ in try multiply(x[0], x[1]) },
        "divide": { x, _ in try divide(x[0], x[1]) },
        "pow": { x, _ in try pow(x[0], x[1]) },
        "maximum": { x, _ in try maximum(x[0], x[1]) },
        "minimum": { x, _ in try minimum(x[0], x[1]) },
        "abs": { x, _ in abs(x[0]) },
        "negative": { x, _ in negative(x[0]) },
        "square": { x, _ in square(x[0]) },
        "sqrt": { x, _ in sqrt(x[0]) },
        "rsqrt": { x, _ in rsqrt(x[0]) },
        "exp": { x, _ in exp(x[0]) },
        "log": { x, _ in log(x[0]) },
        "relu": { x, _ in relu(x[0]) },
        "relu6": { x, _ in relu6(x[0]) },
        "elu": { x, _ in elu(x[0]) },
        "tanh": { x, _ in ModelSpecRuntime.tanh(x[0]) },
        "sigmoid": { x, _ in sigmoid(x[0]) },
        "softplus": { x, _ in softplus(x[0]) },
        "softsign": { x, _ in softsign(x[0]) },
        "selu": { x, _ in selu(x[0]) },
        "swish": { x, _ in swish(x[0]) },
        "leaky_relu": { x, a in leakyRelu(x[0], alpha: Float(try a.float("alpha"))) },
        "gelu": { x, a in gelu(x[0], approximate: try a.bool("approximate")) },
        "softmax": { x, a in try softmax(x[0], axis: a.int("axis")) },
        "log_softmax": { x, a in try logSoftmax(x[0], axis: a.int("axis")) },
        "reshape": { x, a in try reshape(x[0], a.ints("shape") ?? []) },
        "expand_dims": { x, a in try expandDims(x[0], axis: a.int("axis")) },
        "squeeze": { x, a in try squeeze(x[0], axes: a.ints("axis").flatMap { $0.isEmpty ? nil : $0 }) },
        "concat": { x, a in try concat(x.tensors, axis: a.int("axis")) },
        "stack": { x, a in try stack(x.tensors, axis: a.int("axis")) },
        "tile": { x, a in try tile(x[0], multiples: a.ints("multiples") ?? []) },
        "pad": { x, a in
            guard let mode = Tensor.PadMode(rawValue: try a.name("mode")) else { throw InterpreterError("pad has no mode '\(try a.name("mode"))'") }
            return try pad(x[0], paddings: a.intLists("paddings"), mode: mode, constantValue: Float(a.float("constant_values")))
        },
        "slice": { x, a in try slice(x[0], begin: a.ints("begin") ?? [], size: a.ints("size") ?? []) },
        "transpose": { x, a in try transpose(x[0], perm: a.ints("perm").flatMap { $0.isEmpty ? nil : $0 }) },
        "reduce_sum": { x, a in try reduceSum(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims")) },
        "reduce_mean": { x, a in try reduceMean(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims")) },
        "reduce_max": { x, a in try reduceMax(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims")) },
        "reduce_min": { x, a in try reduceMin(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims")) },
        "reduce_prod": { x, a in try reduceProd(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims")) },
        "l2_normalize": { x, a in try l2Normalize(x[0], axes: a.ints("axis"), epsilon: Float(a.float("epsilon"))) },
        "squared_difference": { x, _ in try squaredDifference(x[0], x[1]) },
        "gather": { x, _ in try gather(x[0], indices: x.ids(1)) },
        "embedding_lookup": { x, _ in try embeddingLookup(x[0], ids: x.ids(1)) },
        "nn.conv2d": { x, a in
            try nnConv2d(x[0], x[1], strides: a.ints("strides") ?? [1], padding: padding(a),
                         explicitPaddings: a.values["explicit_paddings"] == nil ? nil : a.intLists("explicit_paddings"),
                         dilations: a.ints("dilations") ?? [1])
        },
        "nn.depthwise_conv2d": { x, a in
            try nnDepthwiseConv2d(x[0], x[1], strides: a.ints("strides") ?? [1], padding: padding(a),
                                  explicitPaddings: a.values["explicit_paddings"] == nil ? nil : a.intLists("explicit_paddings"),
                                  dilations: a.ints("dilations") ?? [1])
        },
        "nn.max_pool2d": { x, a in
            try nnMaxPool2d(x[0], ksize: a.ints("ksize") ?? [], strides: a.ints("strides") ?? [], padding: padding(a),
                            explicitPaddings: a.values["explicit_paddings"] == nil ? nil : a.intLists("explicit_paddings"))
        },
        "nn.avg_pool2d": { x, a in
            try nnAvgPool2d(x[0], ksize: a.ints("ksize") ?? [], strides: a.ints("strides") ?? [], padding: padding(a) ?? .valid)
        },
        "nn.batch_normalization": { x, a in
            guard x.tensors.count == 5 else { throw InterpreterError("nn.batch_normalization takes 5 operands") }
            return try nnBatchNormalization(x[0], x[1], x[2], x[3], x[4], varianceEpsilon: Float(a.float("variance_epsilon")))
        },
        "image.resize": { x, a in
            guard let method = Tensor.ResizeMethod(rawValue: try a.name("method")) else { throw InterpreterError("image.resize has no method '\(try a.name("method"))'") }
            return try resizeImages(x[0], size: a.ints("size") ?? [], method: method, alignCorners: a.bool("align_corners"),
                                    halfPixelCenters: a.bool("half_pixel_centers"))
        },
        "one_hot": { x, a in
            try oneHot(x.ids(0), depth: a.int("depth"), onValue: Float(a.float("on_value")), offValue: Float(a.float("off_value")),
                       axis: a.int("axis"))
        },
        "sparse_softmax_cross_entropy": { x, a in
            try Losses.sparseSoftmaxCrossEntropy(labels: IndexTensor(x.ids(0)), logits: x[1], weights: x.weights, reduction: reduction(a))
        },
        "softmax_cross_entropy": { x, a in
            try Losses.softmaxCrossEntropy(onehotLabels: x[0], logits: x[1], weights: x.weights,
                                           labelSmoothing: Float(a.float("label_smoothing")), reduction: reduction(a))
        },
        "sigmoid_cross_entropy": { x, a in
            try Losses.sigmoidCrossEntropy(multiClassLabels: x[0], logits: x[1], weights: x.weights,
                                           labelSmoothing: Float(a.float("label_smoothing")), reduction: reduction(a))
        },
        "mean_squared_error": { x, a in
            try Losses.meanSquaredError(labels: x[0], predictions: x[1], weights: x.weights, reduction: reduction(a))
        },
    ]

    /// A `padding:` attribute given as `valid` or `same`; nil when not given.
    private static func padding(_ arguments: OperationArguments) throws -> ModelSpecRuntime.Padding? {
        guard arguments.values["padding"] != nil else { return nil }
        return try arguments.name("padding") == "same" ? .same : .valid
    }

    /// A loss's `reduction` attribute, as the runtime's `Losses.Reduction`.
    static func reduction(_ arguments: OperationArguments) throws -> Losses.Reduction {
        let name = try arguments.name("reduction")
        guard let reduction = Losses.Reduction(rawValue: name) else { throw InterpreterError("there is no loss reduction '\(name)'") }
        return reduction
    }

    /// Runs a step: its operands from the values so far (`typed`: the integer and bool values, whose float
    /// copies are in `values`), its attributes evaluated with the parameters; computed in the dtype its
    /// operands share (``MathOperation/operandType``): float32 by the tables above, integers and booleans by
    /// ``TypedOperations``; each result as the runtime type of its dtype (`types`, the step's; float32 where not given).
    static func run(_ operation: MathOperation, _ values: [String: Tensor], typed: [String: Value] = [:],
                    params: [String: Literal], types: [DType] = []) throws -> [Value] {
        var given: [Value] = []
        for operand in operation.operands {
            switch operand {
            case let .value(name):
                guard let value = values[name] else { throw InterpreterError("value '\(name)' is not defined here") }
                given.append(typed[name] ?? .float(value))
            case let .literal(literal):
                given.append(try value(literal.evaluated(params), ValueKind(literal.dtype)))
            }
        }
        let operands = Operands(tensors: given.map(\.floats), values: given)
        let arguments = try operation.arguments(params)
        let results: [Value]
        if ValueKind(operation.operandType) == .float {
            results = try floatResults(operation.name, operands, arguments)
        } else {
            let declaration = operation.declaration
            let shared = given.indices.filter { declaration.types.sharesDtype($0) && !declaration.indexOperands.contains($0) }.map { given[$0] }
            results = try TypedOperations.run(operation.name, in: ValueKind(operation.operandType), shared, operands, arguments)
        }
        return try results.enumerated().map { position, value in
            try value.converted(to: ValueKind(position < types.count ? types[position] : .float32))
        }
    }

    /// The results of an operation computed in float32.
    private static func floatResults(_ name: String, _ operands: Operands, _ arguments: OperationArguments) throws -> [Value] {
        if let one = functions[name] { return [.float(try one(operands, arguments))] }
        if let typed = typedFunctions[name] { return [try typed(operands, arguments)] }
        if let several = severalResults[name] { return try several(operands, arguments).map(Value.float) }
        throw InterpreterError("the runtime has no function for operation '\(name)'")
    }

    /// A literal as the runtime type of its dtype, each number converted exactly (an integer as it is written).
    static func value(_ literal: TensorValue, _ kind: ValueKind) throws -> Value {
        switch kind {
        case .float: .float(try tensor(literal))
        case .int32: .int32(try IndexTensor(shape: literal.shape, scalars: literal.scalars.map { Int32(truncatingIfNeeded: Int64(exactly: $0) ?? 0) }))
        case .int64: .int64(try Int64Tensor(shape: literal.shape, scalars: literal.scalars.map { Int64(exactly: $0) ?? 0 }))
        case .bool: .bool(try BoolTensor(shape: literal.shape, scalars: literal.scalars.map { $0 != 0 }))
        }
    }

    static func tensor(_ value: TensorValue) throws -> Tensor {
        try Tensor(shape: value.shape, scalars: value.scalars.map { Float($0) })
    }
}
