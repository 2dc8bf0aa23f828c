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
        let kind = ValueKind(literal.dtype)
        let scalars: [String] = literal.scalars.map { scalar in
            switch (kind, scalar) {
            case (.float, _): return double(scalar)
            case let (.bool, .literal(value)): return String(value != 0)
            case let (_, .literal(value)): return String(Int(value))
            // An Int parameter as the integer type; outside its range it wraps, as TensorFlow converts it.
            case let (_, .param(name)): return "\(kind == .int64 ? "Int64" : "Int32")(truncatingIfNeeded: \(paramNames[name] ?? SwiftName.lowerCamel(name)))"
            }
        }
        let type = kind.swiftType
        switch literal.shape.count {
        case 0 where kind != .bool: return "\(type)(\(scalars.first ?? "0"))"
        case 1: return "\(type)([\(scalars.joined(separator: ", "))])"
        default: return "try \(type)(shape: \(SwiftLiteral.ints(literal.shape)), scalars: [\(scalars.joined(separator: ", "))])"
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
        case let .varianceScaling(scale, mode, distribution, s):
            if let preset = Self.varianceScalingPresets.first(where: { $0.0 == .varianceScaling(scale: scale, mode: mode, distribution: distribution, seed: s) }) {
                return call(preset.1, [seed(s)])
            }
            return call("varianceScaling", [number("scale", scale, default: 1), mode == .fanIn ? nil : "mode: .\(SwiftName.lowerCamel(mode.rawValue))",
                                            distribution == .truncatedNormal ? nil : "distribution: .\(SwiftName.lowerCamel(distribution.rawValue))",
                                            seed(s)])
        case let .orthogonal(gain, s): return call("orthogonal", [number("gain", gain, default: 1), seed(s)])
        case let .identity(gain): return call("identity", [number("gain", gain, default: 1)])
        }
    }

    /// The runtime's names of variance scaling's presets.
    static let varianceScalingPresets: [(ModelSpecCompiler.Initializer, String)] = [
        (.heNormal(seed: nil), "heNormal"), (.heUniform(seed: nil), "heUniform"),
        (.lecunNormal(seed: nil), "lecunNormal"), (.lecunUniform(seed: nil), "lecunUniform"),
    ]

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

    /// The arguments of a layer, after its input, in the runtime's parameter order (its
    /// declaration's): those given and not equal to the runtime's default, then `training`,
    /// `trainable`, `name` and `reuse` where the form's runtime call takes them.
    /// - Parameters:
    ///   - training: the Swift expression of the training flag, for layers that take one.
    ///   - form: which runtime API the call goes to (a functional step joined into a
    ///     convolution block is written as a configuration, `.legacyObject`).
    ///   - name: the Swift expression of a name formatted from loop indices (`"fc_\(i)"`), in place of `config.name`.
    func layerArguments(_ config: LayerConfig, training: String?, form: LayerForm, name formatted: String? = nil) throws -> [String] {
        let kind = config.kind
        var arguments: [String] = []
        for argument in kind.arguments(in: config.form) {
            guard let given = config.arguments[argument.key] else { continue }
            if case let .value(fallback)? = argument.defaults[config.form], Self.same(given, fallback) { continue }
            arguments.append("\(argument.swiftLabel): \(layerValue(given))")
        }
        if form == .functional, let training, kind.takesTraining { arguments.append("training: \(training)") }
        if kind.hasVariables, !config.trainable { arguments.append("trainable: false") }
        if form != .native, let name = formatted ?? config.name.map(SwiftLiteral.string) { arguments.append("name: \(name)") }
        if form == .functional, kind.hasVariables, let reuse = reuse(config.reuse) { arguments.append("reuse: \(reuse)") }
        return arguments
    }

    /// A layer argument as the runtime takes it.
    func layerValue(_ value: LayerValue) -> String {
        switch value {
        case let .int(expr): int(expr)
        case let .ints(exprs): ints(exprs)
        case let .float(expr): double(expr)
        case let .bool(bool): String(bool)
        case let .padding(padding): "." + padding.rawValue
        case let .activation(activation): activation.swiftCase
        case let .initializer(value): initializer(value)
        case let .regularizer(value): regularizer(value)
        }
    }

    /// Whether a given value is the default, as the runtime's `Float` arguments see it.
    static func same(_ given: LayerValue, _ fallback: LayerValue) -> Bool {
        if case let .float(.literal(a)) = given, case let .float(.literal(b)) = fallback { return Float(a) == Float(b) }
        return given == fallback
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
