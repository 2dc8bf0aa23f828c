import LocatedYAML
import TFNaming

/// TF-Slim in a spec, written as Slim code reads (tf-slim 1.1.0):
///
///     - arg_scope:                                  # with slim.arg_scope([slim.conv2d], padding='SAME', ...):
///         ops: [slim.conv2d, slim.fully_connected]
///         weights_regularizer: {l2: 0.0005}
///       do:
///         - slim.repeat: {repetitions: 2, layer: slim.conv2d, num_outputs: 64, kernel_size: [3, 3], scope: conv1}
///         - slim.max_pool2d: {kernel_size: [2, 2], scope: pool1}
///         - slim.conv2d: {num_outputs: 128, kernel_size: 3, normalizer_fn: batch_norm,
///                         normalizer_params: {is_training: training}}
///         - slim.stack: {layer: slim.fully_connected, args: [{num_outputs: 32}, {num_outputs: 64}], scope: fc}
///
/// Each `slim.*` call takes the defaults of the `arg_scope`s around it for its op
/// (inner scopes over outer ones, the call's own keys over both), then Slim's own.
/// `slim.repeat` and `slim.stack` open `variable_scope(scope, default_name=Repeat|Stack)`
/// and call the layer with `scope=<scope>_<i>` (without a scope, the layer function's
/// name: `convolution2d_1`). Layers with variables become ``LayerKind/slimCases``;
/// pooling, flatten and dropout the `tf.compat.v1.layers` kinds with Slim's defaults.
extension StepChecker {
    /// The `slim.*` layer steps and the keys each takes, besides `input`.
    static let slimLayerKeys: [String: [String]] = {
        let weights = ["activation_fn", "normalizer_fn", "normalizer_params", "weights_initializer", "weights_regularizer",
                       "biases_initializer", "biases_regularizer", "trainable", "reuse", "scope"]
        let pooling = ["kernel_size", "stride", "padding", "data_format", "scope"]
        return [
            "slim.conv2d": ["num_outputs", "kernel_size", "stride", "padding", "rate", "data_format"] + weights,
            "slim.fully_connected": ["num_outputs"] + weights,
            "slim.separable_conv2d": ["num_outputs", "kernel_size", "depth_multiplier", "stride", "padding", "rate",
                                      "pointwise_initializer", "data_format"] + weights,
            "slim.conv2d_transpose": ["num_outputs", "kernel_size", "stride", "padding", "data_format"] + weights,
            "slim.batch_norm": ["decay", "center", "scale", "epsilon", "activation_fn", "is_training", "updates_collections", "fused",
                                "trainable", "reuse", "scope"],
            "slim.max_pool2d": pooling,
            "slim.avg_pool2d": pooling,
            "slim.layer_norm": ["center", "scale", "activation_fn", "begin_norm_axis", "begin_params_axis", "trainable", "reuse", "scope"],
            "slim.flatten": ["scope"],
            "slim.dropout": ["keep_prob", "is_training", "scope"],
        ]
    }()

    /// The layer function's `__name__`, the scope `slim.repeat` and `slim.stack` give their
    /// layers without a `scope` (`slim.conv2d` is `convolution2d`).
    static let slimFunctionNames: [String: String] = [
        "slim.conv2d": "convolution2d", "slim.fully_connected": "fully_connected", "slim.batch_norm": "batch_norm",
        "slim.separable_conv2d": "separable_convolution2d", "slim.conv2d_transpose": "convolution2d_transpose",
        "slim.max_pool2d": "max_pool2d", "slim.layer_norm": "layer_norm", "slim.avg_pool2d": "avg_pool2d", "slim.flatten": "flatten", "slim.dropout": "dropout",
    ]

    static let slimSteps = slimLayerKeys.keys.sorted() + ["slim.repeat", "slim.stack"]

    static let normalizerParamKeys = ["is_training", "decay", "center", "scale", "epsilon", "updates_collections", "fused"]

    // MARK: arg_scope

