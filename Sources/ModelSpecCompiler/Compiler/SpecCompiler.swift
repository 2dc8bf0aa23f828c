import LocatedYAML
import TFNaming

/// The compiler's front door: check a spec, and compute its variable manifest.
public struct SpecCompiler {
    public let library: SpecLibrary
    /// Bounds on tracing specs that use other specs as layers.
    public var limits: ExpansionLimits

    public init(library: SpecLibrary, limits: ExpansionLimits = ExpansionLimits()) {
        self.library = library
        self.limits = limits
    }

    /// The result of checking a spec.
    public struct Checked {
        public var model: ModelDescription?
        public var diagnostics: [Diagnostic]
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
        /// Whether the spec file itself could not be read as text (the CLI exits 2, not 1).
        public var unreadable = false
    }

    /// Parses and checks a spec; when every parameter has a value, also traces it
    /// shape-only so that shape errors and TensorFlow's refusals are reported.
    public func check(file: String, params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]) -> Checked {
        let (model, diagnostics) = library.check(file: file)
        var all = diagnostics + library.takePending()
        guard let model, !all.contains(where: { $0.severity == .error }) else {
            return Checked(model: nil, diagnostics: deduplicated(all), unreadable: library.unreadableFiles.contains(file))
        }
        let values = parameterValues(model, overrides: params)
        if model.params.allSatisfy({ values[$0.name] != nil }) {
            let trace = manifest(of: model, params: values, inputs: inputs)
            all += trace.diagnostics
        } else if let refusal = expansionRefusal(model) {
            // Too large whatever the parameters: said without them too.
            all.append(refusal)
        }
        return Checked(model: all.contains { $0.severity == .error } ? nil : model, diagnostics: deduplicated(all))
    }

    /// The result of tracing a model.
    public struct Traced {
        public var manifest: Manifest?
        /// The shapes of the call's outputs.
        public var outputShapes: [TracedShape]
        public var diagnostics: [Diagnostic]
        /// What the call holds: its variables and the largest value a step makes.
        public var memory = MemoryNeed()
        /// The model's Keras name and Keras's layer-name counters as constructing it left them,
        /// which its first call continues (the runtime's ``TFNaming/KerasModelNames``).
        public var kerasNames = KerasModelNames(model: "", counts: [:])
    }

    /// Keras's names as constructing `model` (in a fresh process) leaves them: its
    /// own Keras name and the layer-name counters its first call continues.
    /// - Parameters:
    ///   - params: the model's parameter values (explicit names may be parameters).
    ///   - resolveModel: the specs it uses as layers, by name.
    public static func kerasNames(of model: ModelDescription, params: [String: Literal] = [:],
                                  resolveModel: @escaping (String) -> ModelDescription?) -> KerasModelNames {
        let tracer = ShapeTracer(resolveModel: resolveModel)
        _ = tracer.makeInstance(model, params: params, path: "")
        return tracer.kerasNamesAtInit
    }

    /// Traces one call of the model shape-only and lists the variables it creates.
    /// - Parameters:
    ///   - params: parameter values; missing ones take their defaults.
    ///   - inputs: input shapes by input name, overriding the declared ones (`nil` for an unknown size).
    public func manifest(of model: ModelDescription, params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]) -> Traced {
        let tracer = ShapeTracer(limits: limits, resolveModel: { [library] in library.model(named: $0) })
        var diagnostics: [Diagnostic] = []
        var shapes: [TracedShape] = []
        for declaration in model.inputs {
            if let given = inputs[declaration.name] {
                shapes.append(given.map { $0.map(TracedDim.known) ?? .unknown })
            } else {
                shapes.append(declaration.shape.map { dimension in
                    switch dimension {
                    case let .known(size): .known(size)
                    case let .symbol(name): .symbol(name)
                    case let .param(name):
                        if case let .int(size)? = parameterValues(model, overrides: params)[name] { .known(size) } else { .unknown }
                    case .unknown: .unknown
                    }
                })
            }
        }
        for name in params.keys.sorted() where model.param(named: name) == nil {
            let known = model.params.isEmpty ? "it has no parameters" : "its parameters are " + model.params.map(\.name).joined(separator: ", ")
            diagnostics.append(Diagnostic(.error, at: model.location, "\(model.name) has no parameter '\(name)'; \(known)"))
        }
        for name in inputs.keys.sorted() where model.inputs.allSatisfy({ $0.name != name }) {
            diagnostics.append(Diagnostic(.error, at: model.location, "\(model.name) has no input '\(name)'; its inputs are \(model.inputs.map(\.name).joined(separator: ", "))"))
        }
        if let refusal = expansionRefusal(model) {
            return Traced(manifest: nil, outputShapes: [], diagnostics: diagnostics + [refusal])
        }
        let instance = tracer.makeInstance(model, params: parameterValues(model, overrides: params), path: "")
        let outputs = tracer.call(instance, inputs: shapes, at: model.location)
        diagnostics += tracer.diagnostics.all
        let failed = outputs == nil || diagnostics.contains { $0.severity == .error }
        let order = tracer.weightsOrder(of: instance)
        return Traced(
            manifest: failed ? nil : Manifest(
                variables: tracer.created,
                trainableWeightsOrder: order.trainable,
                nonTrainableWeightsOrder: order.nonTrainable),
            outputShapes: outputs ?? [], diagnostics: diagnostics, memory: tracer.memory, kerasNames: tracer.kerasNamesAtInit)
    }

    /// The error for a model that expands to more steps than `limits` allows,
    /// found by counting them before anything is traced (the tracer's own count
    /// is the backstop): at the top-level step where the count passes the limit.
    func expansionRefusal(_ model: ModelDescription) -> Diagnostic? {
        var count = ExpansionCount(resolveModel: { [library] in library.model(named: $0) })
        guard let beyond = count.firstStep(beyond: limits.maximumExpandedSteps, in: model) else { return nil }
        let steps = beyond.steps == Int.max ? "at least \(Int.max)" : String(beyond.steps)
        return Diagnostic(.error, at: beyond.location, "the model expands to more than \(limits.maximumExpandedSteps) steps: up to this step it runs \(steps), counting every step of a spec used as a layer each time that spec runs (each use makes its own variables); use a spec fewer times, or nest specs less")
    }

    /// Defaults, overridden by the given values.
    public func parameterValues(_ model: ModelDescription, overrides: [String: Literal]) -> [String: Literal] {
        var values: [String: Literal] = [:]
        for param in model.params {
            if let value = overrides[param.name] ?? param.defaultValue {
                values[param.name] = value.converted(to: param.type) ?? value
            }
        }
        return values
    }

    /// The diagnostics without repeats, in the order they were found.
    private func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
    }
}
