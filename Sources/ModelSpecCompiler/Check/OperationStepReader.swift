import LocatedYAML
import TFNaming

/// Reads a step of a declared operation (``OperationDeclaration``): its operands
/// in the list, single or mapping form, and its attributes by their declared types.
extension StepChecker {
    mutating func mathOperation(_ declaration: OperationDeclaration, _ arguments: YAMLNode?, _ at: YAMLNode,
                                bound: Int? = nil) -> (Operation, [String], Int, String)? {
        let name = declaration.name
        let signature = declaration.operands
        var attributeNodes: [String: YAMLNode] = [:]
        var operandNodes: [YAMLNode]?
        if let arguments, let entries = arguments.mapping {
            let operandKey = signature.key.map { [$0] } ?? []
            reader.rejectUnknownKeys(entries, allowed: operandKey + declaration.attributes.map(\.name), in: name)
            for entry in entries {
                guard let key = entry.key.scalar?.text else { continue }
                if key == signature.key {
                    operandNodes = key == "input" ? [entry.value] : (entry.value.sequence ?? [entry.value])
                } else {
                    attributeNodes[key] = entry.value
                }
            }
        } else if let arguments, signature == .none, !arguments.isNull {
            reader.error(arguments, "\(name) takes its arguments as a mapping such as \(name): {\(declaration.attributes.first.map { "\($0.name): ..." } ?? "")}")
            return nil
        } else if let arguments, let items = arguments.sequence {
            operandNodes = items
        } else if let arguments, !arguments.isNull {
            operandNodes = [arguments]
        }
        var operands: [Operand] = []
        if let operandNodes {
            for item in operandNodes {
                guard let operand = operand(item) else { return nil }
                operands.append(operand)
            }
        } else if signature == .one || signature == .many {
            guard let value = implicitOperand(nil, at: at, op: name) else { return nil }
            operands = [.value(value)]
        }
        if let count = signature.count, operands.count != count {
            reader.error(at, "\(name) takes \(count) operand\(count == 1 ? "" : "s"), but \(operands.count) \(operands.count == 1 ? "is" : "are") given" + (count == 2 ? ", such as \(name): [a, b] (write _ for the previous value)" : ""))
            return nil
        }
        if case let .twoOrThree(roles) = signature, !(2...3).contains(operands.count) {
            reader.error(at, "\(name) takes 2 or 3 operands (\(roles.joined(separator: ", ")), the last optional), but \(operands.count) \(operands.count == 1 ? "is" : "are") given, such as \(name): [\(roles[0]), \(roles[1])]")
            return nil
        }
        if signature == .many, operands.isEmpty {
            reader.error(at, "\(name) needs at least one operand")
            return nil
        }
        var attributes: [String: AttributeValue] = [:]
        var failed = false
        for attribute in declaration.attributes {
            if let node = attributeNodes[attribute.name] {
                if let value = reader.attribute(attribute, node, op: name) { attributes[attribute.name] = value } else { failed = true }
            } else if attribute.isRequired {
                reader.error(at, "\(name) needs '\(attribute.name)'")
                failed = true
            }
        }
        guard !failed else { return nil }
        var operation = MathOperation(declaration: declaration, operands: operands, attributes: attributes)
        do {
            operation.resultCount = try declaration.resultCount(attributes, bound: bound)
        } catch {
            reader.error(at, "\(error)")
            return nil
        }
        return (.math(operation), operands.compactMap(\.valueName), operation.resultCount, "the result of \(name)")
    }

    /// The dtypes of a step's results, by the declaration's ``ValueTypes``; nil after reporting an
    /// operand of a dtype the operation does not take.
    mutating func resultTypes(_ operation: MathOperation, count: Int, at location: SourceLocation) -> [DType]? {
        let name = operation.name
        var types: [DType?] = []
        for (position, operand) in operation.operands.enumerated() {
            let dtype: DType?
            let shown: String
            switch operand {
            case let .value(value):
                dtype = values.definitions[value]?.dtype
                shown = "'\(ValueEnvironment.specName(value))'"
            case let .literal(literal):
                dtype = literal.isBoolean ? .bool : .float32
                shown = "the literal"
            }
            types.append(dtype)
            guard let dtype else { continue }
            switch operation.declaration.types.operand(position) {
            case .numbers, .result:
                if dtype == .bool {
                    reader.diagnostics.error(location, "\(name) takes numbers, but \(shown) is bool; cast it first, such as cast: {input: \(operand.valueName.map(ValueEnvironment.specName) ?? "_"), dtype: float32}")
                    return nil
                }
            case .booleans:
                if dtype != .bool {
                    reader.diagnostics.error(location, "\(name) takes bool operands (a comparison, such as greater: [x, 0]), but \(shown) is \(dtype.rawValue)")
                    return nil
                }
            case .any:
                break
            }
        }
        do {
            return try operation.declaration.resultTypes(types, operation.attributes, count: count)
        } catch {
            reader.diagnostics.error(location, "\(error)")
            return nil
        }
    }

    /// A value name or `_`, or numbers written in place (`0.5`, `[1, 2]`, `$scale`).
    private mutating func operand(_ node: YAMLNode) -> Operand? {
        if node.sequence != nil || reader.paramReference(node) != nil || node.scalar?.double != nil || node.scalar?.int != nil {
            return reader.tensorLiteral(node, "a literal operand").map(Operand.literal)
        }
        return valueReference(node).map(Operand.value)
    }
}
