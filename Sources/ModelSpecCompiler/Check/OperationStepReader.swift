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

    /// The dtypes of a step's results, by the declaration's ``ValueTypes``: the operands it computes with
    /// share one dtype (``MathOperation/operandType``), each literal operand takes the dtype it is converted to;
    /// nil after reporting an operand of a dtype the operation does not take.
    mutating func resultTypes(_ operation: inout MathOperation, count: Int, at location: SourceLocation) -> [DType]? {
        let name = operation.name
        let types = operation.declaration.types
        let indexOperands = operation.declaration.indexOperands
        var shared: (dtype: DType, shown: String)?
        var unknown = false
        for (position, operand) in operation.operands.enumerated() {
            guard case let .value(value) = operand else { continue }
            guard let dtype = values.definitions[value]?.dtype else {
                unknown = true
                continue
            }
            let shown = "'\(ValueEnvironment.specName(value))'"
            let fix = "cast: {input: \(ValueEnvironment.specName(value)), dtype: float32}"
            if indexOperands.contains(position) {
                guard dtype != .bool else {
                    reader.diagnostics.error(location, "\(name) reads \(shown) as indices, but it is bool; cast it first, such as cast: {input: \(ValueEnvironment.specName(value)), dtype: int32}")
                    return nil
                }
                continue
            }
            switch types.operand(position) {
            case .floats, .converted, .numbers:
                if dtype == .bool {
                    reader.diagnostics.error(location, "\(name) takes numbers, but \(shown) is bool; cast it first, such as \(fix)")
                    return nil
                }
                if types.operand(position) == .floats, dtype != .float32 {
                    let reason = types.integersInTensorFlow ? "ModelSpec computes \(operation.declaration.tensorflow) in float32 only" : "TensorFlow's \(operation.declaration.tensorflow) has no integer kernel"
                    reader.diagnostics.error(location, "\(name) takes float32, but \(shown) is \(dtype.rawValue) (\(reason)); cast it first, such as \(fix)")
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
            guard types.sharesDtype(position) else { continue }
            if let other = shared, other.dtype != dtype {
                reader.diagnostics.error(location, "\(name) needs operands of one dtype, as TensorFlow does (it converts neither), but \(other.shown) is \(other.dtype.rawValue) and \(shown) is \(dtype.rawValue); cast one first, such as cast: {input: \(ValueEnvironment.specName(value)), dtype: \(other.dtype.rawValue)}")
                return nil
            }
            shared = shared ?? (dtype, shown)
        }
        let literals = operation.operands.indices.compactMap { position -> (Int, TensorLiteral)? in
            guard case let .literal(literal) = operation.operands[position] else { return nil }
            return (position, literal)
        }
        if shared == nil, !unknown {
            // Only literals share a dtype: integers are int32 and numbers float32, as TensorFlow converts Python's.
            let sharing = literals.filter { types.sharesDtype($0.0) }.map(\.1)
            if !sharing.isEmpty {
                let dtype: DType = sharing.allSatisfy(\.isBoolean) ? .bool : sharing.allSatisfy(\.isInteger) ? .int32 : .float32
                shared = (dtype, "the literal")
            }
        }
        for (position, var literal) in literals {
            let target: DType
            if indexOperands.contains(position) {
                target = literal.isInteger ? .int32 : .float32
            } else if types.sharesDtype(position) {
                target = shared?.dtype ?? .float32
            } else {
                target = types.operand(position) == .booleans ? .bool : .float32
            }
            if let message = Self.literalMismatch(literal, target, name: name, other: shared?.shown) {
                reader.diagnostics.error(location, message)
                return nil
            }
            literal.dtype = target
            operation.operands[position] = .literal(literal)
        }
        if types.operands.contains(where: { [.numbers, .any].contains($0) }) { operation.operandType = shared?.dtype ?? .float32 }
        do {
            let results = try operation.declaration.resultTypes(operation.operandType, operation.attributes, count: count)
            if operation.operands.isEmpty, let made = results.first {
                // An operation without operands (constant) computes in its result's dtype, and a tensor
                // attribute (its value) is of it.
                operation.operandType = made
                for (key, value) in operation.attributes {
                    guard case var .tensor(literal) = value else { continue }
                    literal.dtype = made
                    operation.attributes[key] = .tensor(literal)
                }
            }
            return results
        } catch {
            reader.diagnostics.error(location, "\(error)")
            return nil
        }
    }

    /// Why `literal` cannot be converted to `dtype` (as TensorFlow's `convert_to_tensor` refuses a Python
    /// float for an integer tensor), or nil when it can.
    private static func literalMismatch(_ literal: TensorLiteral, _ dtype: DType, name: String, other: String?) -> String? {
        let whose = other.map { ", the dtype of \($0)" } ?? ""
        switch ValueKind(dtype) {
        case .bool:
            return literal.isBoolean ? nil : "\(name) takes bool operands here\(whose), but the literal is a number; write true or false"
        case .float:
            return literal.isBoolean ? "\(name) takes numbers, but the literal is true/false; write a number" : nil
        case .int32, .int64:
            guard !literal.isBoolean else { return "\(name) takes numbers, but the literal is true/false; write an integer" }
            guard literal.isInteger else {
                let shown = literal.scalars.lazy.compactMap { if case let .literal(v) = $0 { v } else { nil } }.first { $0.rounded() != $0 }
                return "\(name) computes in \(dtype.rawValue)\(whose), so the literal must be written as an integer, as TensorFlow refuses to convert a Python float to \(dtype.rawValue)\(shown.map { " (not \($0))" } ?? ""); write an integer, or cast the operand to float32 first"
            }
            // 2^31 and 2^63: the first magnitudes outside the range (the negative ones are inside).
            let bound = dtype == .int32 ? 2_147_483_648.0 : 9_223_372_036_854_775_808.0
            for case let .literal(value) in literal.scalars where value >= bound || value < -bound {
                return "\(name) computes in \(dtype.rawValue)\(whose), but the literal \(Int(exactly: value).map(String.init) ?? "\(value)") is outside \(dtype.rawValue)'s range"
            }
            return nil
        }
    }

    /// A value name or `_`, or numbers or booleans written in place (`0.5`, `[1, 2]`, `$scale`, `false`).
    private mutating func operand(_ node: YAMLNode) -> Operand? {
        if node.sequence != nil || reader.paramReference(node) != nil || node.scalar?.double != nil || node.scalar?.int != nil
            || node.scalar?.bool != nil {
            return reader.tensorLiteral(node, "a literal operand").map(Operand.literal)
        }
        return valueReference(node).map(Operand.value)
    }
}
