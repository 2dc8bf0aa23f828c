import ArgumentParser
import Foundation
import TensorBundle

/// `modelspec inspect CKPT [--json]`: lists a TensorFlow checkpoint's tensors
/// as `tf.train.list_variables` does (name, dtype, shape, sorted by name).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors of a TensorFlow checkpoint (name, dtype, shape).",
        discussion: """
            CKPT is a checkpoint prefix (model.ckpt-42), its .index file, or a \
            directory with a 'checkpoint' state file. The listing is the index's; \
            a data shard that is missing or too short for the entries stored in it \
            is noted on standard error (the checkpoint cannot be loaded then). \
            Exits 0 on success, 2 when the index cannot be read.
            """
    )

    @Argument(help: "The checkpoint: a prefix, its .index file, or a directory.")
    var checkpoint: String

    @Flag(help: "Print a JSON array of {\"name\", \"dtype\", \"shape\"} objects.")
    var json = false

    func run() throws {
        let opened = try Checkpoint.openForCommand(checkpoint, notingShardProblems: true)
        let output = json ? Self.jsonListing(opened.entries) : Self.textListing(opened.entries)
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// One line per tensor: `name  dtype  [d0, d1]`, columns aligned.
    static func textListing(_ entries: [CheckpointEntry]) -> String {
        let nameWidth = entries.map(\.name.count).max() ?? 0
        let dtypeWidth = entries.map(\.dtype.name.count).max() ?? 0
        var out = ""
        for e in entries {
            let name = e.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let dtype = e.dtype.name.padding(toLength: dtypeWidth, withPad: " ", startingAt: 0)
            out += "\(name)  \(dtype)  [\(e.shape.map(String.init).joined(separator: ", "))]\n"
        }
        return out
    }

    /// `[{"name": ..., "dtype": ..., "shape": [...]}, ...]`, one object a line.
    static func jsonListing(_ entries: [CheckpointEntry]) -> String {
        let objects = entries.map { e in
            "  {\"name\": \(jsonString(e.name)), \"dtype\": \(jsonString(e.dtype.name)), \"shape\": [\(e.shape.map(String.init).joined(separator: ", "))]}"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
