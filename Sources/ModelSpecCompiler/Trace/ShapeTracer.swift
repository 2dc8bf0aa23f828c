import LocatedYAML
import TFNaming

/// Runs a checked model shape-only: every step's output shape, every variable's
/// full name, shape and trainability in creation order, and the errors
/// TensorFlow would raise (a shape that does not fit, a variable created twice
/// in one call without reuse, a reuse of a missing variable). Naming goes through
/// ``TFNaming``, the same rules the runtime's variable store follows.
final class ShapeTracer {
    private(set) var diagnostics = Diagnostics()
    private(set) var created: [Manifest.Entry] = []
    /// The bytes of the variables and of the largest value traced so far.
    private(set) var memory = MemoryNeed()
    /// TensorFlow's scope stack and counters, shared by nested shim layers as in TensorFlow.
    var scopes = ScopeStore()
    /// The defaults of the variable scopes open now (initializer, dtype, partitioner, ...), inherited inward.
    private var scopeDefaults = ScopeDefaults.none
    private let resolveModel: (String) -> ModelDescription?
    private let limits: ExpansionLimits
    /// Steps traced so far, in every nested model, and how deep nested models are now.
    private(set) var expandedSteps = 0
    private var nestingDepth = 0
    /// How many `name_scope`s are open: inside one, a scope is not at the top level of the graph.
    private var nameScopeDepth = 0
    /// The step of the top-level model being traced: where a limit crossed deeper is reported.
    private var topLevelStep: SourceLocation?
    /// Keras' layer-name counters, and each Keras layer's name by attribute path
    /// (`""` for the model, `conv_layer`, `dense_layer/inner`).
    private var keras = KerasNaming()
    private var kerasLayerNames: [String: String] = [:]
    /// The model's Keras name and the counters as its construction left them
    /// (set when the top-level instance is made): what the runtime continues.
    private(set) var kerasNamesAtInit = KerasModelNames(model: "", counts: [:])
    /// Set when making the model's layers passed ``ExpansionLimits/maximumLayersMade``.
    private var tooManyLayersMade = false
    /// The name scopes open now, as Keras names the variables a layer builds:
    /// the calling Keras layers' names, `scope:` and `name_scope:` names.
    private var kerasNameScopes: [String] = []
    /// Counts the steps of conditional blocks that do not run.
    private lazy var skippedSteps = ExpansionCount(resolveModel: resolveModel)

    private static func sum(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : result
    }

    init(limits: ExpansionLimits = ExpansionLimits(), resolveModel: @escaping (String) -> ModelDescription?) {
        self.limits = limits
        self.resolveModel = resolveModel
    }

    /// The state of one model instance across calls.
    final class Instance {
        let model: ModelDescription
        let params: [String: Literal]
        /// Prefix of attribute-path names (`""` at the top, `"dense_layer/"` below).
        let path: String
        var store = VariableStore<Void>()
        var legacyLayers: [String: LegacyLayerNaming] = [:]
        var templates: [String: TemplateNaming] = [:]
        var nested: [String: Instance] = [:]
        var builtNative: Set<String> = []
        var layersByName: Set<String> = []
        var builtWeights = false
        /// Where each variable this instance made sits among Keras' trackables, for
        /// `layer.weights` order (indices into `created`):
        /// its own weights (`weights:`), in creation order;
        var ownWeights: [Int] = []
        /// the weights of its native and compat-object sublayers, by attribute;
        var attributeWeights: [String: [Int]] = [:]
        /// the variables of its shim store (`get_variable`, compat layers, templates);
        var storeVariables: [Int] = []
        /// the layers made by `get_or_create_layer`, by store key (`scope/name`).
        var createdLayers: [(key: String, variables: [Int])] = []

        init(model: ModelDescription, params: [String: Literal], path: String) {
            self.model = model
            self.params = params
            self.path = path
        }
    }

    /// What a step sees: value shapes, symbol sizes and parameter values.
    struct Frame {
        var values: [String: TracedShape] = [:]
        var symbols: [String: TracedDim] = [:]
        /// The input that gave each symbol its size.
        var symbolSources: [String: String] = [:]
        var params: [String: Literal]
        /// The indices of the `repeat` blocks running now.
        var loopIndices: [String: Int] = [:]
    }

