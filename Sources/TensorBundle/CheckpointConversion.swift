/// A checkpoint of one keying scheme written from another: every variable a
/// model expects, found in the source checkpoint (through a ``CheckpointMatch``,
/// with whatever renames a migration needs), stored under the key the target
/// scheme gives it — TensorFlow's `variable.name` for a name-based (`Saver`)
/// checkpoint, its object path for an object-based (`tf.train.Checkpoint`) one,
/// with the object graph TensorFlow restores by.
///
/// Values are copied byte for byte (dtype and shape as stored); a partitioned
/// source tensor is written whole. With `trainingState`, a `tf.compat.v1.train`
/// optimizer's slots follow their variables and its non-slot variables
/// (`beta1_power`) come along, in either scheme (see
/// `CheckpointConversion+TrainingState.swift`); `global_step` is copied between
/// name-based checkpoints.
public struct CheckpointConversion: Sendable {
    /// How the converted checkpoint keys one model variable.
    public struct TargetKey: Hashable, Sendable {
        /// TensorFlow's `variable.name` (without `:0`): the name-based key.
        public var variableName: String
        /// The object path below the checkpoint's root (without the root).
        public var objectPath: [String]

        public init(variableName: String, objectPath: [String]) {
            self.variableName = variableName
            self.objectPath = objectPath
        }
    }

    /// One tensor written: its source key and its key in the new checkpoint.
    public struct Copy: Hashable, Sendable {
        public var from: String
        public var to: String
    }

    /// Why a checkpoint cannot be converted.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// The checkpoint to write.
    public private(set) var writer = CheckpointWriter()
    /// The tensors copied, in the order written (variables in model order, then training state).
    public private(set) var copies: [Copy] = []
    /// Training state left out (an entry that has no place in the target), one line each.
    public internal(set) var notes: [String] = []

    /// - Parameters:
    ///   - checkpoint: the source.
    ///   - match: the model's variables matched with the source's entries; it
    ///     must have found every variable (nothing missing or mismatched).
    ///   - keys: the target key of each model variable, by its name in `match`.
    ///   - scheme: the target's keying scheme.
    ///   - objectRoot: the path of the model in an object-based target
    ///     (`["model"]` for `tf.train.Checkpoint(model=layer)`; empty for the model as root).
    ///   - trainingState: whether optimizer slots and state come along.
    ///   - optimizer: the kind of optimizer whose name-based slots are converted to
    ///     object-based ones, when their name is not its default (`MyAdam`).
    ///   - optimizerPath: the optimizer's object path in an object-based target.
    public init(from checkpoint: Checkpoint, match: CheckpointMatch, keys: [String: TargetKey],
                to scheme: CheckpointScheme, objectRoot: [String] = [], trainingState: Bool = false,
                optimizer: OptimizerSlotNames? = nil, optimizerPath: [String] = ["optimizer"]) throws {
        guard match.missing.isEmpty, match.mismatched.isEmpty else {
            throw Failure(message: "the checkpoint does not hold every variable with its shape and dtype")
        }
        if scheme == .nameBased {
            var owners: [String: String] = [:]
            for found in match.matched {
                guard let name = keys[found.variable.name]?.variableName else { continue }
                if let first = owners.updateValue(found.variable.name, forKey: name) {
                    throw Failure(message: "'\(first)' and '\(found.variable.name)' have one TensorFlow variable name, '\(name)': a name-based checkpoint cannot hold both (convert to object-based)")
                }
            }
        }
        var graphVariables: [ObjectGraph.Variable] = []
        var targets: [String: (key: TargetKey, written: String)] = [:]
        for found in match.matched {
            guard let key = keys[found.variable.name] else {
                throw Failure(message: "no target key for the variable '\(found.variable.name)'")
            }
            let target: String
            switch scheme {
            case .nameBased:
                target = key.variableName
            case .objectBased:
                let variable = ObjectGraph.Variable(path: objectRoot + key.objectPath, fullName: key.variableName)
                graphVariables.append(variable)
                target = variable.checkpointKey
            }
            try copy(found.key, to: target, from: checkpoint)
            targets[found.variable.name] = (key, target)
        }
        var graphSlots: [ObjectGraph.Slot] = []
        if trainingState {
            let state = try CarriedState(checkpoint, match)
            switch scheme {
            case .nameBased:
                try writeNameBased(state, targets: targets, from: checkpoint)
            case .objectBased:
                try writeObjectBased(state, targets: targets, objectRoot: objectRoot, optimizer: optimizer,
                                     optimizerPath: optimizerPath, variables: &graphVariables, slots: &graphSlots, from: checkpoint)
            }
        }
        if scheme == .objectBased {
            try writer.add(try ObjectGraph(graphVariables, slots: graphSlots))
        }
    }

    mutating func copy(_ key: String, to target: String, from checkpoint: Checkpoint) throws {
        let entry = try checkpoint.requireEntry(named: key)
        if entry.dtype == .string {
            try writer.add(name: target, shape: entry.shape, strings: try checkpoint.strings(named: key))
        } else {
            try writer.add(name: target, dtype: entry.dtype, shape: entry.shape, bytes: try checkpoint.rawBytes(named: key))
        }
        copies.append(Copy(from: key, to: target))
    }
}
