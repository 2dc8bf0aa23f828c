/// The values read after one step of a list of steps: those read after the
/// whole list, and those a later step of the list reads. Asked step by step,
/// it answers from each value's last reading step, so that translating a
/// forward pass stays linear in its number of steps (building the set of
/// later reads at every step made it quadratic).
///
/// The generator and the interpreter ask it before running steps as one call
/// (``ConvolutionBlock``).
public struct LiveValues: Sendable {
    /// Values read after the whole list.
    public let outer: Set<String>
    /// The index of the last step of the list that reads each value.
    public let lastReads: [String: Int]
    /// The step after which values are live.
    public var after: Int

    public init(outer: Set<String>, lastReads: [String: Int], after: Int) {
        self.outer = outer
        self.lastReads = lastReads
        self.after = after
    }

    /// Each value's last reading step in `steps`, `outer` being read after them. A loop or a
    /// conditional reads the value it hands over (`initial`, `otherwise`) only when its result
    /// at that position is read.
    public static func lastReads(_ steps: [Step], outer: Set<String> = []) -> [String: Int] {
        let read = outer.union(ValueUses.reads(steps))
        var result: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            var reads = ValueUses.reads(step)
            let (handedOver, bodySteps): ([(result: String, source: String)], [Step]) = switch step.operation {
            case let .repeated(loop, body): (zip(step.results, loop.carried.map(\.initial)).map { ($0, $1) }, body)
            case let .conditional(condition, body): (zip(step.results, condition.merges.map(\.otherwise)).map { ($0, $1) }, body)
            default: ([], [])
            }
            if !handedOver.isEmpty {
                let body = ValueUses.reads(bodySteps)
                for (value, source) in handedOver where !read.contains(value) && !body.contains(source) { reads.remove(source) }
                for (value, source) in handedOver where read.contains(value) { reads.insert(source) }
            }
            for value in reads { result[value] = index }
        }
        return result
    }

    /// Whether `value` is read after step `after`.
    public func contains(_ value: String) -> Bool {
        if outer.contains(value) { return true }
        guard let last = lastReads[value] else { return false }
        return last > after
    }

    /// The same values after another step of the list.
    public func after(_ index: Int) -> LiveValues {
        var result = self
        result.after = index
        return result
    }
}
