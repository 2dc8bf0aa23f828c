/// A variable a model expects to find in a checkpoint.
public struct ExpectedVariable: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    /// TensorFlow's dtype name (`float32`).
    public var dtype: String

    public init(name: String, shape: [Int], dtype: String) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
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
    /// Checkpoint entries no model variable maps to (sorted by key).
    public private(set) var unused: [CheckpointEntry] = []
    /// Variables found with another shape or dtype.
    public private(set) var mismatched: [Mismatch] = []

    /// Whether every variable was found with its shape and dtype and every entry was used.
    public var isExact: Bool { missing.isEmpty && unused.isEmpty && mismatched.isEmpty }

    /// Compares the variables with the checkpoint's entries through the mapping.
    /// - Parameter ignoring: checkpoint keys never reported as unused (`global_step`).
    public init(expected: [ExpectedVariable], entries: [CheckpointEntry], mapping: NameMapping = NameMapping(), ignoring: Set<String> = []) {
        var byKey: [String: CheckpointEntry] = [:]
        for entry in entries {
            if let key = mapping.variableKey(for: entry.name) { byKey[key] = entry }
        }
        var used = Set<String>()
        for variable in expected {
            let key = mapping.checkpointName(for: variable.name)
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
        unused = byKey.filter { !used.contains($0.key) && !ignoring.contains($0.key) && !ignoring.contains($0.value.name) }
            .map(\.value).sorted { $0.name < $1.name }
    }
}
