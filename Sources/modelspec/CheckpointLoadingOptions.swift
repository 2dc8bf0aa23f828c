import ArgumentParser
import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import TensorBundle

/// How `diff` and `run` match a spec's variables with a checkpoint's entries:
/// the name mapping, what may be left over, moving averages. One group, so
/// that `diff` checks exactly what `run` would load.
struct CheckpointLoadingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Remove this prefix from the spec's names before looking them up.", valueName: "prefix"))
    var stripPrefix: String?

    @Option(help: ArgumentHelp("Add this prefix to the spec's names before looking them up.", valueName: "prefix"))
    var addPrefix: String?

    @Option(help: ArgumentHelp("Look up a spec variable under another checkpoint key.", valueName: "name=key"))
    var rename: [String] = []

    @Option(help: ArgumentHelp("A rename file (NAME=KEY a line, as 'modelspec migrate' writes); --rename wins over it.", valueName: "file"))
    var renames: String?

    @Option(help: ArgumentHelp(
        "Checkpoint keys the spec is not expected to make, as a glob pattern ('*/Adam*', 'head/*'). Training state (optimizer slots, beta1_power, global_step, moving averages) is skipped without it.",
        valueName: "pattern"))
    var ignore: [String] = []

    @Option(help: ArgumentHelp("The model's object path in a TensorFlow 2 object-based checkpoint.", valueName: "path"))
    var objectRoot: String = ""

    @Flag(help: "Load although the checkpoint has entries the spec does not make (besides training state).")
    var allowUnused = false

    @Flag(help: "Load although some variables of the spec are not in the checkpoint (they keep their initial values; each is named on standard error).")
    var allowMissing = false

    @Flag(help: "Load trainable variables from their ExponentialMovingAverage shadows, as ema.variables_to_restore() does for inference (batch norm's moving statistics from themselves).")
    var useMovingAverages = false

    @Option(help: ArgumentHelp("The ExponentialMovingAverage's name= in the training code.", valueName: "name"))
    var movingAverageName: String = "ExponentialMovingAverage"

    func mapping() throws -> NameMapping {
        var renames: [String: String] = [:]
        if let file = self.renames {
            for pair in try RenameFileReading.pairs(file) { renames[pair.name] = pair.key }
        }
        for text in rename {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--rename \(text): expected NAME=KEY")
            }
            renames[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        let root = objectRoot.isEmpty || objectRoot.hasSuffix("/") ? objectRoot : objectRoot + "/"
        return NameMapping(renames: renames, stripPrefix: stripPrefix, addPrefix: addPrefix, objectRoot: root)
    }

    func loadOptions() throws -> LoadOptions {
        LoadOptions(mapping: try mapping(), allowUnusedEntries: allowUnused, allowMissingVariables: allowMissing,
                    ignoring: Set(ignore), movingAverages: useMovingAverages, movingAverageName: movingAverageName)
    }

    /// Writes notes and warnings to standard error, one a line.
    static func printReport(_ notes: [LoadNote]) {
        for note in notes {
            FileHandle.standardError.write(Data("\(note)\n".utf8))
        }
    }
}

extension Manifest {
    /// The variables a checkpoint should hold for this manifest.
    var expectedVariables: [ExpectedVariable] {
        variables.map { ExpectedVariable(name: $0.name, shape: $0.shape, dtype: $0.dtype, trainable: $0.trainable,
                                         variableName: $0.variableName, objectPath: $0.storedLayer?.objectPath) }
    }
}
