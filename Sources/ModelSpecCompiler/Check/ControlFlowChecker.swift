import LocatedYAML
import TFNaming

/// `repeat:` blocks, `if:` conditions and names formatted from loop indices.
///
/// A loop or a conditional block hands values on as Python does with the names
/// bound before it and again inside it: the names the block's YAML binds
/// (`as:`, a `variable`'s name) that are visible before it are carried through a
/// loop (``Carry``) or merged after a conditional (``Merge``), and so is `_`.
/// Names first bound inside such a block are not visible after it: a loop's
/// body is one scope of the generated Swift, and a block that may not run
/// leaves them unbound.
extension StepChecker {
    /// The steps that take `do:` besides `scope` and `name_scope`.
    static let blockOps = ["repeat", "if"]

    // MARK: repeat

    /// `- repeat: 3` or `- repeat: {count: $blocks, index: i, start: 0}`, with `do:`;
    /// `- if: $flag` with `do:`.
    mutating func controlBlock(
        _ opName: String, _ arguments: YAMLNode?, _ modifiers: [String: YAMLMappingEntry],
        _ node: YAMLNode, _ location: SourceLocation
    ) -> Step? {
        if let entry = modifiers["as"] {
            reader.error(entry.key, "'as' does not belong to '\(opName)': its body binds the names, and '_' after it is its last value")
        }
        guard let body = modifiers["do"] else {
            reader.error(node, "\(opName) needs the steps it runs under 'do:'")
            return nil
        }
        if opName == "if" {
            guard let arguments, let (flag, negated) = conditionFlag(arguments) else {
                if arguments == nil { reader.error(node, "if needs a Bool, such as '- if: $project' with the steps under 'do:'") }
                return nil
            }
            return conditionalBlock(flag, negated, body: body.value, location) { checker in
                checker.steps(body.value, "'do'")
            }
        }
        return loop(arguments, body: body.value, node, location)
    }

    private mutating func loop(_ arguments: YAMLNode?, body: YAMLNode, _ node: YAMLNode, _ location: SourceLocation) -> Step? {
        var count: Expr<Int>?
        var index: String?
        var start = 0
        if let arguments, let entries = arguments.mapping {
            reader.rejectUnknownKeys(entries, allowed: ["count", "index", "start"], in: "repeat")
            if let countNode = arguments["count"] {
                count = loopCount(countNode)
            } else {
                reader.error(arguments, "repeat needs a 'count', such as repeat: {count: 3, index: i}")
            }
            if let indexNode = arguments["index"] {
                index = reader.identifier(indexNode, "the index of repeat")
                if let name = index, loopIndices.contains(name) {
                    reader.error(indexNode, "index '\(name)' is already the index of an enclosing repeat; give this one another name")
                    index = nil
                }
            }
            if let startNode = arguments["start"], let value = reader.int(startNode, "start") {
                if (0...1_000_000).contains(value) {
                    start = value
                } else {
                    reader.error(startNode, "the start of repeat's index must be between 0 and 1000000, not \(value)")
                }
            }
        } else if let arguments {
            count = loopCount(arguments)
        } else {
            reader.error(node, "repeat needs a count, such as '- repeat: 3' or '- repeat: {count: $blocks, index: i}'")
        }

        // Names bound before the loop and again inside it are carried from one iteration to the next.
        let before = Set(values.allNames)
        var carries: [(spec: String, initial: String, name: String)] = []
        for name in boundNames(in: body) {
            guard let initial = values.resolve(name) else { continue }
            let carried = values.define(name, .init(location: location, origin: "'\(name)' carried through the loop", warnIfUnused: false, isBound: true,
                                                    dtype: values.definitions[initial]?.dtype))
            carries.append((name, initial, carried))
        }
        let previousBefore = values.previous ?? firstInput
        var loopValue: String?
        if let previousBefore {
            let name = values.freshName()
            values.define(name, .init(location: location, origin: "the loop's value", warnIfUnused: false, isBound: false,
                                      dtype: values.definitions[previousBefore]?.dtype))
            values.setPrevious(name)
            loopValue = name
        }
        if body.sequence?.isEmpty == true {
            reader.error(body, "repeat needs at least one step under 'do:'")
        }
        if let index { loopIndices.append(index) }
        let steps = steps(body, "'do'")
        if index != nil { loopIndices.removeLast() }
        let bodyLocal = Set(values.allNames).subtracting(before)
        guard let count else { return nil }

        var carried: [Carry] = []
        var results: [String] = []
        var types: [DType] = []
        if let loopValue, let previousBefore, let last = values.previous {
            carried.append(Carry(name: loopValue, initial: previousBefore, next: last))
            let dtype = carriedType(initial: previousBefore, next: last, shown: "'_'", location)
            results.append(values.define(values.freshName(), .init(location: location, origin: "the output of repeat", warnIfUnused: false, isBound: false, dtype: dtype)))
            types.append(dtype ?? .float32)
        }
        for carry in carries {
            let next = values.resolve(carry.spec) ?? carry.name
            carried.append(Carry(name: carry.name, initial: carry.initial, next: next))
            let dtype = carriedType(initial: carry.initial, next: next, shown: "'\(carry.spec)'", location)
            results.append(values.define(carry.spec, .init(location: location, origin: "'\(carry.spec)' after the loop", warnIfUnused: false, isBound: true, dtype: dtype)))
            types.append(dtype ?? .float32)
        }
        hideBodyNames(bodyLocal, "it is bound inside the repeat at line \(location.line), and a loop hands on only the names bound before it (and '_'); bind it before the loop to carry it through")
        for value in carried.flatMap({ [$0.initial, $0.next] }) { values.markUsed(value) }
        values.setPrevious(results.first ?? previousBefore)
        return Step(operation: .repeated(Loop(count: count, index: index, start: start, carried: carried), body: steps),
                    inputs: carried.map(\.initial), results: results, location: location, types: types)
    }

