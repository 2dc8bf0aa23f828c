import Foundation

/// How a CKPT argument names a checkpoint.
public enum CheckpointPath {
    /// The bundle prefix that `path` names: `path` itself when it is a prefix;
    /// `path` without its suffix when it names the `.index` file or a
    /// `.data-NNNNN-of-MMMMM` shard; and, for a directory, the prefix its
    /// `checkpoint` state file gives as `model_checkpoint_path` (relative to the
    /// directory unless absolute).
    public static func resolvePrefix(_ path: String) throws -> String {
        if let stateFile = stateFile(of: path) {
            return try prefixFromStateFile(stateFile)
        }
        if path.hasSuffix(".index") {
            return String(path.dropLast(".index".count))
        }
        if let range = path.range(of: ".data-", options: .backwards),
            path[range.upperBound...].range(of: #"^[0-9]+-of-[0-9]+$"#, options: .regularExpression) != nil
        {
            return String(path[..<range.lowerBound])
        }
        return path
    }

    /// The `checkpoint` state file's `model_checkpoint_path`.
    static func prefixFromStateFile(_ stateFile: String) throws -> String {
        let directory = (stateFile as NSString).deletingLastPathComponent
        let data: [UInt8]
        do {
            data = try CheckpointFile(path: stateFile, kind: "checkpoint state file").readAll()
        } catch let error as CheckpointError where error.kind == .fileNotFound {
            throw CheckpointError(
                .fileNotFound, file: stateFile,
                "directory has no 'checkpoint' state file; give the checkpoint's prefix instead")
        }
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("model_checkpoint_path:") else { continue }
            let rest = trimmed.dropFirst("model_checkpoint_path:".count).trimmingCharacters(in: .whitespaces)
            guard let value = unquote(rest), !value.isEmpty else {
                throw CheckpointError(
                    .corruptIndex, file: stateFile, "model_checkpoint_path is not a quoted string: \(rest)")
            }
            if value.hasPrefix("/") { return value }
            return (directory as NSString).appendingPathComponent(value)
        }
        throw CheckpointError(.corruptIndex, file: stateFile, "no model_checkpoint_path in the checkpoint state file")
    }

    /// A text-format protobuf string: "..." with C escapes (\\ \" \' \n \t \r, octal \NNN, hex \xNN).
    static func unquote(_ quoted: String) -> String? {
        let bytes = Array(quoted.utf8)
        guard bytes.count >= 2, let q = bytes.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'"),
            bytes.last == q
        else { return nil }
        var out: [UInt8] = []
        var i = 1
        let end = bytes.count - 1
        func isOctal(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7") }
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < end else { return nil }
            let e = bytes[i]
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A); i += 1
            case UInt8(ascii: "t"): out.append(0x09); i += 1
            case UInt8(ascii: "r"): out.append(0x0D); i += 1
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                i += 1
                while i < end, digits < 2, let d = Int(String(UnicodeScalar(bytes[i])), radix: 16) {
                    value = value * 16 + d
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                out.append(UInt8(value))
            case _ where isOctal(e):
                var value = 0
                var digits = 0
                while i < end, digits < 3, isOctal(bytes[i]) {
                    value = value * 8 + Int(bytes[i] - UInt8(ascii: "0"))
                    digits += 1
                    i += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            default:
                out.append(e)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The `checkpoint` state file that `path` is read through, when `path`
    /// names a directory.
    public static func stateFile(of path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return (path as NSString).appendingPathComponent("checkpoint")
    }

    /// The file name of data shard `shard` of `count`: `PREFIX.data-00000-of-00001`.
    public static func dataFile(prefix: String, shard: Int, of count: Int) -> String {
        prefix + ".data-" + pad5(shard) + "-of-" + pad5(count)
    }

    /// The index file of a prefix: `PREFIX.index`.
    public static func indexFile(prefix: String) -> String { prefix + ".index" }

    private static func pad5(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 5 ? s : String(repeating: "0", count: 5 - s.count) + s
    }
}
