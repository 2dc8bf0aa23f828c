import LocatedYAML
import TFNaming

/// Checks the steps of a forward pass or a template body and turns them into ``Step``s.
struct StepChecker {
    var reader: NodeReader
    var values = ValueEnvironment()
    let style: ModelStyle
    /// Declared sublayers by attribute name, with the dtypes of the values a call of each returns.
    let layers: [String: (declaration: LayerDeclaration, outputTypes: [DType])]
    let templateNames: Set<String>
    /// Layers whose declarations had errors, already reported: calling them says nothing more.
    let failedLayers: Set<String>
    /// The value implicit inputs start from (the first call input or template tensor argument).
    let firstInput: String?
    /// How many `variable_scope`s enclose the current step.
    private var scopeDepth = 0
    /// Whether the forward pass's root is a caller's scope (`nested: true`, a template's body): no warning about
    /// auto-named layers there.
    var rootIsCallersScope = false
    /// The `default_name` of a scope opened at the root, when the current step is inside one: TensorFlow never
    /// resets the root's counters, so every call of the model opens it under a new name.
    private var rootDefaultNameScope: String?
    /// The indices of the `repeat` blocks around the current step, innermost last.
    var loopIndices: [String] = []
    /// Steps made by the step being checked for its slice operands (`x[:, 1:3]`), which run before it.
    var pendingSteps: [Step] = []
    /// The defaults of the `arg_scope`s open now, by slim op and key (the innermost merged over the outer).
    var argScopes: [[String: [String: YAMLNode]]] = []

    static let modifierKeys = ["as", "do", "reuse", "if"] + NodeReader.scopeDefaultKeys
    /// The operations besides layers and those without variables (``OperationDeclaration``).
    static let builtinOps = ["scope", "name_scope", "record_scope", "variable", "get_or_create_layer", "assign", "assign_add",
                             "repeat", "if"]

    init(reader: NodeReader, style: ModelStyle, layers: [String: (LayerDeclaration, [DType])],
         templateNames: Set<String>, failedLayers: Set<String> = [], inputs: [(String, SourceLocation)],
         inputTypes: [String: DType] = [:]) {
        self.reader = reader
        self.style = style
        self.layers = layers.mapValues { (declaration: $0.0, outputTypes: $0.1) }
        self.templateNames = templateNames
        self.failedLayers = failedLayers
        self.firstInput = inputs.first?.0
        for (name, location) in inputs {
            values.define(name, .init(location: location, origin: "input '\(name)'", warnIfUnused: true, isBound: true,
                                      dtype: inputTypes[name] ?? .float32))
        }
    }

    // MARK: Steps

    mutating func steps(_ node: YAMLNode, _ what: String) -> [Step] {
        guard let items = node.sequence else {
            reader.error(node, "\(what) must be a list of steps, not \(node.kindDescription)")
            return []
        }
        var result: [Step] = []
        for item in items {
            // An arg_scope gives defaults to the slim steps inside it and is no step itself.
            if item.mapping?.contains(where: { $0.key.scalar?.text == "arg_scope" }) == true {
                result += argScope(item)
                continue
            }
            let checked = step(item)
            result += pendingSteps
            pendingSteps = []
            if let checked { result.append(checked) }
        }
        return result
    }

