import TFNaming

/// The TF1 API inside one shim call, named after the `tf.compat.v1` functions
/// it mirrors, for generated code and the interpreter:
///
///     try store.call(context: context) { tf in
///         try tf.variableScope("model") {
///             var x = try tf.conv2d(inputs, filters: 3, kernelSize: [3], kernelRegularizer: .l2(0.01))
///             x = try tf.flatten(x)
///             return try tf.dense(x, units: 10, kernelRegularizer: .l2(0.01))
///         }
///     }
///
/// Names come from ``TFNaming`` (the one implementation of TensorFlow's scope,
/// counter and reuse rules, shared with the compiler); variables live in the
/// calling layer's ``ShimStore``; scope counters live in the call's
/// ``CallContext``, shared with nested shim layers.
public struct TF1 {
    /// The store of the layer whose code is running.
    public let store: ShimStore
    /// The top-level call's state.
    public let context: CallContext
    /// This layer call's training flag.
    public let training: Bool

    public init(store: ShimStore, context: CallContext, training: Bool) {
        self.store = store
        self.context = context
        self.training = training
    }

    // MARK: Scopes

    /// The current variable scope.
    public var currentScope: VariableScope { context.scopes.current }

    /// `with tf.compat.v1.variable_scope(name, reuse=reuse, initializer=..., regularizer=..., dtype=...):`
    /// the defaults given replace the enclosing scope's for the `get_variable` calls inside.
    public func variableScope<R>(_ name: String, reuse: Reuse = .inherit, initializer: Initializer? = nil,
                                 regularizer: Regularizer? = nil, dtype: DType? = nil, _ body: () throws -> R) rethrows -> R {
        context.perform(.enter(name, reuse))
        let enclosing = context.scopeDefaults
        context.scopeDefaults = ScopeDefaults(initializer: initializer, regularizer: regularizer, dtype: dtype)
            .inheriting(from: enclosing)
        defer { context.perform(.exit); context.scopeDefaults = enclosing }
        return try body()
    }

    /// `with tf.compat.v1.variable_scope(None, default_name=defaultName, initializer=...):` (`block`, `block_1`, ...).
    public func variableScope<R>(defaultName: String, initializer: Initializer? = nil, regularizer: Regularizer? = nil,
                                 dtype: DType? = nil, _ body: () throws -> R) rethrows -> R {
        context.perform(.enterDefault(defaultName))
        let enclosing = context.scopeDefaults
        context.scopeDefaults = ScopeDefaults(initializer: initializer, regularizer: regularizer, dtype: dtype)
            .inheriting(from: enclosing)
        defer { context.perform(.exit); context.scopeDefaults = enclosing }
        return try body()
    }

    /// `with tf.compat.v1.variable_scope(captured_scope, reuse=reuse):` (absolute; counters restored on exit).
    public func variableScope<R>(_ scope: VariableScope, reuse: Reuse = .inherit, _ body: () throws -> R) rethrows -> R {
        context.perform(.enterCaptured(scope, reuse))
        defer { context.perform(.exit) }
        return try body()
    }

