import TFNaming

/// The defaults a `variable_scope` gives the `get_variable` calls inside it
/// (`variable_scope(name, initializer=..., regularizer=..., dtype=..., partitioner=...)`).
///
/// As in TensorFlow (`VariableScope.get_variable`):
/// - an argument given to `get_variable` wins over the scope's default, the
///   scope's default over `get_variable`'s own (`glorot_uniform`, no regularizer,
///   `float32`, no partitioning);
/// - a `tf.compat.v1.layers` layer asks `get_variable` for its kernel with the
///   layer's `kernel_initializer` (none by default, so the scope's applies), for its
///   bias with `zeros` unless given, and for batch normalization's variables with
///   their own initializers; regularizers and the partitioner apply to every variable
///   a layer makes that has none of its own, moving statistics included; a layer's
///   dtype is its own, never the scope's;
/// - a scope inherits its parent's defaults and overrides those it gives; giving
///   none (Python's `None`) inherits.
public struct ScopeDefaults: Hashable, Sendable {
    public var initializer: Initializer?
    public var regularizer: Regularizer?
    public var dtype: DType?
    public var partitioner: Partitioner?

    public init(initializer: Initializer? = nil, regularizer: Regularizer? = nil, dtype: DType? = nil,
                partitioner: Partitioner? = nil) {
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = dtype
        self.partitioner = partitioner
    }

    /// No defaults: the scope inherits its parent's.
    public static let none = ScopeDefaults()

    public var isEmpty: Bool { self == .none }

    /// These defaults over the enclosing scope's: each one given replaces the parent's.
    public func inheriting(from parent: ScopeDefaults) -> ScopeDefaults {
        ScopeDefaults(initializer: initializer ?? parent.initializer, regularizer: regularizer ?? parent.regularizer,
                      dtype: dtype ?? parent.dtype, partitioner: partitioner ?? parent.partitioner)
    }
}