    /// The step of `node`; `ignoringCondition` checks a step with `if:` as if it had none
    /// (``conditional(_:_:_:_:)`` wraps it).
    mutating func step(_ node: YAMLNode, ignoringCondition: Bool = false) -> Step? {
        let opName: String
        var arguments: YAMLNode?
        var modifiers: [String: YAMLMappingEntry] = [:]
        if let scalar = node.scalar, !scalar.isNull {
            opName = scalar.text
        } else if let entries = node.mapping {
            var ops: [YAMLMappingEntry] = []
            for entry in entries {
                guard let key = reader.key(entry) else { return nil }
                if Self.modifierKeys.contains(key) { modifiers[key] = entry } else { ops.append(entry) }
            }
            // `- if: $flag` with `do:` is a conditional block: `if` is its operation, not a modifier.
            if ops.isEmpty, let condition = modifiers["if"], modifiers["do"] != nil {
                ops = [condition]
                modifiers["if"] = nil
            }
            guard ops.count == 1, let key = ops[0].key.scalar?.text else {
                if ops.isEmpty {
                    reader.error(node, "a step needs an operation, such as '- dense: {units: 10}'")
                } else {
                    let names = ops.map { "'\($0.key.scalar?.text ?? "")'" }.joined(separator: ", ")
                    reader.error(ops[1].key, "a step has one operation, but this one has \(ops.count): \(names); write each as its own '- ' item")
                }
                return nil
            }
            opName = key
            arguments = ops[0].value
        } else {
            reader.error(node, "a step must be an operation name or a mapping such as '- dense: {units: 10}', not \(node.kindDescription)")
            return nil
        }
        if opName != "scope", opName != "name_scope" {
            for key in ["do", "reuse"] + NodeReader.scopeDefaultKeys where key != "do" || !Self.blockOps.contains(opName) {
                if let entry = modifiers[key] {
                    reader.error(entry.key, "'\(key)' belongs to a scope step, not to '\(opName)'")
                }
            }
        }
        let location = node.mapping?.first(where: { $0.key.scalar?.text == opName })?.key.location ?? node.location
        if !ignoringCondition, let entry = modifiers["if"] {
            return conditional(entry, opName, node, location)
        }
        if opName == "repeat" || opName == "if" {
            return controlBlock(opName, arguments, modifiers, node, location)
        }
        guard var (operation, inputs, resultCount, origin) = operation(opName, arguments, modifiers, node, location) else {
            defineAfterFailure(opName, arguments, modifiers["as"], location)
            return nil
        }
        for input in inputs { values.markUsed(input) }
        var types = Array(repeating: DType.float32, count: resultCount)
        if case let .callLayer(name, _) = operation, let given = outputTypes(ofLayer: name), given.count == resultCount {
            // A nested model's or a template's values keep the dtypes its steps give them.
            types = given
        }
        if case var .math(math) = operation {
            guard let given = resultTypes(&math, count: resultCount, at: location) else {
                defineAfterFailure(opName, arguments, modifiers["as"], location)
                return nil
            }
            operation = .math(math)
            types = given
        }
        // Results: bound by `as:`, else a generated name (variables bind their own name).
        var results: [String] = []
        if let binding = modifiers["as"], binding.value.scalar != nil, resultCount > 1 {
            // One name for several values: a group, whose values are picked as name[0], name[1], ...
            guard let name = reader.identifier(binding.value, "a value name") else {
                defineAfterFailure(opName, arguments, binding, location)
                return nil
            }
            results = types.enumerated().map { index, dtype in
                values.define("\(name)_\(index)", .init(location: binding.value.location, origin: origin, warnIfUnused: false, isBound: true, dtype: dtype))
            }
            values.defineGroup(name, results, origin: origin)
        } else if let binding = modifiers["as"] {
            guard let names = bindings(binding.value, count: resultCount) else {
                defineAfterFailure(opName, arguments, binding, location)
                return nil
            }
            results = zip(names, types).map { name, dtype in
                values.define(name, .init(location: binding.value.location, origin: origin, warnIfUnused: true, isBound: true, dtype: dtype))
            }
        } else if case let .variable(declaration) = operation, case let .literal(name) = declaration.name,
                  Identifier.isValid(name) {
            results = [values.define(name, .init(location: location, origin: "variable '\(name)'", warnIfUnused: false, isBound: true))]
        } else {
            for dtype in types {
                let name = values.freshName()
                values.define(name, .init(location: location, origin: origin, warnIfUnused: warnsWhenUnused(operation), isBound: false, dtype: dtype))
                results.append(name)
            }
        }
        if let first = results.first { values.setPrevious(first) }
        return Step(operation: operation, inputs: inputs, results: results, location: location, types: types)
    }

    /// The dtypes of the values a call of the layer makes. Not inlined: `step` recurses through nested
    /// scopes, and a layer declaration copied into its frame would make every level deeper.
    @inline(never)
    private func outputTypes(ofLayer name: String) -> [DType]? {
        layers[name]?.outputTypes
    }

