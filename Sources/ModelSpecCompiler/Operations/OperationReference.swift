/// The table of operations without variables in docs/spec-language.md, rendered
/// from the declarations (a test keeps the document's copy in step).
public enum OperationReference {
    /// The markdown table: one row per operation, consecutive operations that
    /// differ only in name and TensorFlow function sharing a row.
    public static var table: String {
        var rows: [(names: [String], tensorflow: [String], cells: [String])] = []
        for declaration in OperationDeclaration.all {
            let made = declaration.results.isEmpty ? "" : "\(declaration.results.count) values, " + code(declaration.results) + ": "
            let cells = [operands(declaration.operands), attributes(declaration.attributes), made + declaration.result,
                         declaration.types.description ?? "float32"]
            if let last = rows.last, last.cells == cells {
                rows[rows.count - 1].names.append(declaration.name)
                rows[rows.count - 1].tensorflow.append(declaration.tensorflow)
            } else {
                rows.append(([declaration.name], [declaration.tensorflow], cells))
            }
        }
        var lines = [
            "| step | operands | attributes (default) | TensorFlow | result shape | result dtype |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows {
            let cells = [code(row.names), row.cells[0], row.cells[1], code(row.tensorflow), row.cells[2], row.cells[3]]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func code(_ names: [String]) -> String {
        names.map { "`\($0)`" }.joined(separator: ", ")
    }

    static func operands(_ signature: OperandSignature) -> String {
        switch signature {
        case .none: "—"
        case .one: "1, implicit"
        case let .two(roles): roles.isEmpty ? "2" : "2: " + roles.joined(separator: ", ")
        case let .three(roles): "3: " + roles.joined(separator: ", ")
        case let .twoOrThree(roles): "2 or 3: " + roles.dropLast().joined(separator: ", ") + " (and " + (roles.last ?? "") + ")"
        case .many: "1 or more (`inputs:`)"
        }
    }

    static func attributes(_ attributes: [AttributeDeclaration]) -> String {
        guard !attributes.isEmpty else { return "—" }
        return attributes.map { attribute in
            var text = "`\(attribute.name)`"
            switch attribute.presence {
            case .required: text += " (required)"
            case let .defaultValue(value): text += " (\(value))"
            case let .optional(meaning): text += ": \(attribute.type.description) (\(meaning))"
            }
            switch attribute.type {
            case .choice, .dtype:
                if !attribute.isOptional { text += ": " + attribute.type.description }
            case .shape, .tensor, .sizes, .pairs, .countOrSizes:
                if attribute.isRequired { text += ": " + attribute.type.description }
            default:
                break
            }
            if attribute.tensorflow != attribute.name { text += ", TensorFlow's `\(attribute.tensorflow)`" }
            return text
        }.joined(separator: ", ")
    }
}