    /// Makes an instance, creating the weights declared to be made at initialization.
    func makeInstance(_ model: ModelDescription, params: [String: Literal], path: String) -> Instance {
        let instance = Instance(model: model, params: params, path: path)
        if path.isEmpty {
            nameKerasLayers(of: model, at: "", depth: 0)
            kerasNamesAtInit = KerasModelNames(model: kerasLayerNames[""] ?? "", counts: keras.counts)
        }
        let frame = Frame(params: params)
        for weight in model.weights where weight.atInit {
            // Made in `__init__`, outside every name scope.
            let variableName = weight.variableName ?? weight.name
            if let index = createAttributeVariable(path + weight.name, variableName: variableName, weight.variable, frame: frame, at: weight.location) {
                instance.ownWeights.append(index)
            }
        }
        return instance
    }

    /// Names a model and the Keras layers it makes, as its construction does:
    /// the model first, then its layers in declaration order, depth first.
    private func nameKerasLayers(of model: ModelDescription, at path: String, depth: Int) {
        kerasLayerNames[path] = keras.layerName(className: model.name, explicit: model.layerName)
        guard depth < limits.maximumNestingDepth else { return }
        let prefix = path.isEmpty ? "" : path + "/"
        for layer in model.layers {
            // Specs declared as layers are made when the model is made, called or not: as many
            // layers as uses, which specs declaring each other twice make exponential.
            guard !tooManyLayersMade else { return }
            guard kerasLayerNames.count <= limits.maximumLayersMade else {
                tooManyLayersMade = true
                diagnostics.error(layer.location, "the model makes more than \(limits.maximumLayersMade) layers when it is made: the specs it declares as layers make their own layers again for every declaration; declare a spec fewer times, or nest specs less")
                return
            }
            switch layer.kind {
            case let .native(config), let .legacy(config):
                kerasLayerNames[prefix + layer.name] = keras.layerName(className: config.kind.className, explicit: config.name)
            case let .model(name, _):
                if let nested = resolveModel(name) { nameKerasLayers(of: nested, at: prefix + layer.name, depth: depth + 1) }
            case .template:
                break
            }
        }
    }

    /// The Keras name of a variable built now: the open name scopes, then `name`.
    private func kerasVariableName(_ name: String, layer: String? = nil) -> String {
        (kerasNameScopes + (layer.map { [$0] } ?? []) + [name]).joined(separator: "/")
    }

    /// Calls an instance on input shapes; nil after an error.
    func call(_ instance: Instance, inputs: [TracedShape], at location: SourceLocation) -> [TracedShape]? {
        let model = instance.model
        // A Keras layer's `__call__` opens the name scope of its name.
        kerasNameScopes.append(kerasLayerNames[String(instance.path.dropLast())] ?? "")
        defer { kerasNameScopes.removeLast() }
        instance.store.beginCall()
        var frame = Frame(params: instance.params)
        guard inputs.count == model.inputs.count else {
            diagnostics.error(location, "\(model.name) takes \(model.inputs.count) input\(model.inputs.count == 1 ? "" : "s"), but \(inputs.count) \(inputs.count == 1 ? "is" : "are") given")
            return nil
        }
        for (declaration, shape) in zip(model.inputs, inputs) {
            // A top-level input's shape comes from its declaration or the caller's
            // --input: point at the declaration. A nested model's comes from the step calling it.
            let at = instance.path.isEmpty ? declaration.location : location
            guard bind(declaration, to: shape, in: &frame, at: at) else { return nil }
            frame.values[declaration.name] = shape
        }
        if !instance.builtWeights {
            instance.builtWeights = true
            for weight in model.weights where !weight.atInit {
                let variableName = kerasVariableName(weight.variableName ?? weight.name)
                if let index = createAttributeVariable(instance.path + weight.name, variableName: variableName, weight.variable, frame: frame, at: weight.location) {
                    instance.ownWeights.append(index)
                }
            }
        }
        for weight in model.weights {
            guard let shape = evaluate(weight.variable.shape, of: instance.path + weight.name, frame, at: weight.location) else { return nil }
            frame.values[weight.name] = shape.map(TracedDim.known)
        }
        guard trace(model.body, instance, &frame) else { return nil }
        return model.outputs.map { frame.values[$0] ?? [] }
    }

