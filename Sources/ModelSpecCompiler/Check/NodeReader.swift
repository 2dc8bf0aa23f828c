import LocatedYAML
import TFNaming

/// Reads typed values out of YAML nodes for the checker, reporting what does not
/// fit as diagnostics at the node's location. Every read returns nil after an error.
struct NodeReader {
    var diagnostics = Diagnostics()
    /// The spec's parameters by name, for `$param` references.
    var params: [String: ParamDeclaration] = [:]
    /// Constant arguments of the template being checked, which `$name` may also name.
    var templateConstants: [String: ParamType] = [:]

    mutating func error(_ node: YAMLNode, _ message: String) {
        diagnostics.error(node.location, message)
    }

    /// The number of errors reported so far.
    var errorCount: Int {
        diagnostics.all.lazy.filter { $0.severity == .error }.count
    }

    // MARK: Mappings

    /// The entries of a mapping, or an error naming what was expected.
    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLMappingEntry]? {
        if let entries = node.mapping { return entries }
        error(node, "\(what) must be a mapping, not \(node.kindDescription)")
        return nil
    }

    /// The key of an entry as a string.
    mutating func key(_ entry: YAMLMappingEntry) -> String? {
        if let text = entry.key.scalar?.text, !entry.key.isNull { return text }
        error(entry.key, "a key must be a string, not \(entry.key.kindDescription)")
        return nil
    }

    /// Reports keys not among `allowed`, suggesting the closest one.
    mutating func rejectUnknownKeys(_ entries: [YAMLMappingEntry], allowed: [String], in what: String) {
        for entry in entries {
            guard entry.key.scalar != nil, !entry.key.isNull else {
                error(entry.key, "a key in \(what) must be a name, not \(entry.key.kindDescription)")
                continue
            }
            guard let key = entry.key.scalar?.text, !allowed.contains(key) else { continue }
            error(entry.key, "unknown key '\(key)' in \(what)" + Suggestion.didYouMean(key, among: allowed))
        }
    }

    // MARK: Scalars

    mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        if let scalar = node.scalar, !scalar.isNull { return scalar.text }
        error(node, "\(what) must be a string, not \(node.kindDescription)")
        return nil
    }

    /// A name usable as a Swift identifier and a value name.
    mutating func identifier(_ node: YAMLNode, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard Identifier.isValid(text) else {
            error(node, "\(what) '\(text)' is not a valid name: use letters, digits and underscores, not starting with a digit")
            return nil
        }
        return text
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if let value = node.scalar?.bool { return value }
        error(node, "\(what) must be true or false, not \(describe(node))")
        return nil
    }

    mutating func int(_ node: YAMLNode, _ what: String) -> Int? {
        if let value = node.scalar?.int { return value }
        error(node, "\(what) must be an integer, not \(describe(node))")
        return nil
    }

    mutating func double(_ node: YAMLNode, _ what: String) -> Double? {
        if let value = node.scalar?.double { return value }
        if let value = node.scalar?.int { return Double(value) }
        error(node, "\(what) must be a number, not \(describe(node))")
        return nil
    }

    /// A list of integers, or a single integer repeated `count` times (`kernel_size: 3`).
    mutating func ints(_ node: YAMLNode, _ what: String, count: Int? = nil) -> [Int]? {
        if let single = node.scalar?.int {
            return Array(repeating: single, count: count ?? 1)
        }
        guard let items = node.sequence else {
            error(node, "\(what) must be an integer or a list of integers, not \(node.kindDescription)")
            return nil
        }
        var values: [Int] = []
        for item in items {
            guard let value = int(item, "each item of \(what)") else { return nil }
            values.append(value)
        }
        if let count, values.count != count {
            error(node, "\(what) must have \(count) items, not \(values.count)")
            return nil
        }
        return values
    }

    /// Describes a scalar by its text, anything else by its kind.
    func describe(_ node: YAMLNode) -> String {
        if let scalar = node.scalar, !scalar.isNull {
            return scalar.style == .plain ? "'\(scalar.text)'" : "the string '\(scalar.text)'"
        }
        return node.kindDescription
    }

    // MARK: Expressions

    /// The name of a `$param` reference, if the node is one.
    func paramReference(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar, scalar.style == .plain, scalar.text.hasPrefix("$") else { return nil }
        return String(scalar.text.dropFirst())
    }

    /// Checks that `$name` names a parameter (or template constant) of the given type.
    mutating func checkParam(_ name: String, at node: YAMLNode, type: ParamType) -> Bool {
        let found = params[name]?.type ?? templateConstants[name]
        guard let found else {
            let known = params.keys.sorted() + templateConstants.keys.sorted()
            error(node, "undefined parameter '$\(name)'" + Suggestion.didYouMean(name, among: known))
            return false
        }
        guard found == type || (type == .float && found == .int) else {
            error(node, "parameter '$\(name)' is \(found.rawValue), but \(type.rawValue) is needed here")
            return false
        }
        return true
    }

    mutating func intExpr(_ node: YAMLNode, _ what: String) -> Expr<Int>? {
        if let name = paramReference(node) {
            return checkParam(name, at: node, type: .int) ? .param(name) : nil
        }
        return int(node, what).map(Expr.literal)
    }

    mutating func doubleExpr(_ node: YAMLNode, _ what: String) -> Expr<Double>? {
        if let name = paramReference(node) {
            return checkParam(name, at: node, type: .float) ? .param(name) : nil
        }
        return double(node, what).map(Expr.literal)
    }

    mutating func stringExpr(_ node: YAMLNode, _ what: String) -> Expr<String>? {
        if let name = paramReference(node) {
            return checkParam(name, at: node, type: .string) ? .param(name) : nil
        }
        return string(node, what).map(Expr.literal)
    }

    mutating func intExprs(_ node: YAMLNode, _ what: String, count: Int) -> [Expr<Int>]? {
        if node.scalar != nil {
            return intExpr(node, what).map { Array(repeating: $0, count: count) }
        }
        guard let items = node.sequence else {
            error(node, "\(what) must be an integer or a list of \(count) integer\(count == 1 ? "" : "s"), not \(node.kindDescription)")
            return nil
        }
        guard items.count == count else {
            error(node, "\(what) must have \(count) item\(count == 1 ? "" : "s"), not \(items.count)")
            return nil
        }
        let values = items.compactMap { intExpr($0, "each item of \(what)") }
        return values.count == count ? values : nil
    }

    /// A literal of the given type, or a `$param` of that type.
    mutating func literalExpr(_ node: YAMLNode, type: ParamType, _ what: String) -> Expr<Literal>? {
        if let name = paramReference(node) {
            return checkParam(name, at: node, type: type) ? .param(name) : nil
        }
        return literal(node, type: type, what).map(Expr.literal)
    }

    mutating func literal(_ node: YAMLNode, type: ParamType, _ what: String) -> Literal? {
        switch type {
        case .int: int(node, what).map(Literal.int)
        case .float: double(node, what).map(Literal.float)
        case .bool: bool(node, what).map(Literal.bool)
        case .string: string(node, what).map(Literal.string)
        }
    }

    // MARK: Shapes

    /// A shape: a list of numbers, `null`, symbols and `$params`.
    mutating func shape(_ node: YAMLNode, _ what: String) -> [Dimension]? {
        guard let items = node.sequence else {
            error(node, "\(what) must be a list of dimensions such as [batch, 28, 28, 1], not \(node.kindDescription)")
            return nil
        }
        var dims: [Dimension] = []
        for item in items {
            guard let scalar = item.scalar else {
                error(item, "a dimension must be a number, null, a symbol or a $param, not \(item.kindDescription)")
                return nil
            }
            if scalar.isNull {
                dims.append(.unknown)
            } else if let size = scalar.int {
                guard size >= 0 else {
                    error(item, "a dimension cannot be negative (\(size))")
                    return nil
                }
                dims.append(.known(size))
            } else if let name = paramReference(item) {
                guard checkParam(name, at: item, type: .int) else { return nil }
                dims.append(.param(name))
            } else if scalar.style == .plain, Identifier.isValid(scalar.text) {
                dims.append(.symbol(scalar.text))
            } else {
                error(item, "a dimension must be a number, null, a symbol or a $param, not \(describe(item))")
                return nil
            }
        }
        return dims
    }

    mutating func dtype(_ node: YAMLNode) -> DType? {
        guard let text = string(node, "dtype") else { return nil }
        if let dtype = DType(rawValue: text) { return dtype }
        let names = DType.allCases.map(\.rawValue)
        let hint = Suggestion.didYouMean(text, among: names)
        error(node, "unknown dtype '\(text)'" + (hint.isEmpty ? "; use one of " + names.joined(separator: ", ") : hint))
        return nil
    }
}
