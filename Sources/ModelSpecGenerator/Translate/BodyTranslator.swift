import ModelSpecCompiler
import TFNaming

/// Writes the steps of a forward pass (or a template body) as Swift statements
/// that call the runtime, one statement per step, scopes as nested closures
/// that return the values later steps read.
struct BodyTranslator {
    let model: ModelDescription
    let arguments: ArgumentRendering
    /// Resolves the models of other specs used as layers.
    let resolve: (String) -> ModelDescription?
    /// Swift names of the model's sublayer properties, by spec attribute name.
    let layerProperties: [String: String]
    /// Swift names of the model's weights (`weights:`), by spec name.
    let weightValues: [String: String]
    /// True in a legacy model, whose steps run inside `shim.call { tf in ... }`.
    let hasShim: Bool
    var names: ValueNames
    /// Variables created by `variable` steps that `assign` steps change: spec name -> Swift `Variable` name.
    var assignedVariables: [String: String] = [:]
    /// The runtime type of each value that is not a `Tensor` (integer and bool inputs and results), by spec name.
    var kinds: [String: ValueKind] = [:]
    /// Values bound to a Swift variable declared before their step (a loop's carried
    /// value, a conditional's result): their step assigns it (`x = ...`) instead of `let`.
    var assignedInPlace: Set<String> = []

    /// The expression of the call context.
    var contextExpression: String { hasShim ? "tf.context" : "context" }

    /// Statements for the steps; `liveAfter` are the values read after them.
    mutating func statements(_ steps: [Step], liveAfter: Set<String>, into code: inout SwiftCode) throws {
        for name in ValueUses.defines(steps) where readValues.contains(name) || liveAfter.contains(name) { _ = value(name) }
        let live = LiveValues(outer: liveAfter, lastReads: LiveValues.lastReads(steps, outer: liveAfter), after: 0)
        var index = 0
        while index < steps.count {
            if hasShim, let block = ConvolutionBlock.match(steps, at: index, live: live) {
                let last = index + block.length - 1
                liveAfterStep = live.after(last)
                try convolutionBlock(block, input: operand(steps[index].inputs[0]), result: steps[last], into: &code)
                index += block.length
                continue
            }
            try statement(steps[index], liveAfter: live.after(index), into: &code)
            index += 1
        }
    }

    /// `tf.conv2dBatchNormalization(x, .conv2d(...), .batchNormalization(...), ...)` or
    /// `tf.conv2dMaxPooling(x, .conv2d(...), .maxPooling2d(...))` for a ``ConvolutionBlock``.
    private mutating func convolutionBlock(_ block: ConvolutionBlock, input: String, result: Step,
                                           into code: inout SwiftCode) throws {
        var layers = [".conv2d(\(try arguments.layerArguments(block.convolution, training: nil, form: .legacyObject).joined(separator: ", ")))"]
        var rest: [String] = []
        if let normalization = block.normalization {
            layers.append(".batchNormalization(\(try arguments.layerArguments(normalization, training: nil, form: .legacyObject).joined(separator: ", ")))")
            if block.relu { rest.append("activation: .relu") }
        }
        if let pooling = block.pooling {
            let pooled = ".maxPooling2d(\(try arguments.layerArguments(pooling, training: nil, form: .legacyObject).joined(separator: ", ")))"
            if block.normalization == nil { layers.append(pooled) } else { rest.append("pooling: " + pooled) }
        }
        if let normalization = block.normalization {
            let trainingFlag = training(normalization.training, default: "false")
            if trainingFlag != "false" { rest.append("training: \(trainingFlag)") }
        }
        code.line(block.comment)
        bind(result, "try tf.\(block.normalization == nil ? "conv2dMaxPooling" : "conv2dBatchNormalization")(", into: &code)
        code.line("    \(input),")
        for (position, layer) in layers.enumerated() {
            code.line("    " + layer + (position < layers.count - 1 || !rest.isEmpty ? "," : ")"))
        }
        if !rest.isEmpty { code.line("    " + rest.joined(separator: ", ") + ")") }
    }

