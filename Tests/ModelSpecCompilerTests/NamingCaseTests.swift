import Foundation
import LocatedYAML
@testable import ModelSpecCompiler
import Testing

/// The naming corner cases recorded from TensorFlow (`Tests/Goldens/naming/<case>.json`),
/// each written as a spec (`NamingCases/<case>.yaml`, the same Python body in the
/// spec language; helper specs such as `InnerShim.yaml` sit beside them).
///
/// - Where TensorFlow 1 graph mode raises on the first call (`graph_mode.error`),
///   or the shim itself raises (`error`), `check` must report an error at the
///   step marked `# expect-error` in the spec, saying what TensorFlow refuses
///   (and, for TF1-only refusals, that the shim differs).
/// - Otherwise the manifest must equal `creation_order` (names, shapes, dtypes,
///   trainability, order) and its weights order `weights`.
/// - In every expressible case, the tracer's own first and second calls must
///   create what the shim created (`creation_order`, `second_call_new_variables`),
///   errors or not: the second call is not part of a static manifest.
@Suite struct NamingCaseTests {
    static let cases: [String] = PackagePaths.files(in: PackagePaths.namingGoldens, suffix: ".json")
        .map { String($0.dropLast(5)) }

    /// Cases whose body a spec cannot say; replayed in Tests/TFNamingTests instead.
    static let notExpressible: [String: String] = [
        "custom_getter_substitute": "a spec has no custom getters (substitution is a runtime feature)",
        "variable_scope_object_reentry_counters": "a spec cannot capture and re-enter a scope object",
    ]

    /// Cases whose spec only approximates the body: only the first error is compared.
    static let errorOnly: [String: String] = [
        "variable_scope_object_reentry": "the spec re-enters 'a' by name; the re-entry of the captured scope from inside 'b' (a/w) is not expressible",
    ]

    /// Cases whose `layer.weights` order the spec cannot reproduce.
    static let weightsOrderNotCompared: [String: String] = [
        "oo_layer_explicit_name_twice": "the Python body makes the Dense objects inside the call (not tracked); a spec makes them under layers:, where they are tracked attributes and come first",
    ]

    /// Native Keras layers are named by attribute path in ModelSpec (by design):
    /// TensorFlow's name -> the attribute path of the Python attributes
    /// (`self.native_a`, `self.nested_b.native_c`), which is the variable's key
    /// in a TF2 object-based checkpoint (as the seeds' `object_path` shows).
    static let attributePaths: [String: [String: String]] = [
        "regularization_loss_order": [
            "naming_layer/model/native_a/kernel": "native_a/kernel",
            "naming_layer/model/native_a/bias": "native_a/bias",
            "naming_layer/model/loss_inner/native_c/kernel": "nested_b/native_c/kernel",
            "naming_layer/model/loss_inner/native_c/bias": "nested_b/native_c/bias",
        ],
        "regularization_loss_order_depth_first": [
            "naming_layer/native_a/kernel": "native_a/kernel",
            "naming_layer/native_a/bias": "native_a/bias",
            "naming_layer/loss_inner/native_c/kernel": "nested_b/native_c/kernel",
            "naming_layer/loss_inner/native_c/bias": "nested_b/native_c/bias",
        ],
    ]

    static func expectedName(_ name: String, naming: Manifest.Naming, case name_: String) -> String? {
        if naming == .attributePath { return attributePaths[name_]?[name] }
        return name
    }

    static func load(_ name: String) throws -> (golden: NamingGolden, spec: String) {
        let golden = try decodeJSON(NamingGolden.self, at: PackagePaths.namingGoldens + "/" + name + ".json")
        return (golden, PackagePaths.namingCaseSpecs + "/" + name + ".yaml")
    }