    /// The dtype a value carried through a loop keeps: the one it enters with. The generated loop has one
    /// typed variable for it, so a body that changes the dtype is refused at the step that changes it.
    private mutating func carriedType(initial: String, next: String, shown: String, _ location: SourceLocation) -> DType? {
        guard let entering = values.definitions[initial]?.dtype else { return nil }
        guard let made = values.definitions[next]?.dtype else { return entering }
        if made != entering {
            reader.diagnostics.error(values.definitions[next]?.location ?? location,
                "\(shown) enters the repeat at line \(location.line) as \(entering.rawValue), but this step makes it \(made.rawValue); a value carried through a loop keeps one dtype, so cast it back, such as cast: {input: ..., dtype: \(entering.rawValue)}, or bind the result to another name")
        }
        return entering
    }

    /// The dtype of a value merged after a conditional: both branches must give it the same one.
    /// `refusal` says why not, from the dtype when the flag holds and the dtype otherwise.
    private mutating func mergedType(_ merge: Merge, _ location: SourceLocation, refusal: (DType, DType) -> String) -> DType? {
        let otherwise = values.definitions[merge.otherwise]?.dtype
        guard let whenRun = values.definitions[merge.whenRun]?.dtype, let otherwise else { return otherwise }
        if whenRun != otherwise {
            reader.diagnostics.error(values.definitions[merge.whenRun]?.location ?? location, refusal(whenRun, otherwise)
                + "; a value after a conditional has one dtype, so cast it, such as cast: {input: ..., dtype: \(otherwise.rawValue)}, or bind the result to another name")
        }
        return otherwise
    }

    private mutating func mergedType(_ merge: Merge, shown: String, _ location: SourceLocation) -> DType? {
        mergedType(merge, location) { whenRun, otherwise in
            "\(shown) is \(otherwise.rawValue) before the 'if' at line \(location.line), but this step, run only when the flag holds, makes it \(whenRun.rawValue)"
        }
    }

    private mutating func loopCount(_ node: YAMLNode) -> Expr<Int>? {
        guard let count = reader.intExpr(node, "the count of repeat") else { return nil }
        if case let .literal(value) = count, value < 1 {
            reader.error(node, "repeat runs its steps at least once, not \(value) times")
            return nil
        }
        return count
    }

