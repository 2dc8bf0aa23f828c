import LocatedYAML

/// Python's slicing of a value as an operand: `x[:, 1:3]`, `h[:, -1]`, `x[..., None]`,
/// `_[::-1]`. Each such operand becomes a `strided_slice` step of its own, just
/// before the step that reads it, with the masks Python's `tensor[...]` gives
/// `tf.strided_slice`; its errors are reported at the operand.
extension StepChecker {
    /// One item of an index.
    enum SliceItem: Equatable {
        case index(Expr<Int>)
        case range(start: Expr<Int>?, stop: Expr<Int>?, step: Expr<Int>?)
        case ellipsis
        case newAxis
    }

    /// The value of `base[items]`: a new `strided_slice` step, queued before the step being checked.
    mutating func sliceOperand(_ text: String, _ node: YAMLNode) -> String? {
        guard let open = text.firstIndex(of: "["), text.hasSuffix("]") else {
            reader.error(node, "'\(text)' is not a value name nor a slice such as x[:, 1:3]")
            return nil
        }
        let baseText = String(text[..<open])
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var items: [SliceItem] = []
        for part in inside.split(separator: ",", omittingEmptySubsequences: false) {
            guard let item = sliceItem(part.trimmingCharacters(in: .whitespaces), node, text) else { return nil }
            items.append(item)
        }
        guard items.filter({ $0 == .ellipsis }).count <= 1 else {
            reader.error(node, "the index of '\(text)' has more than one '...'")
            return nil
        }
        if let group = values.groups[baseText] {
            // One of a group's values (`parts[1]`, `parts[-1]`), as a Python list is indexed.
            let count = group.values.count
            guard items.count == 1, case let .index(.literal(index)) = items[0], index >= -count, index < count else {
                reader.error(node, "'\(baseText)' holds \(count) values; pick one with an index from 0 to \(count - 1) (or -\(count) to -1), such as \(baseText)[0]")
                return nil
            }
            let member = group.values[index < 0 ? index + count : index]
            return member
        }
        guard let base = valueReference(node, named: baseText) else { return nil }
        var begin: [Expr<Int>] = [], end: [Expr<Int>] = [], strides: [Expr<Int>] = []
        var masks = (begin: 0, end: 0, ellipsis: 0, newAxis: 0, shrink: 0)
        for (i, item) in items.enumerated() {
            let bit = 1 << i
            switch item {
            case let .index(index):
                guard case let .literal(value) = index else {
                    reader.error(node, "an index of '\(text)' that removes its dimension is a number, not a $param; write a range such as $i:$j")
                    return nil
                }
                // The end is not read for a removed dimension; Python writes index + 1.
                begin.append(.literal(value)); end.append(.literal(value == .max ? value : value + 1)); strides.append(.literal(1))
                masks.shrink |= bit
            case let .range(start, stop, step):
                begin.append(start ?? .literal(0)); end.append(stop ?? .literal(0)); strides.append(step ?? .literal(1))
                if start == nil { masks.begin |= bit }
                if stop == nil { masks.end |= bit }
            case .ellipsis:
                begin.append(.literal(0)); end.append(.literal(0)); strides.append(.literal(1))
                masks.ellipsis |= bit
            case .newAxis:
                begin.append(.literal(0)); end.append(.literal(0)); strides.append(.literal(1))
                masks.newAxis |= bit
            }
        }
        var attributes: [String: AttributeValue] = ["begin": .ints(begin), "end": .ints(end), "strides": .ints(strides)]
        for (key, mask) in [("begin_mask", masks.begin), ("end_mask", masks.end), ("ellipsis_mask", masks.ellipsis),
                            ("new_axis_mask", masks.newAxis), ("shrink_axis_mask", masks.shrink)] where mask != 0 {
            attributes[key] = .int(.literal(mask))
        }
        guard let declaration = OperationDeclaration.named["strided_slice"] else { return nil }
        var operation = MathOperation(declaration: declaration, operands: [.value(base)], attributes: attributes)
        guard let types = resultTypes(&operation, count: 1, at: node.location) else { return nil }
        let name = values.freshName()
        values.define(name, .init(location: node.location, origin: "the slice '\(text)'", warnIfUnused: false, isBound: false, dtype: types[0]))
        values.markUsed(base)
        pendingSteps.append(Step(operation: .math(operation), inputs: [base], results: [name], location: node.location, types: types))
        return name
    }

    private mutating func sliceItem(_ text: String, _ node: YAMLNode, _ whole: String) -> SliceItem? {
        switch text {
        case "...": return .ellipsis
        case "None", "newaxis", "tf.newaxis": return .newAxis
        default: break
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count <= 3 else {
            reader.error(node, "'\(text)' in '\(whole)' has more than start:stop:step")
            return nil
        }
        var numbers: [Expr<Int>?] = []
        for part in parts {
            if part.isEmpty, parts.count > 1 { numbers.append(nil); continue }
            if let value = Int(part) {
                numbers.append(.literal(value))
            } else if part.hasPrefix("$"), reader.checkParam(String(part.dropFirst()), at: node, type: .int) {
                numbers.append(.param(String(part.dropFirst())))
            } else {
                if !part.hasPrefix("$") {
                    reader.error(node, "'\(text)' in '\(whole)' is not an index: write a number, start:stop:step (each optional), '...', None or newaxis")
                }
                return nil
            }
        }
        if parts.count == 1, let index = numbers[0] { return .index(index) }
        if parts.count == 3, case .literal(0)? = numbers[2] {
            reader.error(node, "'\(text)' in '\(whole)' has step 0; a slice's step is not 0")
            return nil
        }
        return .range(start: numbers[0], stop: numbers[1], step: parts.count == 3 ? numbers[2] : nil)
    }
}
