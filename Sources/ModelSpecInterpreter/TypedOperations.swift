import ModelSpecCompiler
import ModelSpecRuntime

/// The runtime functions of the operations computed in integers or booleans (a step whose
/// ``MathOperation/operandType`` is int32, int64 or bool): the generic runtime functions of
/// ``IntegerTensor`` and ``ElementTensor``, written once for every element type, as generated
/// code calls them (`try add(ids, IndexTensor(1))`). The checker lets only these operations
/// compute in integers or booleans (``ValueTypes``); `TypedOperationsTests` checks that each
/// declaration taking integers has one here.
enum TypedOperations {
    typealias Value = InterpretedValue

    /// The results of `name` on `shared` (the operands of the shared dtype, in order); `operands` gives
    /// the others (indices, a condition).
    static func run(_ name: String, in kind: ValueKind, _ shared: [Value], _ operands: RuntimeOperations.Operands,
                    _ arguments: OperationArguments) throws -> [Value] {
        // A constant's value is its tensor attribute, of its dtype.
        let shared = name == "constant" ? [try RuntimeOperations.value(arguments.tensor("value"), kind)] : shared
        let results: [Value]?
        switch kind {
        case .int32: results = try integers(name, shared.map(\.int32Payload), operands, arguments, Value.int32)
        case .int64: results = try integers(name, shared.map(\.int64Payload), operands, arguments, Value.int64)
        case .bool: results = try booleans(name, shared.map(\.boolPayload), operands, arguments)
        case .float: results = nil
        }
        guard let results else { throw InterpreterError("the runtime has no \(kind) function for operation '\(name)'") }
        return results
    }

