import LocatedYAML
import TFNaming

/// Checks a parsed spec file and turns it into a ``ModelDescription``: every key,
/// type, reference and op argument, with diagnostics at their YAML locations.
/// Shapes and variable names are the tracer's job (``ShapeTracer``).
struct SpecChecker {
    /// What looking up another spec's model found.
    enum ModelLookup {
        case found(ModelDescription)
        /// No spec in the library makes a model of that name.
        case notFound
        /// The spec exists but cannot be used (it has errors, or uses the spec being
        /// checked); the reason has been reported.
        case failed
    }

    static let topLevelKeys = ["spec", "model", "name", "doc", "style", "nested", "params", "inputs", "layers", "weights", "templates", "forward", "outputs"]

    var reader = NodeReader()
    /// Resolves other specs' models used as layers.
    let resolveModel: (String, SourceLocation) -> ModelLookup
    /// Layers and templates whose declarations had errors: steps that use them report nothing more.
    var failedLayers: Set<String> = []
    var failedTemplates: Set<String> = []
    /// Inputs whose declarations had errors: steps may still use them.
    var failedInputs: [(String, SourceLocation)] = []

    mutating func check(_ root: YAMLNode) -> ModelDescription? {
        guard let entries = reader.mapping(root, "a spec") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.topLevelKeys, in: "the spec")

        // spec: 1
        if let version = root["spec"] {
            if let number = reader.int(version, "spec"), number != 1 {
                reader.error(version, "unsupported spec version \(number); this ModelSpec reads version 1")
            }
        } else {
            reader.error(root, "the spec needs 'spec: 1' (the format version)")
        }
        guard let modelNode = root["model"] else {
            reader.error(root, "the spec needs 'model:', the name of the Swift type to generate")
            return nil
        }
        guard let name = reader.string(modelNode, "model") else { return nil }
        guard Identifier.isValid(name), name.first?.isUppercase == true else {
            reader.error(modelNode, "model '\(name)' must be a Swift type name: a letter, then letters, digits or underscores, starting upper-case")
            return nil
        }
        if let refusal = ReservedTypeName.refusal(name) {
            reader.error(modelNode, refusal)
            return nil
        }
        let doc = root["doc"].flatMap { reader.string($0, "doc") }
        var layerName: String?
        if let node = root["name"], let text = reader.string(node, "name"),
           reader.requireTensorFlowName(text, "model name", at: node) {
            layerName = text
        }
        var style = ModelStyle.legacy
        if let node = root["style"], let text = reader.string(node, "style") {
            if let value = ModelStyle(rawValue: text) {
                style = value
            } else {
                reader.error(node, "style must be legacy or native, not '\(text)'")
            }
        }
        // nested: true — a block made to run inside other models, whose root is the caller's scope.
        let nested = root["nested"].flatMap { reader.bool($0, "nested") } ?? false
        let params = root["params"].map { self.params($0) } ?? []
        reader.params = Dictionary(params.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let inputs = root["inputs"].map { self.inputs($0) } ?? []
        if let node = root["inputs"], node.mapping == nil {
            // Steps still get an input, so that they do not all report having none.
            failedInputs.append(("_input", node.location))
        }
        let templates = root["templates"].map { self.templates($0, style: style) } ?? []
        let layers = root["layers"].map { self.layers($0, templates: templates) } ?? []
        let weights = root["weights"].map { self.weights($0) } ?? []

        // The dtypes a call of each layer makes: a nested model's and a template's as their steps make them.
        var layerTable: [String: (LayerDeclaration, [DType])] = [:]
        for layer in layers {
            var outputs: [DType] = [.float32]
            switch layer.kind {
            case let .model(modelName, _):
                if case let .found(model) = resolveModel(modelName, layer.location) {
                    outputs = model.outputs.indices.map(model.outputType)
                }
            case let .template(templateName, _):
                if let template = templates.first(where: { $0.name == templateName }) { outputs = [template.resultType] }
            case let .native(config):
                outputs = Array(repeating: .float32, count: config.resultCount)
            case .legacy:
                break
            }
            layerTable[layer.name] = (layer, outputs)
        }
        var stepChecker = StepChecker(
            reader: reader, style: style, layers: layerTable,
            templateNames: Set(templates.map(\.name)).union(failedTemplates), failedLayers: failedLayers,
            inputs: inputs.map { ($0.name, $0.location) } + failedInputs,
            inputTypes: Dictionary(inputs.map { ($0.name, ValueKind($0.dtype) == .float ? .float32 : $0.dtype) }, uniquingKeysWith: { first, _ in first }))
        stepChecker.rootIsCallersScope = nested
        for weight in weights {
            stepChecker.values.define(weight.name, .init(location: weight.location, origin: "variable '\(weight.name)'", warnIfUnused: true, isBound: true))
        }
        stepChecker.values.define("training", .init(location: root.location, origin: "the training flag", warnIfUnused: false, isBound: true))
        guard let forward = root["forward"] else {
            stepChecker.reader.error(root, "the spec needs 'forward:', the steps of the call")
            reader = stepChecker.reader
            return nil
        }
        let errorsBefore = stepChecker.reader.errorCount
        let body = stepChecker.steps(forward, "forward")
        // After an error in the forward pass, values it would have used look unused
        // and it may make no value: say nothing more about them.
        let forwardFailed = stepChecker.reader.errorCount > errorsBefore
        var outputs: [String] = []
        if let node = root["outputs"] {
            for item in node.sequence ?? [node] {
                if let value = stepChecker.valueReference(item) {
                    outputs.append(value)
                    stepChecker.values.markUsed(value)
                }
            }
        } else if let last = stepChecker.values.previous {
            outputs = [last]
        } else if !forwardFailed {
            stepChecker.reader.error(forward, "the forward pass makes no value to return")
        }
        // A spec with errors is not warned about unused values: most are left unused
        // by the steps that failed.
        let quiet = stepChecker.reader.errorCount > 0 || !failedLayers.isEmpty
        for (name, definition) in stepChecker.values.unused(excluding: Set(outputs)) where !quiet {
            if definition.isBound {
                stepChecker.reader.diagnostics.warning(definition.location, "value '\(name)' is never used")
            } else {
                stepChecker.reader.diagnostics.warning(definition.location, "\(definition.origin) is thrown away: no later step uses it")
            }
        }
        reader = stepChecker.reader
        // A layer can fail with its error reported elsewhere (in the spec it names).
        if reader.diagnostics.hasErrors || !failedLayers.isEmpty { return nil }
        return ModelDescription(
            name: name, layerName: layerName, doc: doc, style: style, params: params, inputs: inputs, layers: layers,
            weights: weights, templates: templates, body: body, outputs: outputs, location: modelNode.location,
            outputTypes: outputs.map { stepChecker.values.definitions[$0]?.dtype ?? .float32 })
    }

