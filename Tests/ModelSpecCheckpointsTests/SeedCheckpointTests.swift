import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// Every seed spec with the TensorFlow checkpoint of its model
/// (Tests/Goldens/seeds_checkpoints, oracle/seeds_checkpoints.py) reproduces
/// TensorFlow's golden outputs.
@Suite("Seed checkpoints written by TensorFlow")
struct SeedCheckpointTests {
    @Test func everySeedSpecHasACheckpoint() {
        #expect(Repo.seedModels.count >= 20, "\(Repo.seedModels)")
    }

    func namedInputs(_ seed: SeedCheckpoint, _ description: ModelDescription) throws -> [String: Tensor] {
        let tensors = try seed.inputFiles.map(tensor)
        return Dictionary(uniqueKeysWithValues: zip(description.inputs.map(\.name), tensors))
    }

    func prepared(_ seed: SeedCheckpoint) throws -> (PreparedSpec, [String: Tensor]) {
        let spec = Repo.specs + "/\(seed.model).yaml"
        // Names of the inputs in declaration order: check once without shapes to learn them.
        let library = SpecLibrary(containing: spec)
        guard let declared = library.check(file: spec).model else { throw TestFailure("\(spec) does not check") }
        let inputs = try namedInputs(seed, declared)
        return (try PreparedSpec(spec, params: seed.params, inputs: inputs), inputs)
    }

    @Test("strict load before the first call, then TensorFlow's outputs", arguments: Repo.seedModels)
    func strictLoad(_ name: String) throws {
        let seed = try SeedCheckpoint(name)
        let (spec, inputs) = try prepared(seed)
        let match = try spec.model.load(Checkpoint(path: seed.prefix), expecting: spec.expected, options: .strict)
        #expect(match.isExact)
        #expect(match.matched.count == spec.expected.count)
        let outputs = try spec.model(inputs)
        try #require(outputs.count == seed.outputFiles.count)
        for (output, file) in zip(outputs, seed.outputFiles) {
            expectClose(output, try tensor(file), "\(name) \(URL(fileURLWithPath: file).lastPathComponent)")
        }
    }

    /// A name-based checkpoint keyed by TensorFlow's variable names (Keras names for
    /// native layers, `fully_native_model/conv2d/kernel`) loads strictly with no
    /// mapping: the loader sees the checkpoint is name-based and looks native
    /// variables up by their variable name.
    @Test("Saver checkpoints keyed by Keras variable names load with no mapping", arguments: Repo.seedModels)
    func tensorFlowNames(_ name: String) throws {
        let seed = try SeedCheckpoint(name)
        guard let prefix = seed.tfNamePrefix else { return }
        let (spec, inputs) = try prepared(seed)
        #expect(spec.expected.contains { $0.variableName != nil })
        let match = try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: .strict)
        #expect(match.isExact)
        #expect(match.matched.allSatisfy { $0.key == ($0.variable.variableName ?? $0.variable.name) })
        for (output, file) in zip(try spec.model(inputs), seed.outputFiles) {
            expectClose(output, try tensor(file), "\(name) (TensorFlow names)")
        }
    }

    @Test func tensorFlowNameCheckpointsExistForNativeSeeds() throws {
        #expect(try Repo.seedModels.filter { try SeedCheckpoint($0).tfNamePrefix != nil }.count >= 7)
    }

    /// TF2 object-based checkpoints (`tf.train.Checkpoint(model=layer)`) through
    /// NameMapping(objectRoot: "model/"): attribute paths for native weights,
    /// `_tf1_style_var_store/_vars/...` for shim variables,
    /// `_tf1_style_var_store/_layers/.Sdense_model/layer_with_weights-0/...` for
    /// the weights of NestedModel's `get_or_create_layer` model (by their object path).
    /// Where ModelSpec's name is not the object path, the mapping cannot know it:
    static let objectPathDiffers: [String: [String]] = [
        // compat layer objects kept as attributes: saved under conv_1/, conv_2/
        "OOStyleCompatModel": ["model/conv2d/kernel", "model/conv2d/bias", "model/conv2d_1/kernel", "model/conv2d_1/bias"],
        // the template, an attribute: saved as scale_by_y/y
        "CompatV1TemplateScaleByY": ["layer/scale_by_y/y"],
    ]

    @Test("TF2 object-based checkpoints load through the object root", arguments: Repo.seedModels)
    func objectBased(_ name: String) throws {
        let seed = try SeedCheckpoint(name)
        guard let prefix = seed.objectPrefix else { return }  // TensorFlow could not write one (SimpleDense)
        let (spec, inputs) = try prepared(seed)
        let options = LoadOptions(mapping: NameMapping(objectRoot: "model/"))
        if let missing = Self.objectPathDiffers[name] {
            let error = try #require(throws: CheckpointLoadError.self) {
                try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: options)
            }
            let reported = error.problems.compactMap { problem -> String? in
                if case let .missing(variable, _) = problem { variable.name } else { nil }
            }
            #expect(reported == missing)
            return
        }
        try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: options)
        for (output, file) in zip(try spec.model(inputs), seed.outputFiles) {
            expectClose(output, try tensor(file), "\(name) (object-based)")
        }
    }

    @Test("the template seed loads its object-based checkpoint with a rename")
    func objectBasedWithRename() throws {
        let seed = try SeedCheckpoint("CompatV1TemplateScaleByY")
        let (spec, inputs) = try prepared(seed)
        let mapping = NameMapping(renames: ["layer/scale_by_y/y": "scale_by_y/y"], objectRoot: "model/")
        try spec.model.load(Checkpoint(path: try #require(seed.objectPrefix)), expecting: spec.expected,
                            options: LoadOptions(mapping: mapping))
        expectClose(try spec.model(inputs)[0], try tensor(seed.outputFiles[0]), "template")
    }

    @Test("modelspec run reproduces TensorFlow's outputs", .enabled(if: CLI.available), arguments: Repo.seedModels)
    func cliRun(_ name: String) throws {
        let seed = try SeedCheckpoint(name)
        let library = SpecLibrary(containing: Repo.specs + "/\(name).yaml")
        let declared = try #require(library.check(file: Repo.specs + "/\(name).yaml").model)
        let folder = try temporaryFolder("run-\(name)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var arguments = ["run", Repo.specs + "/\(name).yaml", "--checkpoint", Repo.seedCheckpoints + "/\(name)/checkpoint"]
        for (input, file) in zip(declared.inputs, seed.inputFiles) { arguments += ["--input", "\(input.name)=\(file)"] }
        for (key, value) in seed.params { arguments += ["--param", "\(key)=\(value)"] }
        let outputs = seed.outputFiles.indices.map { folder + "/out\($0).npy" }
        for file in outputs { arguments += ["--output", file] }
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(result.err)")
        for (mine, theirs) in zip(outputs, seed.outputFiles) {
            expectClose(try tensor(mine), try tensor(theirs), "\(name) run")
        }
    }
}
