import ModelSpecCompiler

/// The values read after one step of a list of steps: those read after the
/// whole list, and those a later step of the list reads. Asked step by step,
/// it answers from each value's last reading step, so that translating a
/// forward pass stays linear in its number of steps (building the set of
/// later reads at every step made it quadratic).
struct LiveValues {
    /// Values read after the whole list.
    let outer: Set<String>
    /// The index of the last step of the list that reads each value.
    let lastReads: [String: Int]
    /// The step after which values are live.
    var after: Int

    /// Each value's last reading step in `steps`.
    static func lastReads(_ steps: [Step]) -> [String: Int] {
        var result: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            for value in ValueUses.reads(step) { result[value] = index }
        }
        return result
    }

    /// Whether `value` is read after step `after`.
    func contains(_ value: String) -> Bool {
        if outer.contains(value) { return true }
        guard let last = lastReads[value] else { return false }
        return last > after
    }

    /// The same values after another step of the list.
    func after(_ index: Int) -> LiveValues {
        var result = self
        result.after = index
        return result
    }
}