    // MARK: Sections

    private mutating func params(_ node: YAMLNode) -> [ParamDeclaration] {
        guard let entries = reader.mapping(node, "params") else { return [] }
        var result: [ParamDeclaration] = []
        for entry in entries {
            guard let name = reader.identifier(entry.key, "a parameter name") else { continue }
            var type: ParamType?
            var defaultNode: YAMLNode?
            var doc: String?
            if let text = entry.value.scalar?.text, !entry.value.isNull {
                type = paramType(text, at: entry.value)
            } else if let fields = reader.mapping(entry.value, "parameter '\(name)'") {
                reader.rejectUnknownKeys(fields, allowed: ["type", "default", "doc"], in: "parameter '\(name)'")
                if let typeNode = entry.value["type"], let text = reader.string(typeNode, "type") {
                    type = paramType(text, at: typeNode)
                } else if entry.value["type"] == nil {
                    reader.error(entry.value, "parameter '\(name)' needs a 'type' (Int, Float, Bool or String)")
                }
                defaultNode = entry.value["default"]
                doc = entry.value["doc"].flatMap { reader.string($0, "doc") }
            }
            guard let type else { continue }
            let defaultValue = defaultNode.flatMap { reader.literal($0, type: type, "the default of '\(name)'") }
            result.append(ParamDeclaration(name: name, type: type, defaultValue: defaultValue, doc: doc, location: entry.key.location))
        }
        return result
    }

