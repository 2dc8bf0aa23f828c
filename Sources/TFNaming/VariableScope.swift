/// How a variable scope treats `get_variable` for a name that already exists,
/// TensorFlow's `reuse` argument.
public enum Reuse: Hashable, Sendable {
    /// `reuse=None` (or `False`): inherit the parent's mode; at the top, create.
    case inherit
    /// `reuse=True`: only return existing variables; a missing one is an error.
    case reuse
    /// `reuse=tf.compat.v1.AUTO_REUSE`: return a variable if it exists, create it otherwise.
    case auto
}

/// A variable scope as TensorFlow's `with variable_scope(...) as scope` captures it:
/// the full name its variables are prefixed with, and its reuse mode.
public struct VariableScope: Hashable, Sendable {
    /// The full scope name, `""` at the root, `"model/dense"` below.
    public var name: String
    /// The reuse mode in force inside the scope (already inherited from the parents).
    public var reuse: Reuse

    public init(name: String, reuse: Reuse) {
        self.name = name
        self.reuse = reuse
    }

    /// The root scope that every call starts in.
    public static let root = VariableScope(name: "", reuse: .inherit)

    /// The full name of `child` inside this scope: `model` + `dense` is `model/dense`.
    public func qualified(_ child: String) -> String {
        name.isEmpty ? child : name + "/" + child
    }
}