    /// After a step fails, the names it would have made (its `as:` names, a variable's
    /// own name) and `_` stand for values of unknown shape, so that later steps that
    /// use them report nothing more.
    private mutating func defineAfterFailure(_ opName: String, _ arguments: YAMLNode?, _ binding: YAMLMappingEntry?, _ location: SourceLocation) {
        guard !["scope", "name_scope", "record_scope"].contains(opName) else { return }
        var names: [String] = []
        for item in binding.map({ $0.value.sequence ?? [$0.value] }) ?? [] {
            if let text = item.scalar?.text, Identifier.isValid(text), !text.hasPrefix("_"), text != "training" { names.append(text) }
        }
        if opName == "variable", let text = arguments?["name"]?.scalar?.text, Identifier.isValid(text) {
            names.append(text)
        }
        if names.isEmpty { names = [values.freshName()] }
        for name in names {
            values.define(name, .init(location: location, origin: "the failed step '\(opName)'", warnIfUnused: false, isBound: true, dtype: nil))
        }
        values.setPrevious(names[0])
    }

    private func warnsWhenUnused(_ operation: Operation) -> Bool {
        switch operation {
        case .variable, .assign, .variableScope, .nameScope, .recordScope: false
        default: true
        }
    }

    private mutating func bindings(_ node: YAMLNode, count: Int) -> [String]? {
        let nodes = node.sequence ?? [node]
        guard nodes.count == count else {
            reader.error(node, "this step makes \(count) value\(count == 1 ? "" : "s"), but 'as' names \(nodes.count)")
            return nil
        }
        var names: [String] = []
        for item in nodes {
            guard let name = reader.identifier(item, "a value name") else { return nil }
            if name == "training" || name == "_" || (name.hasPrefix("_") && Int(name.dropFirst()) != nil) {
                reader.error(item, "'\(name)' is reserved; choose another value name")
                return nil
            }
            names.append(name)
        }
        return names
    }

    // MARK: Operations