    // MARK: if

    /// A step with `if:`. A scope, `name_scope` or `repeat` is a conditional block;
    /// any other step, when the flag does not hold, gives its first operand as its value.
    mutating func conditional(_ entry: YAMLMappingEntry, _ opName: String, _ node: YAMLNode, _ location: SourceLocation) -> Step? {
        guard let (flag, negated) = conditionFlag(entry.value) else {
            _ = step(node, ignoringCondition: true)
            return nil
        }
        if ["scope", "name_scope", "repeat"].contains(opName) {
            return conditionalBlock(flag, negated, body: node, location) { checker in
                checker.step(node, ignoringCondition: true).map { [$0] } ?? []
            }
        }
        guard var inner = step(node, ignoringCondition: true) else { return nil }
        let firstOperand: String? = switch inner.operation {
        case let .math(operation):
            if case let .value(name)? = operation.operands.first { name } else { nil }
        default:
            inner.inputs.first
        }
        guard inner.results.count == 1, let firstOperand else {
            reader.error(entry.key, "'if' on '\(opName)' needs a step that makes one value from a tensor operand, which is its value when the flag does not hold; put steps without one under '- if: ...' with 'do:'")
            return nil
        }
        // The step's own value gets an internal name; the name later steps read is the merged one.
        let result = inner.results[0]
        let ran = values.freshName()
        values.define(ran, .init(location: location, origin: "the output of \(opName)", warnIfUnused: false, isBound: false, dtype: values.definitions[result]?.dtype))
        inner.results = [ran]
        values.markUsed(ran)
        values.markUsed(firstOperand)
        let merge = Merge(whenRun: ran, otherwise: firstOperand)
        let dtype = mergedType(merge, location) { whenRun, otherwise in
            "\(opName) with 'if' makes \(whenRun.rawValue) when the flag holds, but its value otherwise is its first operand '\(ValueEnvironment.specName(firstOperand))', \(otherwise.rawValue)"
        }
        values.setType(result, dtype)
        return Step(operation: .conditional(Condition(flag: flag, negated: negated, merges: [merge]), body: [inner]),
                    inputs: [firstOperand], results: [result], location: location, types: [dtype ?? .float32])
    }

    /// A block run when the flag holds: names bound before it and again inside it, and `_`,
    /// are merged after it.
    private mutating func conditionalBlock(
        _ flag: Expr<Bool>, _ negated: Bool, body node: YAMLNode, _ location: SourceLocation,
        _ checkBody: (inout StepChecker) -> [Step]
    ) -> Step? {
        let before = Set(values.allNames)
        let rebound = boundNames(in: node).compactMap { name in values.resolve(name).map { (name, $0) } }
        let previousBefore = values.previous ?? firstInput
        let body = checkBody(&self)
        let bodyLocal = Set(values.allNames).subtracting(before)
        var merges: [Merge] = []
        var results: [String] = []
        var types: [DType] = []
        if let previousBefore, let last = values.previous, last != previousBefore {
            merges.append(Merge(whenRun: last, otherwise: previousBefore))
            let dtype = mergedType(merges[merges.count - 1], shown: "'_'", location)
            results.append(values.define(values.freshName(), .init(location: location, origin: "the output of the conditional block", warnIfUnused: false, isBound: false, dtype: dtype)))
            types.append(dtype ?? .float32)
        }
        for (name, old) in rebound {
            guard let new = values.resolve(name), new != old else { continue }
            merges.append(Merge(whenRun: new, otherwise: old))
            let dtype = mergedType(merges[merges.count - 1], shown: "'\(name)'", location)
            results.append(values.define(name, .init(location: location, origin: "'\(name)' after the conditional block", warnIfUnused: false, isBound: true, dtype: dtype)))
            types.append(dtype ?? .float32)
        }
        hideBodyNames(bodyLocal, "it is bound inside the block with 'if' at line \(location.line), which may not run; bind it before the block too, and the block rebinds it")
        for value in merges.flatMap({ [$0.whenRun, $0.otherwise] }) { values.markUsed(value) }
        values.setPrevious(results.first ?? previousBefore)
        return Step(operation: .conditional(Condition(flag: flag, negated: negated, merges: merges), body: body),
                    inputs: merges.map(\.otherwise), results: results, location: location, types: types)
    }

