import TFNaming

/// The defaults a `variable_scope` gives the `get_variable` calls inside it:
/// `variable_scope(name, initializer=..., regularizer=..., dtype=...)`.
///
/// An argument given to `get_variable` wins over the scope's default, the scope's
/// over `get_variable`'s own (glorot uniform, no regularizer, `float32`). A
/// `tf.compat.v1.layers` layer passes its kernel initializer only when given (so the
/// scope's applies to its kernel), `zeros` for its bias, its own dtype, and its
/// regularizers only when given (so the scope's applies to every other variable it
/// makes, moving statistics included). A scope inherits the defaults it does not give.
/// (A scope's `partitioner` changes only how graph mode stores a variable, in parts;
/// here every variable is whole.)
public struct ScopeDefaults: Hashable, Sendable {
    public var initializer: Initializer?
    public var regularizer: Regularizer?
    public var dtype: DType?

    public init(initializer: Initializer? = nil, regularizer: Regularizer? = nil, dtype: DType? = nil) {
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = dtype
    }

    /// These defaults over the enclosing scope's: each one given replaces the parent's.
    public func inheriting(from parent: ScopeDefaults) -> ScopeDefaults {
        ScopeDefaults(initializer: initializer ?? parent.initializer, regularizer: regularizer ?? parent.regularizer,
                      dtype: dtype ?? parent.dtype)
    }
}
