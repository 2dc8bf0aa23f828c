import TFNaming

/// The state of one top-level call, shared by every layer the call reaches:
/// TensorFlow's scope stack and counters (shared by nested shim layers, as in
/// TensorFlow, while each layer keeps its own variable store), the call's
/// training flag, the tensors that stand in for variables during this call,
/// the randomness of dropout, and the values to give variables created now
/// (restoring a checkpoint into a model that is not built yet).
///
/// Each top-level call starts from a fresh scope store, so calling a model twice
/// names its variables the same way both times. (TensorFlow keeps one process-wide
/// scope store; there, auto-named layers and `default_name` scopes *at the root* of
/// a call get a new name on every call. Specs keep such layers inside a scope.)
public final class CallContext {
    /// `variable_scope` state. While a shim model replays its ``CallPlan`` the store is
    /// not kept up to date: reading or changing it here rebuilds it from the plan first
    /// and ends the replay (``TF1`` itself works on ``liveScopes`` through the plan).
    public var scopes: ScopeStore {
        get {
            leaveReplay()
            return liveScopes
        }
        _modify {
            scopesChangedOutsidePlan()
            yield &liveScopes
        }
    }
    /// The scope store as the live rules keep it (stale while ``replaying``).
    var liveScopes = ScopeStore()
    /// The identity of the shim store whose call records or replays a plan now.
    var planOwner: ObjectIdentifier?
    /// The plan being replayed (also after its owner's call, until the scopes are needed)
    /// and the index of its next step.
    var replaying: CallPlan?
    var replayIndex = 0
    /// The steps of the owner's call being recorded.
    var recorder: CallPlan.Recorder?
    /// The plan owner's outputs kept from its last call, while its call runs; the layer steps
    /// counted so far and the one running now; whether its kernel asked for its recycled output.
    var recycledOutputs: RecycledOutputs?
    var layerSteps = 0
    var currentLayerStep: Int?
    var stepRecycles = false
    /// The shim store whose functional layer's kernel runs now (``TF1``'s `layer`), whose
    /// weights a replayed plan answers at once (``replayedLayerWeight(_:_:_:)``); nil elsewhere.
    var layerWeightStore: ObjectIdentifier?
    /// Keras's layer names in this call: the model's Keras name and the counters,
    /// taken from the first shim store the call reaches (the top-level model's) and
    /// continued by the call (``TF1/kerasLayerPath(className:name:inModel:)``). While a plan is
    /// replayed the functional layers' takes are not counted here; reading or changing the
    /// names counts them first (the plan's ``ScopeStep/kerasLayerName(_:)`` steps, as the scopes are rebuilt).
    public var kerasNames: KerasModelNames? {
        get {
            leaveReplay()
            return liveKerasNames
        }
        _modify {
            leaveReplay()
            yield &liveKerasNames
        }
    }
    /// The names as the live rules keep them (behind while ``replaying``).
    var liveKerasNames: KerasModelNames?
    /// The defaults of the variable scopes open now (`variable_scope(initializer=...)`), inherited inward.
    public var scopeDefaults = ScopeDefaults()
    /// The call's training flag, the default of the layers it reaches.
    public private(set) var training: Bool
    /// Tensors used instead of the variables of these full names, for this call only.
    public private(set) var substitutions: [String: Tensor]
    /// Substitutions that were read.
    public private(set) var usedSubstitutions = Set<String>()
    /// The randomness of dropout, seeded on first use (a call that draws nothing asks the
    /// system for no seed: a system call per model call at batch 1 showed in the profile).
    public var generator: SeededGenerator {
        get {
            if let seededGenerator { return seededGenerator }
            let generator = SeededGenerator(seed: seed ?? { var system = SystemRandomNumberGenerator(); return system.next() }())
            seededGenerator = generator
            return generator
        }
        _modify {
            if seededGenerator == nil { seededGenerator = generator }
            yield &seededGenerator!
        }
        set { seededGenerator = newValue }
    }
    private var seededGenerator: SeededGenerator?
    private var seed: UInt64?
    /// The noise of TF1 `DropoutWrapper` masks when a test gives it (TensorFlow's recorded noise),
    /// instead of ``generator``'s.
    var dropoutNoise: DropoutNoise?
    /// Values for variables created during the call, by full name (deferred restoration).
    public var initialValues: [String: Tensor]
    /// The variables created during the call, in creation order.
    public private(set) var created: [Variable] = []
    /// TensorFlow's starting weights: when set, the variables `get_variable`
    /// makes (and that no restored value is waiting for) take the values
    /// TensorFlow gives them under this `DeterministicRandomTestTool`, in
    /// creation order; the tool advances as TensorFlow's does.
    public var startingWeights: DeterministicRandomTestTool?
    /// Variables made while ``startingWeights`` was set that do not take
    /// TensorFlow's values: Keras layers' weights (TensorFlow does not seed
    /// them through the tool) and initializers whose transform is not reproduced.
    public private(set) var notFromStartingWeights: [String] = []

