/// A checkpoint entry that no model variable loads from and that is not an
/// error: training state TensorFlow saves beside the model, or an entry the
/// caller asked to ignore.
public struct SkippedEntry: Hashable, Sendable {
    public enum Reason: Hashable, Sendable {
        /// A slot of a model variable (an optimizer's accumulator or a moving
        /// average's shadow): `[scope/]<variable key>/<slot name>`, with the
        /// variable's shape and dtype.
        case slot(variable: String, name: String)
        /// An optimizer's own state: `beta1_power`, `beta2_power` (Adam), a
        /// mixed-precision loss scale's `current_loss_scale`, `good_steps`.
        case optimizerState
        /// `global_step`.
        case globalStep
        /// The raw value of a variable loaded from its moving average.
        case averagedValue(variable: String)
        /// The key matches an ignore pattern.
        case ignored(pattern: String)
    }

    public var entry: CheckpointEntry
    public var reason: Reason
}

/// Which checkpoint entries are the training state of a TF1 training loop,
/// as TensorFlow names it. A `tf.compat.v1.train.Saver()` saves every global
/// variable, so a training checkpoint holds beside the model:
///
/// - **Slots.** Every `tf.compat.v1.train` optimizer and
///   `ExponentialMovingAverage` makes its per-variable state with
///   `slot_creator`: a variable of the primary's shape and dtype named
///   `<primary>/<name>` in `variable_scope(None, default_name=...)`, so the
///   second slot of one optimizer, or a second optimizer of the same name, gets
///   `<name>_1`, `<name>_2`, …, and the whole name is put under the variable
///   scope open when `minimize` or `apply` ran (`train/model/dense/kernel/Adam`).
///   `<name>` is the optimizer's `name=`, whose defaults are `Adam` (2 slots),
///   `Momentum` (1, Nesterov too), `RMSProp` (2, 3 when centered), `Adagrad`,
///   `AdagradDA` (2), `Adadelta` (2), `Ftrl` (2, or its `accum_name` and
///   `linear_name`), `ProximalAdagrad`; `GradientDescent` and
///   `ProximalGradientDescent` have none; the moving average's default is
///   `ExponentialMovingAverage`.
///
///   An entry `[scope/]<key of a model variable>/<S>` with that variable's
///   shape and dtype, `S` one name component, is a slot when `S` is one of
///   those default names (or the moving average name asked for), with or
///   without a `_<n>` suffix; or, for a name given with `name=`, when `S`
///   (under the same scope) is a slot of every trainable model variable found
///   in the checkpoint, as `minimize()` makes them.
/// - **Optimizer state**: scalar `beta1_power`, `beta2_power` (Adam; `_<n>`
///   for a second Adam; under a scope, or under the optimizer's name with
///   `use_own_namescope_for_non_slot_vars`), `current_loss_scale` and
///   `good_steps` (a mixed-precision loss scale optimizer).
/// - **`global_step`**: a scalar integer.
/// - **Object-based slots**: in a TF2 `tf.train.Checkpoint(model=…, optimizer=…)`
///   an optimizer that keeps per-variable slots (`tf.compat.v1.train` ones,
///   Keras' legacy optimizers) saves them below the variable:
///   `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot>`, with the
///   variable's shape and dtype. (Keras' current optimizers save theirs under
///   the optimizer, outside the model's `objectRoot`.)
///
/// Anything else left over is not training state.
struct TrainingStateRule {
    /// Default slot names of TensorFlow's optimizers (`tf.compat.v1.train`).
    static let optimizerSlotNames = Set(OptimizerSlotNames.all.map(\.defaultName))
    /// `ExponentialMovingAverage`'s default name.
    static let movingAverageName = "ExponentialMovingAverage"
    static let optimizerStateNames: Set<String> = ["beta1_power", "beta2_power", "current_loss_scale"]
    static let integerStateNames: Set<String> = ["global_step", "good_steps"]

    /// Model variables by the key the checkpoint keeps their raw values under.
    let variables: [String: ExpectedVariable]
    /// How checkpoint keys map to variable keys (for object-based slots).
    let mapping: NameMapping
    /// The moving average name whose shadows are loaded, if any.
    let movingAverages: String?

    /// Sorts the entries no variable loads from (`leftovers`, by mapped key) into
    /// training state and the rest. `found`: the keys of the model's raw values
    /// that the checkpoint has.
    func classify(_ leftovers: [(key: String, entry: CheckpointEntry)], found: Set<String>)
        -> (skipped: [SkippedEntry], rest: [CheckpointEntry]) {
        var skipped: [SkippedEntry] = []
        var rest: [CheckpointEntry] = []
        // Slot candidates, grouped by (scope prefix, slot name), to judge names given with `name=`.
        struct Group: Hashable { var prefix: String, name: String }
        var candidates: [(entry: CheckpointEntry, variable: String, group: Group)] = []
        var groupVariables: [Group: Set<String>] = [:]

        for (key, entry) in leftovers {
            if movingAverages != nil, let variable = variables[key], variable.trainable {
                skipped.append(SkippedEntry(entry: entry, reason: .averagedValue(variable: variable.name)))
            } else if let reason = Self.nonSlotState(key, entry) {
                skipped.append(SkippedEntry(entry: entry, reason: reason))
            } else if let (variable, name) = objectSlotParts(entry) {
                skipped.append(SkippedEntry(entry: entry, reason: .slot(variable: variable.name, name: name)))
            } else if let (prefix, variable, name) = slotParts(key, entry) {
                let group = Group(prefix: prefix, name: name)
                candidates.append((entry, variable, group))
                groupVariables[group, default: []].insert(variable)
            } else {
                rest.append(entry)
            }
        }

        // Trainable model variables whose raw values the checkpoint has: a custom-named
        // optimizer (or moving average) has a slot for each of them.
        let trainedKeys = Set(variables.filter { $0.value.trainable && found.contains($0.key) }.keys)
        for candidate in candidates {
            let known = isKnownSlotName(candidate.group.name)
            let coversModel = !trainedKeys.isEmpty && trainedKeys.isSubset(of: groupVariables[candidate.group] ?? [])
            if known || coversModel {
                let variable = variables[candidate.variable]!.name
                skipped.append(SkippedEntry(entry: candidate.entry, reason: .slot(variable: variable, name: candidate.group.name)))
            } else {
                rest.append(candidate.entry)
            }
        }
        return (skipped, rest)
    }