    /// The operations of integers: arithmetic, reductions, comparisons; then those of any element type.
    static func integers<S>(_ name: String, _ x: [IntegerTensor<S>], _ operands: RuntimeOperations.Operands,
                            _ a: OperationArguments, _ wrap: (IntegerTensor<S>) -> Value) throws -> [Value]? {
        let one: IntegerTensor<S>
        switch name {
        case "add": one = try add(x[0], x[1])
        case "subtract": one = try subtract(x[0], x[1])
        case "multiply": one = try multiply(x[0], x[1])
        case "pow": one = try pow(x[0], x[1])
        case "maximum": one = try maximum(x[0], x[1])
        case "minimum": one = try minimum(x[0], x[1])
        case "squared_difference": one = try squaredDifference(x[0], x[1])
        case "matmul": one = try matmul(x[0], x[1], transposeA: a.bool("transpose_a"), transposeB: a.bool("transpose_b"))
        case "bias_add": one = try biasAdd(x[0], x[1])
        case "abs": one = abs(x[0])
        case "negative": one = negative(x[0])
        case "square": one = square(x[0])
        case "relu": one = relu(x[0])
        case "relu6": one = relu6(x[0])
        case "reduce_sum": one = try reduceSum(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims"))
        case "reduce_mean": one = try reduceMean(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims"))
        case "reduce_max": one = try reduceMax(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims"))
        case "reduce_min": one = try reduceMin(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims"))
        case "reduce_prod": one = try reduceProd(x[0], axes: a.ints("axis"), keepDims: a.bool("keepdims"))
        case "moments":
            let (mean, variance) = try moments(x[0], axes: a.ints("axes") ?? [], keepDims: a.bool("keepdims"))
            return [wrap(mean), wrap(variance)]
        case "argmax": return [.int32(try argmax(x[0], axis: a.int("axis")))]
        case "argmin": return [.int32(try argmin(x[0], axis: a.int("axis")))]
        case "greater": return [.bool(try greater(x[0], x[1]))]
        case "greater_equal": return [.bool(try greaterEqual(x[0], x[1]))]
        case "less": return [.bool(try less(x[0], x[1]))]
        case "less_equal": return [.bool(try lessEqual(x[0], x[1]))]
        case "equal": return [.bool(try equal(x[0], x[1]))]
        case "not_equal": return [.bool(try notEqual(x[0], x[1]))]
        case "pad":
            guard let mode = Tensor.PadMode(rawValue: try a.name("mode")) else { throw InterpreterError("pad has no mode '\(try a.name("mode"))'") }
            let fill = try a.float("constant_values")
            guard let value = S(exactly: fill) else { throw InterpreterError("pad: constant_values \(fill) is not an \(S.dtypeName)") }
            one = try pad(x[0], paddings: a.intLists("paddings"), mode: mode, constantValue: value)
        default: return try elements(name, x, operands, a, wrap)
        }
        return [wrap(one)]
    }

    /// The operations of booleans: `equal`, `not_equal`; then those of any element type.
    static func booleans(_ name: String, _ x: [BoolTensor], _ operands: RuntimeOperations.Operands,
                         _ a: OperationArguments) throws -> [Value]? {
        switch name {
        case "equal": [.bool(try equal(x[0], x[1]))]
        case "not_equal": [.bool(try notEqual(x[0], x[1]))]
        default: try elements(name, x, operands, a, Value.bool)
        }
    }

    /// The operations that move elements, of integers and booleans alike.
    static func elements<T: ElementTensor>(_ name: String, _ x: [T], _ operands: RuntimeOperations.Operands,
                                           _ a: OperationArguments, _ wrap: (T) -> Value) throws -> [Value]? {
        let one: T
        switch name {
        case "identity", "cast": one = x[0]
        case "constant": one = try constant(x[0], shape: a.ints("shape"))
        case "reshape": one = try reshape(x[0], a.ints("shape") ?? [])
        case "expand_dims": one = try expandDims(x[0], axis: a.int("axis"))
        case "squeeze": one = try squeeze(x[0], axes: a.ints("axis").flatMap { $0.isEmpty ? nil : $0 })
        case "concat": one = try concat(x, axis: a.int("axis"))
        case "stack": one = try stack(x, axis: a.int("axis"))
        case "tile": one = try tile(x[0], multiples: a.ints("multiples") ?? [])
        case "pad" where T.self == BoolTensor.self:
            guard let mode = Tensor.PadMode(rawValue: try a.name("mode")) else { throw InterpreterError("pad has no mode '\(try a.name("mode"))'") }
            // The checker allows only false (0) as a bool's constant_values.
            one = try pad(x[0] as! BoolTensor, paddings: a.intLists("paddings"), mode: mode) as! T
        case "slice": one = try slice(x[0], begin: a.ints("begin") ?? [], size: a.ints("size") ?? [])
        case "transpose": one = try transpose(x[0], perm: a.ints("perm").flatMap { $0.isEmpty ? nil : $0 })
        case "strided_slice":
            let s = try StridedSliceArguments(a)
            one = try stridedSlice(x[0], begin: s.begin, end: s.end, strides: s.strides, beginMask: s.masks[0], endMask: s.masks[1],
                                   ellipsisMask: s.masks[2], newAxisMask: s.masks[3], shrinkAxisMask: s.masks[4])
        case "where": one = try select(operands.booleans(0), x[0], x[1])
        case "gather": one = try gather(x[0], indices: operands.ids(1))
        case "embedding_lookup": one = try embeddingLookup(x[0], ids: operands.ids(1))
        case "image.resize":
            one = try resizeImages(x[0], size: a.ints("size") ?? [], method: .nearest, alignCorners: a.bool("align_corners"),
                                   halfPixelCenters: a.bool("half_pixel_centers"))
        case "split":
            if case let .ints(sizes)? = a.values["num_or_size_splits"] { return try split(x[0], sizes: sizes, axis: a.int("axis")).map(wrap) }
            return try split(x[0], count: a.int("num_or_size_splits"), axis: a.int("axis")).map(wrap)
        case "unstack": return try unstack(x[0], axis: a.int("axis")).map(wrap)
        default: return nil
        }
        return [wrap(one)]
    }

    /// The operations computed in integers, for the test that keeps this table and the declarations in step.
    static let integerOperations: Set<String> = [
        "add", "subtract", "multiply", "pow", "maximum", "minimum", "squared_difference", "matmul", "bias_add", "abs", "negative",
        "square", "relu", "relu6", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "moments", "argmax",
        "argmin", "greater", "greater_equal", "less", "less_equal", "equal", "not_equal", "pad",
    ]

    /// The operations that move elements of any dtype.
    static let elementOperations: Set<String> = [
        "constant", "identity", "cast", "reshape", "expand_dims", "squeeze", "concat", "stack", "tile", "pad", "slice", "transpose",
        "strided_slice", "where", "gather", "embedding_lookup", "image.resize", "split", "unstack",
    ]
}

/// `strided_slice`'s attributes, as its runtime functions take them.
struct StridedSliceArguments {
    let begin: [Int], end: [Int], strides: [Int]?, masks: [Int]

    init(_ a: OperationArguments) throws {
        (begin, end, strides) = (try a.ints("begin") ?? [], try a.ints("end") ?? [], try a.ints("strides"))
        masks = try ["begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"].map { try a.int($0) }
    }
}

extension InterpretedValue {
    // The payloads of the operands of one shared dtype (the checker makes them agree).
    fileprivate var int32Payload: IndexTensor { if case let .int32(x) = self { x } else { IndexTensor([]) } }
    fileprivate var int64Payload: Int64Tensor { if case let .int64(x) = self { x } else { Int64Tensor([]) } }
    fileprivate var boolPayload: BoolTensor { if case let .bool(x) = self { x } else { BoolTensor([]) } }
}