    /// - Parameters:
    ///   - training: the training flag.
    ///   - substituting: tensors that replace the variables of these full names in this call.
    ///   - seed: the seed of dropout's randomness; a random seed when nil.
    ///   - initialValues: values for variables created during the call, by full name.
    public init(training: Bool = false, substituting: [String: Tensor] = [:], seed: UInt64? = nil,
                initialValues: [String: Tensor] = [:]) {
        self.training = training
        self.substitutions = substituting
        self.seed = seed
        self.initialValues = initialValues
    }

    /// Makes this context as ``init(training:substituting:seed:initialValues:)`` makes a new one, for
    /// another top-level call (``PendingValues`` reuses its last call's context when no one holds it).
    func restart(training: Bool, substituting: [String: Tensor], initialValues: [String: Tensor]) {
        liveScopes = ScopeStore()
        planOwner = nil
        replaying = nil
        replayIndex = 0
        recorder = nil
        recycledOutputs = nil
        layerSteps = 0
        currentLayerStep = nil
        stepRecycles = false
        liveKerasNames = nil
        scopeDefaults = ScopeDefaults()
        self.training = training
        substitutions = substituting
        usedSubstitutions = []
        seededGenerator = nil
        seed = nil
        dropoutNoise = nil
        self.initialValues = initialValues
        created = []
        startingWeights = nil
        notFromStartingWeights = []
    }

    /// The value a layer computes with: the substitute if one was given for this
    /// variable, else its value.
    @inline(__always)
    public func value(of variable: Variable) throws -> Tensor {
        if substitutions.isEmpty { return read(variable) }
        return try substitutedValue(of: variable)
    }

    /// The variable's value; a trainable variable read while a tape records is watched by it,
    /// as TensorFlow's tape watches the trainable variables it sees read.
    @inline(__always)
    private func read(_ variable: Variable) -> Tensor {
        if variable.trainable, let tape = GradientTape.active { tape.watch(variable) }
        return variable.value
    }

    private func substitutedValue(of variable: Variable) throws -> Tensor {
        guard let tensor = substitutions[variable.name] else { return read(variable) }
        guard tensor.shape == variable.shape else {
            throw TensorError(op: "substitute", shapes: [variable.shape, tensor.shape],
                              reason: "do not fit: the tensor given for '\(variable.name)' must have the variable's shape")
        }
        usedSubstitutions.insert(variable.name)
        return tensor
    }

    /// Whether this call uses a tensor in place of the variable.
    public func isSubstituted(_ variable: Variable) -> Bool {
        !substitutions.isEmpty && substitutions[variable.name] != nil
    }

    /// Substitutions given for names that no variable read in this call has.
    public var unusedSubstitutions: [String] {
        substitutions.keys.filter { !usedSubstitutions.contains($0) }.sorted()
    }

    /// Makes a variable, with its pending restored value if any, and records its creation.
    /// Every path that creates a variable during a call goes through here;
    /// `getVariable` says it is made by `get_variable` (not by a Keras layer),
    /// so that ``startingWeights`` gives it TensorFlow's value.
    public func makeVariable(name: String, shape: [Int], initializer: Initializer?, regularizer: Regularizer?,
                             trainable: Bool, getVariable: Bool = false) throws -> Variable {
        let value: Tensor
        if let restored = initialValues.removeValue(forKey: name) {
            guard restored.shape == shape else {
                throw TensorError(op: "restore", shapes: [shape, restored.shape],
                                  reason: "do not fit: the value given for '\(name)' must have the variable's shape")
            }
            value = restored
        } else if startingWeights != nil, getVariable,
                  let seeded = try (initializer ?? .default).tensorFlowValue(shape: shape, tool: &startingWeights!) {
            value = seeded
        } else {
            if startingWeights != nil { notFromStartingWeights.append(name) }
            value = try (initializer ?? .default).makeValue(shape: shape, name: name)
        }
        let variable = Variable(name: name, value: value, trainable: trainable, regularizer: regularizer)
        created.append(variable)
        return variable
    }
}