    /// `$flag`, `not $flag`, `true` or `false`.
    private mutating func conditionFlag(_ node: YAMLNode) -> (Expr<Bool>, negated: Bool)? {
        guard let scalar = node.scalar, !scalar.isNull else {
            reader.error(node, "'if' takes a Bool parameter, such as if: $project or if: not $project, not \(node.kindDescription)")
            return nil
        }
        if let value = scalar.bool { return (.literal(value), false) }
        var text = Substring(scalar.text)
        var negated = false
        if text.hasPrefix("not ") {
            negated = true
            text = text.dropFirst(4).drop { $0 == " " }
        }
        guard text.hasPrefix("$") else {
            reader.error(node, "'if' takes a Bool parameter, such as if: $project or if: not $project, not '\(scalar.text)'")
            return nil
        }
        let name = String(text.dropFirst())
        guard reader.checkParam(name, at: node, type: .bool) else { return nil }
        return (.param(name), negated)
    }

    // MARK: Names in blocks

    /// The value names a block's YAML binds, anywhere inside it: `as:` names and
    /// the literal names of `variable` steps, in order of appearance, once each.
    private func boundNames(in node: YAMLNode) -> [String] {
        var names: [String] = []
        func add(_ text: String?) {
            if let text, Identifier.isValid(text), !names.contains(text) { names.append(text) }
        }
        func walk(_ node: YAMLNode) {
            if let items = node.sequence {
                items.forEach(walk)
            } else if let entries = node.mapping {
                for entry in entries {
                    switch entry.key.scalar?.text {
                    case "as": (entry.value.sequence ?? [entry.value]).forEach { add($0.scalar?.text) }
                    case "variable": add(entry.value["name"]?.scalar?.text)
                    default: break
                    }
                    walk(entry.value)
                }
            }
        }
        walk(node)
        return names
    }

    private mutating func hideBodyNames(_ names: Set<String>, _ reason: String) {
        for name in names.sorted() where name != "training" {
            values.hide(name, because: reason)
        }
    }

    // MARK: Formatted names

    /// A name with `{index}` pieces, each the index of an enclosing `repeat`.
    mutating func nameFormat(_ node: YAMLNode, _ text: String, _ what: String) -> NameFormat? {
        var pieces: [NameFormat.Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            literal += rest[..<open]
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                reader.error(node, "the \(what) '\(text)' has an unmatched '\(rest[open])'; write an index of an enclosing repeat in braces, such as \"block_{i}\"")
                return nil
            }
            let index = String(rest[rest.index(after: open)..<close])
            guard loopIndices.contains(index) else {
                // Braces are not in TensorFlow's names: say so first, then what they would mean here.
                let refusal = TensorFlowName.refusal(text, what, topLevel: false).map { $0 + "; and " } ?? ""
                let known = loopIndices.isEmpty ? "; it is inside no repeat with an 'index'" : Suggestion.didYouMean(index, among: loopIndices)
                reader.error(node, refusal + "'{\(index)}' in the \(what) '\(text)' is not the index of an enclosing repeat" + known)
                return nil
            }
            if !literal.isEmpty { pieces.append(.text(literal)) }
            literal = ""
            pieces.append(.index(index))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.text(literal)) }
        let format = NameFormat(pieces: pieces)
        // Digits stand for the indices: TensorFlow's rule refuses what the text around them holds.
        let sample = format.formatted(Dictionary(format.indices.map { ($0, 0) }, uniquingKeysWith: { first, _ in first }))
        if sample.contains("/") {
            reader.error(node, "a \(what) must be a non-empty name without '/'; nest scopes instead")
            return nil
        }
        guard reader.requireTensorFlowName(sample, what, at: node) else { return nil }
        return format
    }
}
