import Foundation
@testable import ModelSpecCompiler
import Testing

/// The steps a model expands to, counted from the specs before tracing
/// (`ExpansionCount`): the count the tracer reaches, and the error for a spec
/// library that expands beyond `ExpansionLimits` given at once, without tracing.
@Suite struct ExpansionCountTests {
    /// Traces one call as `SpecCompiler.manifest(of:)` does, without the static check; the tracer's own count.
    private func tracedSteps(_ model: ModelDescription, _ compiler: SpecCompiler) -> (steps: Int, diagnostics: [Diagnostic]) {
        let tracer = ShapeTracer(limits: compiler.limits, resolveModel: { compiler.library.model(named: $0) })
        let params = compiler.parameterValues(model, overrides: [:])
        let inputs: [TracedShape] = model.inputs.map { declaration in
            declaration.shape.map { dimension in
                switch dimension {
                case let .known(size): .known(size)
                case let .symbol(name): .symbol(name)
                case let .param(name): if case let .int(size)? = params[name] { .known(size) } else { .unknown }
                case .unknown: .unknown
                }
            }
        }
        let instance = tracer.makeInstance(model, params: params, path: "")
        _ = tracer.call(instance, inputs: inputs, at: model.location)
        return (tracer.expandedSteps, tracer.diagnostics.all)
    }

    private func staticSteps(_ model: ModelDescription, _ compiler: SpecCompiler) -> Int {
        var count = ExpansionCount(resolveModel: { compiler.library.model(named: $0) })
        return count.steps(ofCall: model)
    }

    /// Every shipped spec: the count before tracing is the tracer's count.
    @Test func countOfEveryShippedSpecIsTheTracersCount() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.specs).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count > 20)
        for name in names {
            let path = PackagePaths.specs + "/" + name
            let compiler = SpecCompiler(library: SpecLibrary(containing: path))
            let model = try #require(compiler.check(file: path).model, "\(name)")
            let traced = tracedSteps(model, compiler)
            #expect(traced.diagnostics.isEmpty, "\(name): \(traced.diagnostics)")
            #expect(traced.steps > 0)
            #expect(staticSteps(model, compiler) == traced.steps, "\(name)")
        }
    }

    /// Scopes inside scopes, a template called twice (its body traced each time), and a spec used
    /// by two layers, one of them called twice, that itself calls a template inside a name scope.
    @Test func templatesScopesAndUsesCountAsTheyAreTraced() throws {
        let folder = try TemporaryFolder([
            "A.yaml": """
                spec: 1
                model: A
                inputs:
                  x: [batch, 3]
                templates:
                  scale:
                    args: {x: Tensor}
                    do:
                      - variable: {name: s, shape: [], initializer: ones}
                      - multiply: [x, _]
                      - relu
                layers:
                  scaled: {template: scale}
                  first: {B: {}}
                  second: {B: {}}
                forward:
                  - scope: outer
                    do:
                      - scope: inner
                        do:
                          - scaled: x
                      - scaled
                  - first
                  - second
                  - second
                """,
            "B.yaml": """
                spec: 1
                model: B
                inputs:
                  x: [batch, 3]
                templates:
                  shift:
                    args: {x: Tensor}
                    do:
                      - variable: {name: b, shape: [3], initializer: zeros}
                      - add: [x, _]
                layers:
                  shifted: {template: shift}
                forward:
                  - name_scope: n
                    do:
                      - shifted: x
                  - tanh
                """,
        ])
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("A.yaml")))
        let checked = compiler.check(file: folder.path("A.yaml"))
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics)")
        let model = try #require(checked.model)
        // B: name_scope 1 + (call 1 + template 2) + tanh 1 = 5.
        // A: outer 1 + inner 1 + (call 1 + template 3) + (call 1 + template 3) + 3 × (call 1 + B 5) = 28.
        #expect(staticSteps(model, compiler) == 28)
        #expect(tracedSteps(model, compiler).steps == 28)
    }

    /// `S0` uses `S1` twice, which uses `S2` twice, ...: 2^depth uses of `S(depth)`, one `dense` step.
    private func diamond(depth: Int) -> [String: String] {
        SizeAndLimitTests.diamond(depth: depth)
    }

    /// A diamond of 40 specs (2^40 uses of the last, 3 × 2^40 − 2 steps) is refused by the count
    /// made before tracing, at the first step of S0 (the tracer's backstop has another message).
    @Test func diamondOfFortyIsRefusedBeforeTracing() throws {
        let folder = try TemporaryFolder(diamond(depth: 40))
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("S0.yaml")))
        let checked = compiler.check(file: folder.path("S0.yaml"))
        // steps(S40) = 1, steps(S_k) = 2 × (1 + steps(S_(k+1))); S0's first step runs 1 + steps(S1).
        var steps = 1
        for _ in 0..<39 { steps = 2 + 2 * steps }
        #expect(checked.diagnostics.map { $0.description.replacingOccurrences(of: folder.root + "/", with: "") } == [
            "S0.yaml:9:5: error: the model expands to more than 1000000 steps: up to this step it runs \(1 + steps), counting every step of a spec used as a layer each time that spec runs (each use makes its own variables); use a spec fewer times, or nest specs less",
        ])
        #expect(checked.model == nil)
        // manifest(of:) refuses it the same way, without tracing.
        let model = try #require(compiler.library.model(named: "S1"))
        let traced = compiler.manifest(of: model)
        #expect(traced.manifest == nil)
        #expect(traced.diagnostics.count == 1)
        #expect(traced.diagnostics.first?.message.hasPrefix("the model expands to more than 1000000 steps: up to this step it runs ") == true)
    }

    /// A count beyond `Int.max` saturates, and is said so.
    @Test func countBeyondIntMaxSaturates() throws {
        let folder = try TemporaryFolder(diamond(depth: 70))
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("S0.yaml")))
        #expect(compiler.check(file: folder.path("S0.yaml")).diagnostics.map(\.message) == [
            "the model expands to more than 1000000 steps: up to this step it runs at least 9223372036854775807, counting every step of a spec used as a layer each time that spec runs (each use makes its own variables); use a spec fewer times, or nest specs less",
        ])
    }

    /// The tracer's own count stays as a backstop: a trace that passes the limit stops there.
    @Test func tracerStopsAtTheLimitItself() throws {
        let folder = try TemporaryFolder(diamond(depth: 8))
        var compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("S0.yaml")))
        let model = try #require(compiler.check(file: folder.path("S0.yaml")).model)
        compiler.limits.maximumExpandedSteps = 200
        let traced = tracedSteps(model, compiler)
        #expect(traced.steps == 201)
        #expect(traced.diagnostics.map { $0.description.replacingOccurrences(of: folder.root + "/", with: "") } == [
            "S0.yaml:9:5: error: the model expands to more than 200 steps: the specs it uses as layers run their steps again for every use (each use makes its own variables); use a spec fewer times, or nest specs less",
        ])
    }
}
