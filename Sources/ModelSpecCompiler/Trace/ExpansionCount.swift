import LocatedYAML

/// The steps one trace of a model runs, counted from the specs alone, before
/// anything is traced: a step counts 1, plus the steps of its body for a scope,
/// of the template's body for a call of a template instance, of one call
/// of the model for a use of another spec, and of a `repeat` body times its count
/// (a count given by a parameter: its default); the tracer counts the same way, step
/// by step. Each spec's count is computed once (memoized by model name), so a
/// diamond of specs that use each other twice is counted in time linear in the
/// specs' sizes, though it expands to 2^depth steps. Counts saturate at
/// `Int.max` instead of overflowing.
struct ExpansionCount {
    private let resolveModel: (String) -> ModelDescription?
    /// Steps of one call of each model used as a layer, by type name.
    private var modelSteps: [String: Int] = [:]
    /// Steps of one call of each template, by model and template name.
    private var templateSteps: [String: Int] = [:]
    /// Models being counted now: a spec that uses itself is refused by the library; here it counts nothing more.
    private var counting: Set<String> = []

    init(resolveModel: @escaping (String) -> ModelDescription?) {
        self.resolveModel = resolveModel
    }

    /// The first top-level step of `model` at which the steps run so far pass
    /// `limit`, with their count up to and including it; nil within the limit.
    mutating func firstStep(beyond limit: Int, in model: ModelDescription) -> (location: SourceLocation, steps: Int)? {
        var total = 0
        for step in model.body {
            total = Self.sum(total, steps(of: step, in: model))
            if total > limit { return (step.location, total) }
        }
        return nil
    }

    /// The steps one call of a model runs.
    mutating func steps(ofCall model: ModelDescription) -> Int {
        steps(model.body, in: model)
    }

    /// The steps of `body`, a block of `model`, counted as if every block in it ran.
    mutating func steps(_ body: [Step], in model: ModelDescription) -> Int {
        var total = 0
        for step in body {
            total = Self.sum(total, steps(of: step, in: model))
        }
        return total
    }

    private mutating func steps(of step: Step, in model: ModelDescription) -> Int {
        switch step.operation {
        case let .variableScope(_, _, _, body), let .nameScope(_, body), let .conditional(_, body):
            return Self.sum(1, steps(body, in: model))
        case let .repeated(loop, body):
            // A count given by a parameter counts its default here; the tracer counts the value given.
            let count: Int = switch loop.count {
            case let .literal(value): value
            case let .param(name): if case let .int(value)? = model.param(named: name)?.defaultValue { value } else { 1 }
            }
            let (total, overflow) = steps(body, in: model).multipliedReportingOverflow(by: max(count, 1))
            return Self.sum(1, overflow ? .max : total)
        case let .callLayer(name, _):
            switch model.layer(named: name)?.kind {
            case let .model(modelName, _)?:
                return Self.sum(1, steps(ofModelNamed: modelName))
            case let .template(templateName, _)?:
                return Self.sum(1, steps(ofTemplate: templateName, in: model))
            case .native?, .legacy?, nil:
                return 1
            }
        case .recordScope, .variable, .legacyLayer, .getOrCreateLayer, .math, .assign, .recurrent:
            return 1
        }
    }

    private mutating func steps(ofModelNamed name: String) -> Int {
        if let known = modelSteps[name] { return known }
        guard let model = resolveModel(name), counting.insert(name).inserted else { return 0 }
        defer { counting.remove(name) }
        let count = steps(ofCall: model)
        modelSteps[name] = count
        return count
    }

    private mutating func steps(ofTemplate name: String, in model: ModelDescription) -> Int {
        let key = model.name + "." + name
        if let known = templateSteps[key] { return known }
        guard let template = model.template(named: name), counting.insert(key).inserted else { return 0 }
        defer { counting.remove(key) }
        let count = steps(template.body, in: model)
        templateSteps[key] = count
        return count
    }

    /// `a + b`, or `Int.max` when that does not fit.
    private static func sum(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : result
    }
}
