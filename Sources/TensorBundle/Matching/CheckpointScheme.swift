/// How a checkpoint keys its variables, told by its keys.
///
/// - `nameBased`: a TF1 `Saver` (or `tf.compat.v1.train.Saver` in TF2) keys each
///   variable by TensorFlow's `variable.name` without `:0`
///   (`fully_native_model/conv2d/kernel`).
/// - `objectBased`: `tf.train.Checkpoint` keys each by its object path with
///   `/.ATTRIBUTES/VARIABLE_VALUE` (`conv_layer/kernel/.ATTRIBUTES/VARIABLE_VALUE`)
///   and writes the object graph under `_CHECKPOINTABLE_OBJECT_GRAPH`.
public enum CheckpointScheme: String, Hashable, Sendable {
    case nameBased = "name-based"
    case objectBased = "object-based"

    public static let objectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH"
    public static let objectSuffix = "/.ATTRIBUTES/VARIABLE_VALUE"

    /// The scheme of a checkpoint with these keys: object-based when it has the
    /// object graph or an object-based key, name-based otherwise.
    public init<Keys: Sequence<String>>(keys: Keys) {
        self = keys.contains { $0 == Self.objectGraphKey || $0.hasSuffix(Self.objectSuffix) } ? .objectBased : .nameBased
    }
}
