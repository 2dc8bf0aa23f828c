import Foundation
import ModelSpecCompiler
import TFNaming

/// The access level of the generated API.
public enum AccessLevel: String, Sendable, CaseIterable {
    case `public`, `package`, `internal`

    var keyword: String { self == .internal ? "" : rawValue + " " }
}

/// Translates a checked model into what the file template renders: the type's
/// doc comment, manifest, properties, initializer and call methods.
struct ModelTranslator {
    let model: ModelDescription
    let manifest: Manifest?
    let access: AccessLevel
    let resolve: (String) -> ModelDescription?

    /// What `templates/model.mustache` renders.
    struct Rendered {
        var specFile: String
        var docLines: [String]
        var access: String
        var typeName: String
        var conformance: String
        var manifestNote: String
        var manifest: [String]
        var members: [String]
    }

    // MARK: Names

    /// Argument labels of a model's call: none for a single input, the input names otherwise.
    static func inputLabels(_ model: ModelDescription) -> [String] {
        model.inputs.count == 1 ? [""] : model.inputs.map { SwiftName.lowerCamel($0.name) }
    }

    static func templateFunctionName(_ template: String) -> String {
        SwiftName.lowerCamel(template) + "Body"
    }

    /// Whether the model names weights by attribute path below a prefix it is given (`path`).
    /// Each model is looked at once (`known`), so that specs using each other
    /// twice at every level do not make the question exponential.
    static func needsPath(_ model: ModelDescription, resolve: (String) -> ModelDescription?) -> Bool {
        var known: [String: Bool] = [:]
        func needs(_ model: ModelDescription) -> Bool {
            if let answer = known[model.name] { return answer }
            let answer = !model.weights.isEmpty || model.layers.contains { layer in
                switch layer.kind {
                case .native: return true
                case let .model(name, _): return resolve(name).map(needs) ?? false
                default: return false
                }
            }
            known[model.name] = answer
            return answer
        }
        return needs(model)
    }

    // MARK: Translation