    /// `- arg_scope: {ops: [...], key: value, ...}` with `do:`: its steps, read with these defaults.
    mutating func argScope(_ node: YAMLNode) -> [Step] {
        guard let entries = node.mapping else {
            reader.error(node, "arg_scope is a mapping step: '- arg_scope: {ops: [slim.conv2d], padding: SAME}' with 'do:'")
            return []
        }
        var scopeNode: YAMLNode?
        var body: YAMLNode?
        for entry in entries {
            switch entry.key.scalar?.text {
            case "arg_scope": scopeNode = entry.value
            case "do": body = entry.value
            case let key?:
                reader.error(entry.key, "arg_scope takes its defaults under 'arg_scope:' and its steps under 'do:', not '\(key)'")
            case nil: break
            }
        }
        guard let scopeNode, let arguments = reader.mapping(scopeNode, "the arguments of arg_scope") else { return [] }
        guard let body else {
            reader.error(node, "arg_scope needs the steps inside it under 'do:'")
            return []
        }
        var ops: [String] = []
        if let opsNode = scopeNode["ops"] {
            for item in opsNode.sequence ?? [opsNode] {
                guard let op = reader.string(item, "an op of arg_scope") else { continue }
                if Self.slimLayerKeys[op] == nil {
                    reader.error(item, "arg_scope takes the slim layers it applies to, not '\(op)'"
                                 + Suggestion.didYouMean(op, among: Self.slimLayerKeys.keys.sorted()))
                } else {
                    ops.append(op)
                }
            }
        } else {
            reader.error(scopeNode, "arg_scope needs 'ops', the layers it applies to: {ops: [slim.conv2d, slim.fully_connected], ...}")
        }
        var frame = argScopes.last ?? [:]
        for entry in arguments {
            guard let key = entry.key.scalar?.text, key != "ops" else { continue }
            for op in ops {
                // Slim raises when a call gets a keyword its function does not take.
                guard Self.slimLayerKeys[op]!.contains(key), key != "scope" else {
                    reader.error(entry.key, "\(op) takes no '\(key)', so this arg_scope cannot give it"
                                 + Suggestion.didYouMean(key, among: Self.slimLayerKeys[op]!))
                    continue
                }
                frame[op, default: [:]][key] = entry.value
            }
        }
        argScopes.append(frame)
        defer { argScopes.removeLast() }
        return steps(body, "'do'")
    }

    // MARK: Layers

    /// A `slim.*` step.
    mutating func slimOperation(_ name: String, _ arguments: YAMLNode?, _ at: YAMLNode) -> (Operation, [String], Int, String)? {
        guard style == .legacy else {
            reader.error(at, "'\(name)' is a TF-Slim layer, which belongs to legacy models (style: legacy)")
            return nil
        }
        var entries: [YAMLMappingEntry] = []
        if let arguments, !arguments.isNull {
            guard let mapped = reader.mapping(arguments, "the arguments of \(name)") else { return nil }
            entries = mapped
        }
        if name == "slim.repeat" || name == "slim.stack" {
            return slimRepeat(name, entries, arguments ?? at, at)
        }
        guard let keys = Self.slimLayerKeys[name] else {
            reader.error(at, "unknown TF-Slim step '\(name)'" + Suggestion.didYouMean(name, among: Self.slimSteps))
            return nil
        }
        reader.rejectUnknownKeys(entries, allowed: keys + ["input"], in: name)
        var given: [String: YAMLNode] = argScopes.last?[name] ?? [:]
        var inputNode: YAMLNode?
        for entry in entries {
            guard let key = entry.key.scalar?.text else { continue }
            if key == "input" { inputNode = entry.value } else { given[key] = entry.value }
        }
        guard let config = slimLayerConfig(name, given, at: arguments ?? at) else { return nil }
        if config.training == .callFlag { values.markUsed("training") }
        guard let input = implicitOperand(inputNode, at: at, op: name) else { return nil }
        return (.legacyLayer(config), [input], 1, "the output of \(name)")
    }

