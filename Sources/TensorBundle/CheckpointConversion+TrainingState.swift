/// A training checkpoint's optimizer state converted with its model
/// (`convert --training-state`), as TensorFlow 2.21 keeps a `tf.compat.v1.train`
/// optimizer's state in each scheme (`oracle/migration.py`, `training` cases):
///
/// | | name-based (`Saver`) | object-based (`tf.train.Checkpoint(model=…, optimizer=…)`) |
/// | --- | --- | --- |
/// | slot | `[scope/]<variable name>/Adam_1` | `<variable path>/.OPTIMIZER_SLOT/optimizer/v`, listed on the optimizer's node |
/// | non-slot variable | `[scope/]beta1_power` | `optimizer/beta1_power` |
/// | `global_step` | `global_step` | not kept (left out with a note) |
///
/// A name-based slot's object name is its place among the variable's slots in
/// the optimizer's creation order (``OptimizerSlotNames``); an object-based slot's
/// name-based key is its `variable.name` (kept in the object graph) below its
/// variable's new name. Keras optimizers keep other state (`iter`,
/// `learning_rate`; the current ones their slots in a list under the optimizer),
/// which has no name-based form: refused.
extension CheckpointConversion {
    /// The optimizer state of the source checkpoint, in either scheme.
    struct CarriedState {
        struct Slot {
            /// The model variable (its name in the match).
            var variable: String
            var sourceKey: String
            /// The name-based key's part before the variable's name (`train/`).
            var scope: String = ""
            /// The name-based suffix (`Adam_1`), when known.
            var suffix: String?
            /// The object-based slot name (`v`), when known.
            var objectName: String?
            /// Its `variable.name` in an object-based source's graph.
            var fullName: String?
        }

        struct NonSlot {
            var sourceKey: String
            /// Its local name in the optimizer object (`beta1_power`).
            var localName: String
            /// Its name-based key (`beta1_power`, `train/beta1_power`).
            var fullName: String
            var isGlobalStep = false
            /// A name-based entry that is no TF1 optimizer's non-slot variable (`current_loss_scale`).
            var isOther = false
        }

        var slots: [Slot] = []
        var nonSlots: [NonSlot] = []
        /// Whether the source is name-based (its slots and state keyed by TensorFlow names).
        var nameBased = true
        /// Slots of variables that are not converted, by key.
        var strays: [String] = []

        init(_ checkpoint: Checkpoint, _ match: CheckpointMatch) throws {
            if CheckpointScheme(keys: checkpoint.entries.lazy.map(\.name)) == .objectBased {
                try readObjectBased(checkpoint, match)
                return
            }
            let tf1NonSlot = Set(OptimizerSlotNames.all.flatMap(\.nonSlotVariables))
            for skip in match.skipped {
                switch skip.reason {
                case let .slot(variable, name):
                    guard match.movingAverages == nil, let oldKey = match.lookupKey(for: variable) else {
                        throw Failure(message: "the slot '\(skip.entry.name)' cannot follow its variable '\(variable)' when loading moving averages")
                    }
                    // `[scope/]<old key>/<slot>`.
                    let body = String(skip.entry.name.dropLast(name.count + 1))
                    guard body.hasSuffix(oldKey) else {
                        throw Failure(message: "the slot '\(skip.entry.name)' is not below its variable's key '\(oldKey)'")
                    }
                    slots.append(Slot(variable: variable, sourceKey: skip.entry.name, scope: String(body.dropLast(oldKey.count)), suffix: name))
                case .optimizerState, .globalStep:
                    let local = String(skip.entry.name.split(separator: "/").last ?? Substring(skip.entry.name))
                    var state = NonSlot(sourceKey: skip.entry.name, localName: local, fullName: skip.entry.name)
                    if case .globalStep = skip.reason { state.isGlobalStep = true }
                    state.isOther = !state.isGlobalStep && !tf1NonSlot.contains(OptimizerSlotNames.nameAndIndex(local).name)
                    nonSlots.append(state)
                case .averagedValue, .ignored:
                    continue
                }
            }
        }

        /// From the object graph: the slots listed on optimizer nodes, and the
        /// optimizer's own variables (its children).
        private mutating func readObjectBased(_ checkpoint: Checkpoint, _ match: CheckpointMatch) throws {
            nameBased = false
            let bytes = try checkpoint.strings(named: CheckpointScheme.objectGraphKey)[0]
            let variables = try ObjectGraph.variables(inSerialized: bytes)
            let byPath = Dictionary(variables.map { ($0.variable.path, $0) }, uniquingKeysWith: { first, _ in first })
            let modelVariable = Dictionary(match.matched.map { ($0.key, $0.variable.name) }, uniquingKeysWith: { first, _ in first })
            var optimizers = Set<[String]>()
            for (slot, key) in try ObjectGraph.slots(inSerialized: bytes) {
                optimizers.insert(slot.optimizer)
                guard let primary = byPath[slot.variable], let variable = modelVariable[primary.key] else {
                    strays.append(key)
                    continue
                }
                let prefix = primary.variable.fullName + "/"
                let suffix = slot.fullName.hasPrefix(prefix) ? String(slot.fullName.dropFirst(prefix.count)) : nil
                slots.append(Slot(variable: variable, sourceKey: key, suffix: suffix, objectName: slot.name, fullName: slot.fullName))
            }
            for (variable, key) in variables where variable.path.count > 0 && optimizers.contains(Array(variable.path.dropLast())) {
                nonSlots.append(NonSlot(sourceKey: key, localName: variable.path.last!, fullName: variable.fullName))
            }
        }
    }