    /// Checks a call's input against its declaration and binds the declaration's symbols.
    private func bind(_ declaration: InputDeclaration, to shape: TracedShape, in frame: inout Frame, at location: SourceLocation) -> Bool {
        guard declaration.shape.count == shape.count else {
            diagnostics.error(location, "input '\(declaration.name)' has rank \(declaration.shape.count) (\(declaration.shape.map(\.description).joined(separator: ", "))), but a value of shape \(shape.shapeDescription) is given")
            return false
        }
        for (dimension, actual) in zip(declaration.shape, shape) {
            switch dimension {
            case let .known(size):
                if let given = actual.size, given != size {
                    diagnostics.error(location, "input '\(declaration.name)' needs shape [\(declaration.shape.map(\.description).joined(separator: ", "))], but a value of shape \(shape.shapeDescription) is given")
                    return false
                }
            case let .param(name):
                if case let .int(size)? = frame.params[name], size < 0 {
                    diagnostics.error(location, "input '\(declaration.name)' has $\(name) = \(size) as a dimension of its shape [\(declaration.shape.map(\.description).joined(separator: ", "))]; a dimension cannot be negative")
                    return false
                }
                if case let .int(size)? = frame.params[name], let given = actual.size, given != size {
                    diagnostics.error(location, "input '\(declaration.name)' needs $\(name) = \(size) in that dimension, but a value of shape \(shape.shapeDescription) is given")
                    return false
                }
            case let .symbol(name):
                if let bound = frame.symbols[name], let a = bound.size, let b = actual.size, a != b {
                    let source = frame.symbolSources[name].map { "input '\($0)'" } ?? "another input"
                    diagnostics.error(location, "symbol '\(name)' is \(a) in \(source) but \(b) in input '\(declaration.name)' (shape \(shape.shapeDescription)); a symbol has one size in a call")
                    return false
                }
                if frame.symbols[name]?.size == nil {
                    frame.symbols[name] = actual
                    frame.symbolSources[name] = declaration.name
                }
            case .unknown:
                break
            }
        }
        return true
    }

    // MARK: Steps

    private func trace(_ steps: [Step], _ instance: Instance, _ frame: inout Frame) -> Bool {
        for step in steps {
            guard let outputs = trace(step, instance, &frame) else { return false }
            for (name, shape) in zip(step.results, outputs) {
                frame.values[name] = shape
                // A variable's value is the variable, counted as one.
                if case .variable = step.operation { continue }
                memory.addValue(shape, at: step.location)
            }
        }
        return true
    }