    private mutating func paramType(_ text: String, at node: YAMLNode) -> ParamType? {
        if let type = ParamType(rawValue: text) { return type }
        reader.error(node, "unknown parameter type '\(text)'; use Int, Float, Bool or String" + Suggestion.didYouMean(text, among: ParamType.allCases.map(\.rawValue)))
        return nil
    }

    private mutating func inputs(_ node: YAMLNode) -> [InputDeclaration] {
        guard let entries = reader.mapping(node, "inputs") else { return [] }
        var result: [InputDeclaration] = []
        for entry in entries {
            guard let name = reader.identifier(entry.key, "an input name") else { continue }
            if name == "training" {
                // The call's training flag; every model has it.
                if entry.value.scalar?.text != "Bool" {
                    reader.error(entry.value, "'training' is the call's training flag and must be declared as 'training: Bool'")
                }
                continue
            }
            var shapeNode: YAMLNode? = entry.value
            var dtype = DType.float32
            var doc: String?
            if entry.value.mapping != nil {
                let fields = entry.value.mapping ?? []
                reader.rejectUnknownKeys(fields, allowed: ["shape", "dtype", "doc"], in: "input '\(name)'")
                shapeNode = entry.value["shape"]
                if shapeNode == nil { reader.error(entry.value, "input '\(name)' needs a 'shape'") }
                dtype = entry.value["dtype"].flatMap { reader.dtype($0) } ?? .float32
                doc = entry.value["doc"].flatMap { reader.string($0, "doc") }
            }
            guard let shapeNode, let shape = reader.shape(shapeNode, "the shape of input '\(name)'") else {
                failedInputs.append((name, entry.key.location))
                continue
            }
            result.append(InputDeclaration(name: name, shape: shape, dtype: dtype, doc: doc, location: entry.key.location))
        }
        return result
    }

    private mutating func weights(_ node: YAMLNode) -> [WeightDeclaration] {
        guard let entries = reader.mapping(node, "weights") else { return [] }
        var result: [WeightDeclaration] = []
        for entry in entries {
            guard let name = reader.identifier(entry.key, "a weight name"),
                  let fields = reader.mapping(entry.value, "weight '\(name)'") else { continue }
            reader.rejectUnknownKeys(fields, allowed: ["shape", "dtype", "initializer", "regularizer", "trainable", "create", "name"], in: "weight '\(name)'")
            var variableName: String?
            if let node = entry.value["name"], let text = reader.string(node, "name"),
               reader.requireTensorFlowName(text, "variable name", at: node) {
                variableName = text
            }
            guard let shapeNode = entry.value["shape"] else {
                reader.error(entry.value, "weight '\(name)' needs a 'shape'")
                continue
            }
            guard let shape = reader.shape(shapeNode, "shape") else { continue }
            var atInit = false
            if let create = entry.value["create"], let text = reader.string(create, "create") {
                switch text {
                case "init": atInit = true
                case "build": atInit = false
                default: reader.error(create, "create must be init (made with the layer) or build (made on the first call), not '\(text)'")
                }
            }
            let variable = VariableDeclaration(
                name: .literal(name), shape: shape,
                dtype: entry.value["dtype"].flatMap { reader.dtype($0) } ?? .float32,
                initializer: entry.value["initializer"].flatMap { reader.initializer($0, defaults: .keras) },
                regularizer: entry.value["regularizer"].flatMap { reader.regularizer($0) },
                trainable: entry.value["trainable"].flatMap { reader.bool($0, "trainable") } ?? true)
            result.append(WeightDeclaration(name: name, variable: variable, atInit: atInit, location: entry.key.location,
                                            variableName: variableName))
        }
        return result
    }

