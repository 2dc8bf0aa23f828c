import ModelSpecCompiler
import ModelSpecRuntime
import TFNaming

/// A checked model description run on real tensors. It executes each step by
/// calling the runtime API that generated code calls (``TF1`` for scopes,
/// `get_variable` and compat layers, ``KerasLayer``, ``CompatLayer``,
/// ``Template``, nested models), so the two share one execution path and one
/// implementation of TensorFlow's naming rules (``TFNaming``).
///
///     let library = SpecLibrary(directories: ["specs"])
///     let model = try InterpretedModel(description, params: ["units": .int(10)], library: library)
///     let outputs = try model(["inputs": x], training: false)
///     let vectors = try embedder([:], indices: ["ids": ids])   // int32/int64 inputs as IndexTensor
///     model.weights.map(\.name)   // TensorFlow's layer.weights order
///     model.losses                // regularization losses, TensorFlow's order
public final class InterpretedModel: ShimLayer {
    public let description: ModelDescription
    /// Parameter values (defaults filled in).
    public let params: [String: Literal]
    /// The attribute path of this model inside its parent (`""` at the top, `"dense_layer/"` below).
    public let path: String
    /// The variable store of the shim (`track_tf1_style_variables`).
    public let shim: ShimStore

    private enum Sublayer {
        case native(KerasLayer)
        case legacy(CompatLayer)
        case model(InterpretedModel)
        case template(Template, TemplateDeclaration, [String: Expr<Literal>])
    }

    private var sublayersByName: [String: Sublayer] = [:]
    public private(set) var sublayers: [any Layer] = []
    public private(set) var ownWeights: [Variable] = []
    private var weightsByName: [String: Variable] = [:]
    private var builtWeights = false
    private let log: CreationLog
    /// Values to give variables when they are created (restoring before the first call), and the starting weights.
    private let pending = PendingValues()
    /// TensorFlow's starting weights for the variables the next calls make
    /// (``CallContext/startingWeights``): set it before the first call to start
    /// where TensorFlow starts under `DeterministicRandomTestTool`.
    public var startingWeights: DeterministicRandomTestTool? {
        get { pending.startingWeights }
        set { pending.startingWeights = newValue }
    }
    /// The variables made with ``startingWeights`` set that did not take TensorFlow's values.
    public var notFromStartingWeights: [String] { pending.notFromStartingWeights }

    /// The variables of this model and its sublayers, in creation order (the manifest's order).
    public var createdVariables: [Variable] { log.variables }

    public var variableStore: ShimStore? { shim }
    public var ownLosses: [Tensor] { ownWeightLosses + shim.losses }

    /// Makes a model: sublayers (`layers:`) and the weights made at initialization.
    /// - Parameters:
    ///   - description: the checked model.
    ///   - params: parameter values; missing ones take their defaults.
    ///   - library: where the models that this one uses as layers are found.
    public convenience init(_ description: ModelDescription, params: [String: Literal] = [:],
                            library: SpecLibrary? = nil) throws {
        try self.init(description, params: params, path: "", resolve: { library?.model(named: $0) }, log: CreationLog())
    }

