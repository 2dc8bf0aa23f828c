/// What a `get_variable` call asks for, beside its name.
public struct VariableRequest: Hashable, Sendable {
    public var shape: [Int]
    public var dtype: DType
    public var trainable: Bool

    public init(shape: [Int], dtype: DType = .float32, trainable: Bool = true) {
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
    }
}

/// Element types of variables, named as TensorFlow names them.
public enum DType: String, Hashable, Sendable, CaseIterable {
    case float32, float64, int32, int64, bool, string
}

/// A variable as the store knows it: full name, shape, dtype, trainability.
public struct VariableDescription: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    public var dtype: DType
    public var trainable: Bool

    public init(name: String, shape: [Int], dtype: DType, trainable: Bool) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
    }
}

/// How `get_variable` answered.
public enum VariableLookup: Hashable, Sendable {
    /// A new variable was created.
    case created
    /// An existing variable was returned because the scope reuses (`reuse: true` or `auto`),
    /// or because it was created by an earlier call (the shim reuses across calls).
    case reused
    /// An existing variable, created earlier in this same call, was returned in a
    /// scope that does not reuse. The shim (`_EagerVariableStore`) shares it
    /// silently; TensorFlow 1 graph mode refuses with "Variable ... already exists".
    case sharedWithoutReuse
    /// A new variable was created in a scope with `reuse: true`. The shim creates it
    /// (it treats every `get_variable` as get-or-create); TensorFlow 1 graph mode
    /// refuses with "Variable ... does not exist".
    case createdDespiteReuse
}

/// Why `get_variable` refused.
public enum VariableStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An existing variable asked for with another shape.
    case shapeMismatch(name: String, requested: [Int], existing: [Int])
    /// An existing variable asked for with another dtype.
    case dtypeMismatch(name: String, requested: DType, existing: DType)

    public var description: String {
        switch self {
        case let .shapeMismatch(name, requested, existing):
            "trying to share variable '\(name)' with shape \(requested), but it was created with shape \(existing)"
        case let .dtypeMismatch(name, requested, existing):
            "trying to share variable '\(name)' as \(requested.rawValue), but it was created as \(existing.rawValue)"
        }
    }
}

/// The variables of one layer instance, keyed by full name, with TensorFlow's
/// `get_variable` rules as the `track_tf1_style_variables` shim applies them
/// (`_EagerVariableStore._get_single_variable`, which receives every scope's reuse
/// as `AUTO_REUSE` in eager mode): an existing name is returned if its shape and
/// dtype agree, a missing one is created. The ``VariableLookup`` says where
/// TensorFlow 1 graph mode would have refused instead. `Value` is whatever the user of the store keeps per variable:
/// nothing for the compiler's manifest, a tensor for the runtime.
public struct VariableStore<Value> {
    /// Variables in creation order.
    public private(set) var variables: [(description: VariableDescription, value: Value)] = []
    private var indexByName: [String: Int] = [:]
    /// Names created since the last ``beginCall()``.
    private var createdThisCall: Set<String> = []

    public init() {}

    /// Marks the start of a new call of the layer: variables made before it are
    /// reused without a word, as the shim does across calls.
    public mutating func beginCall() {
        createdThisCall.removeAll(keepingCapacity: true)
    }

    /// The variable with this full name, if it exists.
    public func variable(named name: String) -> (description: VariableDescription, value: Value)? {
        indexByName[name].map { variables[$0] }
    }

    /// `tf.compat.v1.get_variable(name, ...)` with `name` relative to `scope`.
    /// - Parameter create: makes the value of a new variable; not called on reuse.
    public mutating func getVariable(
        _ name: String,
        in scope: VariableScope,
        _ request: VariableRequest,
        create: (VariableDescription) throws -> Value
    ) throws -> (value: Value, description: VariableDescription, lookup: VariableLookup) {
        let fullName = scope.qualified(name)
        if let index = indexByName[fullName] {
            let existing = variables[index]
            if existing.description.shape != request.shape {
                throw VariableStoreError.shapeMismatch(
                    name: fullName, requested: request.shape, existing: existing.description.shape)
            }
            if existing.description.dtype != request.dtype {
                throw VariableStoreError.dtypeMismatch(
                    name: fullName, requested: request.dtype, existing: existing.description.dtype)
            }
            let sharedInCall = scope.reuse == .inherit && createdThisCall.contains(fullName)
            return (existing.value, existing.description, sharedInCall ? .sharedWithoutReuse : .reused)
        }
        let description = VariableDescription(
            name: fullName, shape: request.shape, dtype: request.dtype, trainable: request.trainable)
        let value = try create(description)
        indexByName[fullName] = variables.count
        variables.append((description, value))
        createdThisCall.insert(fullName)
        return (value, description, scope.reuse == .reuse ? .createdDespiteReuse : .created)
    }

    /// Replaces the value kept for an existing variable (an assignment).
    public mutating func setValue(_ value: Value, forVariableNamed name: String) -> Bool {
        guard let index = indexByName[name] else { return false }
        variables[index].value = value
        return true
    }
}
