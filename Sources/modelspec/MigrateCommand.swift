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
        let oldManifest = try SpecManifest.trace(old, values)
        let newManifest = try SpecManifest.trace(new, values)
        var pinned: [(new: String, old: String)] = []
        if let pins {
            pinned = try RenameFileReading.pairs(pins).map { ($0.name, $0.key) }
        }
        let map: MigrationMap
        do {
            map = try MigrationMap(old: oldManifest, new: newManifest, pins: pinned)
        } catch {
            FileHandle.standardError.write(Data("error: \(old) and \(new) do not correspond: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let pairs = map.pairs.map { pair in
            (name: pair.new.name, key: oldScheme.scheme == .nameBased ? pair.old.variableName : pair.old.name)
        }
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