    func translate() throws -> Rendered {
        let paramNames = Dictionary(uniqueKeysWithValues: model.params.map { ($0.name, SwiftName.lowerCamel($0.name)) })
        let arguments = ArgumentRendering(paramNames: paramNames)
        let hasShim = model.style == .legacy
        let usesPath = Self.needsPath(model, resolve: resolve)
        let layerProperties = Dictionary(uniqueKeysWithValues: model.layers.map { ($0.name, SwiftName.lowerCamel($0.name)) })
        let weightNames = Dictionary(uniqueKeysWithValues: model.weights.map { ($0.name, SwiftName.lowerCamel($0.name)) })
        let keyword = access.keyword

        var members: [String] = []

        // Parameters.
        for param in model.params {
            var code = SwiftCode()
            code.doc(param.doc)
            code.line("\(keyword)let \(paramNames[param.name]!): \(param.type.rawValue)")
            members.append(indented(code))
        }
        if usesPath {
            var code = SwiftCode()
            code.line("/// The attribute path this model's native weights are named below (`\"\"` at the top).")
            code.line("\(keyword)let path: String")
            members.append(indented(code))
        }
        if hasShim {
            var code = SwiftCode()
            code.line("/// The variable store of the shim (`track_tf1_style_variables`).")
            if let names = kerasNamesArguments() {
                // Its calls name `get_or_create_layer` layers with Keras's counters, which constructing it starts.
                code.line("/// Its calls name `get_or_create_layer` layers continuing Keras's names as making the model left them.")
                code.line("\(keyword)let shim = ShimStore(\(names))")
            } else {
                code.line("\(keyword)let shim = ShimStore()")
            }
            members.append(indented(code))
        }
        do {
            var code = SwiftCode()
            code.line("/// Values loaded before the variables exist, for the next call to give them.")
            code.line("\(keyword)let pendingValues = PendingValues()")
            members.append(indented(code))
        }
        // Sublayers.
        for layer in model.layers {
            var code = SwiftCode()
            let property = layerProperties[layer.name]!
            switch layer.kind {
            case let .native(config):
                code.line("/// `\(layer.name)`: a Keras `\(config.kind.className)`, weights named `\(layer.name)/...`.")
                code.line("let \(property): KerasLayer")
            case let .legacy(config):
                code.line("/// `\(layer.name)`: a `tf.compat.v1.layers.\(config.kind.className)` object, named by the scope of its first call.")
                code.line("let \(property): CompatLayer")
            case let .model(name, _):
                code.line("/// `\(layer.name)`: a nested `\(name)`.")
                code.line("let \(property): \(name)")
            case let .template(name, _):
                code.line("/// `\(layer.name)`: the template `\(name)` (`tf.compat.v1.make_template`), one set of variables for every call.")
                code.line("let \(property) = Template(\(SwiftLiteral.string(name)))")
            }
            members.append(indented(code))
        }
        // Weights.
        if !model.weights.isEmpty {
            var code = SwiftCode()
            code.line("/// Weights made with `add_weight`, in creation order.")
            code.line("\(keyword)private(set) var ownWeights: [Variable] = []")
            members.append(indented(code))
        }
        if model.weights.isEmpty, !hasShim {
            var code = SwiftCode()
            code.line("\(keyword)var ownWeights: [Variable] { [] }")
            members.append(indented(code))
        }
        let tracked = model.layers.filter { if case .template = $0.kind { false } else { true } }
        if !tracked.isEmpty || !hasShim {
            var code = SwiftCode()
            code.line("\(keyword)var sublayers: [any Layer] { [\(tracked.map { layerProperties[$0.name]! }.joined(separator: ", "))] }")
            members.append(indented(code))
        }
        if !hasShim {
            var code = SwiftCode()
            code.line("\(keyword)var ownLosses: [Tensor] { ownWeightLosses }")
            members.append(indented(code))
        }

        members.append(indented(try initializer(paramNames, arguments, usesPath: usesPath, layerProperties: layerProperties)))
        members.append(indented(callAsFunction()))
        members.append(indented(try call(arguments, hasShim: hasShim, layerProperties: layerProperties, weightNames: weightNames)))
        for template in model.templates {
            members.append(indented(try templateFunction(template, arguments, layerProperties: layerProperties)))
        }

        var doc = SwiftCode()
        doc.doc(model.doc ?? "The model of \(model.file).")
        if let manifest, !manifest.variables.isEmpty {
            doc.line("///")
            doc.line("/// Variables, in creation order:")
            for entry in manifest.variables {
                doc.line("/// - `\(entry.name)` \(SwiftLiteral.ints(entry.shape))\(entry.trainable ? "" : " (non-trainable)")")
            }
        }
        let defaults = model.params.filter { $0.defaultValue != nil }
        return Rendered(
            // In a `//` comment: a line break in the file's name would end the comment.
            specFile: String(URL(fileURLWithPath: model.file).lastPathComponent.unicodeScalars.map {
                $0.properties.generalCategory == .control ? "?" : Character($0)
            }),
            docLines: doc.lines,
            access: keyword,
            typeName: model.name,
            conformance: hasShim ? "ShimLayer, GeneratedModel" : "GeneratedModel",
            manifestNote: defaults.isEmpty ? "" : " (with the default parameters)",
            manifest: (manifest?.variables ?? []).map { entry in
                var text = "ManifestEntry(\(SwiftLiteral.string(entry.name)), shape: \(SwiftLiteral.ints(entry.shape))"
                if entry.dtype != "float32" { text += ", dtype: \(SwiftLiteral.string(entry.dtype))" }
                if !entry.trainable { text += ", trainable: false" }
                if entry.variableName != entry.name { text += ", variableName: \(SwiftLiteral.string(entry.variableName))" }
                if let stored = entry.storedLayer {
                    text += ", objectPath: [" + stored.objectPath.map(SwiftLiteral.string).joined(separator: ", ") + "]"
                }
                return text + ")"
            },
            members: members)
    }

