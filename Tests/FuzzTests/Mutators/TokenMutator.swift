/// Edits of a spec's YAML at the level of its tokens (words, numbers,
/// punctuation) and lines: a number made huge or negative, a word replaced by
/// another of the file or by a hostile one (a Swift keyword, a YAML tag), a
/// token or line deleted, duplicated, moved or re-indented.
enum TokenMutator {
    static let numbers = [
        "0", "-1", "1", "65536", "2147483648", "4294967296", "3037000500", "4611686018427387904",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e308", "-0", ".nan",
    ]
    static let words = [
        "Self", "Any", "self", "Type", "class", "init", "_", "__", "$units", "$nothing", "null", "~", "[]", "{}",
        "&a", "*a", "!!binary", "<<", "\"a\\nb\"", "'", "\"", "true", "same", "-", "?", "|", ">", "#",
    ]

    /// Splits YAML text into tokens: runs of word characters, runs of spaces, single other characters.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var currentIsWord = false, currentIsSpace = false
        for ch in text {
            let isWord = ch.isLetter || ch.isNumber || ch == "_" || ch == "$" || ch == "." || ch == "-"
            let isSpace = ch == " "
            if !current.isEmpty && ((isWord && currentIsWord) || (isSpace && currentIsSpace)) {
                current.append(ch)
                continue
            }
            if !current.isEmpty { result.append(current) }
            current = String(ch)
            currentIsWord = isWord
            currentIsSpace = isSpace
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// 1 to 3 random edits of `text`, and what they were.
    static func mutate(_ text: String, using rng: inout SplitMix64) -> (text: String, description: String) {
        var tokens = tokens(text)
        var done: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let words = tokens.indices.filter { tokens[$0].first.map { $0.isLetter || $0.isNumber || $0 == "$" || $0 == "_" || $0 == "-" } ?? false }
            guard let at = words.randomElement(using: &rng) else { break }
            let old = tokens[at]
            switch Int.random(in: 0..<8, using: &rng) {
            case 0, 1:
                let numbers = words.filter { Int(tokens[$0]) != nil }
                let target = numbers.randomElement(using: &rng) ?? at
                let was = tokens[target]
                tokens[target] = Self.numbers.randomElement(using: &rng)!
                done.append("token \(target) '\(was)' -> '\(tokens[target])'")
            case 2:
                tokens[at] = Self.words.randomElement(using: &rng)!
                done.append("token \(at) '\(old)' -> '\(tokens[at])'")
            case 3:
                tokens[at] = tokens[words.randomElement(using: &rng)!]
                done.append("token \(at) '\(old)' -> '\(tokens[at])'")
            case 4:
                tokens.remove(at: at)
                done.append("token \(at) '\(old)' deleted")
            case 5:
                tokens.insert(old, at: at)
                done.append("token \(at) '\(old)' doubled")
            default:
                var lines = tokens.joined().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let line = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    lines.remove(at: line)
                    done.append("line \(line + 1) deleted")
                case 1:
                    lines.insert(lines[line], at: line)
                    done.append("line \(line + 1) doubled")
                case 2:
                    lines[line] = "  " + lines[line]
                    done.append("line \(line + 1) indented")
                default:
                    let other = Int.random(in: 0..<lines.count, using: &rng)
                    lines.swapAt(line, other)
                    done.append("lines \(line + 1) and \(other + 1) swapped")
                }
                tokens = Self.tokens(lines.joined(separator: "\n"))
            }
        }
        return (tokens.joined(), done.joined(separator: ", "))
    }
}
