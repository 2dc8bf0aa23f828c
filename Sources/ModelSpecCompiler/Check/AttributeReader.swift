import LocatedYAML
import TFNaming

/// Reads the attributes of an operation step by their declared types.
extension NodeReader {
    mutating func attribute(_ declaration: AttributeDeclaration, _ node: YAMLNode, op: String) -> AttributeValue? {
        let key = declaration.name
        switch declaration.type {
        case .int:
            return intExpr(node, key).map(AttributeValue.int)
        case .ints:
            if node.scalar != nil { return intExpr(node, key).map { .ints([$0]) } }
            guard let items = node.sequence else {
                error(node, "\(key) must be an integer or a list of integers, not \(node.kindDescription)")
                return nil
            }
            let values = items.compactMap { intExpr($0, "each item of \(key)") }
            return values.count == items.count ? .ints(values) : nil
        case .countOrSizes:
            if node.scalar != nil { return intExpr(node, key).map(AttributeValue.int) }
            guard let items = node.sequence else {
                error(node, "\(key) must be a count or a list of sizes, not \(node.kindDescription)")
                return nil
            }
            let values = items.compactMap { intExpr($0, "each item of \(key)") }
            return values.count == items.count ? .ints(values) : nil
        case .shape, .sizes:
            guard let items = node.sequence else {
                let given = node.scalar.map { _ in describe(node) } ?? node.kindDescription
                error(node, "\(key) must be a list such as \(declaration.type == .shape ? "[-1, 10]" : "[2, 3]"), not \(given)")
                return nil
            }
            let dims = items.compactMap { intExpr($0, "each item of \(key)") }
            guard dims.count == items.count else { return nil }
            if declaration.type == .shape, dims.filter({ $0 == .literal(-1) }).count > 1 {
                error(node, "\(op) can infer only one dimension; \(key) has more than one -1")
                return nil
            }
            if declaration.type == .sizes {
                for case let .literal(size) in dims where size < 0 {
                    error(node, "a size in \(key) cannot be negative (\(size))")
                    return nil
                }
            }
            return .ints(dims)
        case .pairs:
            guard let items = node.sequence else {
                error(node, "\(key) must be a list of [before, after] pairs such as [[0, 0], [1, 1]], not \(node.kindDescription)")
                return nil
            }
            var pairs: [[Expr<Int>]] = []
            for item in items {
                guard let pair = item.sequence, pair.count == 2 else {
                    error(item, "each item of \(key) must be a pair [before, after], not \(item.sequence.map { "a list of \($0.count)" } ?? describe(item))")
                    return nil
                }
                let sizes = pair.compactMap { intExpr($0, "each size of \(key)") }
                guard sizes.count == 2 else { return nil }
                for case let .literal(size) in sizes where size < 0 {
                    error(item, "a size in \(key) cannot be negative (\(size))")
                    return nil
                }
                pairs.append(sizes)
            }
            return .intLists(pairs)
        case let .choice(names):
            guard let text = string(node, key) else { return nil }
            if let name = names.first(where: { $0 == text.lowercased() }) { return .name(name) }
            error(node, "unknown \(key) '\(text)'; use " + names.joined(separator: ", "))
            return nil
        case .bool:
            return bool(node, key).map(AttributeValue.bool)
        case .float:
            return doubleExpr(node, key).map(AttributeValue.float)
        case .tensor:
            return tensorLiteral(node, key).map(AttributeValue.tensor)
        case let .dtype(allowed):
            guard let dtype = dtype(node) else { return nil }
            guard allowed.contains(dtype) else {
                error(node, "\(op) takes \(key) " + allowed.map(\.rawValue).joined(separator: ", ") + ", not \(dtype.rawValue)")
                return nil
            }
            return .dtype(dtype)
        }
    }

    /// `0.5`, `$scale`, `[1, 2]`, `[[1, 0], [0, 1]]`: numbers as a tensor.
    mutating func tensorLiteral(_ node: YAMLNode, _ what: String) -> TensorLiteral? {
        if let scalar = node.scalar, scalar.double == nil, let value = scalar.bool {
            return TensorLiteral(shape: [], scalars: [.literal(value ? 1 : 0)], isBoolean: true)
        }
        if node.scalar != nil {
            let isInteger = paramReference(node).map { params[$0]?.type == .int || templateConstants[$0] == .int } ?? (node.scalar?.int != nil)
            return doubleExpr(node, what).map { TensorLiteral(shape: [], scalars: [$0], isInteger: isInteger) }
        }
        guard let items = node.sequence else {
            error(node, "\(what) must be a number, a list of numbers or a $param, not \(node.kindDescription)")
            return nil
        }
        var parts: [TensorLiteral] = []
        for item in items {
            guard let part = tensorLiteral(item, what) else { return nil }
            if let first = parts.first, first.isBoolean != part.isBoolean {
                error(item, "\(what) mixes true/false with numbers; write one or the other")
                return nil
            }
            if let first = parts.first, first.shape != part.shape {
                error(item, "\(what) must be rectangular: an item of shape \(part.shape) beside one of shape \(first.shape)")
                return nil
            }
            parts.append(part)
        }
        return TensorLiteral(shape: [items.count] + (parts.first?.shape ?? []), scalars: parts.flatMap(\.scalars),
                             isBoolean: parts.first?.isBoolean ?? false, isInteger: parts.allSatisfy(\.isInteger))
    }
}