    init(_ description: ModelDescription, params overrides: [String: Literal], path: String,
         resolve: @escaping (String) -> ModelDescription?, log: CreationLog) throws {
        self.description = description
        // A call made at this model continues the Keras names its construction left (a nested
        // model's calls continue its caller's).
        shim = ShimStore(kerasNames: path.isEmpty ? SpecCompiler.kerasNames(of: description, params: overrides, resolveModel: resolve)
                                                  : KerasModelNames(model: "", counts: [:]))
        self.path = path
        self.log = log
        var params: [String: Literal] = [:]
        for param in description.params {
            if let value = overrides[param.name] ?? param.defaultValue {
                params[param.name] = value.converted(to: param.type) ?? value
            } else {
                throw InterpreterError("\(description.name) needs a value for parameter '\(param.name)'")
            }
        }
        self.params = params
        let bindings = Bindings(params: params)
        for weight in description.weights where weight.atInit {
            try makeWeight(weight, bindings, context: nil)
        }
        for layer in description.layers {
            let sublayer: Sublayer
            switch layer.kind {
            case let .native(config):
                let native = KerasLayer(try bindings.configuration(config), path: path + layer.name)
                sublayer = .native(native)
                sublayers.append(native)
            case let .legacy(config):
                let compat = CompatLayer(try bindings.configuration(config))
                sublayer = .legacy(compat)
                sublayers.append(compat)
            case let .model(modelName, arguments):
                guard let nestedDescription = resolve(modelName) else {
                    throw InterpreterError("model '\(modelName)' (layer '\(layer.name)') is not in the spec library")
                }
                var nestedParams: [String: Literal] = [:]
                for (key, expr) in arguments { nestedParams[key] = try bindings.literal(expr) }
                let nested = try InterpretedModel(nestedDescription, params: nestedParams, path: path + layer.name + "/",
                                                  resolve: resolve, log: log)
                sublayer = .model(nested)
                sublayers.append(nested)
            case let .template(templateName, arguments):
                guard let template = description.template(named: templateName) else {
                    throw InterpreterError("template '\(templateName)' is not declared")
                }
                sublayer = .template(Template(templateName), template, arguments)
            }
            sublayersByName[layer.name] = sublayer
        }
    }

    // MARK: Calls

    /// Calls the model.
    /// - Parameters:
    ///   - inputs: tensors by input name (the `float32` inputs; a `bool` input's nonzero numbers are true).
    ///   - indices: integer tensors by input name (the `int32` / `int64` inputs, such as the ids of an embedding lookup).
    ///   - training: the training flag.
    ///   - substituting: tensors used in place of the variables of these full names, for this call only.
    ///   - seed: the seed of dropout's randomness.
    /// - Returns: the outputs, in the order of `outputs:` (integer and bool outputs as their numbers; see
    ///   ``call(values:training:substituting:seed:)`` for them as they are).
    /// - Throws: `InputShapeError` for an input that does not fit its declared shape, before anything runs.
    public func callAsFunction(_ inputs: [String: Tensor], indices: [String: IndexTensor] = [:], training: Bool = false,
                               substituting: [String: Tensor] = [:], seed: UInt64? = nil) throws -> [Tensor] {
        var values: [String: InterpretedValue] = [:]
        for declaration in description.inputs {
            let kind = ValueKind(declaration.dtype)
            if kind.isInteger {
                guard let ids = indices[declaration.name] else {
                    throw InterpreterError(inputs[declaration.name] == nil
                        ? "\(description.name) needs input '\(declaration.name)' (\(declaration.dtype), an IndexTensor in indices:)"
                        : "input '\(declaration.name)' of \(description.name) is \(declaration.dtype): give it as an IndexTensor in indices:, not as a float Tensor")
                }
                values[declaration.name] = .int32(ids)
            } else {
                guard let tensor = inputs[declaration.name] else {
                    throw InterpreterError(indices[declaration.name] == nil
                        ? "\(description.name) needs input '\(declaration.name)'"
                        : "input '\(declaration.name)' of \(description.name) is \(declaration.dtype): give it as a Tensor, not as indices")
                }
                values[declaration.name] = try InterpretedValue.float(tensor).converted(to: kind)
            }
        }
        for name in Set(inputs.keys).union(indices.keys).sorted() where !description.inputs.contains(where: { $0.name == name }) {
            throw InterpreterError("\(description.name) has no input '\(name)'")
        }
        return try call(values: values, training: training, substituting: substituting, seed: seed).map(\.floats)
    }