    /// A value as an operand: an integer or bool value where a `Tensor` is needed is cast (`tf.cast`), and a `Tensor`
    /// where indices are needed (`indices: true`) is truncated to int32; integers are indices as they are.
    mutating func operand(_ name: String, indices: Bool = false) -> String {
        switch (kind(of: name), indices) {
        case (.int32, false), (.int64, false), (.bool, _): "Tensor(\(value(name)))"
        case (.float, true): "IndexTensor(truncating: \(value(name)))"
        default: value(name)
        }
    }

    /// A value as the runtime type of `kind` (a nested model's input of that dtype), cast as `tf.cast` does.
    mutating func converted(_ name: String, to wanted: ValueKind) -> String {
        switch (wanted, kind(of: name)) {
        case (.float, _): operand(name)
        case let (wanted, had) where wanted == had: value(name)
        default: "try cast(\(value(name)), to: \(wanted.swiftType).self)"
        }
    }

    /// The step's values have the runtime types of their dtypes.
    private mutating func setKinds(_ step: Step) {
        for (position, name) in step.results.enumerated() { kinds[name] = ValueKind(step.type(position)) }
    }

    /// The runtime type a value has.
    func kind(of name: String) -> ValueKind {
        kinds[name] ?? .float
    }

    mutating func value(_ name: String) -> String {
        if let weight = weightValues[name] { return weight }
        return names.name(name)
    }

    private mutating func training(_ flag: TrainingFlag?, default fallback: String) -> String {
        switch flag {
        case let .constant(value)?: String(value)
        case .callFlag?: "training"
        case nil: fallback
        }
    }

    /// `let x = expression` (or a tuple) for the step's results; `_ =` for results nothing reads.
    private mutating func bind(_ step: Step, _ expression: String, into code: inout SwiftCode) {
        let results = step.results.map { liveAfterStep.contains($0) ? value($0) : "_" }
        switch results.count {
        case 0: code.line(expression)
        case 1 where assignedInPlace.contains(step.results[0]): code.line("\(value(step.results[0])) = \(expression)")
        case 1: code.line(results[0] == "_" ? "_ = \(expression)" : "let \(results[0]) = \(expression)")
        default:
            code.line(results.allSatisfy { $0 == "_" } ? "_ = \(expression)" : "let (\(results.joined(separator: ", "))) = \(expression)")
        }
    }

    /// The values read after the step being translated.
    var liveAfterStep = LiveValues(outer: [], lastReads: [:], after: 0)
    /// Every value some step or output reads; only these get names.
    var readValues: Set<String> = []