    /// The operation, its operands, how many values it makes, and a phrase for warnings.
    private mutating func operation(
        _ name: String, _ arguments: YAMLNode?, _ modifiers: [String: YAMLMappingEntry],
        _ node: YAMLNode, _ location: SourceLocation
    ) -> (Operation, [String], Int, String)? {
        let at = arguments ?? node
        switch name {
        case "scope", "name_scope":
            return scope(name, arguments, modifiers, node).map { ($0, [], 0, name) }
        case "record_scope":
            guard style == .legacy else { return legacyOnly(name, node) }
            guard let arguments, let scopeName = reader.string(arguments, "record_scope") else {
                reader.error(node, "record_scope needs the scope name to record, such as 'record_scope: conv2d'")
                return nil
            }
            guard reader.requireTensorFlowName(scopeName, "scope name", at: arguments) else { return nil }
            return (.recordScope(scopeName), [], 0, name)
        case "variable":
            guard style == .legacy else {
                reader.error(node, "'variable' (get_variable) belongs to legacy models; a native model declares its weights under 'weights:'")
                return nil
            }
            return variable(at).map { (.variable($0), [], 1, "variable") }
        case "get_or_create_layer":
            guard style == .legacy else { return legacyOnly(name, node) }
            return getOrCreateLayer(at)
        case "assign", "assign_add":
            guard let operands = operands(arguments, count: 2, at: at, op: name) else { return nil }
            guard isVariableValue(operands[0]) else {
                reader.error(at, "\(name) needs a variable as its first operand, but '\(operands[0])' is not one")
                return nil
            }
            return (.assign(variable: operands[0], add: name == "assign_add"), operands, 1, name)
        default:
            break
        }
        if name.hasPrefix("slim.") {
            return slimOperation(name, arguments, at)
        }
        // A layer named like a kind without a functional form (`embedding`, `gru`) is the layer.
        if let kind = LayerKind(rawValue: name), kind.tensorflow[.functional] != nil || (layers[name] == nil && !failedLayers.contains(name)) {
            guard kind.tensorflow[.functional] != nil else {
                reader.error(node, "'\(name)' has no tf.compat.v1.layers function; declare a native \(kind.className) under 'layers:' and call it")
                return nil
            }
            guard style == .legacy else {
                reader.error(node, "'\(name)' is a tf.compat.v1.layers function, which belongs to legacy models; declare a native \(kind.className) under 'layers:' and call it")
                return nil
            }
            return functionalLayer(kind, arguments, at)
        }
        if let declaration = OperationDeclaration.named[name] {
            return mathOperation(declaration, arguments, at, bound: modifiers["as"]?.value.sequence?.count)
        }
        if name.contains("["), let identity = OperationDeclaration.named["identity"] {
            // A slice as a step of its own (`- h[:, -1]`): its value.
            let key = node.mapping?.first(where: { $0.key.scalar?.text == name })?.key ?? node
            return mathOperation(identity, key, key)
        }
        if let function = RecurrentLoop.Function(rawValue: name) {
            guard style == .legacy else { return legacyOnly(name, node) }
            return recurrentLoop(function, arguments, at)
        }
        if let layer = layers[name] {
            return layerCall(name, layer.declaration, layer.outputTypes.count, arguments, at)
        }
        if failedLayers.contains(name) {
            return nil
        }
        if templateNames.contains(name) {
            reader.error(node, "template '\(name)' must be made once under 'layers:' (\(name): {template: \(name), ...}) and called by that name, as make_template is called once in __init__")
            return nil
        }
        let known = OperationDeclaration.all.map(\.name) + LayerKind.allCases.filter { $0.tensorflow[.functional] != nil }.map(\.name)
            + layers.keys.sorted()
            + RecurrentLoop.Function.allCases.map(\.rawValue)
            + Self.builtinOps + Self.slimSteps + ["arg_scope"]
        reader.error(node, "unknown operation '\(name)'" + Suggestion.closeOperations(name, among: known))
        return nil
    }

    private mutating func legacyOnly(_ name: String, _ node: YAMLNode) -> (Operation, [String], Int, String)? {
        reader.error(node, "'\(name)' belongs to legacy models (style: legacy)")
        return nil
    }

    private func isVariableValue(_ name: String) -> Bool {
        values.definitions[name]?.origin.hasPrefix("variable") ?? false
    }

