import ModelSpecCompiler
import TFNaming

/// Swift source for the arguments of runtime calls: parameter references,
/// initializers, regularizers, activations, layer arguments. Arguments equal to
/// the runtime's defaults are left out, as a person would write the call.
struct ArgumentRendering {
    /// Spec parameter name -> Swift name, for `$param` references.
    var paramNames: [String: String]

    func int(_ expr: Expr<Int>) -> String {
        switch expr {
        case let .literal(value): String(value)
        case let .param(name): paramNames[name] ?? SwiftName.lowerCamel(name)
        }
    }

    func ints(_ exprs: [Expr<Int>]) -> String {
        "[" + exprs.map(int).joined(separator: ", ") + "]"
    }

    func double(_ expr: Expr<Double>) -> String {
        switch expr {
        case let .literal(value): SwiftLiteral.float(value)
        case let .param(name): "Float(\(paramNames[name] ?? SwiftName.lowerCamel(name)))"
        }
    }

    func string(_ expr: Expr<String>) -> String {
        switch expr {
        case let .literal(value): SwiftLiteral.string(value)
        case let .param(name): paramNames[name] ?? SwiftName.lowerCamel(name)
        }
    }

    func literal(_ expr: Expr<Literal>) -> String {
        switch expr {
        case let .param(name): return paramNames[name] ?? SwiftName.lowerCamel(name)
        case let .literal(value):
            switch value {
            case let .int(int): return String(int)
            case let .float(double): return SwiftLiteral.float(double)
            case let .bool(bool): return String(bool)
            case let .string(text): return SwiftLiteral.string(text)
            }
        }
    }

    /// An operation's attribute as the runtime function takes it.
    func attribute(_ value: AttributeValue) -> String {
        switch value {
        case let .int(expr): int(expr)
        case let .ints(exprs): ints(exprs)
        case let .bool(bool): String(bool)
        case let .float(expr): double(expr)
        case let .tensor(literal): tensor(literal)
        case let .dtype(dtype): "." + dtype.rawValue
        case let .intLists(lists): "[" + lists.map(ints).joined(separator: ", ") + "]"
        case let .name(name): "." + name
        }
    }

    /// Numbers written in a spec, as a runtime `Tensor`: `Tensor(0.5)`, `Tensor([1.0, 2.0])`,
    /// `try Tensor(shape: [2, 2], scalars: [...])`.
    func tensor(_ literal: TensorLiteral) -> String {
        let scalars = literal.scalars.map(double)
        switch literal.shape.count {
        case 0: return "Tensor(\(scalars.first ?? "0"))"
        case 1: return "Tensor([\(scalars.joined(separator: ", "))])"
        default: return "try Tensor(shape: \(SwiftLiteral.ints(literal.shape)), scalars: [\(scalars.joined(separator: ", "))])"
        }
    }

    /// The runtime's `Initializer` (whose random defaults are Keras's).
    func initializer(_ initializer: Initializer) -> String {
        func seed(_ seed: Int?) -> String? { seed.map { "seed: \($0)" } }
        func call(_ name: String, _ arguments: [String?]) -> String {
            let present = arguments.compactMap { $0 }
            return present.isEmpty ? ".\(name)()" : ".\(name)(\(present.joined(separator: ", ")))"
        }
        func number(_ label: String, _ value: Double, default fallback: Double) -> String? {
            Float(value) == Float(fallback) ? nil : "\(label): \(SwiftLiteral.float(value))"
        }
        switch initializer {
        case .zeros: return ".zeros"
        case .ones: return ".ones"
        case let .constant(value): return ".constant(\(SwiftLiteral.float(value)))"
        case let .randomNormal(mean, stddev, s):
            return call("randomNormal", [number("mean", mean, default: 0), number("stddev", stddev, default: 0.05), seed(s)])
        case let .truncatedNormal(mean, stddev, s):
            return call("truncatedNormal", [number("mean", mean, default: 0), number("stddev", stddev, default: 0.05), seed(s)])
        case let .randomUniform(minval, maxval, s):
            return call("randomUniform", [number("minval", minval, default: -0.05), number("maxval", maxval, default: 0.05), seed(s)])
        case let .glorotUniform(s): return call("glorotUniform", [seed(s)])
        case let .glorotNormal(s): return call("glorotNormal", [seed(s)])
        }
    }

