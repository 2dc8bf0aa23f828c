import ModelSpecCompiler

/// `repeat:` as a Swift `for` loop and `if:` as an `if`, as the Python reads.
///
/// A loop's body is written once, whatever its count: the count may be a
/// parameter, known only when the model is made, and every iteration runs the
/// same statements (its names differ only by `default_name` counters or the
/// index, which the runtime computes as TensorFlow does). A value carried
/// through the loop is a `var` declared before it, named as the value after the
/// loop, and assigned at the end of each iteration; a step at the body's top
/// level that makes it assigns it directly (`x = try tf.dense(x, units: 4)`).
extension BodyTranslator {
    mutating func repeated(_ step: Step, _ loop: Loop, _ body: [Step], liveAfter: LiveValues, into code: inout SwiftCode) throws {
        let keptCarries = Self.keptCarries(loop, body, results: step.results, isLive: liveAfter.contains)
        let kept = zip(loop.carried, step.results).enumerated().filter { keptCarries.contains($0.offset) }.map(\.element)
        var assignments: [(variable: String, next: String)] = []
        var claimed: Set<String> = []
        // A carried value keeps its dtype (the checker refuses a body that changes it): one typed variable.
        for (carry, result) in zip(loop.carried, step.results) { kinds[carry.name] = kinds[result] }
        for (carry, result) in kept {
            let variable = value(result)
            names.assign(carry.name, to: variable)
            let initial = converted(carry.initial, to: kind(of: result))
            guard carry.next != carry.name else {
                code.line("let \(variable) = \(initial)")
                continue
            }
            code.line("var \(variable) = \(initial)")
            if !claimed.contains(carry.next), Self.makesAtTopLevel(carry.next, body) {
                claimed.insert(carry.next)
                names.assign(carry.next, to: variable)
                assignedInPlace.insert(carry.next)
            } else {
                assignments.append((variable, carry.next))
            }
        }
        if case .param = loop.count {
            let count = arguments.int(loop.count)
            code.block("guard \(count) >= 1 else") { code in
                code.line("throw TensorError(op: \"repeat\", shapes: [], reason: \"runs its steps at least once, but its count is \\(\(count))\")")
            }
        }
        let index = loop.index.map { names.name($0 + "#index") } ?? "_"
        let range: String = switch loop.count {
        case let .literal(count): "\(loop.start)..<\(loop.start + count)"
        case .param: loop.start == 0 ? "0..<\(arguments.int(loop.count))" : "\(loop.start)..<\(loop.start) + \(arguments.int(loop.count))"
        }
        let nexts = Set(kept.map(\.0.next))
        try code.block("for \(index) in \(range)") { code in
            try statements(body, liveAfter: nexts, into: &code)
            for (variable, next) in assignments { code.line("\(variable) = \(value(next))") }
        }
    }

    mutating func conditional(_ step: Step, _ condition: Condition, _ body: [Step], liveAfter: LiveValues, into code: inout SwiftCode) throws {
        // A merged value has one dtype, both branches' (the checker refuses two).
        let live = zip(condition.merges, step.results).filter { liveAfter.contains($0.1) }
        let whenRun = Set(live.map(\.0.whenRun))
        guard case let .param(name) = condition.flag else {
            // A constant flag: the body, or nothing, in line.
            if try condition.holds([:]) {
                try statements(body, liveAfter: whenRun, into: &code)
                for (merge, result) in live { names.assign(result, to: value(merge.whenRun)) }
            } else {
                for (merge, result) in live { names.assign(result, to: value(merge.otherwise)) }
            }
            return
        }
        var assignments: [(variable: String, value: String)] = []
        for (merge, result) in live {
            let variable = value(result)
            code.line("let \(variable): \(kind(of: result).swiftType)")
            if Self.makesAtTopLevel(merge.whenRun, body), !assignedInPlace.contains(merge.whenRun) {
                names.assign(merge.whenRun, to: variable)
                assignedInPlace.insert(merge.whenRun)
            } else {
                assignments.append((variable, merge.whenRun))
            }
        }
        let flag = (condition.negated ? "!" : "") + (arguments.paramNames[name] ?? SwiftName.lowerCamel(name))
        try code.block("if \(flag)", closing: live.isEmpty ? "}" : "} else {") { code in
            try statements(body, liveAfter: whenRun, into: &code)
            for (variable, next) in assignments { code.line("\(variable) = \(value(next))") }
        }
        guard !live.isEmpty else { return }
        for (merge, result) in live { code.line("    \(value(result)) = \(converted(merge.otherwise, to: kind(of: result)))") }
        code.line("}")
    }

    /// The carried values a loop's Swift keeps (by position): those read after the loop, and
    /// those the body needs, counting a read that only feeds another carried or merged value
    /// nobody needs as none (a loop's `_` that no step reads is not carried through).
    static func keptCarries(_ loop: Loop, _ body: [Step], results: [String], isLive: (String) -> Bool) -> Set<Int> {
        var kept = Set(results.indices.filter { isLive(results[$0]) })
        while true {
            let needed = neededValues(body, liveOut: Set(kept.map { loop.carried[$0].next }))
            let more = kept.union(loop.carried.indices.filter { needed.contains(loop.carried[$0].name) })
            if more == kept { return kept }
            kept = more
        }
    }

    /// The values defined before `steps` that running them needs, when `liveOut` is read after them.
    /// Every step runs (layers make variables); a loop's or a conditional's hand-over counts only
    /// for the values it keeps.
    static func neededValues(_ steps: [Step], liveOut: Set<String>) -> Set<String> {
        var live = liveOut
        for step in steps.reversed() {
            switch step.operation {
            case let .repeated(loop, body):
                let kept = keptCarries(loop, body, results: step.results) { live.contains($0) }
                live.subtract(step.results)
                let inside = neededValues(body, liveOut: Set(kept.map { loop.carried[$0].next }))
                live.formUnion(inside.subtracting(loop.carried.map(\.name)))
                live.formUnion(kept.map { loop.carried[$0].initial })
            case let .conditional(condition, body):
                let merged = zip(condition.merges, step.results).filter { live.contains($0.1) }.map(\.0)
                live.subtract(step.results)
                live.formUnion(neededValues(body, liveOut: Set(merged.map(\.whenRun))))
                live.formUnion(merged.map(\.otherwise))
            case let .variableScope(_, _, _, body), let .nameScope(_, body):
                live = neededValues(body, liveOut: live)
            default:
                live.subtract(step.results)
                live.formUnion(ValueUses.reads(step))
            }
        }
        return live
    }

    /// Whether a step at the top level of `body` makes `value` as its only result with
    /// a `let` the translator can write as an assignment instead.
    static func makesAtTopLevel(_ value: String, _ body: [Step]) -> Bool {
        body.contains { step in
            guard step.results == [value] else { return false }
            switch step.operation {
            case .math, .legacyLayer, .callLayer, .assign: return true
            default: return false
            }
        }
    }

    /// `"block_\(i)"`: a name formatted from loop indices, as a Swift string.
    mutating func formattedName(_ format: NameFormat) -> String {
        var text = ""
        for piece in format.pieces {
            switch piece {
            case let .text(literal): text += String(SwiftLiteral.string(literal).dropFirst().dropLast())
            case let .index(index): text += "\\(" + names.name(index + "#index") + ")"
            }
        }
        return "\"" + text + "\""
    }
}
