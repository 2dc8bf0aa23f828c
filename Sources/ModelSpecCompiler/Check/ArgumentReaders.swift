import LocatedYAML
import TFNaming

/// Which API's defaults an initializer name takes: `tf.compat.v1` initializers
/// (`random_normal` has stddev 1.0) or Keras's (`random_normal` has stddev 0.05).
enum InitializerDefaults {
    case compatV1, keras
}

extension NodeReader {
    static let initializerNames = [
        "zeros", "ones", "constant", "random_normal", "truncated_normal", "random_uniform",
        "glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
        "variance_scaling", "orthogonal", "identity",
    ]

    /// `zeros`, `{constant: 1.5}`, `{random_normal: {stddev: 0.1, seed: 3}}`, ...
    mutating func initializer(_ node: YAMLNode, defaults: InitializerDefaults) -> Initializer? {
        var name: String
        var arguments: YAMLNode?
        if let scalar = node.scalar, !scalar.isNull {
            name = scalar.text
        } else if let entries = node.mapping, entries.count == 1, let key = entries[0].key.scalar?.text {
            name = key
            arguments = entries[0].value
        } else {
            error(node, "an initializer must be a name such as glorot_uniform or a one-key mapping such as {constant: 1.5}")
            return nil
        }
        guard Self.initializerNames.contains(name) else {
            error(node, "unknown initializer '\(name)'" + Suggestion.didYouMean(name, among: Self.initializerNames))
            return nil
        }
        if name == "constant" {
            guard let arguments else {
                error(node, "the constant initializer needs its value: {constant: 1.5}")
                return nil
            }
            if let value = arguments.scalar?.double ?? arguments.scalar?.int.map(Double.init) {
                return .constant(value)
            }
            guard let entries = mapping(arguments, "the arguments of constant") else { return nil }
            rejectUnknownKeys(entries, allowed: ["value"], in: "the constant initializer")
            return arguments["value"].flatMap { double($0, "value") }.map(Initializer.constant) ?? .constant(0)
        }
        var options: [String: YAMLNode] = [:]
        if let arguments, !arguments.isNull {
            guard let entries = mapping(arguments, "the arguments of \(name)") else { return nil }
            let allowed: [String] = switch name {
            case "random_normal", "truncated_normal": ["mean", "stddev", "seed"]
            case "random_uniform": ["minval", "maxval", "seed"]
            case "glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform": ["seed"]
            case "variance_scaling": ["scale", "mode", "distribution", "seed"]
            case "orthogonal": ["gain", "seed"]
            case "identity": ["gain"]
            default: []
            }
            rejectUnknownKeys(entries, allowed: allowed, in: "the \(name) initializer")
            for entry in entries {
                if let key = entry.key.scalar?.text { options[key] = entry.value }
            }
        }
        func number(_ key: String, _ fallback: Double) -> Double {
            options[key].flatMap { double($0, key) } ?? fallback
        }
        let seed = options["seed"].flatMap { int($0, "seed") }
        let keras = defaults == .keras
        switch name {
        case "zeros": return .zeros
        case "ones": return .ones
        case "random_normal":
            return .randomNormal(mean: number("mean", 0), stddev: number("stddev", keras ? 0.05 : 1), seed: seed)
        case "truncated_normal":
            return .truncatedNormal(mean: number("mean", 0), stddev: number("stddev", keras ? 0.05 : 1), seed: seed)
        case "random_uniform":
            return .randomUniform(minval: number("minval", keras ? -0.05 : 0), maxval: number("maxval", keras ? 0.05 : 1), seed: seed)
        case "glorot_uniform": return .glorotUniform(seed: seed)
        case "glorot_normal": return .glorotNormal(seed: seed)
        case "he_normal": return .heNormal(seed: seed)
        case "he_uniform": return .heUniform(seed: seed)
        case "lecun_normal": return .lecunNormal(seed: seed)
        case "lecun_uniform": return .lecunUniform(seed: seed)
        case "orthogonal": return .orthogonal(gain: number("gain", 1), seed: seed)
        case "identity": return .identity(gain: number("gain", 1))
        default: return varianceScaling(options, seed: seed)
        }
    }

    /// `{variance_scaling: {scale: 2.0, mode: fan_out, distribution: uniform}}`, with TensorFlow's
    /// defaults (1.0, `fan_in`, `truncated_normal`) and checks (a positive scale; `normal` is
    /// `truncated_normal`, as TensorFlow reads it).
    private mutating func varianceScaling(_ options: [String: YAMLNode], seed: Int?) -> Initializer? {
        let scale = options["scale"].flatMap { double($0, "scale") } ?? 1
        if scale <= 0, let node = options["scale"] {
            error(node, "the variance_scaling scale must be positive, not \(scale)")
            return nil
        }
        var mode = FanMode.fanIn
        if let node = options["mode"], let text = string(node, "mode") {
            guard let given = FanMode(rawValue: text.lowercased()) else {
                error(node, "mode must be fan_in, fan_out or fan_avg, not '\(text)'")
                return nil
            }
            mode = given
        }
        var distribution = ScalingDistribution.truncatedNormal
        if let node = options["distribution"], let text = string(node, "distribution") {
            let name = text.lowercased() == "normal" ? "truncated_normal" : text.lowercased()
            guard let given = ScalingDistribution(rawValue: name) else {
                error(node, "distribution must be truncated_normal (or normal), untruncated_normal or uniform, not '\(text)'")
                return nil
            }
            distribution = given
        }
        return .varianceScaling(scale: scale, mode: mode, distribution: distribution, seed: seed)
    }