    /// Slots under `[scope/]<new name>/<suffix>`; the optimizer's variables and
    /// `global_step` under their TensorFlow names.
    mutating func writeNameBased(_ state: CarriedState, targets: [String: (key: TargetKey, written: String)],
                                 from checkpoint: Checkpoint) throws {
        let tf1NonSlot = Set(OptimizerSlotNames.all.flatMap(\.nonSlotVariables))
        for slot in state.slots {
            guard let suffix = slot.suffix, let target = targets[slot.variable] else {
                throw Failure(message: "the slot '\(slot.sourceKey)' has no name-based key: its variable name is not below its variable's (a Keras optimizer's slot); only tf.compat.v1.train optimizers' slots convert to name-based")
            }
            try copy(slot.sourceKey, to: slot.scope + target.key.variableName + "/" + suffix, from: checkpoint)
        }
        for nonSlot in state.nonSlots {
            guard nonSlot.isGlobalStep || nonSlot.isOther || tf1NonSlot.contains(nonSlot.localName) else {
                throw Failure(message: "the optimizer state '\(nonSlot.sourceKey)' (\(nonSlot.fullName)) has no name-based form: only tf.compat.v1.train optimizers' state (\(tf1NonSlot.sorted().joined(separator: ", "))) converts to name-based")
            }
            try copy(nonSlot.sourceKey, to: nonSlot.fullName, from: checkpoint)
        }
        for stray in state.strays {
            notes.append("left out '\(stray)': a slot of a variable the spec does not make")
        }
    }

    /// Slots at `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot>`; the
    /// optimizer's variables at `<optimizer path>/<name>`.
    mutating func writeObjectBased(_ state: CarriedState, targets: [String: (key: TargetKey, written: String)],
                                   objectRoot: [String], optimizer: OptimizerSlotNames?, optimizerPath: [String],
                                   variables: inout [ObjectGraph.Variable], slots: inout [ObjectGraph.Slot],
                                   from checkpoint: Checkpoint) throws {
        let kind = try Self.optimizerKind(of: state.slots, given: optimizer)
        for slot in state.slots {
            guard let target = targets[slot.variable] else { continue }
            var objectName = slot.objectName
            if objectName == nil, let kind, let suffix = slot.suffix {
                let index = OptimizerSlotNames.nameAndIndex(suffix).index
                guard index < kind.slots.count else {
                    throw Failure(message: "the slot '\(slot.sourceKey)' is beyond the \(kind.slots.count) slots a variable has of one \(kind.kind) optimizer: an object-based checkpoint takes one optimizer's slots")
                }
                objectName = kind.slots[index]
            }
            guard let objectName else {
                throw Failure(message: "the slot '\(slot.sourceKey)' has no object name")
            }
            let fullName = slot.suffix.map { slot.scope + target.key.variableName + "/" + $0 } ?? slot.fullName ?? objectName
            let converted = ObjectGraph.Slot(variable: objectRoot + target.key.objectPath, optimizer: optimizerPath,
                                             name: objectName, fullName: fullName)
            slots.append(converted)
            try copy(slot.sourceKey, to: converted.checkpointKey, from: checkpoint)
        }
        for nonSlot in state.nonSlots {
            if nonSlot.isGlobalStep || nonSlot.isOther {
                notes.append("left out '\(nonSlot.sourceKey)': tf.train.Checkpoint(model=…, optimizer=…) keeps no \(nonSlot.localName)")
                continue
            }
            guard !state.nameBased || OptimizerSlotNames.nameAndIndex(nonSlot.localName).index == 0 else {
                throw Failure(message: "'\(nonSlot.sourceKey)' is a second optimizer's state: an object-based checkpoint takes one optimizer's")
            }
            let variable = ObjectGraph.Variable(path: optimizerPath + [nonSlot.localName], fullName: nonSlot.fullName)
            variables.append(variable)
            try copy(nonSlot.sourceKey, to: variable.checkpointKey, from: checkpoint)
        }
        for stray in state.strays {
            notes.append("left out '\(stray)': a slot of a variable the spec does not make")
        }
    }

    /// The optimizer whose name-based slots these are: the one given, or the one
    /// whose default name they carry, with as many slots a variable as they have.
    static func optimizerKind(of slots: [CarriedState.Slot], given: OptimizerSlotNames?) throws -> OptimizerSlotNames? {
        let named = slots.filter { $0.objectName == nil }.compactMap { slot in slot.suffix.map { (slot, OptimizerSlotNames.nameAndIndex($0)) } }
        guard let first = named.first else { return given }
        let names = Set(named.map(\.1.name))
        guard names.count == 1 else {
            throw Failure(message: "the slots are of more than one optimizer (\(names.sorted().joined(separator: ", "))): an object-based checkpoint takes one optimizer's slots")
        }
        var perVariable: [String: Int] = [:]
        for (slot, _) in named { perVariable[slot.variable, default: 0] += 1 }
        let count = perVariable.values.max() ?? 0
        if let given {
            return OptimizerSlotNames.all.first { $0.defaultName == given.defaultName && $0.slots.count == count } ?? given
        }
        guard let inferred = OptimizerSlotNames.inferred(defaultName: first.1.name, slotCount: count) else {
            throw Failure(message: "the slot '\(first.0.sourceKey)': '\(first.1.name)' with \(count) slots a variable is no tf.compat.v1.train optimizer's default; name the optimizer's kind (\(OptimizerSlotNames.all.map(\.kind).joined(separator: ", ")))")
        }
        return inferred
    }
}
