import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecRuntime
import TensorBundle
import Testing

/// `CheckpointConversion` and `modelspec convert`, on the guide's walk
/// (`oracle/migration.py`, `Tests/Goldens/migration/`): CompatModel's
/// TensorFlow checkpoint (TF1 names) converted to every step of the chain in
/// both schemes gives the keys, values and object graph TensorFlow writes itself
/// for that step, and every step then gives the same outputs and
/// regularization loss. (The oracle also had TensorFlow restore the CLI's
/// conversions, `conversions.json`.)
@Suite struct ConversionTests {
    static let folder = Repo.root + "/Tests/Goldens/migration"
    static let steps = ["CompatModel", "PartiallyMigratedModel", "NearlyFullyNativeModel", "FullyNativeModel"]

    struct Walk: Decodable {
        struct Step: Decodable {
            var regularization_loss: Float
            var outputs: String
        }
        var per_step: [String: Step]
    }

    static func walk() throws -> Walk {
        try JSONDecoder().decode(Walk.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/walk.json")))
    }

    static func prepared(_ step: String) throws -> PreparedSpec {
        try PreparedSpec(Repo.specs + "/\(step).yaml", inputs: ["inputs": try tensor(folder + "/inputs.npy")])
    }

    static func tfCheckpoint(_ step: String, _ scheme: CheckpointScheme) -> String {
        folder + "/\(step)/" + (scheme == .nameBased ? "name_based/model.ckpt" : "object_based/ckpt")
    }

    /// CompatModel's name-based checkpoint converted for `step`, as `convert --from CompatModel` does.
    static func converted(_ step: String, to scheme: CheckpointScheme, root: [String] = ["model"]) throws -> (String, PreparedSpec) {
        let old = try prepared("CompatModel"), new = try prepared(step)
        let map = try MigrationMap(old: old.manifest, new: new.manifest)
        let renames = Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.new.name, $0.old.variableName) })
        let source = try Checkpoint(path: tfCheckpoint("CompatModel", .nameBased))
        let match = CheckpointMatch(expected: new.expected, entries: source.entries, mapping: NameMapping(renames: renames))
        #expect(match.isExact)
        let keys = Self.targetKeys(new.manifest)
        let conversion = try CheckpointConversion(from: source, match: match, keys: keys, to: scheme, objectRoot: root)
        let prefix = try temporaryFolder("convert") + "/ckpt"
        try conversion.writer.write(prefix: prefix)
        return (prefix, new)
    }

    /// How `convert` keys the variables of a model at the root of its shim store.
    static func targetKeys(_ manifest: Manifest) -> [String: CheckpointConversion.TargetKey] {
        Dictionary(uniqueKeysWithValues: manifest.variables.map { entry in
            (entry.name, CheckpointConversion.TargetKey(
                variableName: entry.variableName,
                objectPath: entry.objectPath.map { $0.split(separator: "/").map(String.init) } ?? ["_tf1_style_var_store", "_vars", entry.name]))
        })
    }

    static let schemes: [CheckpointScheme] = [.nameBased, .objectBased]

    @Test("CompatModel's checkpoint converted to each step is what TensorFlow writes for it",
          arguments: steps, schemes)
    func convertedEqualsTensorFlows(_ step: String, _ scheme: CheckpointScheme) throws {
        let (prefix, _) = try Self.converted(step, to: scheme)
        let ours = try Checkpoint(path: prefix), theirs = try Checkpoint(path: Self.tfCheckpoint(step, scheme))
        #expect(ours.entries.map(\.name) == theirs.entries.map(\.name))
        for entry in theirs.entries where entry.name != CheckpointScheme.objectGraphKey {
            #expect(ours.entry(named: entry.name)?.shape == entry.shape, "\(entry.name)")
            #expect(try ours.rawBytes(named: entry.name) == theirs.rawBytes(named: entry.name), "\(entry.name)")
        }
        guard scheme == .objectBased else { return }
        // The object graph: every variable at TensorFlow's path, with its key and variable name.
        func variables(_ checkpoint: Checkpoint) throws -> [String: String] {
            let graph = try ObjectGraph.variables(inSerialized: try checkpoint.strings(named: CheckpointScheme.objectGraphKey)[0])
            return Dictionary(uniqueKeysWithValues: graph.map { ($0.variable.path.joined(separator: "|"), "\($0.key) \($0.variable.fullName)") })
        }
        let tensorflows = try variables(theirs)
        #expect(try variables(ours) == tensorflows)
        #expect(tensorflows.count == 4)
    }

    @Test("The walk: every step, loaded from its conversion with no options, gives CompatModel's outputs and loss",
          arguments: steps, schemes)
    func walkStep(_ step: String, _ scheme: CheckpointScheme) throws {
        let (prefix, new) = try Self.converted(step, to: scheme)
        let options = LoadOptions(mapping: NameMapping(objectRoot: scheme == .objectBased ? "model/" : ""))
        let match = try new.model.load(Checkpoint(path: prefix), expecting: new.expected, options: options)
        #expect(match.isExact)
        let outputs = try new.model(["inputs": try tensor(Self.folder + "/inputs.npy")])
        let walk = try Self.walk()
        let golden = try #require(walk.per_step[step])
        expectClose(outputs[0], try tensor(Self.folder + "/" + golden.outputs), "\(step) from CompatModel's checkpoint")
        // The same outputs and losses at every step (TensorFlow's own walk agrees).
        expectClose(outputs[0], try tensor(Self.folder + "/CompatModel/outputs.npy"), "\(step) against CompatModel")
        let loss = new.model.losses.map { $0.scalars[0] }.reduce(0, +)
        #expect(abs(loss - golden.regularization_loss) <= 1e-6 * max(1, golden.regularization_loss), "\(step): \(loss) vs \(golden.regularization_loss)")
        #expect(golden.regularization_loss == walk.per_step["CompatModel"]!.regularization_loss)
    }

    /// The guide's nesting example makes two variables of one TensorFlow name: a
    /// name-based checkpoint cannot hold both, the object-based one can.
    @Test func sharedVariableNamesOnlyObjectBased() throws {
        let (prefix, new) = try Self.converted("FullyNativeModel", to: .objectBased)
        let source = try Checkpoint(path: prefix)
        let match = CheckpointMatch(expected: new.expected, entries: source.entries, mapping: NameMapping(objectRoot: "model/"))
        #expect(match.isExact)
        var keys: [String: CheckpointConversion.TargetKey] = [:]
        for entry in new.manifest.variables {
            keys[entry.name] = .init(variableName: "outer/dense/" + entry.name.split(separator: "/").last!, objectPath: entry.name.split(separator: "/").map(String.init))
        }
        let error = try #require(throws: CheckpointConversion.Failure.self) {
            try CheckpointConversion(from: source, match: match, keys: keys, to: .nameBased)
        }
        #expect(error.message.contains("outer/dense/kernel"), "\(error)")
        #expect(try CheckpointConversion(from: source, match: match, keys: keys, to: .objectBased).copies.count == 4)
    }

    /// The walk as a user does it: the one TensorFlow checkpoint of CompatModel
    /// converted step by step, each step's checkpoint made from the previous
    /// step's (alternating schemes), every step giving the same outputs and loss.
    @Test func walkStepByStep() throws {
        let inputs = try tensor(Self.folder + "/inputs.npy")
        let walk = try Self.walk()
        var previous = try Self.prepared("CompatModel")
        var checkpoint = try Checkpoint(path: Self.tfCheckpoint("CompatModel", .nameBased))
        var root = ""
        for (index, step) in Self.steps.dropFirst().enumerated() {
            let new = try Self.prepared(step)
            let scheme: CheckpointScheme = index % 2 == 0 ? .objectBased : .nameBased
            let map = try MigrationMap(old: previous.manifest, new: new.manifest)
            let sourceScheme = CheckpointScheme(keys: checkpoint.entries.map(\.name))
            let renames = Dictionary(uniqueKeysWithValues: map.pairs.map {
                ($0.new.name, sourceScheme == .nameBased ? $0.old.variableName : $0.old.name)
            })
            let match = CheckpointMatch(expected: new.expected, entries: checkpoint.entries,
                                        mapping: NameMapping(renames: renames, objectRoot: root))
            #expect(match.isExact, "\(step)")
            let keys = Self.targetKeys(new.manifest)
            let conversion = try CheckpointConversion(from: checkpoint, match: match, keys: keys, to: scheme, objectRoot: ["model"])
            let prefix = try temporaryFolder("walk-\(step)") + "/ckpt"
            try conversion.writer.write(prefix: prefix)
            checkpoint = try Checkpoint(path: prefix)
            root = scheme == .objectBased ? "model/" : ""
            // The step loads its own checkpoint with no renames.
            let loaded = try new.model.load(checkpoint, expecting: new.expected, options: LoadOptions(mapping: NameMapping(objectRoot: root)))
            #expect(loaded.isExact, "\(step)")
            let output = try new.model(["inputs": inputs])[0]
            expectClose(output, try tensor(Self.folder + "/CompatModel/outputs.npy"), "\(step), converted step by step")
            let loss = new.model.losses.map { $0.scalars[0] }.reduce(0, +)
            let expected = walk.per_step["CompatModel"]!.regularization_loss
            #expect(abs(loss - expected) <= 1e-6 * max(1, expected), "\(step): \(loss) vs \(expected)")
            previous = new
        }
    }

    @Test func objectGraphRefusesAmbiguousPaths() throws {
        #expect(throws: CheckpointError.self) {
            try ObjectGraph([.init(path: ["a", "kernel"], fullName: "x"), .init(path: ["a", "kernel"], fullName: "y")])
        }
        #expect(throws: CheckpointError.self) { try ObjectGraph([.init(path: ["a", ""], fullName: "x")]) }
        #expect(ObjectGraph.Variable(path: ["_vars", "model/dense.1/kernel"], fullName: "").checkpointKey
                == "_vars/model.Sdense..1.Skernel/.ATTRIBUTES/VARIABLE_VALUE")
    }

    /// Optimizer slots follow their variables; beta1_power and global_step are copied.
    @Test func trainingStateFollows() throws {
        let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml"
        let inputs = try tensor(Repo.root + "/Tests/Goldens/training_checkpoints/inputs.npy")
        let prepared = try PreparedSpec(spec, inputs: ["images": inputs])
        let source = try Checkpoint(path: Repo.root + "/Tests/Goldens/training_checkpoints/adam/checkpoint")
        let match = CheckpointMatch(expected: prepared.expected, entries: source.entries)
        #expect(match.isExact)
        let keys = Dictionary(uniqueKeysWithValues: prepared.manifest.variables.map {
            ($0.name, CheckpointConversion.TargetKey(variableName: "renamed/" + $0.name, objectPath: []))
        })
        let conversion = try CheckpointConversion(from: source, match: match, keys: keys, to: .nameBased, trainingState: true)
        let prefix = try temporaryFolder("convert-slots") + "/ckpt"
        try conversion.writer.write(prefix: prefix)
        let written = try Checkpoint(path: prefix)
        #expect(written.entries.count == source.entries.count)
        for skip in match.skipped {
            if case let .slot(variable, name) = skip.reason {
                let key = skip.entry.name.replacingOccurrences(of: variable + "/" + name, with: "renamed/" + variable + "/" + name)
                #expect(key != skip.entry.name)
                #expect(try written.rawBytes(named: key) == source.rawBytes(named: skip.entry.name), "\(key)")
            } else {
                #expect(try written.rawBytes(named: skip.entry.name) == source.rawBytes(named: skip.entry.name))
            }
        }
        // The renamed model's variables and their slots load as a training checkpoint.
        let renamed = prepared.expected.map { ExpectedVariable(name: "renamed/" + $0.name, shape: $0.shape, dtype: $0.dtype, trainable: $0.trainable) }
        let again = CheckpointMatch(expected: renamed, entries: written.entries)
        #expect(again.isExact)
        #expect(again.skippedSummary == match.skippedSummary)
    }

    static let training = folder + "/training"

    /// CompatModel's TF1 training checkpoint (Adam's slots, beta powers,
    /// global_step) converted with the map from CompatModel to `step`.
    static func convertedTraining(_ step: String, to scheme: CheckpointScheme) throws -> (CheckpointConversion, String) {
        let old = try prepared("CompatModel"), new = try prepared(step)
        let map = try MigrationMap(old: old.manifest, new: new.manifest)
        let renames = Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.new.name, $0.old.variableName) })
        let source = try Checkpoint(path: training + "/name_based/model.ckpt")
        let match = CheckpointMatch(expected: new.expected, entries: source.entries, mapping: NameMapping(renames: renames))
        #expect(match.isExact)
        let conversion = try CheckpointConversion(from: source, match: match, keys: targetKeys(new.manifest), to: scheme,
                                                  objectRoot: ["model"], trainingState: true)
        let prefix = try temporaryFolder("convert-training") + "/ckpt"
        try conversion.writer.write(prefix: prefix)
        return (conversion, prefix)
    }

    /// A TF1 training checkpoint to TF2's object-based layout: each slot below its
    /// variable (`.OPTIMIZER_SLOT/optimizer/m`, `v`), the beta powers under the
    /// optimizer, the slots listed on the optimizer's node; the keys, values and
    /// object graph TensorFlow writes itself for the model and a TF1 Adam it
    /// restored (`oracle/migration.py` also had TensorFlow restore the CLI's
    /// conversion to every step, with `assert_consumed()`, equal slots and
    /// training on to the same weights: `training/conversions.json`).
    @Test func trainingStateToObjectBased() throws {
        let (conversion, prefix) = try Self.convertedTraining("FullyNativeModel", to: .objectBased)
        #expect(conversion.notes.count == 1 && conversion.notes[0].contains("global_step"), "\(conversion.notes)")
        let ours = try Checkpoint(path: prefix)
        let theirs = try Checkpoint(path: Self.training + "/FullyNativeModel/object_based/ckpt")
        #expect(ours.entries.map(\.name) == theirs.entries.map(\.name))
        #expect(theirs.entries.filter { $0.name.contains(".OPTIMIZER_SLOT/optimizer/") }.count == 8)
        for entry in theirs.entries where entry.name != CheckpointScheme.objectGraphKey {
            #expect(try ours.rawBytes(named: entry.name) == theirs.rawBytes(named: entry.name), "\(entry.name)")
        }
        func graph(_ checkpoint: Checkpoint) throws -> (variables: Set<String>, slots: Set<String>) {
            let bytes = try checkpoint.strings(named: CheckpointScheme.objectGraphKey)[0]
            let variables = try ObjectGraph.variables(inSerialized: bytes).map { "\($0.variable.path) \($0.variable.fullName) \($0.key)" }
            let slots = try ObjectGraph.slots(inSerialized: bytes).map {
                "\($0.slot.variable) \($0.slot.optimizer) \($0.slot.name) \($0.slot.fullName) \($0.key)"
            }
            return (Set(variables), Set(slots))
        }
        let (ourVariables, ourSlots) = try graph(ours), (tfVariables, tfSlots) = try graph(theirs)
        #expect(ourVariables == tfVariables)
        #expect(ourSlots == tfSlots)
        #expect(tfSlots.count == 8 && tfVariables.count == 6)
    }

    /// Every step, both schemes: the slots follow their variables and load back
    /// as the step's training state; to TF1 names and back, the original tensors.
    @Test("Training state follows the walk", arguments: steps, schemes)
    func trainingStateFollowsTheWalk(_ step: String, _ scheme: CheckpointScheme) throws {
        let (conversion, prefix) = try Self.convertedTraining(step, to: scheme)
        let written = try Checkpoint(path: prefix)
        let new = try Self.prepared(step)
        let match = CheckpointMatch(expected: new.expected, entries: written.entries,
                                    mapping: NameMapping(objectRoot: scheme == .objectBased ? "model/" : ""))
        #expect(match.isExact)
        let slots = match.skipped.filter { if case .slot = $0.reason { true } else { false } }
        #expect(slots.count == 8, "\(match.skipped.map(\.entry.name))")
        #expect(conversion.copies.count == (scheme == .nameBased ? 15 : 14))
        // The beta powers: under their names, or the optimizer's object.
        let betas = scheme == .nameBased ? ["beta1_power", "beta2_power"]
            : ["optimizer/beta1_power/.ATTRIBUTES/VARIABLE_VALUE", "optimizer/beta2_power/.ATTRIBUTES/VARIABLE_VALUE"]
        let source = try Checkpoint(path: Self.training + "/name_based/model.ckpt")
        for (key, original) in zip(betas, ["beta1_power", "beta2_power"]) {
            #expect(try written.rawBytes(named: key) == source.rawBytes(named: original))
        }
    }

    /// An object-based training checkpoint back to TF1 names: every tensor of the
    /// original but `global_step`, which the object-based layout does not keep.
    @Test func trainingStateRoundTrip() throws {
        let (_, native) = try Self.convertedTraining("FullyNativeModel", to: .objectBased)
        let compat = try Self.prepared("CompatModel"), fully = try Self.prepared("FullyNativeModel")
        let map = try MigrationMap(old: fully.manifest, new: compat.manifest)
        let renames = Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.new.name, $0.old.name) })
        let source = try Checkpoint(path: native)
        let match = CheckpointMatch(expected: compat.expected, entries: source.entries, mapping: NameMapping(renames: renames, objectRoot: "model/"))
        #expect(match.isExact)
        let back = try CheckpointConversion(from: source, match: match, keys: Self.targetKeys(compat.manifest), to: .nameBased, trainingState: true)
        let prefix = try temporaryFolder("convert-training-back") + "/ckpt"
        try back.writer.write(prefix: prefix)
        let original = try Checkpoint(path: Self.training + "/name_based/model.ckpt"), roundTrip = try Checkpoint(path: prefix)
        #expect(roundTrip.entries.map(\.name) == original.entries.map(\.name).filter { $0 != "global_step" })
        for entry in roundTrip.entries {
            #expect(try roundTrip.rawBytes(named: entry.name) == original.rawBytes(named: entry.name), "\(entry.name)")
        }
    }

    /// Slots an object-based checkpoint cannot hold as TensorFlow would: refused,
    /// not dropped; an optimizer with another name, by its kind.
    @Test func trainingStateRefusals() throws {
        let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml"
        let inputs = try tensor(Repo.root + "/Tests/Goldens/training_checkpoints/inputs.npy")
        let prepared = try PreparedSpec(spec, inputs: ["images": inputs])
        let keys = Self.targetKeys(prepared.manifest)
        func conversion(_ name: String, optimizer: OptimizerSlotNames? = nil) throws -> CheckpointConversion {
            let source = try Checkpoint(path: Repo.root + "/Tests/Goldens/training_checkpoints/\(name)/checkpoint")
            let match = CheckpointMatch(expected: prepared.expected, entries: source.entries)
            return try CheckpointConversion(from: source, match: match, keys: keys, to: .objectBased, trainingState: true, optimizer: optimizer)
        }
        // Adam, Momentum and a second Adam over the same variables.
        let twice = try #require(throws: CheckpointConversion.Failure.self) { try conversion("same_variables_twice") }
        #expect(twice.message.contains("more than one optimizer"), "\(twice)")
        // `name='MyAdam'`: its kind is needed, then its slots are m and v.
        let named = try #require(throws: CheckpointConversion.Failure.self) { try conversion("adam_named") }
        #expect(named.message.contains("MyAdam"), "\(named)")
        let adam = try conversion("adam_named", optimizer: OptimizerSlotNames.named("adam"))
        #expect(adam.copies.filter { $0.to.hasSuffix("/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE") }.count == prepared.expected.filter(\.trainable).count)
        // Centered RMSProp: three slots a variable, rms, mg, momentum in TensorFlow's order.
        let rmsprop = try conversion("rmsprop_centered")
        #expect(rmsprop.copies.contains { $0.from.hasSuffix("/RMSProp_1") && $0.to.contains("/.OPTIMIZER_SLOT/optimizer/mg/") })
        #expect(rmsprop.copies.contains { $0.from.hasSuffix("/RMSProp_2") && $0.to.contains("/.OPTIMIZER_SLOT/optimizer/momentum/") })
    }

    @Test func convertCommand() throws {
        guard CLI.available else { return }
        let dir = try temporaryFolder("convert-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let compat = Self.tfCheckpoint("CompatModel", .nameBased)
        func spec(_ name: String) -> String { Repo.specs + "/\(name).yaml" }
        // TF1 names -> TF2 object paths -> TF1 names: the original bytes back.
        let forward = try CLI.run(["convert", spec("FullyNativeModel"), compat, "--from", spec("CompatModel"),
                                   "--to", "object-based", "--output-object-root", "model", "-o", dir + "/native"])
        #expect(forward.status == 0, "\(forward.err)")
        #expect(forward.out.contains("model/conv2d/kernel -> model/conv_layer/kernel/.ATTRIBUTES/VARIABLE_VALUE"), "\(forward.out)")
        let back = try CLI.run(["convert", spec("CompatModel"), dir + "/native", "--object-root", "model",
                                "--from", spec("FullyNativeModel"), "--to", "name-based", "-o", dir + "/compat"])
        #expect(back.status == 0, "\(back.err)")
        let original = try Checkpoint(path: compat), roundTrip = try Checkpoint(path: dir + "/compat")
        #expect(roundTrip.entries.map(\.name) == original.entries.map(\.name))
        for entry in original.entries {
            #expect(try roundTrip.rawBytes(named: entry.name) == original.rawBytes(named: entry.name))
        }
        // Through a rename file from `migrate` instead of --from: the same bytes.
        let renames = dir + "/renames.txt"
        #expect(try CLI.run(["migrate", spec("CompatModel"), spec("FullyNativeModel"), "-o", renames]).status == 0)
        let viaFile = try CLI.run(["convert", spec("FullyNativeModel"), compat, "--renames", renames,
                                   "--to", "object-based", "--output-object-root", "model", "-o", dir + "/native2"])
        #expect(viaFile.status == 0, "\(viaFile.err)")
        let native = try Checkpoint(path: dir + "/native"), native2 = try Checkpoint(path: dir + "/native2")
        #expect(native2.entries.map(\.name) == native.entries.map(\.name))
        #expect(try native2.strings(named: CheckpointScheme.objectGraphKey) == native.strings(named: CheckpointScheme.objectGraphKey))
        for entry in native.entries {
            if entry.dtype != .string { #expect(try native2.rawBytes(named: entry.name) == native.rawBytes(named: entry.name)) }
        }
        // `diff` agrees with the conversion, with no options.
        let diff = try CLI.run(["diff", spec("FullyNativeModel"), dir + "/native", "--object-root", "model"])
        #expect(diff.status == 0, "\(diff.out)\(diff.err)")
        // Never over an existing file, the input included.
        let index = dir + "/compat.index"
        let before = try Data(contentsOf: URL(fileURLWithPath: index))
        let again = try CLI.run(["convert", spec("CompatModel"), dir + "/compat", "--to", "name-based", "-o", dir + "/compat"])
        #expect(again.status == 2)
        #expect(again.err.contains("exists"), "\(again.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: index)) == before)
        // Specs that do not correspond: exit 1, the divergence named, nothing written.
        let refused = try CLI.run(["convert", spec("DenseLayer"), compat, "--from", spec("CompatModel"), "--to", "name-based", "-o", dir + "/x"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("do not correspond"), "\(refused.err)")
        // A checkpoint that lacks the spec's variables: listed as diff lists them.
        let missing = try CLI.run(["convert", spec("FullyNativeModel"), compat, "--to", "name-based", "-o", dir + "/y"])
        #expect(missing.status == 1)
        #expect(missing.out.contains("- conv_layer/kernel"), "\(missing.out)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.index") && !FileManager.default.fileExists(atPath: dir + "/y.index"))
        // Slots of an optimizer TensorFlow does not know by its name: its kind is asked for.
        let kind = try CLI.run(["convert", spec("FullyNativeModel"), Self.training + "/name_based/model.ckpt", "--from", spec("CompatModel"),
                                "--to", "object-based", "--training-state", "--optimizer", "adamw", "-o", dir + "/z"])
        #expect(kind.status != 0 && kind.err.contains("adam, momentum"), "\(kind.err)")
        let trained = try CLI.run(["convert", spec("FullyNativeModel"), Self.training + "/name_based/model.ckpt", "--from", spec("CompatModel"),
                                   "--to", "object-based", "--training-state", "--output-optimizer-path", "train/adam", "-o", dir + "/z"])
        #expect(trained.status == 0, "\(trained.err)")
        #expect(trained.out.contains("model/conv2d/kernel/Adam_1 -> conv_layer/kernel/.OPTIMIZER_SLOT/train/adam/v/.ATTRIBUTES/VARIABLE_VALUE"), "\(trained.out)")
        #expect(trained.out.contains("beta2_power -> train/adam/beta2_power/.ATTRIBUTES/VARIABLE_VALUE"), "\(trained.out)")
        #expect(trained.err.contains("left out 'global_step'") && !trained.err.contains("skipped"), "\(trained.err)")
    }

    /// `get_or_create_layer` layers (a bare Dense in a variable scope, a Dense in a
    /// Keras model outside one): TensorFlow's object-based checkpoint loads with
    /// no renames, by the object paths TensorFlow gives them
    /// (`_tf1_style_var_store/_layers/outer.Sinner/kernel`,
    /// `…/.Shead/layer_with_weights-0/kernel`), and gives TensorFlow's outputs;
    /// converted to both schemes, the keys TensorFlow restored from.
    @Test func storedLayersLoadByTheirObjectPaths() throws {
        let folder = Self.folder + "/StoredLayers"
        let inputs = try tensor(folder + "/inputs.npy")
        let prepared = try PreparedSpec(Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/StoredLayers.yaml", inputs: ["inputs": inputs])
        #expect(prepared.expected.compactMap(\.objectPath).map { $0.joined(separator: "|") } == [
            "_tf1_style_var_store|_layers|outer/inner|kernel", "_tf1_style_var_store|_layers|outer/inner|bias",
            "_tf1_style_var_store|_layers|/head|layer_with_weights-0|kernel", "_tf1_style_var_store|_layers|/head|layer_with_weights-0|bias",
        ])
        let checkpoint = try Checkpoint(path: folder + "/object_based/ckpt")
        let options = LoadOptions(mapping: NameMapping(objectRoot: "model/"))
        let match = try prepared.model.load(checkpoint, expecting: prepared.expected, options: options)
        #expect(match.isExact, "\(match.missing.map(\.name)) \(match.unused.map(\.name))")
        expectClose(try prepared.model(["inputs": inputs])[0], try tensor(folder + "/outputs.npy"), "StoredLayers")
        guard CLI.available else { return }
        struct Record: Decodable { var scheme: String; var keys: [String] }
        let records = try JSONDecoder().decode([Record].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/conversions.json")))
        let dir = try temporaryFolder("convert-stored")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/StoredLayers.yaml"
        for (index, record) in records.prefix(2).enumerated() {
            var arguments = ["convert", spec, folder + "/object_based/ckpt", "--object-root", "model", "--to", record.scheme, "-o", dir + "/\(index)"]
            if record.scheme == "object-based" { arguments += ["--output-object-root", "model"] }
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(result.err)")
            #expect(try Checkpoint(path: dir + "/\(index)").entries.map(\.name).sorted() == record.keys)
        }
    }

    /// `get_or_create_layer` layers have TensorFlow's variable names: a bare layer's
    /// weights are named by the Keras names and scopes open at its first call
    /// (`bare_model/outer/dense_1/kernel`, `stored_layers/outer/proj/kernel`, a nested
    /// shim layer's `bare_model/outer/bare_inner/in/p/kernel`, `default_name` scopes by
    /// their name scope `block`), a Keras model's layer by its own name (`dense_2/kernel`),
    /// as `layer.weights` lists them (`variables.json`). The checkpoint TensorFlow's
    /// `Saver` writes for the model loads with no renames and gives its outputs; so
    /// does its object-based checkpoint, by the object paths.
    @Test func bareLayersLoadFromTensorFlowsSaverCheckpoint() throws {
        let specs = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs"
        for (model, spec) in [("BareLayers", specs + "/BareLayers/BareLayers.yaml"), ("StoredLayers", specs + "/StoredLayers.yaml")] {
            let folder = Self.folder + "/" + model
            let inputs = try tensor(folder + "/inputs.npy")
            let names = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/variables.json")))
            let prepared = try PreparedSpec(spec, inputs: ["inputs": inputs])
            #expect(prepared.manifest.variables.map(\.variableName).sorted() == names.sorted(), "\(model)")
            for (checkpoint, options) in [("name_based/model.ckpt", LoadOptions()),
                                          ("object_based/ckpt", LoadOptions(mapping: NameMapping(objectRoot: "model/")))] {
                let fresh = try PreparedSpec(spec, inputs: ["inputs": inputs])
                let match = try fresh.model.load(Checkpoint(path: folder + "/" + checkpoint), expecting: fresh.expected, options: options)
                #expect(match.isExact, "\(model) \(checkpoint): \(match.missing.map(\.name)) \(match.unused.map(\.name))")
                expectClose(try fresh.model(["inputs": inputs])[0], try tensor(folder + "/outputs.npy"), "\(model) \(checkpoint)")
            }
        }
        guard CLI.available else { return }
        // `modelspec names` shows TensorFlow's variable name after the running name where they
        // differ (the name scope of a `default_name` scope is its given name).
        let names = try CLI.run(["names", specs + "/BareLayers/BareLayers.yaml"])
        #expect(names.status == 0, "\(names.err)")
        let rows = names.out.split(separator: "\n")
        let row = rows.first { $0.hasPrefix("bare_model/outer/block_1/r/kernel ") }
        #expect(row?.hasSuffix("variable bare_model/outer/block/r/kernel") == true, "\(names.out)")
        let same = rows.first { $0.hasPrefix("bare_model/outer/dense_1/kernel ") }
        #expect(same.map { !$0.contains("variable") } == true, "\(names.out)")
    }

    /// Seed models of other shapes (compat layer objects, templates, a nested shim
    /// layer, batch norm, attention) converted to both schemes of themselves: the
    /// keys TensorFlow restored from in `oracle/migration.py` (`conversions.json`).
    @Test func seedConversionsHaveTheKeysTensorFlowRestored() throws {
        guard CLI.available else { return }
        struct Record: Decodable { var model: String; var scheme: String; var keys: [String] }
        struct Conversions: Decodable { var seeds: [Record] }
        let conversions = try JSONDecoder().decode(Conversions.self, from: Data(contentsOf: URL(fileURLWithPath: Self.folder + "/conversions.json")))
        #expect(conversions.seeds.count >= 10)
        let dir = try temporaryFolder("convert-seeds")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for record in conversions.seeds {
            let prefix = dir + "/\(record.model)-\(record.scheme)/ckpt"
            var arguments = ["convert", Repo.specs + "/\(record.model).yaml", Repo.seedCheckpoints + "/\(record.model)/checkpoint",
                             "--to", record.scheme, "-o", prefix]
            if record.scheme == "object-based" { arguments += ["--output-object-root", "model"] }
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(record.model): \(result.err)")
            #expect(try Checkpoint(path: prefix).entries.map(\.name).sorted() == record.keys, "\(record.model) \(record.scheme)")
        }
    }
}

