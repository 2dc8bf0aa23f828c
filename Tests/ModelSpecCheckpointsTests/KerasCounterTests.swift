import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// Unnamed `get_or_create_layer` layers named by Keras's layer-name counter, as
/// TensorFlow names them (`oracle/keras_counter.py`, `Tests/Goldens/keras_counter/`):
/// two of one class in one scope, in two scopes, between unnamed compat layers and
/// after a native layer of the same class, in the scopes of a `repeat`, and in two
/// instances of a nested shim layer. Each is its own layer with its own weights.
@Suite struct KerasCounterTests {
    static let folder = Repo.root + "/Tests/Goldens/keras_counter"
    static let specs = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/KerasCounter"
    static let cases = ["TwoUnnamed", "TwoScopes", "MixedCompat", "Loop", "NestedOuter", "KerasCounter"]

    /// The spec of a case: `specs/KerasCounter.yaml` (also generated), the others here.
    static func spec(_ name: String) -> String {
        name == "KerasCounter" ? Repo.specs + "/KerasCounter.yaml" : specs + "/\(name).yaml"
    }

    struct Variables: Decodable {
        var weights: [String]
    }

    /// TensorFlow's variable names (`layer.weights`), one running name per variable, and
    /// TensorFlow's Saver and object-based checkpoints load with no renames and give
    /// TensorFlow's outputs, on the first call and again on the second, which makes nothing.
    @Test(arguments: cases)
    func unnamedLayersAreTheLayersTensorFlowMakes(name: String) throws {
        let folder = Self.folder + "/" + name
        let spec = Self.spec(name)
        let inputs = try tensor(folder + "/inputs.npy")
        let tensorflow = try JSONDecoder().decode(Variables.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/variables.json")))
        let prepared = try PreparedSpec(spec, inputs: ["inputs": inputs])
        #expect(prepared.manifest.weightsOrder.map { prepared.manifest.variables[$0].variableName } == tensorflow.weights)
        let running = prepared.manifest.variables.map(\.name)
        #expect(Set(running).count == running.count, "running names repeat: \(running)")
        for (checkpoint, options) in [("name_based/model.ckpt", LoadOptions()),
                                      ("object_based/ckpt", LoadOptions(mapping: NameMapping(objectRoot: "model/")))] {
            let fresh = try PreparedSpec(spec, inputs: ["inputs": inputs])
            let match = try fresh.model.load(Checkpoint(path: folder + "/" + checkpoint), expecting: fresh.expected, options: options)
            #expect(match.isExact, "\(name) \(checkpoint): \(match.missing.map(\.name)) \(match.unused.map(\.name))")
            let expected = try tensor(folder + "/outputs.npy")
            expectClose(try fresh.model(["inputs": inputs])[0], expected, "\(name) \(checkpoint), first call")
            let made = fresh.model.weights.count
            expectClose(try fresh.model(["inputs": inputs])[0], expected, "\(name) \(checkpoint), second call")
            #expect(fresh.model.weights.count == made, "\(name): the second call made variables")
        }
    }

    /// The running names follow the rule: the model's Keras name, the variable scope and
    /// the layer's Keras name for a bare layer; a Keras model's layer by its Keras name.
    @Test func runningNamesCarryTheKerasNames() throws {
        let inputs = try Tensor(shape: [2, 3], scalars: Array(repeating: 0, count: 6))
        let twoUnnamed = try PreparedSpec(Self.specs + "/TwoUnnamed.yaml", inputs: ["inputs": inputs])
        #expect(twoUnnamed.manifest.variables.map(\.name) == [
            "counter_model/outer/dense/kernel", "counter_model/outer/dense/bias",
            "counter_model/outer/dense_1/kernel", "counter_model/outer/dense_1/bias",
            "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias",
        ])
        let mixed = try PreparedSpec(Self.specs + "/MixedCompat.yaml", inputs: ["inputs": inputs])
        #expect(mixed.manifest.variables.map(\.name).filter { $0.hasSuffix("kernel") } == [
            "mixed_model/outer/dense_1/kernel", "outer/dense/kernel", "mixed_model/outer/dense_3/kernel",
            "outer/dense_1/kernel", "proj/kernel",
        ])
    }

    /// A `get_or_create_layer` in a `default_name` scope at the root: TensorFlow opens a new
    /// scope and makes a new layer on every call, and two calls give different outputs; the
    /// checker refuses such a spec where the layer is
    /// (`MalformedSpecTests.getOrCreateLayerInADefaultNameScopeAtTheRoot`).
    @Test func tensorFlowMakesALayerPerCallInADefaultNameScopeAtTheRoot() throws {
        struct Call: Decodable { var stored_layers: [String] }
        struct Golden: Decodable { var after_each_call: [Call]; var outputs_of_calls_equal: Bool }
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: Self.folder + "/default_name_at_root.json")))
        #expect(golden.after_each_call.map(\.stored_layers) == [["block/a"], ["block/a", "block_1/a"], ["block/a", "block_1/a", "block_2/a"]])
        #expect(!golden.outputs_of_calls_equal)
    }

    /// Two unnamed functional `conv1d` calls: in a scope, TensorFlow's names on both calls of
    /// the model (`s/conv1d`, `s/conv1d_1`), and so ModelSpec's, which a second call reuses; at
    /// the root TensorFlow makes new ones on the second call (`conv1d_2`), ModelSpec keeps the
    /// first call's and warns (`compat_conv1d.json`).
    @Test func unnamedCompatConv1dCalledTwice() throws {
        struct Golden: Decodable { var in_scope: [[String]]; var at_root: [[String]] }
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: URL(fileURLWithPath: Self.folder + "/compat_conv1d.json")))
        #expect(golden.in_scope[0] == golden.in_scope[1])
        #expect(golden.at_root[1].count == 2 * golden.at_root[0].count)
        let dir = try temporaryFolder("conv1d-twice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (file, steps, tensorflow) in [("InScope", "- scope: s\n    do:\n      - conv1d: {filters: 2, kernel_size: 1}\n      - conv1d: {filters: 2, kernel_size: 1}",
                                           golden.in_scope[0]),
                                          ("AtRoot", "- conv1d: {filters: 2, kernel_size: 1}\n  - conv1d: {filters: 2, kernel_size: 1}", golden.at_root[0])] {
            let spec = dir + "/\(file).yaml"
            try "spec: 1\nmodel: \(file)\ninputs:\n  inputs: [batch, 3, 1]\nforward:\n  \(steps)\n".write(toFile: spec, atomically: true, encoding: .utf8)
            let checked = SpecCompiler(library: SpecLibrary(containing: spec)).check(file: spec)
            #expect(checked.diagnostics.contains { $0.message.contains("auto-named conv1d outside any variable scope") } == (file == "AtRoot"))
            let inputs = try Tensor(shape: [2, 3, 1], scalars: [1, 2, 3, 4, 5, 6])
            let prepared = try PreparedSpec(spec, inputs: ["inputs": inputs])
            #expect(prepared.manifest.weightsOrder.map { prepared.manifest.variables[$0].name } == tensorflow, "\(file)")
            _ = try prepared.model(["inputs": inputs])
            _ = try prepared.model(["inputs": inputs])
            #expect(prepared.model.weights.map(\.name) == tensorflow, "\(file)")
        }
    }
}