    private func trace(_ step: Step, _ instance: Instance, _ frame: inout Frame) -> [TracedShape]? {
        let inputs = step.inputs.map { frame.values[$0] ?? [] }
        let location = step.location
        if instance.path.isEmpty { topLevelStep = location }
        expandedSteps += 1
        if expandedSteps > limits.maximumExpandedSteps {
            if expandedSteps == limits.maximumExpandedSteps + 1 {
                diagnostics.error(topLevelStep ?? location, "the model expands to more than \(limits.maximumExpandedSteps) steps: the specs it uses as layers run their steps again for every use (each use makes its own variables); use a spec fewer times, or nest specs less")
            }
            return nil
        }
        do {
            switch step.operation {
            case let .variableScope(name, reuse, defaults, body):
                switch name {
                case let .name(expr):
                    guard let text = evaluate(expr, frame, at: location),
                          acceptsName(text, "scope name", at: location) else { return nil }
                    scopes.enter(text, reuse: reuse)
                case let .defaultName(prefix):
                    guard acceptsName(prefix, "default_name", at: location) else { return nil }
                    scopes.enter(defaultName: prefix)
                case let .formatted(format):
                    let text = format.formatted(frame.loopIndices)
                    guard acceptsName(text, "scope name", at: location) else { return nil }
                    scopes.enter(text, reuse: reuse)
                }
                // A variable scope opens a name scope of its own name, never made unique in eager
                // mode: `default_name: block` opens `block` while the variable scope is `block_1`.
                if case let .defaultName(prefix) = name {
                    kerasNameScopes.append(prefix)
                } else {
                    kerasNameScopes.append(String(scopes.current.name.split(separator: "/").last ?? ""))
                }
                let enclosingDefaults = scopeDefaults
                scopeDefaults = defaults.inheriting(from: enclosingDefaults)
                defer { scopes.exit(); kerasNameScopes.removeLast(); scopeDefaults = enclosingDefaults }
                return trace(body, instance, &frame) ? [] : nil
            case let .nameScope(name, body):
                guard acceptsName(name, "name_scope name", at: location) else { return nil }
                nameScopeDepth += 1
                kerasNameScopes.append(name)
                defer { nameScopeDepth -= 1; kerasNameScopes.removeLast() }
                return trace(body, instance, &frame) ? [] : nil
            case let .recordScope(name):
                guard acceptsName(name, "scope name", at: location) else { return nil }
                scopes.enter(name)
                scopes.exit()
                return []
            case let .variable(declaration):
                let declaration = declaration.named(frame.loopIndices)
                guard let name = evaluate(declaration.name, frame, at: location),
                      let shape = evaluate(declaration.shape, of: name, frame, at: location) else { return nil }
                // get_variable's initializer, else the scope's.
                if let refusal = (declaration.initializer ?? scopeDefaults.initializer)?.shapeRefusal(shape) {
                    diagnostics.error(location, "variable '\(name)': \(refusal)")
                }
                getVariable(name, shape, declaration, instance, at: location)
                return [shape.map(TracedDim.known)]
            case let .legacyLayer(config):
                let config = config.named(frame.loopIndices)
                if let name = config.name, !acceptsName(name, "layer name", at: location) { return nil }
                var naming = LegacyLayerNaming(className: config.kind.baseName, name: config.name, functional: true, reuse: config.reuse, scopes: &scopes)
                // Each call makes a `tf.compat.v1.layers` object, which takes a Keras name
                // when none is given (`dense`, then a Keras `Dense` made later is `dense_1`).
                if config.name == nil, config.nameFormat == nil, config.kind.tensorflow[.legacyObject] != nil {
                    _ = keras.layerName(className: config.kind.className)
                }
                naming.enterCall(&scopes)
                defer { scopes.exit() }
                return try layer(config, input: inputs[0], frame, at: location) { variableName, shape, trainable, _ in
                    let declaration = VariableDeclaration(name: .literal(variableName), shape: [], dtype: .float32, initializer: nil, regularizer: nil, trainable: trainable)
                    self.getVariable(variableName, shape, declaration, instance, at: location)
                }.map { [$0] }
            case let .callLayer(name, _):
                return try callLayer(name, inputs, instance, frame, at: location)
            case let .getOrCreateLayer(name, config, inModel):
                // The shim's store keys the layer by the current scope and the name
                // (`tf.compat.v1.get_variable_scope().name + "/" + name`).
                let key = scopes.current.qualified(name)
                let storeKey = scopes.current.name + "/" + name
                let firstCall = !instance.layersByName.contains(key)
                instance.layersByName.insert(key)
                // TensorFlow's variable name: a bare layer builds its weights under the name scopes
                // open at its first call (`stored_layers/outer/proj/kernel`); a Keras model's layer
                // builds them when the model is made, outside every name scope (`logits/kernel`).
                let kerasName = firstCall ? keras.layerName(className: config.kind.className, explicit: config.name) : ""
                // The running name, as the runtime makes it (`TF1.kerasLayerPath`).
                let prefix = kerasNamesAtInit.storedLayerPath(kerasName, scope: scopes.current.name, inModel: inModel)
                var made: [Int] = []
                let output = try layer(config, input: inputs[0], frame, at: location) { variableName, shape, trainable, _ in
                    if firstCall {
                        let kerasVariable = config.kind.kerasVariableName(variableName)
                        let tensorflowName = inModel ? kerasName + "/" + kerasVariable : self.kerasVariableName(kerasVariable, layer: kerasName)
                        let index = self.record(prefix + "/" + variableName, shape, .float32, trainable, variableName: tensorflowName,
                                                storePath: nil, at: location)
                        let path = [storeKey] + (inModel ? ["layer_with_weights-0"] : []) + variableName.split(separator: "/").map(String.init)
                        self.created[index].storedLayer = Manifest.StoredLayerWeight(store: String(instance.path.dropLast()), path: path)
                        made.append(index)
                    }
                }
                if firstCall { instance.createdLayers.append((key, made)) }
                return output.map { [$0] }
            case let .math(operation):
                return try math(operation, frame)
            case let .recurrent(loop):
                return try recurrent(loop, inputs, instance, frame, at: location)
            case .assign:
                _ = try ShapeRules.broadcast(inputs[0], inputs[1], op: "assign")
                return [inputs[0]]
            case let .repeated(loop, body):
                return repeated(loop, body, instance, &frame, at: location)
            case let .conditional(condition, body):
                guard try condition.holds(frame.params) else {
                    // A block that does not run counts as if it ran, as ExpansionCount counts it from the spec.
                    expandedSteps = Self.sum(expandedSteps, skippedSteps.steps(body, in: instance.model))
                    return condition.merges.map { frame.values[$0.otherwise] ?? [] }
                }
                guard trace(body, instance, &frame) else { return nil }
                return condition.merges.map { frame.values[$0.whenRun] ?? [] }
            }
        } catch let mismatch as ShapeMismatch {
            diagnostics.error(location, mismatch.message)
            return nil
        } catch {
            diagnostics.error(location, "\(error)")
            return nil
        }
    }

