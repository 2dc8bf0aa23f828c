/// The naming state of one `tf.compat.v1.layers` layer object (`base.Layer` in
/// tf-keras's `legacy_tf_layers`), which decides the scope its variables live in.
///
/// - The functional forms (`tf.compat.v1.layers.dense(x, name: "fc")`) pass the
///   name as the layer's scope: TensorFlow enters `variable_scope("fc")` when
///   the layer is made, so an explicit name is used as given, never made unique.
/// - Without a scope, the scope is chosen on the first call
///   (`_set_scope`): `variable_scope(None, default_name: baseName)`, so
///   auto-named layers count per enclosing scope (`dense`, `dense_1`), and a
///   class-form layer with an explicit name is made unique the same way. With
///   `reuse` set, the base name is used as given.
/// - Every call re-enters the captured scope (with `reuse=True` once built),
///   wherever the call happens: a layer object keeps the scope of its first call.
public struct LegacyLayerNaming: Sendable {
    /// The snake-case class name (`dense`, `conv2d`, `batch_normalization`) or the explicit name.
    public let baseName: String
    /// The layer's own `reuse` argument.
    public let reuse: Reuse
    /// The scope captured at construction or on the first call.
    public private(set) var scope: VariableScope?
    /// Whether the layer has been called (built) once.
    public private(set) var isBuilt = false

    /// Makes the naming state of a new layer object.
    /// - Parameters:
    ///   - className: the snake-case class name, used when `name` is nil.
    ///   - name: the explicit `name` argument.
    ///   - functional: true for the functional forms, which pass the name as the scope.
    ///   - reuse: the layer's `reuse` argument (functional forms only).
    ///   - scopes: the scope store, entered at construction for a functional form with a name.
    public init(className: String, name: String?, functional: Bool, reuse: Reuse = .inherit, scopes: inout ScopeStore) {
        self.baseName = name ?? className
        self.reuse = reuse
        if functional, let name {
            scope = scopes.enter(name)
            scopes.exit()
        }
    }

    /// Enters the layer's scope for a call; leave it with `scopes.exit()` after the call.
    @discardableResult
    public mutating func enterCall(_ scopes: inout ScopeStore) -> VariableScope {
        if scope == nil {
            scope = reuse == .inherit ? scopes.enter(defaultName: baseName) : scopes.enter(baseName)
            scopes.exit()
        }
        let entered = scopes.enter(scope!, reuse: isBuilt ? .reuse : reuse)
        isBuilt = true
        return entered
    }
}

/// The naming state of a `tf.compat.v1.make_template` template: its scope is
/// `variable_scope(None, default_name: name)` at the first call, and every later
/// call re-enters that captured scope with `AUTO_REUSE`, wherever it is called.
public struct TemplateNaming: Sendable {
    public let name: String
    public private(set) var scope: VariableScope?

    public init(name: String) {
        self.name = name
    }

    /// Enters the template's scope for a call; leave it with `scopes.exit()`.
    @discardableResult
    public mutating func enterCall(_ scopes: inout ScopeStore) -> VariableScope {
        if let scope {
            return scopes.enter(scope, reuse: .auto)
        }
        let entered = scopes.enter(defaultName: name)
        scope = entered
        return entered
    }
}
