import LocatedYAML

/// The scope, variable and layer names TensorFlow 1 accepts, as TensorFlow
/// itself answers (oracle/names.py, Tests/Goldens/names/names.json). In graph
/// mode `Graph.name_scope` checks a scope name against `_VALID_SCOPE_NAME_REGEX`
/// (`^[A-Za-z0-9_.\\/>-]*$`) and, at the top level of the graph, against
/// `_VALID_OP_NAME_REGEX` (`^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$`); `get_variable`
/// opens a name scope with the variable's full name, so that full name is an
/// op name. (Python's `$` also matches before a final newline, but the name
/// then fails as part of a longer one: TensorFlow refuses every newline.)
/// A name TensorFlow refuses is a located error, so that a spec that checks
/// builds in TensorFlow and its generated Swift carries no such name.
enum TensorFlowName {
    /// A character of the scope-name pattern: `A-Z a-z 0-9 _ . - / \ >`.
    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isTopLevelStart(scalar) || "_-/\\>".unicodeScalars.contains(scalar)
    }

    /// A character that can start a name at the top level of the graph: `A-Z a-z 0-9 .`.
    static func isTopLevelStart(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "."
    }

    /// Why TensorFlow 1 refuses `name` as `what` (`scope name`, `variable name`, `layer name`), or nil.
    /// - Parameter topLevel: whether the name is opened at the top level of the graph (or is a full name).
    static func refusal(_ name: String, _ what: String, topLevel: Bool) -> String? {
        if let bad = name.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return "\(what) \(shown(name)) has \(describe(bad)), which TensorFlow 1 refuses in a name; a name may use only letters A-Z and a-z, digits, and _ . - / \\ >"
        }
        if topLevel, let first = name.unicodeScalars.first, !isTopLevelStart(first) {
            return "\(what) \(shown(name)) starts with '\(first)', which TensorFlow 1 refuses at the top level of the graph (\"not a valid root scope name\"); start it with a letter, a digit or '.', or put it inside a scope"
        }
        return nil
    }

    /// The name quoted, with control characters escaped so that the message stays on one line.
    private static func shown(_ name: String) -> String {
        "'" + name.unicodeScalars.map { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }.joined() + "'"
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\n": "a newline"
        case "\t": "a tab"
        default:
            scalar.properties.generalCategory == .control || scalar.value > 0x7E
                ? "the character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))"
                : "'\(scalar)'"
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}

extension NodeReader {
    /// Reports a name written in the spec whose characters TensorFlow 1 refuses
    /// wherever it stands (whether it stands at the top level is known only when
    /// the model is traced); true when it is accepted.
    @discardableResult
    mutating func requireTensorFlowName(_ text: String, _ what: String, at node: YAMLNode) -> Bool {
        guard let refusal = TensorFlowName.refusal(text, what, topLevel: false) else { return true }
        error(node, refusal)
        return false
    }
}