    /// Whether `name` is a default slot name, or the moving average name asked for, with or without `_<n>`.
    func isKnownSlotName(_ name: String) -> Bool {
        let base = Self.baseName(name)
        return Self.optimizerSlotNames.contains(base) || base == Self.movingAverageName || base == movingAverages
    }

    /// `[prefix/]<variable key>/<slot name>` with the variable's shape and dtype:
    /// the prefix (empty or ending in `/`), the variable's key and the slot name.
    func slotParts(_ key: String, _ entry: CheckpointEntry) -> (prefix: String, variable: String, name: String)? {
        guard let slash = key.lastIndex(of: "/") else { return nil }
        let name = String(key[key.index(after: slash)...])
        let primary = key[..<slash]
        guard !name.isEmpty else { return nil }
        // The longest variable key that ends the primary part at a component boundary.
        var start = primary.startIndex
        while true {
            let candidate = String(primary[start...])
            if let variable = variables[candidate], variable.shape == entry.shape, variable.dtype == entry.dtype.name {
                return (String(primary[..<start]), candidate, name)
            }
            guard let next = primary[start...].firstIndex(of: "/") else { return nil }
            start = primary.index(after: next)
        }
    }

    static let objectSlotMarker = "/.OPTIMIZER_SLOT/"

    /// `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot>` (object-based) of a
    /// model variable, with its shape and dtype: the variable and `<optimizer path>/<slot>`.
    func objectSlotParts(_ entry: CheckpointEntry) -> (variable: ExpectedVariable, name: String)? {
        guard entry.name.hasSuffix(NameMapping.objectSuffix),
              let marker = entry.name.range(of: Self.objectSlotMarker) else { return nil }
        let primary = String(entry.name[..<marker.lowerBound]) + NameMapping.objectSuffix
        let name = String(entry.name[marker.upperBound...].dropLast(NameMapping.objectSuffix.count))
        guard let key = mapping.variableKey(for: primary), let variable = variables[key],
              variable.shape == entry.shape, variable.dtype == entry.dtype.name else { return nil }
        return (variable, name)
    }

    /// `beta1_power`, `global_step` and the like: scalars named as TensorFlow's optimizers name them.
    static func nonSlotState(_ key: String, _ entry: CheckpointEntry) -> SkippedEntry.Reason? {
        guard entry.shape.isEmpty else { return nil }
        let last = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? key
        let dtype = entry.dtype.name
        if dtype.hasPrefix("int") {
            if last == "global_step" { return .globalStep }
            if integerStateNames.contains(baseName(last)) { return .optimizerState }
        } else if dtype.hasPrefix("float") || dtype == "bfloat16" || dtype == "half" {
            if optimizerStateNames.contains(baseName(last)) { return .optimizerState }
        }
        return nil
    }

    /// A TensorFlow name without the `_<n>` TensorFlow adds to make it unique.
    static func baseName(_ name: String) -> String {
        guard let underscore = name.lastIndex(of: "_") else { return name }
        let digits = name[name.index(after: underscore)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return name }
        return String(name[..<underscore])
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension CheckpointMatch {
    /// The skipped training state in one line, as loading reports it:
    /// `skipped 14 optimizer slots (Adam), beta1_power, beta2_power, global_step`;
    /// nil when nothing was skipped.
    public var skippedSummary: String? {
        guard !skipped.isEmpty else { return nil }
        var slotCounts: [String: Int] = [:]
        var averaged = 0, ignored = 0
        var named: [String] = []
        for skip in skipped {
            switch skip.reason {
            case .slot(_, let name): slotCounts[TrainingStateRule.baseName(name), default: 0] += 1
            case .optimizerState, .globalStep: named.append(skip.entry.name)
            case .averagedValue: averaged += 1
            case .ignored: ignored += 1
            }
        }
        func plural(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        var kinds: [(label: String, names: [String], count: Int)] = []
        for (name, count) in slotCounts.sorted(by: { $0.key < $1.key }) {
            let label = TrainingStateRule.optimizerSlotNames.contains(name) || name.contains("/") ? "optimizer slot"
                : name == TrainingStateRule.movingAverageName || name == movingAverages ? "moving average" : "slot"
            if let index = kinds.firstIndex(where: { $0.label == label }) {
                kinds[index].names.append(name)
                kinds[index].count += count
            } else {
                kinds.append((label, [name], count))
            }
        }
        var parts = kinds.map { "\(plural($0.count, $0.label)) (\($0.names.joined(separator: ", ")))" }
        if averaged > 0 { parts.append("\(averaged) raw value\(averaged == 1 ? "" : "s") of averaged variables") }
        parts += named.sorted()
        if ignored > 0 { parts.append(ignored == 1 ? "1 ignored entry" : "\(ignored) ignored entries") }
        return "skipped " + parts.joined(separator: ", ")
    }
}
