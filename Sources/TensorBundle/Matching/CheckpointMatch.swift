/// A variable a model expects to find in a checkpoint.
public struct ExpectedVariable: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    /// TensorFlow's dtype name (`float32`).
    public var dtype: String
    /// Whether the variable is trainable: optimizers keep slots for it, and a
    /// moving-average load (`ema.variables_to_restore()`) reads its shadow.
    public var trainable: Bool
    /// TensorFlow's `variable.name`, when `name` is an object path (a native
    /// layer's `conv_layer/kernel`): a name-based checkpoint keys the variable by
    /// it (`fully_native_model/conv2d/kernel`), an object-based one by `name`.
    public var variableName: String?
    /// Its object path (local names), when an object-based checkpoint keys it
    /// neither by `name` nor by its TF1 name in a shim store (a
    /// `get_or_create_layer` layer's weight:
    /// `_tf1_style_var_store/_layers/<key>/kernel`).
    public var objectPath: [String]?

    public init(name: String, shape: [Int], dtype: String, trainable: Bool = true, variableName: String? = nil,
                objectPath: [String]? = nil) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
        self.variableName = variableName == name ? nil : variableName
        self.objectPath = objectPath
    }
}

/// How a model's variables and a checkpoint's entries agree.
public struct CheckpointMatch: Sendable {
    /// A variable found with its shape and dtype.
    public struct Match: Hashable, Sendable {
        public var variable: ExpectedVariable
        /// The checkpoint key it was found under.
        public var key: String
    }

    /// A variable found with another shape or dtype.
    public struct Mismatch: Hashable, Sendable {
        public var variable: ExpectedVariable
        public var key: String
        public var checkpointShape: [Int]
        public var checkpointDType: String
    }

    /// Variables found with their shape and dtype (in model order).
    public private(set) var matched: [Match] = []
    /// Variables the model makes that the checkpoint lacks (in model order).
    public private(set) var missing: [ExpectedVariable] = []
    /// Checkpoint entries no model variable maps to, that are neither training
    /// state nor ignored (sorted by key).
    public private(set) var unused: [CheckpointEntry] = []
    /// Variables found with another shape or dtype.
    public private(set) var mismatched: [Mismatch] = []
    /// Entries no variable maps to that are not errors: training state
    /// (optimizer slots, `beta1_power`, `global_step`, moving averages; see
    /// docs/checkpoints.md, "Training state") and entries matching an ignore
    /// pattern (sorted by key).
    public private(set) var skipped: [SkippedEntry] = []
    /// Ignore patterns that match no entry left over by the variables: they
    /// ignore nothing (a typo, or a key that is not in this checkpoint).
    public private(set) var unmatchedIgnorePatterns: [String] = []
    /// The moving average name whose shadows trainable variables were looked up by, if any.
    public let movingAverages: String?
    /// The key each variable was looked up under, by variable name.
    private var lookupKeys: [String: String] = [:]
    /// Entries a variable could have been meant to load from: the unused and the ignored.
    private(set) var candidates: [CheckpointEntry] = []

    /// Whether every variable was found with its shape and dtype and every entry
    /// was used or skipped as training state or ignored.
    public var isExact: Bool { missing.isEmpty && unused.isEmpty && mismatched.isEmpty }

    /// The checkpoint key a variable was looked up under.
    public func lookupKey(for variable: String) -> String? { lookupKeys[variable] }

    /// Compares the variables with the checkpoint's entries through the mapping.
    /// A variable with a ``ExpectedVariable/variableName`` is looked up by it
    /// in a name-based checkpoint (by its name when only that is there), by its
    /// name (object path) in an object-based one (``CheckpointScheme``), unless
    /// the mapping renames it.
    ///
    /// - Parameters:
    ///   - ignoring: glob patterns (``GlobPattern``) of checkpoint keys never
    ///     reported as unused; a plain key matches itself (`global_step`).
    ///   - movingAverages: the name of an `ExponentialMovingAverage`
    ///     (`ExponentialMovingAverage`) to load trainable variables from their
    ///     shadows, as `ema.variables_to_restore()` maps them: a trainable
    ///     variable from `<key>/<name>`, the others (batch normalization's moving
    ///     statistics) from their own key. Nil: every variable from its own key.
    public init(expected: [ExpectedVariable], entries: [CheckpointEntry], mapping: NameMapping = NameMapping(),
                ignoring: Set<String> = [], movingAverages: String? = nil) {
        self.movingAverages = movingAverages
        var byKey: [String: CheckpointEntry] = [:]
        for entry in entries {
            if let key = mapping.variableKey(for: entry.name) { byKey[key] = entry }
        }
        var used = Set<String>()
        var rawKeys: [String: ExpectedVariable] = [:]
        let scheme = CheckpointScheme(keys: entries.lazy.map(\.name))
        for variable in expected {
            // A name-based checkpoint keys a native variable by TensorFlow's variable
            // name, or (as ModelSpec's own Saver checkpoints did) by its object path.
            var raw = mapping.checkpointName(for: variable, in: scheme)
            if byKey[raw] == nil, byKey[mapping.checkpointName(for: variable.name)] != nil {
                raw = mapping.checkpointName(for: variable.name)
            }
            rawKeys[raw] = variable
            let key = movingAverages.map { variable.trainable ? raw + "/" + $0 : raw } ?? raw
            lookupKeys[variable.name] = key
            guard let entry = byKey[key] else {
                missing.append(variable)
                continue
            }
            used.insert(key)
            if entry.shape != variable.shape || entry.dtype.name != variable.dtype {
                mismatched.append(Mismatch(variable: variable, key: entry.name, checkpointShape: entry.shape, checkpointDType: entry.dtype.name))
            } else {
                matched.append(Match(variable: variable, key: entry.name))
            }
        }

        // What no variable loads from: ignored (the caller's patterns first), training state, or unused.
        let patterns = ignoring.sorted().map(GlobPattern.init)
        var matchedPatterns = Set<String>()
        var leftovers: [(key: String, entry: CheckpointEntry)] = []
        var ignored: [SkippedEntry] = []
        for (key, entry) in byKey.sorted(by: { $0.key < $1.key }) where !used.contains(key) {
            if let pattern = patterns.first(where: { $0.matches(key) || $0.matches(entry.name) }) {
                matchedPatterns.insert(pattern.text)
                ignored.append(SkippedEntry(entry: entry, reason: .ignored(pattern: pattern.text)))
            } else {
                leftovers.append((key, entry))
            }
        }
        unmatchedIgnorePatterns = patterns.map(\.text).filter { !matchedPatterns.contains($0) }
        let rule = TrainingStateRule(variables: rawKeys, mapping: mapping, movingAverages: movingAverages)
        let (training, rest) = rule.classify(leftovers, found: Set(byKey.keys))
        skipped = (training + ignored).sorted { $0.entry.name < $1.entry.name }
        unused = rest.sorted { $0.name < $1.name }
        candidates = (rest + ignored.map(\.entry)).sorted { $0.name < $1.name }
    }
}