    func regularizer(_ regularizer: Regularizer) -> String {
        switch regularizer {
        case let .l1(factor): ".l1(\(SwiftLiteral.float(factor)))"
        case let .l2(factor): ".l2(\(SwiftLiteral.float(factor)))"
        case let .l1l2(l1, l2): ".l1l2(l1: \(SwiftLiteral.float(l1)), l2: \(SwiftLiteral.float(l2)))"
        }
    }

    func reuse(_ reuse: Reuse) -> String? {
        switch reuse {
        case .inherit: nil
        case .reuse: ".reuse"
        case .auto: ".auto"
        }
    }

    /// The arguments of a layer, after its input, in the runtime's parameter order.
    /// - Parameters:
    ///   - training: the Swift expression of the training flag, for layers that take one.
    ///   - form: which runtime API the call goes to.
    func layerArguments(_ config: LayerConfig, training: String?, form: LayerCallForm) throws -> [String] {
        var arguments: [String] = []
        func add(_ label: String, _ value: String?) {
            if let value { arguments.append("\(label): \(value)") }
        }
        let pair: ([Expr<Int>]?) -> String? = { $0.map(ints) }
        switch config.kind {
        case .dense:
            add("units", config.units.map(int))
        case .conv2d:
            add("filters", config.filters.map(int))
            add("kernelSize", pair(config.kernelSize))
            if let strides = config.strides, strides != [.literal(1), .literal(1)] { add("strides", ints(strides)) }
            if config.padding == .same { add("padding", ".same") }
            if let dilation = config.dilationRate, dilation != [.literal(1), .literal(1)] { add("dilationRate", ints(dilation)) }
        case .maxPooling2d, .averagePooling2d:
            add("poolSize", pair(config.poolSize))
            add("strides", pair(config.strides))
            if config.padding == .same { add("padding", ".same") }
        case .batchNormalization:
            if config.axis != -1 { add("axis", String(config.axis)) }
            if Float(config.momentum) != 0.99 { add("momentum", SwiftLiteral.float(config.momentum)) }
            if Float(config.epsilon) != 0.001 { add("epsilon", SwiftLiteral.float(config.epsilon)) }
            if !config.center { add("center", "false") }
            if !config.scale { add("scale", "false") }
        case .dropout:
            if let rate = config.rate, rate != .literal(0.5) || form == .native { add("rate", double(rate)) }
        case .flatten:
            break
        }
        if config.kind == .dense || config.kind == .conv2d {
            if config.activation != .linear { add("activation", config.activation.swiftCase) }
            if !config.useBias { add("useBias", "false") }
            add("kernelInitializer", config.kernelInitializer.map(initializer))
            if let bias = config.biasInitializer, bias != .zeros { add("biasInitializer", initializer(bias)) }
            add("kernelRegularizer", config.kernelRegularizer.map(regularizer))
            add("biasRegularizer", config.biasRegularizer.map(regularizer))
        }
        if form == .functional, let training, config.kind == .batchNormalization || config.kind == .dropout {
            add("training", training)
        }
        let hasTrainable = [.dense, .conv2d, .batchNormalization].contains(config.kind)
        if hasTrainable, !config.trainable { add("trainable", "false") }
        if form != .native { add("name", config.name.map(SwiftLiteral.string)) }
        if form == .functional, hasTrainable || config.kind == .batchNormalization { add("reuse", reuse(config.reuse)) }
        return arguments
    }
}

/// Which runtime API a layer is written against.
enum LayerCallForm {
    /// `tf.dense(x, ...)`: a functional `tf.compat.v1.layers` call.
    case functional
    /// `v1.Dense(...)`: a compat layer object.
    case legacyObject
    /// `keras.Dense(..., path:)`: a Keras-native layer.
    case native
}

/// The runtime function of each layer kind, as `tf.` methods and as `keras.`/`v1.` classes.
extension LayerKind {
    var functionName: String {
        switch self {
        case .dense: "dense"
        case .conv2d: "conv2d"
        case .batchNormalization: "batchNormalization"
        case .flatten: "flatten"
        case .dropout: "dropout"
        case .maxPooling2d: "maxPooling2d"
        case .averagePooling2d: "averagePooling2d"
        }
    }
}

extension Activation {
    /// The runtime's `Activation` case: `.relu`, `.leakyRelu(alpha: 0.2)`.
    var swiftCase: String {
        switch self {
        case .leakyRelu: ".leakyRelu(alpha: 0.2)"
        default: "." + rawValue
        }
    }
}

/// A spec the generator cannot turn into Swift.
public struct GeneratorError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
