import ModelSpecCompiler
import ModelSpecRuntime

/// The runtime function of each declared operation without variables
/// (``OperationDeclaration``), the functions generated code calls. A test checks
/// that every declaration has one and every entry has a declaration.
enum RuntimeOperations {
    typealias Function = @Sendable (_ operands: Operands, _ arguments: OperationArguments) throws -> Tensor
    typealias SeveralResults = @Sendable (_ operands: Operands, _ arguments: OperationArguments) throws -> [Tensor]

    /// A step's operands: tensors, and integer tensors where the operation reads indices.
    struct Operands {
        let tensors: [Tensor]
        /// The integer tensors given for the operands read as indices, by position.
        let indices: [Int: IndexTensor]

        subscript(position: Int) -> Tensor { tensors[position] }

        /// The operand as indices: the integer tensor given, else the tensor truncated (`tf.cast`).
        func ids(_ position: Int) throws -> IndexTensor {
            try indices[position] ?? IndexTensor(truncating: tensors[position])
        }
    }

    /// The operations that make several values (``OperationDeclaration/results``).
    static let severalResults: [String: SeveralResults] = [
        "moments": { x, a in
            let (mean, variance) = try moments(x[0], axes: a.ints("axes") ?? [], keepDims: a.bool("keepdims"))
            return [mean, variance]
        },
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
        "identity": { x, _ in x[0] },
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
        "sparse_softmax_cross_entropy": { x, a in
            try Losses.sparseSoftmaxCrossEntropy(labels: x.ids(0), logits: x[1], reduction: reduction(a))
        },
        "softmax_cross_entropy": { x, a in
            try Losses.softmaxCrossEntropy(onehotLabels: x[0], logits: x[1], labelSmoothing: Float(a.float("label_smoothing")),
                                           reduction: reduction(a))
        },
        "sigmoid_cross_entropy": { x, a in
            try Losses.sigmoidCrossEntropy(multiClassLabels: x[0], logits: x[1], labelSmoothing: Float(a.float("label_smoothing")),
                                           reduction: reduction(a))
        },
        "mean_squared_error": { x, a in try Losses.meanSquaredError(labels: x[0], predictions: x[1], reduction: reduction(a)) },
    ]

    /// A loss's `reduction` attribute, as the runtime's `Losses.Reduction`.
    static func reduction(_ arguments: OperationArguments) throws -> Losses.Reduction {
        let name = try arguments.name("reduction")
        guard let reduction = Losses.Reduction(rawValue: name) else { throw InterpreterError("there is no loss reduction '\(name)'") }
        return reduction
    }

    /// Runs a step: its operands from the values so far (`indices`: the integer values, for the
    /// operands read as indices), its attributes evaluated with the parameters.
    static func run(_ operation: MathOperation, _ values: [String: Tensor], indices: [String: IndexTensor] = [:],
                    params: [String: Literal]) throws -> [Tensor] {
        let function: SeveralResults
        if let one = functions[operation.name] {
            function = { [try one($0, $1)] }
        } else if let several = severalResults[operation.name] {
            function = several
        } else {
            throw InterpreterError("the runtime has no function for operation '\(operation.name)'")
        }
        let tensors = try operation.operands.map { operand in
            switch operand {
            case let .value(name):
                guard let value = values[name] else { throw InterpreterError("value '\(name)' is not defined here") }
                return value
            case let .literal(literal):
                return try tensor(literal.evaluated(params))
            }
        }
        var given: [Int: IndexTensor] = [:]
        for position in operation.declaration.indexOperands where position < operation.operands.count {
            if let name = operation.operands[position].valueName, let ids = indices[name] { given[position] = ids }
        }
        return try function(Operands(tensors: tensors, indices: given), operation.arguments(params))
    }

    static func tensor(_ value: TensorValue) throws -> Tensor {
        try Tensor(shape: value.shape, scalars: value.scalars.map { Float($0) })
    }
}