    /// Calls the model on inputs of their dtypes (`Tensor`, `IndexTensor`, `Int64Tensor`, `BoolTensor`), returning
    /// each output as its dtype's type: an `argmax` output is an `Int64Tensor`, a comparison a `BoolTensor`.
    /// An int32 input takes an `Int64Tensor` and an int64 input an `IndexTensor` (converted as `tf.cast` does).
    public func call(values inputs: [String: InterpretedValue], training: Bool = false, substituting: [String: Tensor] = [:],
                     seed: UInt64? = nil) throws -> [InterpretedValue] {
        let ordered = try description.inputs.map { declaration in
            let kind = ValueKind(declaration.dtype)
            guard let value = inputs[declaration.name] else {
                throw InterpreterError("\(description.name) needs input '\(declaration.name)' (\(declaration.dtype), a \(kind.swiftType))")
            }
            guard value.kind == kind || (value.kind.isInteger && kind.isInteger) else {
                throw InterpreterError("input '\(declaration.name)' of \(description.name) is \(declaration.dtype): give it as a \(kind.swiftType), not a \(value.kind.swiftType)")
            }
            return try value.converted(to: kind)
        }
        for name in inputs.keys.sorted() where !description.inputs.contains(where: { $0.name == name }) {
            throw InterpreterError("\(description.name) has no input '\(name)'")
        }
        let context = CallContext(training: training, substituting: substituting, seed: seed)
        let outputs = try call(ordered, context: context, training: training)
        log.variables += context.created
        let unused = context.unusedSubstitutions
        if !unused.isEmpty {
            throw InterpreterError("no variable read by \(description.name) has the name \(unused.map { "'\($0)'" }.joined(separator: ", ")) given to substitute")
        }
        return outputs
    }

    /// Calls the model with its inputs in declaration order, inside a call (nested models). The integer
    /// inputs are read from `indices` when given there, else truncated from `inputs`.
    public func call(_ inputs: [Tensor], indices: [String: IndexTensor] = [:], context: CallContext,
                     training: Bool) throws -> [Tensor] {
        guard inputs.count == description.inputs.count else {
            throw InterpreterError("\(description.name) takes \(description.inputs.count) inputs, but \(inputs.count) are given")
        }
        let values = try zip(description.inputs, inputs).map { declaration, tensor in
            try (indices[declaration.name].map(InterpretedValue.int32) ?? .float(tensor)).converted(to: ValueKind(declaration.dtype))
        }
        let before = context.created.count
        defer { log.variables += context.created.dropFirst(before) }
        return try call(values, context: context, training: training).map(\.floats)
    }

    /// Calls the model with its inputs in declaration order, each of its declared dtype.
    func call(_ inputs: [InterpretedValue], context: CallContext, training: Bool) throws -> [InterpretedValue] {
        guard inputs.count == description.inputs.count else {
            throw InterpreterError("\(description.name) takes \(description.inputs.count) inputs, but \(inputs.count) are given")
        }
        // The values loaded before the variables exist, for those this call creates, however it is called.
        let loan = pending.lend(to: context)
        defer { pending.settle(loan, after: context) }
        var bindings = Bindings(params: params)
        let declared = try zip(description.inputs, inputs).map { declaration, value in
            (name: declaration.name, shape: value.shape, expected: try declaration.shape.map(bindings.inputDimension))
        }
        bindings.symbols = try checkInputShapes(of: description.name, declared)
        if !builtWeights {
            builtWeights = true
            for weight in description.weights where !weight.atInit {
                try makeWeight(weight, bindings, context: context)
            }
        }
        let frame = Frame(bindings: bindings, training: training)
        for (declaration, value) in zip(description.inputs, inputs) {
            frame.bind(declaration.name, value)
        }
        for weight in description.weights {
            guard let variable = weightsByName[weight.name] else { continue }
            frame.values[weight.name] = try context.value(of: variable)
            frame.variables[weight.name] = variable
        }
        return try shim.call(context: context, training: training) { tf in
            try run(description.body, tf, frame, liveAfter: Set(description.outputs))
            return try description.outputs.map { try frame.typedValue($0) }
        }
    }

    private func makeWeight(_ weight: WeightDeclaration, _ bindings: Bindings, context: CallContext?) throws {
        let declaration = weight.variable
        let shape = try bindings.shape(declaration.shape)
        let name = path + weight.name
        let variable: Variable
        if let context {
            variable = try context.makeVariable(name: name, shape: shape,
                                                initializer: declaration.initializer.map(initializer),
                                                regularizer: declaration.regularizer.map(regularizer),
                                                trainable: declaration.trainable)
        } else {
            let value = try (declaration.initializer.map(initializer) ?? .default).makeValue(shape: shape, name: name)
            variable = Variable(name: name, value: value, trainable: declaration.trainable,
                                regularizer: declaration.regularizer.map(regularizer))
            log.variables.append(variable)
        }
        ownWeights.append(variable)
        weightsByName[weight.name] = variable
    }