    private mutating func statement(_ step: Step, liveAfter: LiveValues, into code: inout SwiftCode) throws {
        liveAfterStep = liveAfter
        let inputs = step.inputs.map { operand($0) }
        switch step.operation {
        case let .variableScope(_, _, _, body) where !hasShim, let .nameScope(_, body) where !hasShim:
            try inlineScope(step, body, liveAfter: liveAfter, into: &code)
        case let .variableScope(name, reuse, defaults, body):
            var opening: String
            switch name {
            case let .name(expr):
                opening = "tf.variableScope(\(arguments.string(expr))"
                if let reuse = arguments.reuse(reuse) { opening += ", reuse: \(reuse)" }
            case let .defaultName(prefix):
                opening = "tf.variableScope(defaultName: \(SwiftLiteral.string(prefix))"
            case let .formatted(format):
                opening = "tf.variableScope(\(formattedName(format))"
                if let reuse = arguments.reuse(reuse) { opening += ", reuse: \(reuse)" }
            }
            // The partitioner only changes how graph mode stores variables; the runtime keeps them whole.
            if let initializer = defaults.initializer { opening += ", initializer: \(arguments.initializer(initializer))" }
            if let regularizer = defaults.regularizer { opening += ", regularizer: \(arguments.regularizer(regularizer))" }
            if let dtype = defaults.dtype { opening += ", dtype: .\(dtype.rawValue)" }
            opening += ")"
            try scopeBlock(opening, body, liveAfter: liveAfter, into: &code)
        case let .nameScope(name, body):
            try scopeBlock("tf.nameScope(\(SwiftLiteral.string(name)))", body, liveAfter: liveAfter, into: &code)
        case let .recordScope(name):
            code.line("tf.recordScope(\(SwiftLiteral.string(name)))")
        case let .variable(declaration):
            let name = declaration.nameFormat.map { formattedName($0) } ?? arguments.string(declaration.name)
            var call = "tf.variable(\(name), shape: \(shape(declaration.shape))"
            if let dtype = declaration.dtype { call += ", dtype: .\(dtype.rawValue)" }
            if let initializer = declaration.initializer { call += ", initializer: \(arguments.initializer(initializer))" }
            if let regularizer = declaration.regularizer { call += ", regularizer: \(arguments.regularizer(regularizer))" }
            if !declaration.trainable { call += ", trainable: false" }
            call += ")"
            let result = step.results[0]
            if let variableName = assignedVariables[result] {
                code.line("let \(variableName) = try \(call)")
                code.line("let \(value(result)) = try tf.context.value(of: \(variableName))")
            } else {
                bind(step, "try " + call.replacingOccurrences(of: "tf.variable(", with: "tf.getVariable("), into: &code)
            }
        case let .legacyLayer(config):
            let trainingFlag = training(config.training, default: "false")
            let rest = try arguments.layerArguments(config, training: trainingFlag == "false" ? nil : trainingFlag, form: .functional,
                                                    name: config.nameFormat.map { formattedName($0) })
            bind(step, "try tf.\(config.kind.swiftFunction)(" + ([inputs[0]] + rest).joined(separator: ", ") + ")", into: &code)
        case let .callLayer(name, flag):
            try layerCall(step, name, inputs, training: training(flag, default: "training"), into: &code)
        case let .getOrCreateLayer(name, config, inModel):
            let rest = try arguments.layerArguments(config, training: nil, form: .native)
            let path = "tf.kerasLayerPath(className: \(SwiftLiteral.string(config.kind.className)), name: "
                + (config.name.map(SwiftLiteral.string) ?? "nil") + (inModel ? ", inModel: true)" : ")")
            code.block("let \(value(step.results[0]) + "Layer") = try tf.getOrCreateLayer(\(SwiftLiteral.string(name)))") { code in
                code.line("keras.\(config.kind.className)(" + (rest + ["path: \(path)"]).joined(separator: ", ") + ")")
            }
            bind(step, "try \(value(step.results[0]))Layer(\(inputs[0]), training: training, context: tf.context)", into: &code)
        case let .math(operation):
            setKinds(step)
            let expression = math(operation, resultKind: ValueKind(step.type(0)))
            if operation.declaration.makesCountedResults {
                bindParts(step, expression, into: &code)
            } else {
                bind(step, expression, into: &code)
            }
        case let .recurrent(loop):
            let operands = step.inputs.enumerated().map { operand($1, indices: loop.hasSequenceLength && $0 == 1) }
            let result = value(step.results[0]) + "RNN"
            code.line("let \(result) = \(RecurrentLoopTranslation.call(loop, operands: operands, arguments))")
            bind(step, "(" + RecurrentLoopTranslation.results(loop, of: result).joined(separator: ", ") + ")", into: &code)
        case let .assign(variable, add):
            let target = assignedVariables[variable] ?? weightVariable(variable)
            code.line("try \(target).\(add ? "assignAdd" : "assign")(\(inputs[1]))")
            bind(step, "\(target).value", into: &code)
        case let .repeated(loop, body):
            setKinds(step)
            try repeated(step, loop, body, liveAfter: liveAfter, into: &code)
        case let .conditional(condition, body):
            setKinds(step)
            try conditional(step, condition, body, liveAfter: liveAfter, into: &code)
        }
    }

    private func weightVariable(_ name: String) -> String {
        (weightValues[name] ?? SwiftName.lowerCamel(name)) + "Variable"
    }

