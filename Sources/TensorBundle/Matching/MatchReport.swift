/// One line a load tells its user when it succeeds.
public struct LoadNote: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case note, warning
    }

    public var severity: Severity
    public var message: String

    public var description: String { "\(severity.rawValue): \(message)" }
}

extension CheckpointMatch {
    /// What a load with this match did beside loading the variables found, one
    /// note a line, for the user to see every time:
    ///
    ///     note: skipped 14 optimizer slots (Adam), beta1_power, beta2_power, global_step
    ///     warning: 2 variables keep their initial values (not in the checkpoint): model/logits/kernel, model/logits/bias
    ///     warning: 1 checkpoint entry not loaded (in the checkpoint, not made by the model): head/w
    ///     warning: ignore pattern '*/Adamm*' matches no checkpoint entry left unused by the model
    ///
    /// Missing variables and unused entries appear only in a load that allows them.
    public var report: [LoadNote] {
        var notes: [LoadNote] = []
        if let skippedSummary { notes.append(LoadNote(severity: .note, message: skippedSummary)) }
        if !missing.isEmpty {
            let count = missing.count == 1 ? "1 variable keeps its" : "\(missing.count) variables keep their"
            notes.append(LoadNote(severity: .warning, message: "\(count) initial values (not in the checkpoint): "
                + missing.map(\.name).joined(separator: ", ")))
        }
        if !unused.isEmpty {
            let count = unused.count == 1 ? "1 checkpoint entry" : "\(unused.count) checkpoint entries"
            notes.append(LoadNote(severity: .warning, message: "\(count) not loaded (in the checkpoint, not made by the model): "
                + unused.map(\.name).joined(separator: ", ")))
        }
        return notes + ignoreWarnings
    }

    /// A warning for each ignore pattern that ignores nothing.
    public var ignoreWarnings: [LoadNote] {
        unmatchedIgnorePatterns.map {
            LoadNote(severity: .warning, message: "ignore pattern '\($0)' matches no checkpoint entry left unused by the model")
        }
    }
}