    /// The line marked `# expect-error` in a spec.
    static func expectedErrorLine(_ spec: String) throws -> Int? {
        let lines = try String(contentsOfFile: spec, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.firstIndex { $0.contains("# expect-error") }.map { $0 + 1 }
    }

    @Test func everyCaseHasASpec() {
        #expect(Self.cases.count >= 37)
        for name in Self.cases {
            #expect(PackagePaths.exists(PackagePaths.namingCaseSpecs + "/" + name + ".yaml"), "no spec for naming case \(name)")
        }
    }

    @Test(arguments: cases)
    func firstCall(name: String) throws {
        guard Self.notExpressible[name] == nil else { return }
        let (golden, spec) = try Self.load(name)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let inputs = ["inputs": golden.input_shape.map(Optional.some)]
        let checked = compiler.check(file: spec, inputs: inputs)
        let errors = checked.diagnostics.filter { $0.severity == .error }
        let refusal = golden.error ?? golden.graph_mode?.error
        let marked = try Self.expectedErrorLine(spec)
        guard let refusal else {
            #expect(errors.isEmpty, "\(errors)")
            #expect(marked == nil)
            guard let model = checked.model, let manifest = compiler.manifest(of: model, inputs: inputs).manifest else { return }
            #expect(manifest.variables.count == golden.creation_order.count,
                    "\(manifest.variables.map(\.name)) vs \(golden.creation_order.map(\.name))")
            for (index, (ours, theirs)) in zip(manifest.variables, golden.creation_order).enumerated() {
                #expect(ours.name == Self.expectedName(theirs.name, naming: ours.naming, case: name), "variable \(index)")
                #expect(ours.signature == theirs.signature, "variable \(index) (\(ours.name))")
            }
            if Self.weightsOrderNotCompared[name] == nil {
                let expected = golden.weights.map { weight -> String? in
                    let isAttribute = Self.attributePaths[name]?[weight] != nil
                    return Self.expectedName(weight, naming: isAttribute ? .attributePath : .scope, case: name)
                }
                #expect(manifest.weights.map(\.name) == expected)
            }
            return
        }
        // TensorFlow refuses: check reports it at the marked step.
        #expect(checked.model == nil)
        guard let first = errors.first else {
            Issue.record("TensorFlow refuses (\(refusal)), but check reports no error")
            return
        }
        #expect(marked != nil, "the spec marks no step with # expect-error")
        #expect(first.location.line == marked, "\(first)")
        #expect(first.location.file == spec)
        let message = first.message
        if let shimError = golden.error {
            // Both the shim and TF1 refuse: the store's own shape or dtype check.
            let variable = shimError.components(separatedBy: "share variable ").last?.components(separatedBy: ",").first ?? ""
            #expect(message.contains("'\(variable)'"), "\(message)")
            #expect(message.contains(shimError.contains("dtype") ? "float" : "shape"), "\(message)")
        } else {
            // Only TF1 refuses; the message says so and that the shim differs.
            let variable = refusal.components(separatedBy: "Variable ").dropFirst().first?.components(separatedBy: " ").first ?? ""
            #expect(message.contains("'\(variable)'"), "\(message)")
            #expect(message.contains("TensorFlow 1 refuses"), "\(message)")
            #expect(message.contains(refusal.contains("already exists") ? "already exists" : "does not exist"), "\(message)")
            #expect(message.contains("shim"), "\(message)")
        }
    }

    /// One call after another through the tracer (the shim's behaviour: each
    /// instance keeps its store, the scope counters are shared across calls).
    @Test(arguments: cases)
    func firstAndSecondCall(name: String) throws {
        guard Self.notExpressible[name] == nil, Self.errorOnly[name] == nil else { return }
        let (golden, spec) = try Self.load(name)
        let library = SpecLibrary(containing: spec)
        let (checkedModel, diagnostics) = library.check(file: spec)
        guard let model = checkedModel else {
            Issue.record("\(diagnostics)")
            return
        }
        let tracer = ShapeTracer(resolveModel: { library.model(named: $0) })
        let instance = tracer.makeInstance(model, params: [:], path: "")
        let shape: TracedShape = golden.input_shape.map(TracedDim.known)
        _ = tracer.call(instance, inputs: [shape], at: model.location)
        let first = tracer.created
        let errorsAfterFirst = tracer.diagnostics.all.filter { $0.severity == .error }.count
        #expect(first.map { Self.expectedName($0.name, naming: .scope, case: name) } ==
                golden.creation_order.map { theirs in
                    Self.attributePaths[name]?[theirs.name] ?? Self.expectedName(theirs.name, naming: .scope, case: name)
                })
        #expect((errorsAfterFirst > 0) == (golden.error != nil || golden.graph_mode?.error != nil))
        _ = tracer.call(instance, inputs: [shape], at: model.location)
        let second = tracer.created.dropFirst(first.count).map(\.name)
        #expect(second == golden.second_call_new_variables)
        let secondCallErrors = tracer.diagnostics.all.filter { $0.severity == .error }.count - errorsAfterFirst
        if golden.second_call_error != nil {
            #expect(secondCallErrors > 0, "the shim raises on the second call: \(golden.second_call_error!)")
        } else if golden.error == nil {
            // The shim's second call is quiet, and so is TF1's re-check within one call for these.
            #expect(secondCallErrors == 0 || golden.graph_mode?.error != nil, "\(tracer.diagnostics.all.suffix(secondCallErrors))")
        }
    }
}