    // MARK: Steps

    /// What the steps of one call see.
    final class Frame {
        var bindings: Bindings
        var training: Bool
        var values: [String: Tensor] = [:]
        /// The integer and bool values as they are (their `values` are their numbers as floats), until rebound.
        var typed: [String: InterpretedValue] = [:]
        var variables: [String: Variable] = [:]
        /// The indices of the `repeat` blocks running now.
        var loopIndices: [String: Int] = [:]

        init(bindings: Bindings, training: Bool) {
            self.bindings = bindings
            self.training = training
        }

        func value(_ name: String) throws -> Tensor {
            guard let value = values[name] else { throw InterpreterError("value '\(name)' is not defined here") }
            return value
        }

        /// The value as it is: of its dtype's runtime type.
        func typedValue(_ name: String) throws -> InterpretedValue {
            try typed[name] ?? .float(value(name))
        }

        /// Binds `name` to `value` (its float copy where floats are read).
        func bind(_ name: String, _ value: InterpretedValue) {
            values[name] = value.floats
            typed[name] = value.kind == .float ? nil : value
        }

        func flag(_ flag: TrainingFlag?, default: Bool) -> Bool {
            switch flag {
            case .constant(let value)?: value
            case .callFlag?: training
            case nil: `default`
            }
        }
    }

    /// Runs `steps`; `liveAfter` are the values read after them (nil: every value they define, so
    /// that none is skipped, as in a loop's or a condition's body).
    private func run(_ steps: [Step], _ tf: TF1, _ frame: Frame, liveAfter: Set<String>? = nil) throws {
        let outer = liveAfter ?? Set(ValueUses.defines(steps))
        let live = LiveValues(outer: outer, lastReads: LiveValues.lastReads(steps, outer: outer), after: 0)
        var index = 0
        while index < steps.count {
            if let block = ConvolutionBlock.match(steps, at: index, live: live) {
                // As generated code does: one pass in inference, the values between the steps never made.
                let last = steps[index + block.length - 1]
                let output = try located(steps[index]) {
                    let input = try frame.value(steps[index].inputs[0])
                    let convolution = try frame.bindings.configuration(block.convolution)
                    let pooling = try block.pooling.map { try frame.bindings.configuration($0) }
                    switch (block.normalization, pooling) {
                    case let (normalization?, _):
                        return try tf.conv2dBatchNormalization(
                            input, convolution, try frame.bindings.configuration(normalization), activation: block.relu ? .relu : .linear,
                            pooling: pooling, training: frame.flag(normalization.training, default: false))
                    case let (nil, pooling?):
                        return try tf.conv2dMaxPooling(input, convolution, pooling)
                    case (nil, nil):
                        throw InterpreterError("a convolution block joins its convolution to a normalization or a pooling")
                    }
                }
                for name in last.results { frame.bind(name, .float(output)) }
                index += block.length
                continue
            }
            let step = steps[index]
            let outputs = try located(step) { () throws -> [InterpretedValue] in
                guard case let .math(operation) = step.operation else {
                    return try execute(step, tf, frame, liveAfter: live.after(index))
                }
                return try RuntimeOperations.run(operation, frame.values, typed: frame.typed, params: frame.bindings.params,
                                                 types: step.types)
            }
            for (name, value) in zip(step.results, outputs) { frame.bind(name, value) }
            index += 1
        }
    }

    /// Runs `body` for `step`, its errors located at the step.
    private func located<T>(_ step: Step, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InterpreterError {
            throw error
        } catch {
            throw InterpreterError("\(step.location.file):\(step.location.line):\(step.location.column): \(error)")
        }
    }