    private mutating func templates(_ node: YAMLNode, style: ModelStyle) -> [TemplateDeclaration] {
        guard let entries = reader.mapping(node, "templates") else { return [] }
        var result: [TemplateDeclaration] = []
        for entry in entries {
            guard let name = reader.identifier(entry.key, "a template name"),
                  let fields = reader.mapping(entry.value, "template '\(name)'") else { continue }
            reader.rejectUnknownKeys(fields, allowed: ["args", "do"], in: "template '\(name)'")
            var arguments: [TemplateDeclaration.Argument] = []
            if let argsNode = entry.value["args"], let argEntries = reader.mapping(argsNode, "args") {
                for argEntry in argEntries {
                    guard let argName = reader.identifier(argEntry.key, "an argument name"),
                          let typeName = reader.string(argEntry.value, "the type of '\(argName)'") else { continue }
                    if typeName == "Tensor" {
                        arguments.append(.init(name: argName, type: .tensor))
                    } else if let type = paramType(typeName, at: argEntry.value) {
                        arguments.append(.init(name: argName, type: .constant(type)))
                    }
                }
            }
            guard let body = entry.value["do"] else {
                reader.error(entry.value, "template '\(name)' needs its steps under 'do:'")
                failedTemplates.insert(name)
                continue
            }
            let tensorArgs = arguments.filter { $0.type == .tensor }
            if tensorArgs.isEmpty {
                reader.error(entry.value["args"] ?? entry.value, "template '\(name)' needs at least one Tensor argument, its input, such as args: {x: Tensor}")
                failedTemplates.insert(name)
                continue
            }
            var constants: [String: ParamType] = [:]
            for argument in arguments {
                if case let .constant(type) = argument.type { constants[argument.name] = type }
            }
            var templateReader = reader
            templateReader.templateConstants = constants
            var checker = StepChecker(
                reader: templateReader, style: style, layers: [:], templateNames: [], failedLayers: [],
                inputs: tensorArgs.map { ($0.name, entry.key.location) })
            // A template's steps run inside the scope its first call opens.
            checker.rootIsCallersScope = true
            let errorsBefore = checker.reader.errorCount
            let steps = checker.steps(body, "'do'")
            let bodyFailed = checker.reader.errorCount > errorsBefore
            let quiet = checker.reader.errorCount > 0
            if bodyFailed { failedTemplates.insert(name) }
            for (argName, definition) in checker.values.unused(excluding: [checker.values.previous ?? ""]) where definition.isBound && !quiet {
                checker.reader.diagnostics.warning(definition.location, "template argument '\(argName)' is never used")
            }
            checker.reader.templateConstants = [:]
            reader = checker.reader
            var template = TemplateDeclaration(name: name, arguments: arguments, body: steps, location: entry.key.location)
            template.resultType = template.result.flatMap { checker.values.definitions[$0]?.dtype } ?? .float32
            result.append(template)
        }
        return result
    }

    private mutating func layers(_ node: YAMLNode, templates: [TemplateDeclaration]) -> [LayerDeclaration] {
        guard let entries = reader.mapping(node, "layers") else { return [] }
        var result: [LayerDeclaration] = []
        for entry in entries {
            guard let name = reader.identifier(entry.key, "a layer name") else { continue }
            if let kind = LayerKind(rawValue: name), kind.tensorflow[.functional] != nil {
                reader.error(entry.key, "layer name '\(name)' is also the tf.compat.v1.layers function \(name), which a step '- \(name)' calls; choose another name, such as \(name)_layer (\(kind.className) is the class)")
                continue
            }
            if OperationDeclaration.named[name] != nil || StepChecker.builtinOps.contains(name) {
                reader.error(entry.key, "layer name '\(name)' is also an operation, which a step '- \(name)' performs; choose another name, such as \(name)_layer")
                continue
            }
            if let declaration = layer(name, entry.value, templates: templates) {
                result.append(declaration)
            } else {
                failedLayers.insert(name)
            }
        }
        return result
    }

