/// Checkpoint names close to a variable that was not found: what a wrong
/// checkpoint, or a name mapping still to write, looks like to the user.
public struct NameSuggestion: Hashable, Sendable {
    public var variable: ExpectedVariable
    /// The key the variable was looked up under.
    public var key: String
    /// The closest entries, closest first.
    public var closest: [CheckpointEntry]
}

extension CheckpointMatch {
    /// For up to `variables` missing variables (in model order), the `limit`
    /// entries the variables left over whose names are closest to the key looked
    /// up: by edit distance, entries of the variable's shape and dtype first
    /// among equals. Optimizer slots of other variables (`…/Adam`) are not offered.
    public func suggestions(variables: Int = 3, limit: Int = 3) -> [NameSuggestion] {
        let offered = candidates.filter { entry in
            let last = entry.name.split(separator: "/").last.map(String.init) ?? entry.name
            return !TrainingStateRule.optimizerSlotNames.contains(TrainingStateRule.baseName(last))
                && TrainingStateRule.baseName(last) != TrainingStateRule.movingAverageName
        }
        return missing.prefix(variables).map { variable in
            let key = lookupKey(for: variable.name) ?? variable.name
            let ranked = offered.map { entry in
                (entry, editDistance(key, entry.name), entry.shape == variable.shape && entry.dtype.name == variable.dtype)
            }.sorted { a, b in
                if a.1 != b.1 { return a.1 < b.1 }
                if a.2 != b.2 { return a.2 }
                return a.0.name < b.0.name
            }
            return NameSuggestion(variable: variable, key: key, closest: ranked.prefix(limit).map(\.0))
        }
    }
}

/// Levenshtein distance over UTF-8 bytes (names are ASCII in practice).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