    /// Runs one step; `liveAfter` tells the values read after it (a scope's body returns those it defines).
    private func execute(_ step: Step, _ tf: TF1, _ frame: Frame, liveAfter: LiveValues) throws -> [InterpretedValue] {
        switch step.operation {
        case let .repeated(loop, body):
            let count = try loop.count.evaluated(frame.bindings.params)
            guard count >= 1 else { throw InterpreterError("repeat runs its steps at least once, but its count is \(count)") }
            for carry in loop.carried { frame.bind(carry.name, try frame.typedValue(carry.initial)) }
            for iteration in 0..<count {
                if let index = loop.index { frame.loopIndices[index] = loop.start + iteration }
                try run(body, tf, frame)
                for carry in loop.carried { frame.bind(carry.name, try frame.typedValue(carry.next)) }
            }
            if let index = loop.index { frame.loopIndices[index] = nil }
            return try loop.carried.map { try frame.typedValue($0.next) }
        case let .conditional(condition, body):
            guard try condition.holds(frame.bindings.params) else { return try step.inputs.map(frame.typedValue) }
            try run(body, tf, frame)
            return try condition.merges.map { try frame.typedValue($0.whenRun) }
        case let .callLayer(name, training):
            // A nested model takes its inputs as they are (integers and booleans too), and a nested model's and a
            // template's values keep their dtypes (the step's, as the checker typed them from their steps).
            let outputs: [InterpretedValue]
            switch sublayersByName[name] {
            case let .model(model)?:
                let inputs = try zip(model.description.inputs, step.inputs).map { declaration, name in
                    try frame.typedValue(name).converted(to: ValueKind(declaration.dtype))
                }
                outputs = try model.call(inputs, context: tf.context, training: frame.flag(training, default: frame.training))
            case let .template(template, declaration, arguments)?:
                outputs = [try callTemplate(template, declaration, arguments, try step.inputs.map(frame.value), tf, frame)]
            default:
                return try executeFloat(step, tf, frame, liveAfter: liveAfter).map(InterpretedValue.float)
            }
            return try outputs.enumerated().map { position, value in try value.converted(to: ValueKind(step.type(position))) }
        default: break
        }
        return try executeFloat(step, tf, frame, liveAfter: liveAfter).map(InterpretedValue.float)
    }

    private func executeFloat(_ step: Step, _ tf: TF1, _ frame: Frame, liveAfter: LiveValues) throws -> [Tensor] {
        let inputs = try step.inputs.map { try frame.value($0) }
        switch step.operation {
        case let .variableScope(name, reuse, defaults, body):
            let returned = Set(ValueUses.defines(body).filter(liveAfter.contains))
            let scopeInitializer = defaults.initializer.map(initializer)
            let scopeRegularizer = defaults.regularizer.map(regularizer)
            switch name {
            case let .name(expr):
                try tf.variableScope(try frame.bindings.string(expr), reuse: reuse, initializer: scopeInitializer,
                                     regularizer: scopeRegularizer, dtype: defaults.dtype) { try run(body, tf, frame, liveAfter: returned) }
            case let .defaultName(prefix):
                try tf.variableScope(defaultName: prefix, initializer: scopeInitializer, regularizer: scopeRegularizer,
                                     dtype: defaults.dtype) { try run(body, tf, frame, liveAfter: returned) }
            case let .formatted(format):
                try tf.variableScope(format.formatted(frame.loopIndices), reuse: reuse, initializer: scopeInitializer,
                                     regularizer: scopeRegularizer, dtype: defaults.dtype) { try run(body, tf, frame, liveAfter: returned) }
            }
            return []
        case let .nameScope(name, body):
            try tf.nameScope(name) { try run(body, tf, frame, liveAfter: Set(ValueUses.defines(body).filter(liveAfter.contains))) }
            return []
        case let .recordScope(name):
            tf.recordScope(name)
            return []
        case let .variable(declaration):
            let declaration = declaration.named(frame.loopIndices)
            let variable = try tf.variable(
                try frame.bindings.string(declaration.name), shape: try frame.bindings.shape(declaration.shape),
                dtype: declaration.dtype, initializer: declaration.initializer.map(initializer),
                regularizer: declaration.regularizer.map(regularizer), trainable: declaration.trainable)
            if let result = step.results.first { frame.variables[result] = variable }
            return [try tf.context.value(of: variable)]
        case let .legacyLayer(config):
            let config = config.named(frame.loopIndices)
            return [try tf.layer(try frame.bindings.configuration(config), inputs[0],
                                 training: frame.flag(config.training, default: false), reuse: config.reuse)]
        case let .callLayer(name, training):
            return try callLayer(name, inputs, operands: step.inputs, training: frame.flag(training, default: frame.training), tf, frame)
        case let .getOrCreateLayer(name, config, inModel):
            let configuration = try frame.bindings.configuration(config)
            let layer = try tf.getOrCreateLayer(name) {
                KerasLayer(configuration, path: tf.kerasLayerPath(className: config.kind.className, name: config.name, inModel: inModel))
            }
            return [try layer(inputs[0], training: frame.training, context: tf.context)]
        case .math:
            throw InterpreterError("an operation step runs through RuntimeOperations")
        case let .recurrent(loop):
            return try RecurrentLoops.run(loop, inputs, lengths: loop.hasSequenceLength ? frame.typedValue(step.inputs[1]).indices() : nil,
                                          bindings: frame.bindings, tf: tf)
        case let .assign(name, add):
            guard let variable = frame.variables[name] else {
                throw InterpreterError("'\(name)' is not a variable and cannot be assigned")
            }
            if add { try variable.assignAdd(inputs[1]) } else { try variable.assign(inputs[1]) }
            return [variable.value]
        case .repeated, .conditional:
            throw InterpreterError("a loop or a condition runs through execute")
        }
    }