    /// A scope of a native model: it names the variables TensorFlow makes below it
    /// (the manifest's variable names), but native weights are found by attribute
    /// path, so the steps run in place.
    private mutating func inlineScope(_ step: Step, _ body: [Step], liveAfter: LiveValues, into code: inout SwiftCode) throws {
        let scope = switch step.operation {
        case let .variableScope(.name(expr), _, _, _): "variable_scope(\(arguments.string(expr)))"
        case let .variableScope(.defaultName(prefix), _, _, _): "variable_scope(default_name: \(SwiftLiteral.string(prefix)))"
        case let .variableScope(.formatted(format), _, _, _): "variable_scope(\(formattedName(format)))"
        case let .nameScope(name, _): "name_scope(\(SwiftLiteral.string(name)))"
        default: "scope"
        }
        code.line("// \(scope): part of TensorFlow's variable names (`manifest`), not of the attribute paths")
        let returned = ValueUses.defines(body).filter { liveAfter.contains($0) }
        try statements(body, liveAfter: Set(returned), into: &code)
    }

    private mutating func scopeBlock(_ opening: String, _ body: [Step], liveAfter: LiveValues, into code: inout SwiftCode) throws {
        let returned = ValueUses.defines(body).filter { liveAfter.contains($0) }
        let swiftNames = returned.map { value($0) }
        let head: String = switch swiftNames.count {
        case 0: "try \(opening)"
        case 1: "let \(swiftNames[0]) = try \(opening)"
        default: "let (\(swiftNames.joined(separator: ", "))) = try \(opening)"
        }
        var failure: Error?
        code.block(head) { code in
            do {
                try statements(body, liveAfter: Set(returned), into: &code)
            } catch {
                failure = error
            }
            switch swiftNames.count {
            case 0: break
            case 1: code.line("return \(swiftNames[0])")
            default: code.line("return (\(swiftNames.joined(separator: ", ")))")
            }
        }
        if let failure { throw failure }
    }

    private mutating func layerCall(_ step: Step, _ name: String, _ inputs: [String], training: String, into code: inout SwiftCode) throws {
        guard let declaration = model.layer(named: name), let property = layerProperties[name] else {
            throw GeneratorError("layer '\(name)' is not declared")
        }
        switch declaration.kind {
        case .native where inputs.count > 1 || step.results.count > 1:
            // A recurrent layer with its initial state, or with its final state: tensors in, tensors out.
            let result = value(step.results[0]) + "Values"
            code.line("let \(result) = try \(property)([\(inputs.joined(separator: ", "))], training: \(training), context: \(contextExpression))")
            bind(step, step.results.count == 1 ? "\(result)[0]" : "(" + step.results.indices.map { "\(result)[\($0)]" }.joined(separator: ", ") + ")", into: &code)
        case let .native(config):
            // Ids (`Embedding`) are handed on as the integer tensor they are, never through floats.
            let input = config.kind.takesIds && kind(of: step.inputs[0]).isInteger ? value(step.inputs[0]) : inputs[0]
            bind(step, "try \(property)(\(input), training: \(training), context: \(contextExpression))", into: &code)
        case .legacy:
            guard hasShim else { throw GeneratorError("a tf.compat.v1.layers object needs a legacy model") }
            bind(step, "try \(property)(\(inputs[0]), training: \(training), in: tf)", into: &code)
        case let .model(modelName, _):
            guard let nested = resolve(modelName) else { throw GeneratorError("model '\(modelName)' is not in the spec library") }
            let labels = ModelTranslator.inputLabels(nested)
            let operands = zip(nested.inputs, step.inputs).map { input, name in converted(name, to: ValueKind(input.dtype)) }
            let passed = zip(labels, operands).map { $0.isEmpty ? $1 : "\($0): \($1)" }
            let call = "try \(property).call(" + (passed + ["context: \(contextExpression)", "training: \(training)"]).joined(separator: ", ") + ")"
            // Its values come as the types of their dtypes, the step's (the nested model's outputs').
            setKinds(step)
            bind(step, call, into: &code)
        case let .template(templateName, templateArguments):
            guard let template = model.template(named: templateName) else { throw GeneratorError("template '\(templateName)' is not declared") }
            var passed = inputs
            for argument in template.arguments {
                if case .constant = argument.type, let expr = templateArguments[argument.name] {
                    passed.append("\(SwiftName.lowerCamel(argument.name)): \(arguments.literal(expr))")
                }
            }
            let body = ModelTranslator.templateFunctionName(templateName)
            setKinds(step)
            bind(step, "try \(property)(tf) { tf in try \(body)(" + (passed + ["tf"]).joined(separator: ", ") + ") }", into: &code)
        }
    }