    /// `l2` (factor 0.01, as Keras), `{l2: 0.001}`, `{l1_l2: {l1: 0.01, l2: 0.01}}`.
    mutating func regularizer(_ node: YAMLNode) -> Regularizer? {
        if let scalar = node.scalar, !scalar.isNull {
            switch scalar.text {
            case "l1": return .l1(0.01)
            case "l2": return .l2(0.01)
            case "l1_l2": return .l1l2(l1: 0.01, l2: 0.01)
            default:
                error(node, "unknown regularizer '\(scalar.text)'; use l1, l2 or l1_l2, or {l2: 0.001} for another factor")
                return nil
            }
        }
        guard let entries = node.mapping, entries.count == 1, let name = entries[0].key.scalar?.text else {
            error(node, "a regularizer must be l1, l2, l1_l2 or a one-key mapping such as {l2: 0.001}")
            return nil
        }
        let value = entries[0].value
        if let slim = slimRegularizer(name, value) { return slim }
        switch name {
        case "l1": return double(value, "the l1 factor").map(Regularizer.l1)
        case "l2": return double(value, "the l2 factor").map(Regularizer.l2)
        case "l1_l2":
            guard let factors = mapping(value, "the factors of l1_l2") else { return nil }
            rejectUnknownKeys(factors, allowed: ["l1", "l2"], in: "l1_l2")
            let l1 = value["l1"].flatMap { double($0, "l1") } ?? 0
            let l2 = value["l2"].flatMap { double($0, "l2") } ?? 0
            return .l1l2(l1: l1, l2: l2)
        default:
            error(entries[0].key, "unknown regularizer '\(name)'; use l1, l2 or l1_l2, such as {l2: 0.001}, or TF-Slim's {l2_regularizer: 0.0005}")
            return nil
        }
    }

    /// TF-Slim's (and `tf.contrib.layers`') `l2_regularizer(scale)`, `scale · Σx² / 2`
    /// (`scale · tf.nn.l2_loss`), and `l1_regularizer(scale)`, `scale · Σ|x|`, as the
    /// Keras-form factors: `{l2_regularizer: 0.0005}` is `{l2: 0.00025}`. Nil for other names.
    private mutating func slimRegularizer(_ name: String, _ value: YAMLNode) -> Regularizer?? {
        let bare = name.hasPrefix("slim.") ? String(name.dropFirst(5)) : name
        guard bare == "l1_regularizer" || bare == "l2_regularizer" else { return nil }
        guard let scale = double(value, "the scale of \(bare)") else { return .some(nil) }
        guard scale > 0 else {
            error(value, "\(bare) with scale \(scale) makes no regularizer in TF-Slim (a scale of 0 disables it; a negative one is refused); leave the regularizer out")
            return .some(nil)
        }
        return bare == "l2_regularizer" ? .l2(scale / 2) : .l1(scale)
    }

    mutating func activation(_ node: YAMLNode) -> Activation? {
        if node.isNull { return .linear }
        guard let text = string(node, "activation") else { return nil }
        if let activation = Activation(rawValue: text) { return activation }
        error(node, "unknown activation '\(text)'" + Suggestion.didYouMean(text, among: Activation.allCases.map(\.rawValue)))
        return nil
    }

    mutating func padding(_ node: YAMLNode) -> Padding? {
        guard let text = string(node, "padding") else { return nil }
        if let padding = Padding(rawValue: text.lowercased()) { return padding }
        error(node, "padding must be valid or same, not '\(text)'")
        return nil
    }

    /// `reuse: true`, `reuse: auto` (AUTO_REUSE), `reuse: false` (inherit).
    mutating func reuse(_ node: YAMLNode) -> Reuse? {
        if let value = node.scalar?.bool { return value ? .reuse : .inherit }
        if node.scalar?.text == "auto" { return .auto }
        error(node, "reuse must be true, false or auto, not \(describe(node))")
        return nil
    }

    /// `training: training` (the model's flag) or `training: true|false`.
    mutating func training(_ node: YAMLNode) -> TrainingFlag? {
        if let value = node.scalar?.bool { return .constant(value) }
        if node.scalar?.text == "training" { return .callFlag }
        error(node, "training must be true, false or training (the model's own flag), not \(describe(node))")
        return nil
    }
}