    /// The body traced once per iteration, as TensorFlow runs a Python loop: each
    /// iteration names its scopes and makes its variables anew. Every traced step
    /// counts towards ``ExpansionLimits``, so a large count stops at the limit.
    private func repeated(_ loop: Loop, _ body: [Step], _ instance: Instance, _ frame: inout Frame, at location: SourceLocation) -> [TracedShape]? {
        guard let count = evaluate(loop.count, frame, at: location) else { return nil }
        guard count >= 1 else {
            let given = if case let .param(name) = loop.count { "$\(name) = \(count)" } else { String(count) }
            diagnostics.error(location, "repeat runs its steps at least once, but its count is \(given)")
            return nil
        }
        for carry in loop.carried { frame.values[carry.name] = frame.values[carry.initial] }
        for iteration in 0..<count {
            if let index = loop.index { frame.loopIndices[index] = loop.start + iteration }
            guard trace(body, instance, &frame) else { return nil }
            for carry in loop.carried { frame.values[carry.name] = frame.values[carry.next] }
        }
        if let index = loop.index { frame.loopIndices[index] = nil }
        return loop.carried.map { frame.values[$0.next] ?? [] }
    }

    private func callLayer(_ name: String, _ inputs: [TracedShape], _ instance: Instance, _ frame: Frame, at location: SourceLocation) throws -> [TracedShape]? {
        guard let declaration = instance.model.layer(named: name) else { return nil }
        switch declaration.kind {
        case let .native(config):
            let firstCall = !instance.builtNative.contains(name)
            instance.builtNative.insert(name)
            let prefix = instance.path + name + "/"
            let kerasName = kerasLayerNames[instance.path + name] ?? name
            let output = try layer(config, input: inputs[0], frame, at: location) { variableName, shape, trainable, _ in
                if firstCall {
                    let index = self.record(prefix + variableName, shape, .float32, trainable, naming: .attributePath,
                                            variableName: self.kerasVariableName(config.kind.kerasVariableName(variableName), layer: kerasName),
                                            at: location)
                    instance.attributeWeights[name, default: []].append(index)
                }
            }
            return try output.map { try recurrentResults(config, output: $0, inputs: inputs, frame) }
        case let .legacy(config):
            if let name = config.name, !acceptsName(name, "layer name", at: location) { return nil }
            var naming = instance.legacyLayers[name]
                ?? LegacyLayerNaming(className: config.kind.baseName, name: config.name, functional: false, scopes: &scopes)
            naming.enterCall(&scopes)
            instance.legacyLayers[name] = naming
            defer { scopes.exit() }
            return try layer(config, input: inputs[0], frame, at: location) { variableName, shape, trainable, _ in
                let declaration = VariableDeclaration(name: .literal(variableName), shape: [], dtype: .float32, initializer: nil, regularizer: nil, trainable: trainable)
                if let index = self.getVariable(variableName, shape, declaration, instance, at: location) {
                    instance.attributeWeights[name, default: []].append(index)
                }
            }.map { [$0] }
        case let .model(modelName, arguments):
            guard let model = resolveModel(modelName) else { return nil }
            guard nestingDepth < limits.maximumNestingDepth else {
                diagnostics.error(topLevelStep ?? location, "specs used as layers nest more than \(limits.maximumNestingDepth) deep here ('\(modelName)' at \(location)); nest them less deep")
                return nil
            }
            nestingDepth += 1
            defer { nestingDepth -= 1 }
            let nested: Instance
            if let existing = instance.nested[name] {
                nested = existing
            } else {
                var params: [String: Literal] = [:]
                for param in model.params {
                    if let argument = arguments[param.name] {
                        guard let value = evaluate(argument, frame, at: location) else { return nil }
                        params[param.name] = value
                    } else if let value = param.defaultValue {
                        params[param.name] = value
                    }
                }
                nested = makeInstance(model, params: params, path: instance.path + name + "/")
                instance.nested[name] = nested
            }
            return call(nested, inputs: inputs, at: location)
        case let .template(templateName, arguments):
            guard let template = instance.model.template(named: templateName) else { return nil }
            var naming = instance.templates[name] ?? TemplateNaming(name: templateName)
            naming.enterCall(&scopes)
            instance.templates[name] = naming
            defer { scopes.exit() }
            var inner = Frame(symbols: frame.symbols, params: frame.params)
            let tensorArguments = template.arguments.filter { $0.type == .tensor }
            guard inputs.count == tensorArguments.count else {
                diagnostics.error(location, "template '\(templateName)' takes \(tensorArguments.count) tensor argument\(tensorArguments.count == 1 ? "" : "s"), but \(inputs.count) \(inputs.count == 1 ? "is" : "are") given")
                return nil
            }
            for (argument, shape) in zip(tensorArguments, inputs) {
                inner.values[argument.name] = shape
            }
            for (key, expr) in arguments {
                guard let value = evaluate(expr, frame, at: location) else { return nil }
                inner.params[key] = value
            }
            guard trace(template.body, instance, &inner) else { return nil }
            return [template.result.flatMap { inner.values[$0] } ?? []]
        }
    }