    /// `with tf.name_scope(name):` — it never changes variable names.
    public func nameScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        try body()
    }

    /// Opens and closes `variable_scope(name)` at once, so that a removed layer's
    /// auto-name stays taken (the shim guide's `record_scope`).
    public func recordScope(_ name: String) {
        context.perform(.record(name))
    }

    // MARK: Variables

    /// `tf.compat.v1.get_variable` returning the variable itself (for `assign`). An argument
    /// not given is the enclosing scope's default (``ScopeDefaults``), else get_variable's own.
    public func variable(_ name: String, shape: [Int], dtype: DType? = nil, initializer: Initializer? = nil,
                         regularizer: Regularizer? = nil, trainable: Bool = true) throws -> Variable {
        try variable(name, shape: shape, dtype: dtype, initializer: initializer, regularizer: regularizer,
                     trainable: trainable, getVariable: true)
    }

    /// A variable of the store: made by `get_variable` itself, or by a compat layer (`getVariable` false).
    /// An argument not given is the enclosing scope's default (``ScopeDefaults``).
    func variable(_ name: String, shape: [Int], dtype: DType?, initializer: Initializer?,
                  regularizer: Regularizer?, trainable: Bool, getVariable: Bool) throws -> Variable {
        let request = VariableRequest(shape: shape, dtype: dtype ?? context.scopeDefaults.dtype ?? .float32, trainable: trainable)
        if let planned = context.plannedVariable(name, request, in: store) { return planned }
        let defaults = context.scopeDefaults
        let result = try store.store.getVariable(name, in: context.liveScopes.current, request) { d in
            try context.makeVariable(name: d.name, shape: d.shape, initializer: initializer ?? defaults.initializer,
                                     regularizer: regularizer ?? defaults.regularizer, trainable: d.trainable,
                                     getVariable: getVariable)
        }
        switch result.lookup {
        case .created, .createdDespiteReuse: store.didCreate(result.value)
        case .reused, .sharedWithoutReuse: break
        }
        context.record(result.value, name, request, in: store)
        return result.value
    }

    /// `tf.compat.v1.get_variable(name, shape, initializer=..., regularizer=..., trainable=...)`:
    /// the value to compute with (a substitute when the call gives one).
    public func getVariable(_ name: String, shape: [Int], dtype: DType? = nil, initializer: Initializer? = nil,
                            regularizer: Regularizer? = nil, trainable: Bool = true) throws -> Tensor {
        try context.value(of: variable(name, shape: shape, dtype: dtype, initializer: initializer,
                                       regularizer: regularizer, trainable: trainable))
    }

    // MARK: Functional compat layers

    /// A functional `tf.compat.v1.layers` call: an explicit name is the layer's scope
    /// as given (not made unique), no name means `base_name` made unique in the current scope.
    /// `namedByKeras`: the call makes a `tf.compat.v1.layers` object, which takes a Keras
    /// name when it has no `name` (Slim's layers are named by their scope: false).
    public func layer(_ configuration: LayerConfiguration, _ x: Tensor, training: Bool = false,
                      reuse: Reuse = .inherit, namedByKeras: Bool = true) throws -> Tensor {
        try layer(configuration.kernel, name: configuration.name, trainable: configuration.trainable, x,
                  training: training, reuse: reuse, namedByKeras: namedByKeras)
    }

    /// ``layer(_:_:training:reuse:namedByKeras:)`` with the kernel as its own type: the `tf.dense`,
    /// `tf.conv2d`, ... functions call this, so a call boxes no configuration.
    func layer<Kernel: LayerKernel>(_ kernel: Kernel, name: String?, trainable: Bool, _ x: Tensor, training: Bool = false,
                                    reuse: Reuse = .inherit, namedByKeras: Bool = true) throws -> Tensor {
        let step = context.beginLayerStep()
        let output = try inLayerScope(baseName: kernel.baseName, name: name, trainable: trainable, reuse: reuse,
                                      namedByKeras: namedByKeras) { weight in
            // The kernel may take its weights from a replayed plan at once (``CallContext/replayedLayerWeight(_:_:_:)``).
            let enclosing = context.layerWeightStore
            context.layerWeightStore = ObjectIdentifier(store)
            defer { context.layerWeightStore = enclosing }
            return try kernel.apply(x, training: training, context: context, weight: weight)
        }
        context.endLayerStep(step, output: output, input: x)
        return output
    }

    /// Runs `body` in the scope of a functional layer call (named as ``layer(_:_:training:reuse:namedByKeras:)``
    /// names it), with the function that gives the layer its variables there.
    func inLayerScope<R>(_ configuration: LayerConfiguration, reuse: Reuse = .inherit, namedByKeras: Bool = true,
                         _ body: (_ weight: (WeightRequest) throws -> Variable) throws -> R) throws -> R {
        try inLayerScope(baseName: configuration.baseName, name: configuration.name, trainable: configuration.trainable,
                         reuse: reuse, namedByKeras: namedByKeras, body)
    }

    /// ``inLayerScope(_:reuse:namedByKeras:_:)`` for a layer of `baseName`, explicit `name` and `trainable`.
    func inLayerScope<R>(baseName: String, name: String?, trainable: Bool, reuse: Reuse, namedByKeras: Bool,
                         _ body: (_ weight: (WeightRequest) throws -> Variable) throws -> R) throws -> R {
        if namedByKeras, name == nil {
            // The layer object takes a Keras name (`dense`), so a Keras `Dense` made later is `dense_1`.
            context.perform(.kerasLayerName(baseName))
        }
        context.perform(.enterLayer(baseName: baseName, name: name, reuse: reuse))
        defer { context.perform(.exit) }
        // Not escaping: its captures stay on the stack. A request's `trainable` is and-ed with the layer's.
        return try body { request in
            try variable(request.name, shape: request.shape, dtype: .float32, initializer: request.initializer,
                         regularizer: request.regularizer, trainable: request.trainable && trainable, getVariable: false)
        }
    }

    // MARK: Layers made once by name

    /// The running path of the weights of a `get_or_create_layer` layer made now (call it
    /// once, when making the layer): `<model's Keras name>/<variable scope>/<layer's Keras
    /// name>` (`bare_model/outer/dense_1`); for the one layer of a Keras model (`inModel`),
    /// built when the model is made, outside every scope, its Keras name alone. The Keras
    /// name is `name`, or `className` in snake case made unique by Keras's counter, which the
    /// model, its layers and every unnamed `tf.compat.v1.layers` call before it also take:
    /// two unnamed `Dense` layers are `dense` and `dense_1`, whatever scopes they are in.
    public func kerasLayerPath(className: String, name: String?, inModel: Bool = false) -> String {
        var names = context.kerasNames ?? store.kerasNames
        let kerasName = names.layers.layerName(className: className, explicit: name)
        context.kerasNames = names
        return names.storedLayerPath(kerasName, scope: currentScope.name, inModel: inModel)
    }

    /// `tf.compat.v1.keras.utils.get_or_create_layer(name, make)`: `make` runs once per
    /// `current scope/name`; the layer's losses count as one scalar loss of this layer.
    public func getOrCreateLayer<L: Layer>(_ name: String, _ make: () throws -> L) throws -> L {
        let key = context.scopes.current.name + "/" + name
        if let existing = store.layer(forKey: key) {
            guard let layer = existing as? L else {
                throw TensorError(op: "get_or_create_layer", shapes: [],
                                  reason: "'\(key)' was made as a \(type(of: existing)), not a \(L.self)")
            }
            return layer
        }
        let layer = try make()
        store.add(layer, forKey: key)
        return layer
    }
}

/// A `tf.compat.v1.make_template` template: its scope is `default_name` made unique
/// at the first call, and every call re-enters that scope with `AUTO_REUSE`, so one
/// set of variables serves every call, wherever it is called from.
public final class Template {
    private var naming: TemplateNaming

    public init(_ name: String) {
        naming = TemplateNaming(name: name)
    }

    /// The scope captured on the first call.
    public var scope: VariableScope? { naming.scope }

    /// Runs the template's function in its scope.
    public func callAsFunction<R>(_ tf: TF1, _ body: (TF1) throws -> R) rethrows -> R {
        naming.enterCall(&tf.context.scopes)
        defer { tf.context.scopes.exit() }
        return try body(tf)
    }
}
