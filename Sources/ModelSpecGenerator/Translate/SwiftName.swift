/// Turns spec names into Swift names: `input_dim` becomes `inputDim`, a type
/// name stays as written, and Swift keywords are escaped with backticks.
enum SwiftName {
    /// `snake_case` or `UPPER` names as lowerCamelCase: `conv_layer` -> `convLayer`, `W1` -> `w1`.
    static func lowerCamel(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first else { return name }
        let head = leadingLowercased(first)
        let tail = parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let joined = head + tail.joined()
        return escaped(joined.first?.isNumber == true ? "_" + joined : joined)
    }

    /// Lowercases a leading run of capitals: `W1` -> `w1`, `URLValue` -> `urlValue`, `x` -> `x`.
    private static func leadingLowercased(_ word: String) -> String {
        let characters = Array(word)
        var index = 0
        while index < characters.count, characters[index].isUppercase { index += 1 }
        if index == 0 { return word }
        if index == 1 || index == characters.count || !characters[index].isLetter {
            return String(characters[..<index]).lowercased() + String(characters[index...])
        }
        return String(characters[..<(index - 1)]).lowercased() + String(characters[(index - 1)...])
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try", "Any", "some", "any",
    ]

    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }
}

/// Swift source for constants.
enum SwiftLiteral {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A Float literal that reads back to the same Float: `0.01`, `1.5`, `1e-05`.
    static func float(_ value: Double) -> String {
        let float = Float(value)
        if float == float.rounded(), Swift.abs(float) < 1e7 { return String(Int(float)) + ".0" }
        return "\(float)"
    }

    static func ints(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }
}
