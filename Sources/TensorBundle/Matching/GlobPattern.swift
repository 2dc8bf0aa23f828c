/// A shell-style pattern for checkpoint keys (`*/Adam*`, `global_step`), as
/// `--ignore` and `LoadOptions.ignoredKeys` take them.
///
/// `*` matches any run of characters, `/` included (`*/Adam*` matches
/// `model/dense/kernel/Adam_1`); `?` matches one character; `[abc]`, `[a-z]`
/// and `[!abc]` (or `[^abc]`) match one character of (or not of) a set;
/// `\` makes the next character literal. A pattern without these characters
/// matches exactly its own text, so a plain key is a pattern too (TensorFlow's
/// variable names never contain `*`, `?`, `[` or `\`).
public struct GlobPattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    private let elements: [Element]
    /// The text matched when there is no wildcard (escapes undone).
    private let literal: String?

    private enum Element: Hashable, Sendable {
        case literal(Character)
        case anyOne
        case anyRun
        case set([ClosedRange<Character>], negated: Bool)

        func matches(_ c: Character) -> Bool {
            switch self {
            case .literal(let l): c == l
            case .anyOne: true
            case .anyRun: true
            case let .set(ranges, negated): ranges.contains { $0.contains(c) } != negated
            }
        }
    }

    public init(_ text: String) {
        self.text = text
        var elements: [Element] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "*":
                if elements.last != .anyRun { elements.append(.anyRun) }
            case "?":
                elements.append(.anyOne)
            case "\\" where i + 1 < chars.count:
                i += 1
                elements.append(.literal(chars[i]))
            case "[":
                if let (set, end) = Self.parseSet(chars, from: i) {
                    elements.append(set)
                    i = end
                } else {
                    elements.append(.literal("["))
                }
            default:
                elements.append(.literal(chars[i]))
            }
            i += 1
        }
        self.elements = elements
        var literal = ""
        for element in elements {
            guard case .literal(let c) = element else {
                self.literal = nil
                return
            }
            literal.append(c)
        }
        self.literal = literal
    }

    /// A bracket expression starting at `start` (`[`): the set and the index of its `]`,
    /// or nil when it is not closed (then `[` is literal).
    private static func parseSet(_ chars: [Character], from start: Int) -> (Element, Int)? {
        var i = start + 1
        var negated = false
        if i < chars.count, chars[i] == "!" || chars[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while i < chars.count {
            let c = chars[i]
            if c == "]" && !first { return (.set(ranges, negated: negated), i) }
            first = false
            if i + 2 < chars.count, chars[i + 1] == "-", chars[i + 2] != "]" {
                let (low, high) = (c, chars[i + 2])
                if low <= high { ranges.append(low...high) }
                i += 3
            } else {
                ranges.append(c...c)
                i += 1
            }
        }
        return nil
    }

    /// Whether the pattern has a wildcard (otherwise it matches only its own text).
    public var isLiteral: Bool { literal != nil }

    /// Whether the whole of `name` matches.
    public func matches(_ name: String) -> Bool {
        if let literal { return name == literal }
        let chars = Array(name)
        var p = 0, s = 0
        // The last `*` seen and the position in `name` it is retried from.
        var star: Int?, resume = 0
        while s < chars.count {
            if p < elements.count, elements[p] == .anyRun {
                star = p
                resume = s
                p += 1
            } else if p < elements.count, elements[p].matches(chars[s]) {
                p += 1
                s += 1
            } else if let star {
                p = star + 1
                resume += 1
                s = resume
            } else {
                return false
            }
        }
        while p < elements.count, elements[p] == .anyRun { p += 1 }
        return p == elements.count
    }

    public var description: String { text }
}
