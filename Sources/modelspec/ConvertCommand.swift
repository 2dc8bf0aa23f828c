import ArgumentParser
import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import TensorBundle

/// `modelspec convert SPEC CKPT -o PREFIX --to SCHEME`: a checkpoint of SPEC's
/// variables, keyed as the target scheme keys them, written from a checkpoint of
/// the other scheme or of the model SPEC was migrated from.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a checkpoint of a spec's variables in TensorFlow's name-based or object-based form.",
        discussion: """
            Finds every variable SPEC makes in CKPT, as 'run' would load it (the loading \
            options, a rename file from 'modelspec migrate' with --renames, or the map \
            computed from the spec CKPT was written for with --from), and writes the values \
            to a new checkpoint at PREFIX keyed for --to: name-based (a Saver's keys, \
            TensorFlow's variable names) or object-based (tf.train.Checkpoint's object paths, \
            with the object graph TensorFlow restores by; --output-object-root model for \
            tf.train.Checkpoint(model=layer)). With --training-state, a tf.compat.v1.train \
            optimizer's slots follow their variables and its own variables (beta1_power) \
            come along, in either scheme: name-based '<variable>/Adam_1' is object-based \
            '<variable path>/.OPTIMIZER_SLOT/optimizer/v' (tf.train.Checkpoint(model=layer, \
            optimizer=optimizer); --output-optimizer-path names the optimizer's path, \
            --optimizer its kind when the slots do not carry its default name); \
            global_step is copied between name-based checkpoints. The input is never overwritten: PREFIX's files must \
            not exist. Exit 1 when the checkpoint does not hold SPEC's variables (listed as \
            'diff' lists them), 2 on other errors.
            """
    )

    @Argument(help: "The spec whose variables the new checkpoint holds.")
    var spec: String

    @Argument(help: "The checkpoint to read: a prefix, its .index file, or a directory with a 'checkpoint' file.")
    var checkpoint: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The new checkpoint's prefix (PREFIX.index, PREFIX.data-00000-of-00001).", valueName: "prefix"))
    var output: String

    @Option(help: ArgumentHelp("The new checkpoint's scheme: name-based or object-based.", valueName: "scheme"))
    var to: SchemeArgument

    @Option(help: ArgumentHelp("The spec CKPT was written for (the legacy model): variables are mapped by structure, as 'modelspec migrate' maps them.", valueName: "spec"))
    var from: String?

    @Option(help: ArgumentHelp("With --from: pairs to take as given (NEW_NAME=OLD_NAME a line).", valueName: "file"))
    var pins: String?

    @Option(help: ArgumentHelp("The model's object path in the new object-based checkpoint ('model' for tf.train.Checkpoint(model=layer)).", valueName: "path"))
    var outputObjectRoot: String = ""

    @Flag(help: "Optimizer slots follow their variables; optimizer state (beta1_power, global_step) comes along.")
    var trainingState = false

    @Option(help: ArgumentHelp("With --training-state: the kind of tf.compat.v1.train optimizer whose name-based slots become object-based (\(OptimizerSlotNames.all.map(\.kind).joined(separator: ", "))), when they do not carry its default name.", valueName: "kind"))
    var optimizer: String?

    @Option(help: ArgumentHelp("With --training-state: the optimizer's object path in the new object-based checkpoint ('optimizer' for tf.train.Checkpoint(model=layer, optimizer=optimizer)).", valueName: "path"))
    var outputOptimizerPath: String = "optimizer"

    @OptionGroup var values: SpecValueOptions

    @OptionGroup var loading: CheckpointLoadingOptions

    func validate() throws {
        if pins != nil && from == nil { throw ValidationError("--pins needs --from") }
        if loading.allowMissing { throw ValidationError("--allow-missing: a converted checkpoint holds every variable of the spec") }
        if let optimizer, OptimizerSlotNames.named(optimizer) == nil {
            throw ValidationError("--optimizer \(optimizer): not one of \(OptimizerSlotNames.all.map(\.kind).joined(separator: ", "))")
        }
        if outputOptimizerPath.split(separator: "/").isEmpty { throw ValidationError("--output-optimizer-path: an object path is needed") }
    }

    func run() throws {
        let manifest = try SpecManifest.trace(spec, values)
        let opened = try Checkpoint.openForCommand(checkpoint)
        var options = try loading.loadOptions()
        if let from {
            let map = try MigrationMap.forCommand(old: from, new: spec, newManifest: manifest, pins: pins, values: values)
            let scheme = CheckpointScheme(keys: opened.entries.lazy.map(\.name))
            let renames = Dictionary(map.renames(keyedFor: scheme).map { ($0.name, $0.key) }, uniquingKeysWith: { first, _ in first })
            // Renames given with --rename or --renames win over the computed ones.
            options.mapping.renames = renames.merging(options.mapping.renames) { _, given in given }
        }
        let loader = CheckpointLoader(opened, options: options)
        let match = loader.match(manifest.expectedVariables)
        let problems = loader.problems(match)
        guard problems.isEmpty, match.missing.isEmpty else {
            FileHandle.standardError.write(Data("error: \(opened.prefix) does not hold the variables of \(spec):\n".utf8))
            print(DiffCommand.report(match, spec: spec, checkpoint: opened.prefix))
            throw ExitCode(1)
        }
        let keys = Dictionary(manifest.variables.map { ($0.name, $0.targetKey) }, uniquingKeysWith: { first, _ in first })
        let root = outputObjectRoot.split(separator: "/").map(String.init)
        let conversion: CheckpointConversion
        do {
            conversion = try CheckpointConversion(from: opened, match: match, keys: keys, to: to.scheme,
                                                  objectRoot: root, trainingState: trainingState,
                                                  optimizer: optimizer.flatMap(OptimizerSlotNames.named),
                                                  optimizerPath: outputOptimizerPath.split(separator: "/").map(String.init))
        } catch {
            FileHandle.standardError.write(Data("error: cannot convert \(opened.prefix): \(error)\n".utf8))
            throw ExitCode(error is CheckpointConversion.Failure ? 1 : 2)
        }
        do {
            var read = [OutputFiles.ReadFile(path: spec, role: "the spec")]
            read += opened.files.map { OutputFiles.ReadFile(path: $0, role: "a file of the checkpoint,") }
            try OutputFiles.writeNewCheckpoint(conversion.writer, prefix: output, reading: read)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        // With --training-state the skipped training state is converted, not skipped.
        let skipped = match.skippedSummary
        CheckpointLoadingOptions.printReport(match.report.filter { !trainingState || $0.message != skipped })
        for note in conversion.notes {
            FileHandle.standardError.write(Data("note: \(note)\n".utf8))
        }
        for copy in conversion.copies {
            print("\(copy.from) -> \(copy.to)")
        }
        print("wrote \(output) (\(to.rawValue)): \(conversion.copies.count) tensors")
    }
}

extension Manifest.Entry {
    /// How a converted checkpoint keys the variable: by TensorFlow's variable name
    /// (name-based), or (object-based) by its attribute path when a native layer
    /// owns it, else by its place in the `track_tf1_style_variables` store that
    /// holds it: `[<shim layer's path>/]_tf1_style_var_store/_vars/<TF1 name>`, or
    /// for a `get_or_create_layer` layer's weight `…/_tf1_style_var_store/_layers/<key>/…`.
    var targetKey: CheckpointConversion.TargetKey {
        if let objectPath {
            return CheckpointConversion.TargetKey(variableName: variableName, objectPath: objectPath.split(separator: "/").map(String.init))
        }
        if let storedLayer {
            return CheckpointConversion.TargetKey(variableName: variableName, objectPath: storedLayer.objectPath)
        }
        let store = (storePath ?? "").split(separator: "/").map(String.init)
        return CheckpointConversion.TargetKey(variableName: variableName, objectPath: store + ["_tf1_style_var_store", "_vars", name])
    }
}