    /// `slim.repeat: {repetitions, layer, scope, <layer keys>}` and
    /// `slim.stack: {layer, args: [{<layer keys>}, ...], scope, <layer keys>}`.
    private mutating func slimRepeat(_ name: String, _ entries: [YAMLMappingEntry], _ node: YAMLNode, _ at: YAMLNode)
        -> (Operation, [String], Int, String)? {
        let isStack = name == "slim.stack"
        guard let layerNode = node["layer"], let layer = reader.string(layerNode, "layer") else {
            if node["layer"] == nil { reader.error(node, "\(name) needs 'layer', the slim layer to call, such as layer: slim.conv2d") }
            return nil
        }
        guard let layerKeys = Self.slimLayerKeys[layer] else {
            reader.error(layerNode, "\(name) calls slim layers, not '\(layer)'" + Suggestion.didYouMean(layer, among: Self.slimLayerKeys.keys.sorted()))
            return nil
        }
        let own = isStack ? ["layer", "args", "scope", "input"] : ["layer", "repetitions", "scope", "input"]
        reader.rejectUnknownKeys(entries, allowed: own + layerKeys.filter { $0 != "scope" }, in: name)
        var shared: [String: YAMLNode] = argScopes.last?[layer] ?? [:]
        for entry in entries {
            guard let key = entry.key.scalar?.text, !own.contains(key) else { continue }
            shared[key] = entry.value
        }
        var perCall: [[String: YAMLNode]] = []
        if isStack {
            guard let argsNode = node["args"], let items = argsNode.sequence, !items.isEmpty else {
                reader.error(node["args"] ?? node, "slim.stack needs 'args', a list with the arguments of each call: [{num_outputs: 32}, {num_outputs: 64}]")
                return nil
            }
            for item in items {
                guard let itemEntries = reader.mapping(item, "the arguments of one call of slim.stack") else { return nil }
                reader.rejectUnknownKeys(itemEntries, allowed: layerKeys.filter { $0 != "scope" }, in: "a call of slim.stack")
                var call = shared
                for entry in itemEntries { if let key = entry.key.scalar?.text { call[key] = entry.value } }
                perCall.append(call)
            }
        } else {
            guard let countNode = node["repetitions"], let count = reader.int(countNode, "repetitions") else {
                if node["repetitions"] == nil { reader.error(node, "slim.repeat needs 'repetitions'") }
                return nil
            }
            guard count > 0 else {
                reader.error(countNode, "repetitions must be positive, not \(count)")
                return nil
            }
            perCall = Array(repeating: shared, count: count)
        }
        var scopeName: ScopeName = .defaultName(isStack ? "Stack" : "Repeat")
        var prefix = Self.slimFunctionNames[layer]!
        if let scopeNode = node["scope"] {
            guard let scope = reader.string(scopeNode, "scope"), reader.requireTensorFlowName(scope, "scope name", at: scopeNode) else { return nil }
            scopeName = .name(.literal(scope))
            prefix = scope
        }
        guard var previous = implicitOperand(node["input"], at: at, op: name) else { return nil }
        var body: [Step] = []
        for (index, call) in perCall.enumerated() {
            guard let config = slimLayerConfig(layer, call, scope: "\(prefix)_\(index + 1)", at: node) else { return nil }
            if config.training == .callFlag { values.markUsed("training") }
            let result = values.freshName()
            values.define(result, .init(location: at.location, origin: "the output of \(name)",
                                        warnIfUnused: index == perCall.count - 1, isBound: false))
            values.markUsed(previous)
            body.append(Step(operation: .legacyLayer(config), inputs: [previous], results: [result], location: at.location))
            previous = result
        }
        values.setPrevious(previous)
        return (.variableScope(scopeName, reuse: .inherit, defaults: .none, body: body), [], 0, name)
    }

