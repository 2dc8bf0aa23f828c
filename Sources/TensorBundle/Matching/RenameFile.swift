import Foundation

/// A rename file: one `NAME=KEY` a line, a model variable's name and the
/// checkpoint key it is loaded from (as `--rename`), blank lines and `#`
/// comments allowed. `modelspec migrate` writes one; `--renames FILE` reads it
/// into ``NameMapping/renames``; a migration's pins use the same form.
public enum RenameFile {
    /// A line that is not `NAME=KEY`, or a name given twice.
    public struct ParseError: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): error: \(message)" }
    }

    /// The pairs of a rename file's text, in file order.
    public static func parse(_ text: String, file: String) throws(ParseError) -> [(name: String, key: String)] {
        var pairs: [(name: String, key: String)] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(file: file, line: index + 1, message: "expected NAME=KEY, not '\(line)'")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let key = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !key.isEmpty else {
                throw ParseError(file: file, line: index + 1, message: "expected NAME=KEY with both sides given, not '\(line)'")
            }
            if let first = seen[name] {
                throw ParseError(file: file, line: index + 1, message: "'\(name)' is renamed twice (first on line \(first))")
            }
            seen[name] = index + 1
            pairs.append((name, key))
        }
        return pairs
    }

    /// The text of a rename file: the header lines as comments, then one pair a line.
    public static func render(_ pairs: [(name: String, key: String)], header: [String] = []) -> String {
        (header.map { "# " + $0 } + pairs.map { "\($0.name)=\($0.key)" }).joined(separator: "\n") + "\n"
    }
}