    private mutating func scope(
        _ name: String, _ arguments: YAMLNode?, _ modifiers: [String: YAMLMappingEntry], _ node: YAMLNode
    ) -> Operation? {
        // The name and reuse are checked first; the steps inside are checked even
        // when they have errors, so that those steps' own errors are reported too.
        var scopeName: ScopeName?
        if name == "name_scope" {
            for key in ["reuse"] + NodeReader.scopeDefaultKeys {
                if let entry = modifiers[key] {
                    reader.error(entry.key, "name_scope has no \(key); use scope for variable \(key == "reuse" ? "reuse" : "defaults")")
                }
            }
            if let arguments, let text = reader.string(arguments, "the name of name_scope"),
               reader.requireTensorFlowName(text, "name_scope name", at: arguments) {
                scopeName = .name(.literal(text))
            } else if arguments == nil {
                reader.error(node, "name_scope needs a name")
            }
        } else if let arguments, let entries = arguments.mapping {
            reader.rejectUnknownKeys(entries, allowed: ["default_name"], in: "scope")
            if let defaultNode = arguments["default_name"], let text = reader.string(defaultNode, "default_name") {
                if reader.requireTensorFlowName(text, "default_name", at: defaultNode) { scopeName = .defaultName(text) }
            } else if arguments["default_name"] == nil {
                reader.error(arguments, "a scope mapping needs 'default_name', such as scope: {default_name: block}")
            }
        } else if let arguments, let scalar = arguments.scalar, scalar.text.contains(where: { $0 == "{" || $0 == "}" }) {
            scopeName = nameFormat(arguments, scalar.text, "scope name").map(ScopeName.formatted)
        } else if let arguments, let expr = reader.stringExpr(arguments, "the scope name") {
            if case let .literal(text) = expr, text.isEmpty || text.contains("/") {
                reader.error(arguments, "a scope name must be a non-empty name without '/'; nest scopes instead")
            } else if case let .literal(text) = expr, !reader.requireTensorFlowName(text, "scope name", at: arguments) {
                scopeName = nil
            } else {
                scopeName = .name(expr)
            }
        } else if arguments == nil {
            reader.error(node, "scope needs a name or {default_name: ...}")
        }
        var reuse: Reuse? = .inherit
        if let entry = modifiers["reuse"], name == "scope" {
            reuse = reader.reuse(entry.value)
            if case .defaultName = scopeName, reuse == .reuse {
                reader.error(entry.value, "reuse: true needs a scope name; TensorFlow refuses reuse=True with only a default_name")
                reuse = nil
            }
        }
        let defaults = name == "scope" ? reader.scopeDefaults(modifiers) : ScopeDefaults.none
        guard let body = modifiers["do"] else {
            reader.error(node, "\(name) needs the steps inside it under 'do:'")
            return nil
        }
        let isVariableScope = name == "scope"
        let enclosingDefaultNameScope = rootDefaultNameScope
        if isVariableScope, scopeDepth == 0, !rootIsCallersScope, case let .defaultName(text) = scopeName {
            rootDefaultNameScope = text
        }
        if isVariableScope { scopeDepth += 1 }
        let inner = steps(body.value, "'do'")
        if isVariableScope { scopeDepth -= 1 }
        rootDefaultNameScope = enclosingDefaultNameScope
        guard let scopeName, let reuse, let defaults else { return nil }
        if isVariableScope {
            return .variableScope(scopeName, reuse: reuse, defaults: defaults, body: inner)
        }
        guard case let .name(.literal(text)) = scopeName else { return nil }
        return .nameScope(text, body: inner)
    }