    // MARK: Layers

    /// The output shape of a layer by its declaration (``LayerKind``), calling
    /// `makeVariable(name, shape, trainable, regularized)` for each of its variables
    /// in TensorFlow's creation order.
    private func layer(
        _ config: LayerConfig, input: TracedShape, _ frame: Frame, at location: SourceLocation,
        makeVariable: (String, [Int], Bool, Bool) -> Void
    ) throws -> TracedShape? {
        let kind = config.kind
        let arguments: LayerArguments
        do {
            arguments = try config.evaluated(frame.params)
        } catch {
            diagnostics.error(location, "\(error)")
            return nil
        }
        for argument in kind.arguments {
            switch argument.type {
            case .size: if arguments.has(argument.key) { try requirePositive([arguments.int(argument.key)], argument.key, kind.name) }
            case .sizes: try requirePositive(arguments.optionalInts(argument.key) ?? [], argument.key, kind.name)
            default: break
            }
        }
        let output = try kind.outputShape(input, arguments)
        for variable in kind.variables where variable.isMade(arguments, inputRank: input.count) {
            let shape = try variable.shape(input, arguments)
            let initializer: Initializer? = switch variable.initializer {
            case let .argument(key): arguments.initializer(key)
            case let .fixed(initializer): initializer
            }
            if let refusal = initializer?.shapeRefusal(shape) {
                throw ShapeMismatch(message: "\(kind.name) variable '\(variable.name)': \(refusal)")
            }
            makeVariable(variable.name, shape, variable.trainable && config.trainable,
                         variable.regularizer.flatMap(arguments.regularizer) != nil)
        }
        return output
    }

    /// Sizes given through `$params` are known only now; literals were checked by the checker.
    private func requirePositive(_ values: [Int], _ what: String, _ kind: String) throws {
        if let bad = values.first(where: { $0 <= 0 }) {
            throw ShapeMismatch(message: "\(kind): \(what) must be positive, not \(bad)")
        }
    }

    // MARK: Math

    /// The result shapes by the operation's declared rule, with its `$params` evaluated.
    private func math(_ operation: MathOperation, _ frame: Frame) throws -> [TracedShape] {
        let shapes = operation.operands.map { operand in
            switch operand {
            case let .value(name): frame.values[name] ?? []
            case let .literal(literal): literal.shape.map(TracedDim.known)
            }
        }
        do {
            return try operation.declaration.resultShapes(shapes, operation.arguments(frame.params))
        } catch let error as ParameterValueError {
            throw ShapeMismatch(message: error.description)
        }
    }

    /// Whether TensorFlow 1 accepts `name` for a scope or layer opened here, reporting it if not;
    /// at the top level of the graph (no variable or name scope open) fewer first characters are allowed.
    private func acceptsName(_ name: String, _ what: String, at location: SourceLocation) -> Bool {
        let topLevel = scopes.current.name.isEmpty && nameScopeDepth == 0
        guard let refusal = TensorFlowName.refusal(name, what, topLevel: topLevel) else { return true }
        diagnostics.error(location, refusal)
        return false
    }

    // MARK: Variables

