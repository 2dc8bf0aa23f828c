import LocatedYAML
import TFNaming

/// Where a layer is written, which decides the keys it takes.
enum LayerForm {
    /// A functional `tf.compat.v1.layers` step (`- dense: {...}`): takes `input`, `reuse`, `training`.
    case functional
    /// A `tf.compat.v1.layers` object in `layers:` (`v1.Dense`).
    case legacyObject
    /// A Keras-native layer in `layers:` (`Dense`).
    case native
}

extension NodeReader {
    /// The keys each layer accepts, besides `name`, `trainable` and the form's own keys.
    static func layerKeys(_ kind: LayerKind) -> [String] {
        let weights = ["activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer"]
        switch kind {
        case .dense: return ["units"] + weights
        case .conv2d: return ["filters", "kernel_size", "strides", "padding", "dilation_rate"] + weights
        case .batchNormalization: return ["axis", "momentum", "epsilon", "center", "scale", "training"]
        case .flatten: return []
        case .dropout: return ["rate", "training"]
        case .maxPooling2d, .averagePooling2d: return ["pool_size", "strides", "padding"]
        }
    }

    /// Reads a layer's arguments. Returns the config, and for the functional
    /// form the `input` node if one was given.
    mutating func layerConfig(
        _ kind: LayerKind, _ node: YAMLNode?, form: LayerForm, at location: YAMLNode
    ) -> (config: LayerConfig, input: YAMLNode?)? {
        var config = LayerConfig(kind: kind)
        var entries: [YAMLMappingEntry] = []
        if let node, !node.isNull {
            guard let mapped = mapping(node, "the arguments of \(kind.rawValue)") else { return nil }
            entries = mapped
        }
        var allowed = Self.layerKeys(kind) + ["name", "trainable"]
        if form == .functional { allowed += ["input", "reuse"] }
        if form != .functional { allowed.removeAll { $0 == "training" } }
        rejectUnknownKeys(entries, allowed: allowed, in: "\(kind.rawValue)")
        let errorsBefore = diagnostics.all.count
        let defaults: InitializerDefaults = form == .native ? .keras : .compatV1
        var input: YAMLNode?
        for entry in entries {
            guard let key = entry.key.scalar?.text, allowed.contains(key) else { continue }
            let value = entry.value
            switch key {
            case "units": config.units = intExpr(value, "units")
            case "filters": config.filters = intExpr(value, "filters")
            case "kernel_size": config.kernelSize = intExprs(value, "kernel_size", count: 2)
            case "strides": config.strides = intExprs(value, "strides", count: 2)
            case "dilation_rate": config.dilationRate = intExprs(value, "dilation_rate", count: 2)
            case "pool_size": config.poolSize = intExprs(value, "pool_size", count: 2)
            case "padding": config.padding = padding(value) ?? .valid
            case "activation": config.activation = activation(value) ?? .linear
            case "use_bias": config.useBias = bool(value, "use_bias") ?? true
            case "kernel_initializer": config.kernelInitializer = initializer(value, defaults: defaults)
            case "bias_initializer": config.biasInitializer = initializer(value, defaults: defaults)
            case "kernel_regularizer": config.kernelRegularizer = regularizer(value)
            case "bias_regularizer": config.biasRegularizer = regularizer(value)
            case "trainable": config.trainable = bool(value, "trainable") ?? true
            case "name":
                config.name = string(value, "name")
                if let name = config.name { requireTensorFlowName(name, "layer name", at: value) }
            case "reuse": config.reuse = reuse(value) ?? .inherit
            case "rate": config.rate = doubleExpr(value, "rate")
            case "momentum": config.momentum = double(value, "momentum") ?? 0.99
            case "epsilon": config.epsilon = double(value, "epsilon") ?? 0.001
            case "center": config.center = bool(value, "center") ?? true
            case "scale": config.scale = bool(value, "scale") ?? true
            case "axis": config.axis = int(value, "axis") ?? -1
            case "training": config.training = training(value)
            case "input": input = value
            default: break
            }
            if ["units", "filters", "kernel_size", "strides", "dilation_rate", "pool_size"].contains(key) {
                requirePositive(value, key)
            }
            if key == "rate", case let .literal(rate)? = config.rate, !(0..<1).contains(rate) {
                error(value, "rate must be at least 0 and less than 1, not \(rate)")
            }
        }
        let required: [(String, Bool)] = switch kind {
        case .dense: [("units", config.units != nil)]
        case .conv2d: [("filters", config.filters != nil), ("kernel_size", config.kernelSize != nil)]
        case .maxPooling2d, .averagePooling2d:
            // tf.compat.v1.layers.max_pooling2d(inputs, pool_size, strides) needs both; Keras defaults strides to pool_size.
            [("pool_size", config.poolSize != nil)] + (form == .native ? [] : [("strides", config.strides != nil)])
        default: []
        }
        // A required key that is missing because it is misspelled was reported as unknown, with the suggestion.
        let misspelled = entries.compactMap { $0.key.scalar?.text }.filter { !allowed.contains($0) }
        for (key, present) in required where !present && entries.first(where: { $0.key.scalar?.text == key }) == nil
            && !misspelled.contains(where: { Suggestion.didYouMean($0, among: allowed).contains("'\(key)'") }) {
            error(node ?? location, "\(kind.rawValue) needs '\(key)'")
        }
        if kind == .dropout, config.rate == nil { config.rate = .literal(0.5) }
        return diagnostics.all.count == errorsBefore ? (config, input) : nil
    }
}

extension NodeReader {
    /// Reports literal sizes that are zero or negative (`units: 0`, `strides: [1, 0]`);
    /// `$param` values are checked when the model is traced.
    mutating func requirePositive(_ node: YAMLNode, _ what: String) {
        for item in node.sequence ?? [node] {
            if let value = item.scalar?.int, value <= 0 {
                error(item, "\(what) must be positive, not \(value)")
            }
        }
    }
}