    private mutating func variable(_ node: YAMLNode) -> VariableDeclaration? {
        guard let entries = reader.mapping(node, "the arguments of variable") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: ["name", "shape", "dtype", "initializer", "regularizer", "trainable"], in: "variable")
        guard let nameNode = node["name"] else {
            reader.error(node, "variable needs a 'name'")
            return nil
        }
        guard let shapeNode = node["shape"] else {
            reader.error(node, "variable needs a 'shape', such as [features, $units] ([] for a scalar)")
            return nil
        }
        // Inside a repeat, a name with braces is formatted from the loop indices (`"w_{i}"`).
        var format: NameFormat?
        if !loopIndices.isEmpty, let text = nameNode.scalar?.text, text.contains(where: { $0 == "{" || $0 == "}" }) {
            guard let read = nameFormat(nameNode, text, "variable name") else { return nil }
            format = read
        }
        guard let name = format.map({ .literal($0.description) }) ?? reader.stringExpr(nameNode, "the variable name"),
              let shape = reader.shape(shapeNode, "shape") else {
            return nil
        }
        if case let .literal(text) = name, text.isEmpty || text.contains("/") {
            reader.error(nameNode, "a variable name must be non-empty and without '/'; put it in a scope instead")
            return nil
        }
        if format == nil, case let .literal(text) = name, !reader.requireTensorFlowName(text, "variable name", at: nameNode) { return nil }
        let dtype = node["dtype"].flatMap { reader.dtype($0) }
        let initializer = node["initializer"].flatMap { reader.initializer($0, defaults: .compatV1) }
        let regularizer = node["regularizer"].flatMap { reader.regularizer($0) }
        let trainable = node["trainable"].flatMap { reader.bool($0, "trainable") } ?? true
        return VariableDeclaration(name: name, shape: shape, dtype: dtype, initializer: initializer,
                                   regularizer: regularizer, trainable: trainable, nameFormat: format)
    }

    private mutating func getOrCreateLayer(_ node: YAMLNode) -> (Operation, [String], Int, String)? {
        guard let entries = reader.mapping(node, "the arguments of get_or_create_layer") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: ["name", "layer", "in_model", "input"], in: "get_or_create_layer")
        guard let nameNode = node["name"], let name = reader.string(nameNode, "name") else {
            if node["name"] == nil { reader.error(node, "get_or_create_layer needs a 'name'") }
            return nil
        }
        guard reader.requireTensorFlowName(name, "layer name", at: nameNode) else { return nil }
        guard let layerNode = node["layer"], let layerEntries = layerNode.mapping, layerEntries.count == 1,
              let className = layerEntries[0].key.scalar?.text else {
            reader.error(node["layer"] ?? node, "get_or_create_layer needs 'layer', a native layer such as {Dense: {units: 10}}")
            return nil
        }
        guard let kind = LayerKind(className: className), kind.tensorflow[.native] != nil else {
            reader.error(layerEntries[0].key, "unknown layer class '\(className)'" + Suggestion.didYouMean(className, among: LayerKind.allCases.filter { $0.tensorflow[.native] != nil }.map(\.className)))
            return nil
        }
        guard let (config, _) = reader.layerConfig(kind, layerEntries[0].value, form: .native, at: layerNode) else { return nil }
        if let scope = rootDefaultNameScope {
            // TensorFlow opens `block`, then `block_1` on the next call of the model, and makes a new
            // layer (new weights) there on every call: not a model with one set of weights.
            reader.error(node, "get_or_create_layer '\(name)' is inside 'scope: {default_name: \(scope)}' opened outside any named variable scope: TensorFlow never resets the counters there, so every call of the model opens a new scope ('\(scope)', then '\(scope)_1', ...) and makes a new layer with new weights in it; give the scope a name (scope: \(scope)) or open it inside a named variable scope")
        }
        guard let input = implicitOperand(node["input"], at: node, op: "get_or_create_layer") else { return nil }
        var inModel = false
        if let flag = node["in_model"] {
            guard let value = reader.bool(flag, "in_model") else { return nil }
            inModel = value
        }
        return (.getOrCreateLayer(name: name, config, inModel: inModel), [input], 1, "get_or_create_layer '\(name)'")
    }

    private mutating func functionalLayer(_ kind: LayerKind, _ arguments: YAMLNode?, _ at: YAMLNode) -> (Operation, [String], Int, String)? {
        // Inside a repeat, a name with braces is formatted from the loop indices (`"fc_{i}"`).
        var format: NameFormat?
        if !loopIndices.isEmpty, let nameNode = arguments?["name"], let text = nameNode.scalar?.text, text.contains(where: { $0 == "{" || $0 == "}" }) {
            guard let read = nameFormat(nameNode, text, "layer name") else { return nil }
            format = read
        }
        guard var (config, inputNode) = reader.layerConfig(kind, arguments, form: .functional, at: at, formattedName: format != nil) else { return nil }
        config.nameFormat = format
        if config.name == nil, config.nameFormat == nil, config.reuse == .inherit, scopeDepth == 0, !rootIsCallersScope, kind.hasVariables {
            reader.diagnostics.warning(at.location, "auto-named \(kind.name) outside any variable scope: TensorFlow's counter for it never resets there, so every call makes new variables (\(kind.name), then \(kind.name)_1, ...); put it inside a 'scope' or give it a name")
        }
        if let training = config.training, training == .callFlag {
            values.markUsed("training")
        }
        guard let input = implicitOperand(inputNode, at: at, op: kind.name) else { return nil }
        return (.legacyLayer(config), [input], 1, "the output of \(kind.name)")
    }

    private mutating func layerCall(
        _ name: String, _ declaration: LayerDeclaration, _ outputCount: Int, _ arguments: YAMLNode?, _ at: YAMLNode
    ) -> (Operation, [String], Int, String)? {
        var inputs: [String] = []
        var training: TrainingFlag?
        if let arguments, let entries = arguments.mapping {
            reader.rejectUnknownKeys(entries, allowed: ["input", "inputs", "training"], in: "a call of '\(name)'")
            if let node = arguments["input"] ?? arguments["inputs"] {
                for item in node.sequence ?? [node] {
                    guard let value = valueReference(item) else { return nil }
                    inputs.append(value)
                }
            }
            if let node = arguments["training"] {
                training = reader.training(node)
                if training == .callFlag { values.markUsed("training") }
            }
        } else if let arguments, !arguments.isNull {
            for item in arguments.sequence ?? [arguments] {
                guard let value = valueReference(item) else { return nil }
                inputs.append(value)
            }
        }
        if inputs.isEmpty {
            guard let value = implicitOperand(nil, at: at, op: name) else { return nil }
            inputs = [value]
        }
        if case let .template(templateName, _) = declaration.kind {
            // A template's body is checked once, with float32 Tensor arguments: an integer or bool value would
            // be converted on the way in, so it is refused, as its body's arithmetic would not be TensorFlow's.
            for input in inputs {
                guard let dtype = values.definitions[input]?.dtype, dtype != .float32 else { continue }
                let shown = ValueEnvironment.specName(input)
                reader.error(at, "template '\(templateName)' takes float32 Tensor arguments, but '\(shown)' is \(dtype.rawValue); cast it first, such as cast: {input: \(shown), dtype: float32}")
                return nil
            }
        }
        return (.callLayer(name, training: training), inputs, outputCount, "the output of '\(name)'")
    }

    // MARK: Operands

    /// Operands given as a list or `{inputs: [...]}`.
    private mutating func operands(_ arguments: YAMLNode?, count: Int, at: YAMLNode, op: String) -> [String]? {
        let items = arguments?.sequence ?? arguments?["inputs"]?.sequence
        guard let items, items.count == count else {
            reader.error(at, "\(op) takes \(count) operands, such as \(op): [a, b]")
            return nil
        }
        var names: [String] = []
        for item in items {
            guard let value = valueReference(item) else { return nil }
            names.append(value)
        }
        return names
    }

    /// The explicit operand if given, else the previous step's value, else the first input.
    mutating func implicitOperand(_ node: YAMLNode?, at: YAMLNode, op: String) -> String? {
        if let node { return valueReference(node) }
        if let previous = values.previous { return previous }
        if let firstInput { return firstInput }
        reader.error(at, "\(op) has no input: there is no previous step and the model has no inputs")
        return nil
    }

    /// A value name, `_`, checked to be defined.
    mutating func valueReference(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            reader.error(node, "expected a value name, not \(node.kindDescription)")
            return nil
        }
        if scalar.int != nil || scalar.double != nil {
            reader.error(node, "'\(scalar.text)' is a number, but this operand is a value name: an input, an 'as:' name, a variable, a weight, or '_' (the previous step's value); numbers are operands of operations without variables only (add: [x, 1]), and a 'constant' step makes a tensor of them")
            return nil
        }
        if scalar.text.contains("[") { return sliceOperand(scalar.text, node) }
        return valueReference(node, named: scalar.text)
    }

    /// The value `text` names at `node`: a name or `_`, checked to be defined.
    mutating func valueReference(_ node: YAMLNode, named text: String) -> String? {
        if text == "_" {
            guard let previous = values.previous else {
                reader.error(node, "'_' is the previous step's value, but there is no previous step")
                return nil
            }
            return previous
        }
        if text.hasPrefix("$") {
            reader.error(node, "'\(text)' is a parameter, but a tensor value is needed here")
            return nil
        }
        if let group = values.groups[text] {
            reader.error(node, "'\(text)' is the \(group.values.count) values of \(group.origin.replacingOccurrences(of: "the result of ", with: "")); use one of them, such as \(text)[0]")
            return nil
        }
        guard let internalName = values.resolve(text) else {
            if let reason = values.hidden[text] {
                reader.error(node, "value '\(text)' is not visible here: \(reason)")
                return nil
            }
            let hint = layers[text] != nil
                ? "; '\(text)' is a layer: call it as its own step, then use its result"
                : Suggestion.didYouMean(text, among: values.allNames.filter { !$0.hasPrefix("_") })
            reader.error(node, "undefined value '\(text)'" + hint)
            return nil
        }
        return internalName
    }
}