    private func callLayer(_ name: String, _ inputs: [Tensor], operands: [String], training: Bool, _ tf: TF1,
                           _ frame: Frame) throws -> [Tensor] {
        guard let sublayer = sublayersByName[name] else { throw InterpreterError("no layer '\(name)'") }
        switch sublayer {
        case let .native(layer) where inputs.count > 1 || layer.configuration.kernel is RecurrentKernel:
            return try layer(inputs, training: training, context: tf.context)
        case let .native(layer) where layer.configuration.kernel is any IndexInputKernel:
            // Ids (`Embedding`) as the integer tensor they are, when the operand is one.
            switch frame.typed[operands[0]] {
            case let .int32(ids)?: return [try layer(ids, training: training, context: tf.context)]
            case let .int64(ids)?: return [try layer(ids, training: training, context: tf.context)]
            default: return [try layer(inputs[0], training: training, context: tf.context)]
            }
        case let .native(layer):
            return [try layer(inputs[0], training: training, context: tf.context)]
        case let .legacy(layer):
            return [try layer(inputs[0], training: training, in: tf)]
        case .model, .template:
            throw InterpreterError("a nested model or a template runs through execute, keeping its values' dtypes")
        }
    }

    /// A call of a template: its body run in the template's scope on the tensor arguments; its value as it is.
    private func callTemplate(_ template: Template, _ declaration: TemplateDeclaration, _ arguments: [String: Expr<Literal>],
                              _ inputs: [Tensor], _ tf: TF1, _ frame: Frame) throws -> InterpretedValue {
        try template(tf) { tf in
            var bindings = frame.bindings
            for (key, expr) in arguments { bindings.params[key] = try frame.bindings.literal(expr) }
            let inner = Frame(bindings: bindings, training: frame.training)
            let tensorArguments = declaration.arguments.filter { $0.type == .tensor }
            guard tensorArguments.count == inputs.count, let result = declaration.result else {
                throw InterpreterError("template '\(declaration.name)' takes \(tensorArguments.count) tensors, but \(inputs.count) are given")
            }
            for (argument, tensor) in zip(tensorArguments, inputs) { inner.values[argument.name] = tensor }
            try run(declaration.body, tf, inner)
            return try inner.typedValue(result)
        }
    }

    // MARK: Weights

    /// Gives variables the values of `tensors`, by full name: existing variables now,
    /// the others when they are created (by the first call). Checkpoint readers
    /// produce such a map.
    public func load(_ tensors: [String: Tensor]) throws {
        for variable in createdVariables {
            if let value = tensors[variable.name] { try variable.assign(value) }
        }
        let existing = Set(createdVariables.map(\.name))
        for (name, value) in tensors where !existing.contains(name) {
            pending.hold(value, for: name)
        }
    }
}

/// The creation order of the variables of a model and its nested models.
final class CreationLog {
    var variables: [Variable] = []
}

extension InterpretedModel: RestorableLayer {}