    /// `get_variable` in the instance's store; the index of the variable in `created` if it was created now.
    @discardableResult
    func getVariable(_ name: String, _ shape: [Int], _ declaration: VariableDeclaration, _ instance: Instance, at location: SourceLocation) -> Int? {
        // get_variable's dtype, else the scope's, else float32; a layer passes its own.
        let dtype = declaration.dtype ?? scopeDefaults.dtype ?? .float32
        let request = VariableRequest(shape: shape, dtype: dtype, trainable: declaration.trainable)
        do {
            let result = try instance.store.getVariable(name, in: scopes.current, request) { _ in }
            if result.lookup == .created || result.lookup == .createdDespiteReuse,
               let refusal = TensorFlowName.refusal(result.description.name, "variable name", topLevel: true) {
                // get_variable opens a name scope with the full name at the top level of the graph.
                diagnostics.error(location, refusal)
            }
            switch result.lookup {
            case .created:
                let index = record(result.description.name, shape, dtype, declaration.trainable,
                                   storePath: String(instance.path.dropLast()), at: location)
                partition(index, at: location)
                instance.storeVariables.append(index)
                return index
            case .createdDespiteReuse:
                let index = record(result.description.name, shape, dtype, declaration.trainable,
                                   storePath: String(instance.path.dropLast()), at: location)
                partition(index, at: location)
                instance.storeVariables.append(index)
                diagnostics.error(location, "variable '\(result.description.name)' does not exist, but its scope has reuse: true; TensorFlow 1 refuses this (\"Variable \(result.description.name) does not exist, or was not created with tf.get_variable()\"), while the shim (track_tf1_style_variables) silently creates it; use 'reuse: auto' to create it when missing")
                return index
            case .reused:
                return nil
            case .sharedWithoutReuse:
                diagnostics.error(location, "variable '\(result.description.name)' is created twice in one call without reuse: TensorFlow 1 refuses this (\"Variable \(result.description.name) already exists, disallowed\"), while the shim (track_tf1_style_variables) silently shares it; to share it, give the enclosing scope 'reuse: auto', or give the layer another name")
                return nil
            }
        } catch {
            diagnostics.error(location, "\(error)")
            return nil
        }
    }

    /// Lists the parts graph mode makes of a variable created under a scope's partitioner,
    /// or reports why TensorFlow refuses to partition it.
    private func partition(_ index: Int, at location: SourceLocation) {
        guard let partitioner = scopeDefaults.partitioner else { return }
        let entry = created[index]
        switch partitioner.partCount(shape: entry.shape, dtype: DType(rawValue: entry.dtype) ?? .float32) {
        case nil:
            break
        case let .success(count)?:
            created[index].partitions = Partitioner.parts(of: entry.name, shape: entry.shape, count: count, axis: partitioner.axis)
        case let .failure(error)?:
            diagnostics.error(location, "variable '\(entry.name)': \(error.message), as TensorFlow refuses it")
        }
    }

    private func createAttributeVariable(_ name: String, variableName: String, _ declaration: VariableDeclaration, frame: Frame, at location: SourceLocation) -> Int? {
        guard let shape = evaluate(declaration.shape, of: name, frame, at: location) else { return nil }
        if let refusal = declaration.initializer?.shapeRefusal(shape) {
            diagnostics.error(location, "weight '\(name)': \(refusal)")
        }
        return record(name, shape, declaration.dtype ?? .float32, declaration.trainable, naming: .attributePath, variableName: variableName, at: location)
    }

    @discardableResult
    private func record(_ name: String, _ shape: [Int], _ dtype: DType, _ trainable: Bool, naming: Manifest.Naming = .scope,
                        variableName: String? = nil, storePath: String? = "", at location: SourceLocation) -> Int {
        do {
            // The runtime holds every variable as Float elements of 4 bytes.
            _ = try CheckedSize.product(shape + [MemoryLayout<Float>.size], "the byte count of variable '\(name)' of shape \(shape)")
        } catch {
            diagnostics.error(location, error.message)
        }
        var entry = Manifest.Entry(name: name, shape: shape, dtype: dtype.rawValue, trainable: trainable, naming: naming, variableName: variableName)
        entry.storePath = storePath
        created.append(entry)
        memory.addVariable(name, shape, at: location)
        return created.count - 1
    }

    // MARK: layer.weights order

