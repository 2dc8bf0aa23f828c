import LocatedYAML
import TFNaming

extension NodeReader {
    /// Reads a layer's arguments by its declaration (``LayerKind``). Returns the
    /// config, and for the functional form the `input` node if one was given.
    /// - Parameter formattedName: the name is a ``NameFormat`` the caller reads (a layer step inside `repeat`).
    mutating func layerConfig(
        _ kind: LayerKind, _ node: YAMLNode?, form: LayerForm, at location: YAMLNode, formattedName: Bool = false
    ) -> (config: LayerConfig, input: YAMLNode?)? {
        var config = LayerConfig(kind: kind, form: form)
        var entries: [YAMLMappingEntry] = []
        if let node, !node.isNull {
            guard let mapped = mapping(node, "the arguments of \(kind.name)") else { return nil }
            entries = mapped
        }
        let declared = kind.arguments(in: form)
        var allowed = declared.map(\.key) + ["name", "trainable"]
        if form == .functional { allowed += ["input", "reuse"] + (kind.takesTraining ? ["training"] : []) }
        if Self.channelsLastKinds.contains(kind.name) { allowed.append("data_format") }
        rejectUnknownKeys(entries, allowed: allowed, in: kind.name)
        let errorsBefore = diagnostics.all.count
        var input: YAMLNode?
        for entry in entries {
            guard let key = entry.key.scalar?.text, allowed.contains(key) else { continue }
            let value = entry.value
            switch key {
            case "trainable": config.trainable = bool(value, "trainable") ?? true
            case "name" where formattedName:
                break
            case "name":
                config.name = string(value, "name")
                if let name = config.name { requireTensorFlowName(name, "layer name", at: value) }
            case "reuse": config.reuse = reuse(value) ?? .inherit
            case "training": config.training = training(value)
            case "input": input = value
            case "data_format": dataFormat(value, channelsLast: "channels_last", channelsFirst: "channels_first")
            default:
                guard let argument = kind.argument(named: key) else { break }
                // `None` where TensorFlow's default is `None` (`kernel_regularizer=None`, `fused=None`): as if left out.
                if value.isNull, case .absent? = argument.defaults[form] { break }
                if let read = layerValue(value, argument, form: form) { config.arguments[key] = read }
            }
        }
        // A required key that is missing because it is misspelled was reported as unknown, with the suggestion.
        let misspelled = entries.compactMap { $0.key.scalar?.text }.filter { !allowed.contains($0) }
        for argument in declared where argument.defaults[form] == .required {
            let key = argument.key
            guard config.arguments[key] == nil, entries.first(where: { $0.key.scalar?.text == key }) == nil,
                  !misspelled.contains(where: { Suggestion.didYouMean($0, among: allowed).contains("'\(key)'") }) else { continue }
            error(node ?? location, "\(kind.name) needs '\(key)'")
        }
        return diagnostics.all.count == errorsBefore ? (config, input) : nil
    }

    /// The layers that take `data_format` in TensorFlow, which ModelSpec computes channels-last only.
    static let channelsLastKinds: Set<String> = ["conv1d", "conv2d", "conv3d", "conv2d_transpose", "separable_conv2d",
                                                 "depthwise_conv2d", "flatten", "max_pooling2d", "average_pooling2d"]

    /// `data_format`: the channels-last layout (`channels_last`; Slim's `NHWC`), or `null`, TensorFlow's
    /// default, is accepted and changes nothing; the channels-first one is refused where it is written.
    mutating func dataFormat(_ node: YAMLNode, channelsLast: String, channelsFirst: String) {
        guard !node.isNull, let text = string(node, "data_format"), text != channelsLast else { return }
        if text == channelsFirst {
            error(node, "data_format \(channelsFirst) is not in the language: ModelSpec computes \(channelsLast) (the channels last) "
                  + "only, TensorFlow's default; transpose the input to channels last (transpose: {perm: [0, 2, 3, 1]}) and leave "
                  + "data_format out (the variables' shapes are the same in both layouts)")
        } else {
            error(node, "data_format must be \(channelsLast) (or \(channelsFirst), which is not in the language), not '\(text)'")
        }
    }

    /// One argument's value, read and checked by its declared type.
    private mutating func layerValue(_ node: YAMLNode, _ argument: LayerArgument, form: LayerForm) -> LayerValue? {
        let key = argument.key
        switch argument.type {
        case .int: return intExpr(node, key).map(LayerValue.int)
        case .size:
            requirePositive(node, key)
            return intExpr(node, key).map(LayerValue.int)
        case let .sizes(rank):
            requirePositive(node, key)
            return intExprs(node, key, count: rank).map(LayerValue.ints)
        case .axes:
            guard let items = node.sequence else { return intExpr(node, key).map { .ints([$0]) } }
            if items.isEmpty { error(node, "\(key) needs at least one axis") }
            let axes = items.compactMap { intExpr($0, "each item of \(key)") }
            return axes.count == items.count && !axes.isEmpty ? .ints(axes) : nil
        case .float: return doubleExpr(node, key).map(LayerValue.float)
        case .rate:
            let rate = doubleExpr(node, key)
            if case let .literal(value)? = rate, !(0..<1).contains(value) {
                error(node, "\(key) must be at least 0 and less than 1, not \(value)")
            }
            return rate.map(LayerValue.float)
        case .bool: return bool(node, key).map(LayerValue.bool)
        case .padding: return padding(node).map(LayerValue.padding)
        case .activation: return activation(node).map(LayerValue.activation)
        case .initializer:
            return initializer(node, defaults: form.isKeras ? .keras : .compatV1).map(LayerValue.initializer)
        case .regularizer: return regularizer(node).map(LayerValue.regularizer)
        }
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