    private mutating func layer(_ name: String, _ node: YAMLNode, templates: [TemplateDeclaration]) -> LayerDeclaration? {
        var className: String
        var arguments: YAMLNode?
        var classNode = node
        if let scalar = node.scalar, !scalar.isNull {
            className = scalar.text
        } else if let entries = node.mapping, let first = entries.first, let key = first.key.scalar?.text {
            if key == "template" {
                return templateLayer(name, node, templates: templates)
            }
            guard entries.count == 1 else {
                reader.error(entries[1].key, "layer '\(name)' is one class with its arguments, such as {Dense: {units: 10}}")
                return nil
            }
            className = key
            arguments = first.value
            classNode = first.key
        } else {
            reader.error(node, "layer '\(name)' must be a class such as Flatten or {Dense: {units: 10}}, not \(node.kindDescription)")
            return nil
        }
        if className.hasPrefix("v1.") {
            let base = String(className.dropFirst(3))
            guard let kind = LayerKind(className: base), kind.tensorflow[.legacyObject] != nil else {
                reader.error(classNode, "unknown tf.compat.v1.layers class '\(base)'" + Suggestion.didYouMean(base, among: LayerKind.allCases.filter { $0.tensorflow[.legacyObject] != nil }.map(\.className)))
                return nil
            }
            return reader.layerConfig(kind, arguments, form: .legacyObject, at: node)
                .map { LayerDeclaration(name: name, kind: .legacy($0.config), location: classNode.location) }
        }
        if let kind = LayerKind(className: className), kind.tensorflow[.native] != nil {
            return reader.layerConfig(kind, arguments, form: .native, at: node)
                .map { LayerDeclaration(name: name, kind: .native($0.config), location: classNode.location) }
        }
        // Another spec's model.
        let lookup = resolveModel(className, classNode.location)
        guard case let .found(model) = lookup else {
            if case .failed = lookup {
                return nil
            } else if LayerKind(rawValue: className) != nil {
                reader.error(classNode, "'\(className)' is a function; under layers: write its class, \(LayerKind(rawValue: className)!.className) (Keras) or v1.\(LayerKind(rawValue: className)!.className) (tf.compat.v1.layers)")
            } else {
                reader.error(classNode, "unknown layer class '\(className)': not a built-in layer nor the model of another spec in this folder" + Suggestion.didYouMean(className, among: LayerKind.allCases.map(\.className)))
            }
            return nil
        }
        var values: [String: Expr<Literal>] = [:]
        if let arguments, !arguments.isNull, let entries = reader.mapping(arguments, "the arguments of \(className)") {
            reader.rejectUnknownKeys(entries, allowed: model.params.map(\.name), in: "the arguments of \(className)")
            for entry in entries {
                guard let key = entry.key.scalar?.text, let param = model.param(named: key) else { continue }
                if let value = reader.literalExpr(entry.value, type: param.type, key) { values[key] = value }
            }
        }
        for param in model.params where param.defaultValue == nil && values[param.name] == nil {
            reader.error(arguments ?? classNode, "\(className) needs its parameter '\(param.name)'")
        }
        return LayerDeclaration(name: name, kind: .model(className, arguments: values), location: classNode.location)
    }

    private mutating func templateLayer(_ name: String, _ node: YAMLNode, templates: [TemplateDeclaration]) -> LayerDeclaration? {
        guard let templateNode = node["template"], let templateName = reader.string(templateNode, "template") else { return nil }
        guard let template = templates.first(where: { $0.name == templateName }) else {
            if failedTemplates.contains(templateName) { return nil }
            reader.error(templateNode, "undefined template '\(templateName)'" + Suggestion.didYouMean(templateName, among: templates.map(\.name)))
            return nil
        }
        var values: [String: Expr<Literal>] = [:]
        let constants = template.arguments.compactMap { argument -> (String, ParamType)? in
            if case let .constant(type) = argument.type { return (argument.name, type) }
            return nil
        }
        for entry in node.mapping ?? [] {
            guard let key = entry.key.scalar?.text, key != "template" else { continue }
            guard let type = constants.first(where: { $0.0 == key })?.1 else {
                reader.error(entry.key, "template '\(templateName)' has no constant argument '\(key)'" + Suggestion.didYouMean(key, among: constants.map(\.0)))
                continue
            }
            if let value = reader.literalExpr(entry.value, type: type, key) { values[key] = value }
        }
        for (constant, _) in constants where values[constant] == nil {
            reader.error(node, "template layer '\(name)' needs '\(constant)', the template's constant argument")
        }
        return LayerDeclaration(name: name, kind: .template(templateName, arguments: values), location: node.location)
    }
}