    /// The instance's variables in Keras' `layer.trainable_weights` and
    /// `layer.non_trainable_weights` order (indices into `created`), as
    /// `tf_keras` `Layer` computes them for a trainable layer (oracle/README.md,
    /// "layer.weights order"):
    ///
    ///     dedup(own weights + concat(child.trainable_variables for child in children))
    ///
    /// - own weights: `weights:`, in creation order;
    /// - children, in order of first assignment: the sublayers of `layers:` in
    ///   declaration order (native and compat-object layers: their weights in
    ///   creation order; other specs' models: this rule, recursively; templates
    ///   are not `tf.Module`s and list nothing themselves), then the shim store,
    ///   assigned on the first call: its variables sorted by full name (code
    ///   points: `B/w` < `a/b/w` < `a_b/w`, `dense_10` < `dense_2`), then the
    ///   `get_or_create_layer` layers sorted by key, each in creation order;
    /// - dedup keeps the first occurrence: a compat object's variables, also in
    ///   the store, keep their attribute position.
    func weightsOrder(of instance: Instance) -> (trainable: [Int], nonTrainable: [Int]) {
        var trainable: [Int] = []
        var nonTrainable: [Int] = []
        func add(_ indices: [Int]) {
            for index in indices {
                if created[index].trainable { trainable.append(index) } else { nonTrainable.append(index) }
            }
        }
        add(instance.ownWeights)
        for layer in instance.model.layers {
            switch layer.kind {
            case .native, .legacy:
                add(instance.attributeWeights[layer.name] ?? [])
            case .model:
                if let nested = instance.nested[layer.name] {
                    let order = weightsOrder(of: nested)
                    trainable += order.trainable
                    nonTrainable += order.nonTrainable
                }
            case .template:
                break
            }
        }
        add(instance.storeVariables.sorted { Self.codePointsLess(created[$0].name, created[$1].name) })
        for layer in instance.createdLayers.sorted(by: { Self.codePointsLess($0.key, $1.key) }) {
            add(layer.variables)
        }
        return (Self.firstOccurrences(trainable), Self.firstOccurrences(nonTrainable))
    }

    /// Python's `str` order: by Unicode code points.
    static func codePointsLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    private static func firstOccurrences(_ indices: [Int]) -> [Int] {
        var seen = Set<Int>()
        return indices.filter { seen.insert($0).inserted }
    }

    // MARK: Expressions

    func evaluate(_ expr: Expr<Int>, _ frame: Frame, at location: SourceLocation) -> Int? {
        do {
            return try expr.evaluated(frame.params)
        } catch {
            diagnostics.error(location, "\(error)")
            return nil
        }
    }

    func evaluate(_ exprs: [Expr<Int>], _ frame: Frame, at location: SourceLocation) -> [Int]? {
        let values = exprs.compactMap { evaluate($0, frame, at: location) }
        return values.count == exprs.count ? values : nil
    }

    func evaluate(_ expr: Expr<String>, _ frame: Frame, at location: SourceLocation) -> String? {
        switch expr {
        case let .literal(value): return value
        case let .param(name):
            if case let .string(value)? = frame.params[name] { return value }
            diagnostics.error(location, ParameterValueError.missing(name, .string, frame.params[name]).description)
            return nil
        }
    }

    func evaluate(_ expr: Expr<Literal>, _ frame: Frame, at location: SourceLocation) -> Literal? {
        switch expr {
        case let .literal(value): return value
        case let .param(name):
            if let value = frame.params[name] { return value }
            diagnostics.error(location, "parameter '$\(name)' has no value: give it a default in the spec or pass it with --param \(name)=VALUE")
            return nil
        }
    }

    /// The shape of variable `variable` as numbers: symbols take the sizes bound
    /// by the call's inputs. A parameter's negative size is refused, as
    /// TensorFlow refuses it (`Dimension -5 must be >= 0`); a literal one was
    /// refused by the checker.
    func evaluate(_ shape: [Dimension], of variable: String, _ frame: Frame, at location: SourceLocation) -> [Int]? {
        var sizes: [Int] = []
        for (index, dimension) in shape.enumerated() {
            switch dimension {
            case let .known(size): sizes.append(size)
            case let .param(name):
                guard let size = evaluate(Expr<Int>.param(name), frame, at: location) else { return nil }
                guard size >= 0 else {
                    diagnostics.error(location, "variable '\(variable)' has $\(name) = \(size) as dimension \(index) of its shape [\(shape.map(\.description).joined(separator: ", "))]; a dimension cannot be negative (TensorFlow: \"Dimension \(size) must be >= 0\")")
                    return nil
                }
                sizes.append(size)
            case let .symbol(name):
                guard let size = frame.symbols[name]?.size else {
                    diagnostics.error(location, "the size of '\(name)' is not known here, but a variable's shape needs it; give the input's shape with a number there or pass --input with its dimensions")
                    return nil
                }
                sizes.append(size)
            case .unknown:
                diagnostics.error(location, "a variable's shape cannot have an unknown (null) dimension")
                return nil
            }
        }
        return sizes
    }
}