    /// The layer config of one Slim call from its arguments (arg_scope defaults merged in).
    private mutating func slimLayerConfig(_ name: String, _ given: [String: YAMLNode], scope: String? = nil,
                                          at node: YAMLNode) -> LayerConfig? {
        let errorsBefore = reader.errorCount
        var config: LayerConfig
        func set(_ key: String, _ value: LayerValue?) { if let value { config.arguments[key] = value } }
        switch name {
        case "slim.conv2d", "slim.fully_connected", "slim.separable_conv2d", "slim.conv2d_transpose", "slim.batch_norm":
            config = LayerConfig(kind: LayerKind.slimCases.first { $0.name == name }!, form: .functional)
            config.training = .constant(true)  // Slim's is_training defaults to True.
        case "slim.layer_norm":
            config = LayerConfig(kind: .slimLayerNorm, form: .functional)
        case "slim.max_pool2d", "slim.avg_pool2d":
            config = LayerConfig(kind: name == "slim.max_pool2d" ? .maxPooling2d : .averagePooling2d, form: .functional)
            config.arguments["strides"] = .ints([.literal(2), .literal(2)])
        case "slim.flatten":
            config = LayerConfig(kind: .flatten, form: .functional)
        default:
            config = LayerConfig(kind: .dropout, form: .functional)
            config.training = .constant(true)
        }
        var normalizerParams: [YAMLMappingEntry] = []
        for (key, value) in given.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "num_outputs" where value.isNull && config.kind == .slimSeparableConv2d:
                config.arguments["pointwise"] = .bool(false)  // Slim's depthwise-only form.
            case "num_outputs", "depth_multiplier":
                set(key, reader.intExpr(value, key).map(LayerValue.int))
                reader.requirePositive(value, key)
            case "kernel_size", "stride", "rate":
                let target = config.kind.name.hasPrefix("slim.") ? key : (key == "kernel_size" ? "pool_size" : "strides")
                set(target, reader.intExprs(value, key, count: 2).map(LayerValue.ints))
                reader.requirePositive(value, key)
            case "padding": set(key, reader.padding(value).map(LayerValue.padding))
            case "activation_fn": set(key, reader.activation(value).map(LayerValue.activation))
            case "weights_initializer", "pointwise_initializer": set(key, reader.initializer(value, defaults: .compatV1).map(LayerValue.initializer))
            case "weights_regularizer", "biases_regularizer":
                // None (an inner arg_scope's, as MobileNet's for its depthwise weights): no regularizer.
                if value.isNull { config.arguments[key] = nil } else { set(key, reader.regularizer(value).map(LayerValue.regularizer)) }
            case "biases_initializer":
                if value.isNull { config.arguments["biases"] = .bool(false) }
                else { set(key, reader.initializer(value, defaults: .compatV1).map(LayerValue.initializer)) }
            case "trainable": config.trainable = reader.bool(value, key) ?? true
            case "reuse": config.reuse = reader.reuse(value) ?? .inherit
            case "scope":
                config.name = reader.string(value, "scope")
                if let scope = config.name { reader.requireTensorFlowName(scope, "scope name", at: value) }
            case "is_training": config.training = reader.training(value)
            case "data_format": reader.dataFormat(value, channelsLast: "NHWC", channelsFirst: "NCHW")
            case "keep_prob":
                guard let keep = reader.double(value, key) else { break }
                guard keep > 0, keep <= 1 else {
                    reader.error(value, "keep_prob must be more than 0 and at most 1, not \(keep)")
                    break
                }
                config.arguments["rate"] = .float(.literal(1 - keep))
            case "center" where config.kind == .slimLayerNorm, "scale" where config.kind == .slimLayerNorm:
                set(key, reader.bool(value, key).map(LayerValue.bool))
            case "begin_norm_axis", "begin_params_axis":
                set(key, reader.intExpr(value, key).map(LayerValue.int))
            case "decay", "epsilon", "center", "scale", "updates_collections", "fused":
                batchNormParameter(key, value, into: &config)
            case "normalizer_fn":
                if value.isNull { break }
                guard let text = reader.string(value, key) else { break }
                guard text == "batch_norm" || text == "slim.batch_norm" else {
                    reader.error(value, "normalizer_fn can be batch_norm (slim.batch_norm) or null, not '\(text)'")
                    break
                }
                config.arguments["batch_norm"] = .bool(true)
                config.arguments["biases"] = .bool(false)
                config.arguments["batch_norm_beta"] = config.arguments["batch_norm_beta"] ?? .bool(true)
            case "normalizer_params":
                guard let params = reader.mapping(value, "normalizer_params") else { break }
                reader.rejectUnknownKeys(params, allowed: Self.normalizerParamKeys, in: "normalizer_params")
                normalizerParams = params
            default:
                break
            }
        }
        if config.arguments["batch_norm"] == .bool(true) {
            slimNormalizerParameters(normalizerParams, into: &config, at: node)
        }
        if let scope { config.name = scope }
        if [.slimConv2d, .slimFullyConnected, .slimSeparableConv2d, .slimConv2dTranspose].contains(config.kind) {
            let required = config.kind == .slimFullyConnected ? ["num_outputs"] : ["num_outputs", "kernel_size"]
            for key in required where config.arguments[key] == nil && given[key] == nil {
                reader.error(node, "\(name) needs '\(key)'")
            }
            if config.arguments["batch_norm"] != .bool(true) {
                // normalizer_params without normalizer_fn are not used, as in Slim.
                for key in ["batch_norm_gamma", "batch_norm_beta", "batch_norm_decay", "batch_norm_epsilon",
                            "batch_norm_update_ops", "batch_norm_fused"] {
                    config.arguments[key] = nil
                }
            }
        }
        if config.kind == .maxPooling2d || config.kind == .averagePooling2d, given["kernel_size"] == nil {
            reader.error(node, "\(name) needs 'kernel_size'")
        }
        return reader.errorCount == errorsBefore ? config : nil
    }

    /// The normalizer of a layer with `normalizer_fn: batch_norm`: Slim calls
    /// `normalizer_fn(outputs, **normalizer_params)`, and `slim.batch_norm` takes the keywords
    /// of the `arg_scope`s around the call for it, under those `normalizer_params` give (as
    /// MobileNet's and ResNet's arg scopes rely on: `arg_scope([slim.batch_norm], scale=True)`).
    private mutating func slimNormalizerParameters(_ params: [YAMLMappingEntry], into config: inout LayerConfig, at node: YAMLNode) {
        var merged: [String: YAMLNode] = argScopes.last?["slim.batch_norm"] ?? [:]
        for entry in params { if let key = entry.key.scalar?.text { merged[key] = entry.value } }
        for (param, value) in merged.sorted(by: { $0.key < $1.key }) {
            switch param {
            case "is_training": config.training = reader.training(value)
            case "activation_fn":
                // The normalizer's own activation, before the layer's: not in the language.
                guard !value.isNull, let activation = reader.activation(value), activation != .linear else { break }
                reader.error(value, "an arg_scope gives slim.batch_norm an activation_fn, which would reach the normalizer of the "
                             + "layer at line \(node.location.line) (Slim applies it before the layer's own activation); "
                             + "ModelSpec cannot apply two activations there yet: give this arg_scope 'activation_fn' for the "
                             + "slim.batch_norm steps only, or leave it out")
            case _ where Self.normalizerParamKeys.contains(param): batchNormParameter(param, value, into: &config)
            default: break  // trainable, reuse: the layer's own apply.
            }
        }
    }

    /// `decay`, `epsilon`, `center`, `scale`, `updates_collections`, `fused` of a batch norm, given to
    /// it or in `normalizer_params`.
    private mutating func batchNormParameter(_ key: String, _ value: YAMLNode, into config: inout LayerConfig) {
        switch key {
        case "decay": if let v = reader.double(value, key) { config.arguments["batch_norm_decay"] = .float(.literal(v)) }
        case "epsilon": if let v = reader.double(value, key) { config.arguments["batch_norm_epsilon"] = .float(.literal(v)) }
        case "center": if let v = reader.bool(value, key) { config.arguments["batch_norm_beta"] = .bool(v) }
        case "updates_collections":
            // Slim's default, `tf.GraphKeys.UPDATE_OPS`, or `None` (updates run in place); both update in a training call.
            if value.isNull { config.arguments["batch_norm_update_ops"] = .bool(false); break }
            guard let text = reader.string(value, key) else { break }
            guard text == "UPDATE_OPS" || text.hasSuffix("GraphKeys.UPDATE_OPS") else {
                reader.error(value, "updates_collections can be UPDATE_OPS (tf.GraphKeys.UPDATE_OPS, Slim's default) or null, "
                             + "not '\(text)'; other collections change nothing ModelSpec computes but are not recognised")
                break
            }
            config.arguments["batch_norm_update_ops"] = .bool(true)
        case "fused":
            // `None` is Slim's default and means `True`.
            if value.isNull { config.arguments["batch_norm_fused"] = .bool(true) }
            else if let v = reader.bool(value, key) { config.arguments["batch_norm_fused"] = .bool(v) }
        default: if let v = reader.bool(value, key) { config.arguments["batch_norm_gamma"] = .bool(v) }
        }
    }
}
