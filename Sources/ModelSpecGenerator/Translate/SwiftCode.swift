import Foundation

/// Lines of Swift with indentation, built by the translator.
struct SwiftCode {
    private(set) var lines: [String] = []
    private var depth = 0

    mutating func line(_ text: String) {
        lines.append(text.isEmpty ? "" : String(repeating: "    ", count: depth) + text)
    }

    mutating func lines(_ texts: [String]) {
        for text in texts { line(text) }
    }

    /// `opening {`, the body indented, `}` (or the given closing).
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout SwiftCode) throws -> Void) rethrows {
        line(opening + " {")
        depth += 1
        try body(&self)
        depth -= 1
        line(closing)
    }

    /// A closure whose head is written as given (`call { tf in`), the body indented, `}`.
    mutating func closure(_ head: String, _ body: (inout SwiftCode) throws -> Void) rethrows {
        line(head)
        depth += 1
        try body(&self)
        depth -= 1
        line("}")
    }

    /// Doc comment lines (`/// ...`) from a possibly multi-line text.
    mutating func doc(_ text: String?) {
        guard let text else { return }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        for piece in trimmed.split(separator: "\n", omittingEmptySubsequences: false) {
            let content = piece.trimmingCharacters(in: .whitespaces)
            line(content.isEmpty ? "///" : "/// " + content)
        }
    }

    var text: String { lines.joined(separator: "\n") }
}
