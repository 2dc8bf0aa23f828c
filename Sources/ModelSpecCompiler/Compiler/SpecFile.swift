import Foundation

/// Which YAML files are specs.
///
/// A target or folder may hold YAML files that are not specs (configuration,
/// CI files). A spec is a `.yaml` / `.yml` file with a top-level line
/// `spec: N`, the format version every spec starts with; any other YAML file
/// is left alone by the build plugin, `modelspec-generate` and the folder index
/// of `SpecLibrary`. Deciding from the text, not from a parse, gives one answer
/// for a spec with a YAML error (it is a spec, and its error is reported) and
/// lets the build plugin, which cannot link this module, apply the same rule.
public enum SpecFile {
    /// Whether the text has a line `spec: N` (a version number, optionally
    /// quoted, optionally followed by a comment) at column 0.
    public static func isSpec(text: String) -> Bool {
        // Plugins/ModelSpecPlugin applies the same test (a plugin cannot link this module).
        text.split(whereSeparator: \.isNewline).contains { line in
            var rest = line.drop { $0 == "\u{FEFF}" }
            guard rest.hasPrefix("spec:") else { return false }
            rest = rest.dropFirst("spec:".count).prefix { $0 != "#" }
            let value = rest.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return !value.isEmpty && value.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    /// Whether the file at `path` is a spec; false when it cannot be read.
    public static func isSpec(atPath path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return isSpec(text: String(decoding: data, as: UTF8.self))
    }
}