    private func indented(_ code: SwiftCode) -> String {
        code.lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    // MARK: Members

    private func initializer(_ paramNames: [String: String], _ arguments: ArgumentRendering, usesPath: Bool,
                             layerProperties: [String: String]) throws -> SwiftCode {
        var code = SwiftCode()
        var parameters = model.params.map { param -> String in
            var text = "\(paramNames[param.name]!): \(param.type.rawValue)"
            if let value = param.defaultValue { text += " = " + arguments.literal(.literal(value)) }
            return text
        }
        if usesPath { parameters.append("path: String = \"\"") }
        let initWeights = model.weights.filter(\.atInit)
        let throwing = !initWeights.isEmpty
        code.line("/// Makes the model\(model.layers.isEmpty ? "" : " and its sublayers")\(initWeights.isEmpty ? "" : ", and the weights made at initialization").")
        for param in model.params where param.doc != nil {
            code.doc("- Parameter \(paramNames[param.name]!): \(param.doc!.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try code.block("\(access.keyword)init(\(parameters.joined(separator: ", ")))\(throwing ? " throws" : "")") { code in
            for param in model.params {
                let name = paramNames[param.name]!
                code.line("self.\(name) = \(name)")
            }
            if usesPath { code.line("self.path = path") }
            for layer in model.layers {
                let property = layerProperties[layer.name]!
                switch layer.kind {
                case let .native(config):
                    let rest = try arguments.layerArguments(config, training: nil, form: .native)
                    code.line("\(property) = keras.\(config.kind.className)(" + (rest + ["path: path + \(SwiftLiteral.string(layer.name))"]).joined(separator: ", ") + ")")
                case let .legacy(config):
                    let rest = try arguments.layerArguments(config, training: nil, form: .legacyObject)
                    code.line("\(property) = v1.\(config.kind.className)(" + rest.joined(separator: ", ") + ")")
                case let .model(name, values):
                    guard let nested = resolve(name) else { throw GeneratorError("model '\(name)' is not in the spec library") }
                    var passed: [String] = nested.params.compactMap { param in
                        values[param.name].map { "\(SwiftName.lowerCamel(param.name)): \(arguments.literal($0))" }
                    }
                    if Self.needsPath(nested, resolve: resolve) { passed.append("path: path + \(SwiftLiteral.string(layer.name + "/"))") }
                    code.line("\(property) = \(name)(\(passed.joined(separator: ", ")))")
                case .template:
                    break
                }
            }
            for weight in initWeights {
                let declaration = weight.variable
                let shape = BodyTranslator.staticShape(declaration.shape, arguments)
                let initializer = declaration.initializer.map(arguments.initializer) ?? ".default"
                code.line("ownWeights.append(Variable(")
                code.line("    name: path + \(SwiftLiteral.string(weight.name)),")
                code.line("    value: try Initializer\(initializer).makeValue(shape: \(shape), name: path + \(SwiftLiteral.string(weight.name))),")
                code.line("    trainable: \(declaration.trainable), regularizer: \(declaration.regularizer.map(arguments.regularizer) ?? "nil")))")
            }
        }
        return code
    }

    private var callParameters: [String] {
        let labels = Self.inputLabels(model)
        return zip(labels, model.inputs).map { label, input in
            let type = ValueKind(input.dtype).swiftType
            return label.isEmpty ? "_ \(SwiftName.lowerCamel(input.name)): \(type)" : "\(label): \(type)"
        }
    }

    private var returnType: String {
        OutputKinds.returnType(model)
    }

    /// `kerasModel: "...", kerasCounts: [...]`: Keras's names as making the model leaves them,
    /// when a call of it makes `get_or_create_layer` layers (which continue them); nil otherwise.
    private func kerasNamesArguments() -> String? {
        guard model.makesStoredLayers(resolve: resolve) else { return nil }
        let names = SpecCompiler.kerasNames(of: model, resolveModel: resolve)
        let counts = names.layers.counts.sorted { $0.key < $1.key }
            .map { "\(SwiftLiteral.string($0.key)): \($0.value)" }.joined(separator: ", ")
        return "kerasModel: \(SwiftLiteral.string(names.model)), kerasCounts: [\(counts.isEmpty ? ":" : counts)]"
    }

    private func callAsFunction() -> SwiftCode {
        var code = SwiftCode()
        code.line("/// Runs the model.")
        for input in model.inputs {
            let dims = input.shape.map(\.description).joined(separator: ", ")
            code.doc("- Parameter \(SwiftName.lowerCamel(input.name)): [\(dims)]\(input.doc.map { ", " + $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "")")
        }
        code.line("/// - Parameter training: The training flag (batch normalization, dropout).")
        code.line("/// - Parameter substitutions: Tensors used in place of the variables of these full names, for this call only.")
        if !model.inputs.isEmpty {
            code.line("/// - Throws: `InputShapeError` when an input does not fit its declared shape, before anything runs.")
        }
        let parameters = callParameters + ["training: Bool = false", "substituting substitutions: [String: Tensor] = [:]"]
        code.block("\(access.keyword)func callAsFunction(\(parameters.joined(separator: ", "))) throws -> \(returnType)") { code in
            let labels = Self.inputLabels(model)
            let passed = zip(labels, model.inputs).map { $0.isEmpty ? SwiftName.lowerCamel($1.name) : "\($0): \(SwiftName.lowerCamel($1.name))" }
            // A model without a store of its own starts the Keras names its nested shim layers continue.
            let names = model.style == .legacy ? nil : kerasNamesArguments()
            code.line("let context = pendingValues.context(training: training, substituting: substitutions" + (names.map { ", " + $0 } ?? "") + ")")
            code.line("defer { pendingValues.keep(after: context) }")
            code.line("return try call(" + (passed + ["context: context", "training: training"]).joined(separator: ", ") + ")")
        }
        return code
    }

    private func call(_ arguments: ArgumentRendering, hasShim: Bool, layerProperties: [String: String],
                      weightNames: [String: String]) throws -> SwiftCode {
        var code = SwiftCode()
        code.line("/// Runs the model inside a call that is under way (a parent model's), sharing its scope counters.")
        let parameters = callParameters + ["context: CallContext", "training: Bool"]
        var names = ValueNames(taken: Set(layerProperties.values).union(weightNames.values).union(model.params.map { SwiftName.lowerCamel($0.name) }))
        for input in model.inputs { names.assign(input.name, to: SwiftName.lowerCamel(input.name)) }
        var weightValues = weightNames
        for (name, swift) in weightNames { weightValues[name] = swift }
        var body = BodyTranslator(model: model, arguments: arguments, resolve: resolve, layerProperties: layerProperties,
                                  weightValues: weightValues, hasShim: hasShim, names: names)
        body.readValues = ValueUses.reads(model.body).union(model.outputs)
        body.assignedVariables = Self.assignedVariables(model.body, names: &body.names)
        body.kinds = Dictionary(model.inputs.map { ($0.name, ValueKind($0.dtype)) }, uniquingKeysWith: { first, _ in first })
        try code.block("\(access.keyword)func call(\(parameters.joined(separator: ", "))) throws -> \(returnType)") { code in
            inputCheck(arguments, into: &code)
            // The values loaded before the variables exist, for those this call creates, however it is called.
            code.line("let loan = pendingValues.lend(to: context)")
            code.line("defer { pendingValues.settle(loan, after: context) }")
            for (symbol, expression) in symbolBindings() { code.line("let \(SwiftName.lowerCamel(symbol)) = \(expression)") }
            try buildWeights(arguments, into: &code)
            let assigned = Self.assignedNames(model.body)
            let valueReads = ValueUses.valueReads(model.body)
            for (index, weight) in model.weights.enumerated() {
                let swift = weightNames[weight.name]!
                if assigned.contains(weight.name) {
                    code.line("let \(swift)Variable = ownWeights[\(index)]")
                }
                if valueReads.contains(weight.name) || model.outputs.contains(weight.name) {
                    code.line("let \(swift) = try context.value(of: ownWeights[\(index)])")
                }
            }
            if hasShim {
                try code.closure("return try shim.call(context: context, training: training) { tf in") { code in
                    try body.statements(model.body, liveAfter: Set(model.outputs), into: &code)
                    code.line("return " + outputs(&body))
                }
            } else {
                try body.statements(model.body, liveAfter: Set(model.outputs), into: &code)
                code.line("return " + outputs(&body))
            }
        }
        return code
    }

    /// `try checkInputShapes(of: "Model", ("x", x.shape, [.symbol("batch"), 4]))`: the inputs against their
    /// declared shapes, so that a wrong one is an error naming it rather than a failure deep inside an op.
    private func inputCheck(_ arguments: ArgumentRendering, into code: inout SwiftCode) {
        guard !model.inputs.isEmpty else { return }
        let checks = model.inputs.map { input in
            let dims = input.shape.map { dimension in
                switch dimension {
                case let .known(size): String(size)
                case let .param(name): ".size(\(arguments.int(.param(name))))"
                case let .symbol(name): ".symbol(\(SwiftLiteral.string(name)))"
                case .unknown: ".any"
                }
            }
            return "(\(SwiftLiteral.string(input.name)), \(SwiftName.lowerCamel(input.name)).shape, [\(dims.joined(separator: ", "))])"
        }
        let head = "try checkInputShapes(of: \(SwiftLiteral.string(model.name)), "
        if checks.count == 1 {
            code.line(head + checks[0] + ")")
        } else {
            code.line("try checkInputShapes(")
            code.line("    of: \(SwiftLiteral.string(model.name)),")
            for (index, check) in checks.enumerated() {
                code.line("    " + check + (index == checks.count - 1 ? ")" : ","))
            }
        }
    }

    private func outputs(_ body: inout BodyTranslator) -> String {
        let kinds = OutputKinds.of(model)
        let values = zip(model.outputs, kinds).map { name, kind -> String in
            if let weight = model.weights.first(where: { $0.name == name }) { return SwiftName.lowerCamel(weight.name) }
            return body.converted(name, to: kind)
        }
        if values.count == 1 { return values[0] }
        let labels = model.outputs.map(OutputKinds.label)
        return "(" + zip(labels, values).map { $0 == $1 ? $0 : "\($0): \($1)" }.joined(separator: ", ") + ")"
    }

    /// Symbols of the inputs' shapes that variable shapes use, read from the inputs at call time.
    private func symbolBindings() -> [(String, String)] {
        var used = Set<String>()
        func collect(_ dims: [ModelSpecCompiler.Dimension]) {
            for case let .symbol(name) in dims { used.insert(name) }
        }
        func walk(_ steps: [Step]) {
            for step in steps {
                switch step.operation {
                case let .variable(declaration): collect(declaration.shape)
                case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): walk(body)
                default: break
                }
            }
        }
        walk(model.body)
        for template in model.templates { walk(template.body) }
        for weight in model.weights where !weight.atInit { collect(weight.variable.shape) }
        var bindings: [(String, String)] = []
        for symbol in used.sorted() {
            for input in model.inputs {
                if let index = input.shape.firstIndex(of: .symbol(symbol)) {
                    bindings.append((symbol, "\(SwiftName.lowerCamel(input.name)).shape[\(index)]"))
                    break
                }
            }
        }
        return bindings
    }

    /// `build`: the weights made on the first call, from the inputs' shapes.
    private func buildWeights(_ arguments: ArgumentRendering, into code: inout SwiftCode) throws {
        let built = model.weights.filter { !$0.atInit }
        guard !built.isEmpty else { return }
        let initCount = model.weights.count - built.count
        code.block("if ownWeights.count == \(initCount)") { code in
            code.line("// build(input_shape): the weights made on the first call.")
            for weight in built {
                let declaration = weight.variable
                let shape = BodyTranslator.staticShape(declaration.shape, arguments)
                var call = "ownWeights.append(try context.makeVariable(name: path + \(SwiftLiteral.string(weight.name)), shape: \(shape), "
                call += "initializer: \(declaration.initializer.map(arguments.initializer) ?? "nil"), "
                call += "regularizer: \(declaration.regularizer.map(arguments.regularizer) ?? "nil"), trainable: \(declaration.trainable)))"
                code.line(call)
            }
        }
    }

    private func templateFunction(_ template: TemplateDeclaration, _ arguments: ArgumentRendering,
                                  layerProperties: [String: String]) throws -> SwiftCode {
        var code = SwiftCode()
        code.line("/// The function of template `\(template.name)`, run in the template's scope.")
        var parameters: [String] = []
        var names = ValueNames(taken: Set(layerProperties.values))
        var constantNames = arguments.paramNames
        for argument in template.arguments {
            let swift = SwiftName.lowerCamel(argument.name)
            switch argument.type {
            case .tensor:
                parameters.append("_ \(swift): Tensor")
                names.assign(argument.name, to: swift)
            case let .constant(type):
                parameters.append("\(swift): \(type.rawValue)")
                constantNames[argument.name] = swift
            }
        }
        parameters.append("_ tf: TF1")
        var body = BodyTranslator(model: model, arguments: ArgumentRendering(paramNames: constantNames), resolve: resolve,
                                  layerProperties: layerProperties, weightValues: [:], hasShim: true, names: names)
        guard let result = template.result else { throw GeneratorError("template '\(template.name)' has no Tensor argument") }
        body.readValues = ValueUses.reads(template.body).union([result])
        let kind = ValueKind(template.resultType)
        try code.block("private func \(Self.templateFunctionName(template.name))(\(parameters.joined(separator: ", "))) throws -> \(kind.swiftType)") { code in
            try body.statements(template.body, liveAfter: [result], into: &code)
            // The value of its dtype, as the checker typed it (and as the interpreter returns it).
            code.line("return " + body.converted(result, to: kind))
        }
        return code
    }

    // MARK: Assignments

    /// The values `assign` steps change in the steps, including inside nested scopes.
    static func assignedNames(_ steps: [Step]) -> Set<String> {
        var result = Set<String>()
        for step in steps {
            switch step.operation {
            case let .assign(variable, _): result.insert(variable)
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): result.formUnion(assignedNames(body))
            default: break
            }
        }
        return result
    }

    /// Variable steps whose variables `assign` steps change, with the Swift name of their `Variable`.
    static func assignedVariables(_ steps: [Step], names: inout ValueNames) -> [String: String] {
        var result: [String: String] = [:]
        func walk(_ steps: [Step]) {
            let assigned = assignedNames(steps)
            for step in steps {
                switch step.operation {
                case .variable where assigned.contains(step.results.first ?? ""):
                    result[step.results[0]] = names.name(step.results[0]) + "Variable"
                case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): walk(body)
                default: break
                }
            }
        }
        walk(steps)
        return result
    }
}

extension BodyTranslator {
    /// A weight's shape from numbers, parameters and input symbols.
    static func staticShape(_ dims: [ModelSpecCompiler.Dimension], _ arguments: ArgumentRendering) -> String {
        "[" + dims.map { dimension in
            switch dimension {
            case let .known(size): String(size)
            case let .param(name): arguments.int(.param(name))
            case let .symbol(name): SwiftName.lowerCamel(name)
            case .unknown: "0"
            }
        }.joined(separator: ", ") + "]"
    }
}