    /// The values of a step that makes an array of them (`split`): `let parts = try split(...)`, then each.
    private mutating func bindParts(_ step: Step, _ expression: String, into code: inout SwiftCode) {
        let live = step.results.enumerated().filter { liveAfterStep.contains($0.element) }
        guard !live.isEmpty else { return code.line("_ = \(expression)") }
        // Values bound to one name (`as: halves`: halves_0, halves_1, ...) are elements of an array of that name.
        let group = step.results[0].hasSuffix("_0") ? String(step.results[0].dropLast(2)) : nil
        let isGroup = group.map { name in step.results.indices.allSatisfy { step.results[$0] == "\(name)_\($0)" } } ?? false
        let parts = names.fresh(isGroup ? SwiftName.lowerCamel(group ?? "") : value(step.results[0]) + "Parts")
        code.line("let \(parts) = \(expression)")
        for (position, name) in live { code.line("let \(value(name)) = \(parts)[\(position)]") }
    }

    /// The operation's declared runtime call, its attributes written as the spec gives them
    /// (those equal to their defaults left out, dtypes given by the result's type), converted
    /// to the runtime type of the step's dtype when the function returns another.
    private mutating func math(_ operation: MathOperation, resultKind: ValueKind) -> String {
        let declaration = operation.declaration
        let operands = operation.operands.enumerated().map { index, operand in
            let indices = declaration.indexOperands.contains(index)
            switch (operand, declaration.types.operand(index)) {
            case let (.value(name), _) where indices: return self.operand(name, indices: true)
            case let (.value(name), .any), let (.value(name), .booleans), let (.value(name), .numbers): return value(name)
            case let (.value(name), _): return self.operand(name)
            case let (.literal(literal), _):
                return indices && !literal.isInteger ? "IndexTensor(truncating: \(arguments.tensor(literal)))" : arguments.tensor(literal)
            }
        }
        let computesInIntegers = ValueKind(operation.operandType).isInteger
        var passed: [String] = []
        for attribute in declaration.attributes {
            if case .dtype = attribute.type { continue }
            guard let given = operation.attributes[attribute.name],
                  attribute.defaultValue == nil || (try? given.evaluated([:])) != attribute.defaultValue else { continue }
            // A number for an integer kernel (pad's constant_values of an IndexTensor) is written as an integer.
            var swift = arguments.attribute(given)
            if computesInIntegers, case let .float(.literal(number)) = given, let integer = Int(exactly: number) { swift = String(integer) }
            passed.append(attribute.swiftLabel.map { "\($0): \(swift)" } ?? swift)
        }
        let call = declaration.swift.expression(operands: operands, arguments: passed)
        let returned: ValueKind
        switch declaration.swift.returns {
        case let .kind(kind): returned = kind
        case .shared: returned = ValueKind(operation.operandType)
        }
        guard returned != resultKind else { return call }
        return "try cast(\(call.hasPrefix("try ") ? String(call.dropFirst(4)) : call), to: \(resultKind.swiftType).self)"
    }

    /// A variable's shape: numbers, parameters, and symbols read from the inputs' shapes.
    func shape(_ dims: [Dimension]) -> String {
        Self.staticShape(dims, arguments)
    }
}

extension ConvolutionBlock {
    /// What the call says it stands for, as a comment above it.
    var comment: String {
        let steps = ["conv2d"] + (normalization == nil ? [] : ["batch_normalization"]) + (relu ? ["relu"] : [])
            + (pooling == nil ? [] : ["max_pooling2d"])
        return "// \(steps.joined(separator: ", ")): one pass in inference."
    }
}
