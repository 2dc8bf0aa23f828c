import ArgumentParser
import Foundation
import ModelSpecCompiler
import TensorBundle

/// `modelspec migrate OLD.yaml NEW.yaml`: the rename file that loads the old
/// model's checkpoint into its rewrite.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Map each variable of a legacy spec to the variable of its rewrite that takes its value.",
        discussion: """
            Variables are matched by structure: both specs' variables in creation order, \
            with the same role (kernel, bias, ...), shape and dtype at each place. Pin the \
            pairs structure cannot find (a reordered or renamed variable) in a rename file \
            (--pins, NEW_NAME=OLD_NAME a line). Prints, or writes with -o, a rename file: \
            NEW_NAME=OLD_KEY a line, which --renames of diff, run and convert reads. Exit 1, \
            naming the first point of divergence, when the specs do not correspond.
            """
    )

    @Argument(help: "The legacy spec.")
    var old: String

    @Argument(help: "Its rewrite.")
    var new: String

    @OptionGroup var values: SpecValueOptions

    @Option(help: ArgumentHelp("A rename file of pairs to take as given (NEW_NAME=OLD_NAME a line).", valueName: "file"))
    var pins: String?

    @Option(help: ArgumentHelp(
        "The old model's checkpoint the renames will read: name-based (a Saver's, TensorFlow's variable names) or object-based (tf.train.Checkpoint's object paths).",
        valueName: "scheme"))
    var oldScheme: SchemeArgument = .nameBased

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the rename file here (never over an existing file).", valueName: "file"))
    var output: String?

    func run() throws {
        let map = try MigrationMap.forCommand(old: old, new: new, newManifest: try SpecManifest.trace(new, values),
                                              pins: pins, values: values)
        let pairs = map.renames(keyedFor: oldScheme.scheme)
        let text = RenameFile.render(pairs, header: [
            "modelspec migrate \(old) \(new) (\(oldScheme.scheme.rawValue) checkpoint of the old model)",
            "new variable=old checkpoint key",
        ])
        if let output {
            try RenameFileReading.writeNew(text, to: output)
        } else {
            print(text, terminator: "")
        }
    }
}

extension MigrationMap {
    /// The map from the spec `old` to `new` (whose manifest is given), with the
    /// pins of the rename file `pins`; exit 1, naming the first divergence, when
    /// the specs do not correspond.
    static func forCommand(old: String, new: String, newManifest: Manifest, pins: String?,
                           values: SpecValueOptions) throws -> MigrationMap {
        let oldManifest = try SpecManifest.trace(old, values)
        let pinned = try pins.map { try RenameFileReading.pairs($0).map { (new: $0.name, old: $0.key) } } ?? []
        do {
            return try MigrationMap(old: oldManifest, new: newManifest, pins: pinned)
        } catch {
            FileHandle.standardError.write(Data("error: \(old) and \(new) do not correspond: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Each new variable with the key of its old counterpart in a checkpoint of
    /// `scheme`: TensorFlow's variable name (name-based) or the name the loader
    /// reads an object-based key as (the object path, or the shim store's TF1 name).
    func renames(keyedFor scheme: CheckpointScheme) -> [(name: String, key: String)] {
        pairs.map { (name: $0.new.name, key: scheme == .nameBased ? $0.old.variableName : $0.old.name) }
    }
}

/// `--old-scheme`, `--to`: a checkpoint's keying scheme.
enum SchemeArgument: String, ExpressibleByArgument, CaseIterable {
    case nameBased = "name-based"
    case objectBased = "object-based"

    var scheme: CheckpointScheme { self == .nameBased ? .nameBased : .objectBased }
}

/// Rename files as the commands read and write them.
enum RenameFileReading {
    static func pairs(_ path: String) throws -> [(name: String, key: String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot read the rename file")
        }
        do {
            return try RenameFile.parse(String(decoding: data, as: UTF8.self), file: path)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Writes a new file; an existing one is never replaced.
    static func writeNew(_ text: String, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) exists; choose another output or remove it first")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ValidationError("\(path): cannot write the file")
        }
    }
}
