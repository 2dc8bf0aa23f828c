import TFNaming

/// What one call of a shim model decided about names, in order: each scope it
/// entered or left through ``TF1`` and each variable `get_variable` resolved.
///
/// Naming is the same on every call of a model (each top-level call starts
/// from a fresh scope store, and the variables exist after the first call), so
/// TensorFlow's rules need to run once: the first call records the plan, and
/// later calls replay it, comparing each step the code asks for with the next
/// step of the plan (a few word compares: literal names, shapes) and taking the
/// recorded variable — the live object, whose value `assign` and checkpoint
/// loading change — with no scope names built, no counters and no lookup by
/// name. The scope store is not kept up to date while a plan is replayed; it is
/// rebuilt from the steps replayed so far (``ScopeStep/apply(to:)``, the rules
/// the live path runs) the moment anything else needs it:
///
/// - code the plan does not cover reads or changes ``CallContext/scopes``
///   (a layer object, a template, `get_or_create_layer`): the rest of the call
///   runs the live rules;
/// - the code asks for a step other than the plan's next (another path, another
///   variable shape: the live rules raise TensorFlow's errors there): the rest
///   of the call runs the live rules and records, and the call's steps become
///   the plan;
/// - the call throws: the plan is kept as it was.
///
/// A recording stops (the plan is ``complete`` up to there) when code it does
/// not cover changes the scopes; replays stop at the same place.
final class CallPlan {
    /// One naming decision.
    enum Step {
        case scope(ScopeStep)
        case variable(VariableStep)
    }

    let steps: [Step]
    /// False when the recorded call went on changing scopes outside the steps.
    let complete: Bool
    /// The stores of nested shim layers whose variables the steps name, kept
    /// alive so that their identities stay theirs (the owner's is not kept: it holds the plan).
    let stores: [ShimStore]

    init(steps: [Step], complete: Bool, stores: [ShimStore]) {
        self.steps = steps
        self.complete = complete
        self.stores = stores
    }

    /// The steps of a call being recorded.
    struct Recorder {
        let owner: ObjectIdentifier
        var steps: [Step] = []
        var complete = true
        var stores: [ShimStore] = []

        mutating func append(_ step: Step) {
            guard complete else { return }
            steps.append(step)
        }

        var plan: CallPlan { CallPlan(steps: steps, complete: complete, stores: stores) }
    }
}

/// A change of the scope store that ``TF1`` makes, as a value: compared while a
/// plan is replayed, applied (the live rules) otherwise.
enum ScopeStep: Equatable {
    /// `variable_scope(name, reuse=)`.
    case enter(String, Reuse)
    /// `variable_scope(None, default_name=)`.
    case enterDefault(String)
    /// `variable_scope(captured_scope, reuse=)`.
    case enterCaptured(VariableScope, Reuse)
    /// A functional `tf.compat.v1.layers` call's scope (``LegacyLayerNaming``).
    case enterLayer(baseName: String, name: String?, reuse: Reuse)
    /// An RNN cell object's first call (``RNNLoopNaming/enterCell(_:_:)``).
    case enterCell(String)
    /// Leaving the innermost scope.
    case exit
    /// `record_scope(name)`: entered and left at once.
    case record(String)
    /// A `tf.compat.v1.layers` object with no `name` takes a Keras layer name of this base
    /// (``CallContext/kerasNames``'s counters; the scopes are left as they are).
    case kerasLayerName(String)

    /// Does what the step stands for to `scopes`.
    func apply(to scopes: inout ScopeStore) {
        switch self {
        case let .enter(name, reuse):
            scopes.enter(name, reuse: reuse)
        case let .enterDefault(name):
            scopes.enter(defaultName: name)
        case let .enterCaptured(scope, reuse):
            scopes.enter(scope, reuse: reuse)
        case let .enterLayer(baseName, name, reuse):
            var naming = LegacyLayerNaming(className: baseName, name: name, functional: true, reuse: reuse, scopes: &scopes)
            naming.enterCall(&scopes)
        case let .enterCell(baseName):
            RNNLoopNaming.enterCell(baseName, &scopes)
        case .exit:
            scopes.exit()
        case let .record(name):
            scopes.enter(name)
            scopes.exit()
        case .kerasLayerName:
            break
        }
    }

    /// Does what the step stands for to the call's Keras names (a ``kerasLayerName(_:)`` takes one).
    func apply(to names: inout KerasModelNames?) {
        if case let .kerasLayerName(baseName) = self { _ = names?.layers.uniqueName(baseName) }
    }
}

/// A variable `get_variable` resolved: what was asked (in which store, by which
/// relative name, shape and dtype) and the variable that answered.
struct VariableStep {
    let store: ObjectIdentifier
    let name: String
    let shape: [Int]
    let dtype: DType
    let variable: Variable

    func answers(_ name: String, _ request: VariableRequest, in store: ShimStore) -> Bool {
        self.store == ObjectIdentifier(store) && self.name == name && shape == request.shape && dtype == request.dtype
    }

    /// Whether the shape is `[first, second]`, or `[first]` when `second` is nil.
    func hasShape(_ first: Int, _ second: Int?) -> Bool {
        guard let second else { return shape.count == 1 && shape[0] == first }
        return shape.count == 2 && shape[0] == first && shape[1] == second
    }
}

extension CallContext {
    /// Starts recording or replaying `store`'s plan when this is the outermost
    /// shim call of a fresh context; false when another call owns the plan or
    /// scopes were opened before (the live rules then run).
    func beginPlan(of store: ShimStore) -> Bool {
        guard planOwner == nil, replaying == nil, recorder == nil, liveScopes.isInitial else { return false }
        planOwner = ObjectIdentifier(store)
        recycledOutputs = store.recycledOutputs
        layerSteps = 0
        if let plan = store.plan {
            replaying = plan
            replayIndex = 0
        } else {
            recorder = CallPlan.Recorder(owner: ObjectIdentifier(store))
        }
        return true
    }

    /// Ends the owner's call: the plan to keep for the next calls, or nil to keep the one it has.
    /// A replay stays pending: the scopes are rebuilt if anything reads them after the call.
    func endPlan() -> CallPlan? {
        defer { planOwner = nil; recorder = nil; recycledOutputs = nil }
        if let recorder { return recorder.plan }
        if let plan = replaying, replayIndex < plan.steps.count || !plan.complete {
            // The call took fewer steps than the plan: they are the plan now.
            return CallPlan(steps: Array(plan.steps[..<replayIndex]), complete: true, stores: plan.stores)
        }
        return nil
    }

    /// Ends an owner's call that threw: the plan stays as it was.
    func abandonPlan() {
        planOwner = nil
        recorder = nil
        recycledOutputs = nil
    }

    /// Enters or leaves a scope: the plan's next step when it is the same, else the live rules (recorded).
    func perform(_ step: ScopeStep) {
        if let plan = replaying {
            if planOwner != nil, replayIndex < plan.steps.count, case let .scope(planned) = plan.steps[replayIndex], planned == step {
                replayIndex += 1
                return
            }
            diverge()
        }
        step.apply(to: &liveScopes)
        step.apply(to: &liveKerasNames)
        recorder?.append(.scope(step))
    }

    /// The variable the plan's next step resolved, when it answers the same request; nil otherwise
    /// (the caller then looks it up by the live rules and ``record(_:_:_:in:)``s it).
    func plannedVariable(_ name: String, _ request: VariableRequest, in store: ShimStore) -> Variable? {
        guard let plan = replaying else { return nil }
        if planOwner != nil, replayIndex < plan.steps.count, case let .variable(planned) = plan.steps[replayIndex],
           planned.answers(name, request, in: store) {
            replayIndex += 1
            return planned.variable
        }
        diverge()
        return nil
    }

    /// A functional layer's weight `name` of shape `[first, second]` (`[first]` when `second` is nil),
    /// when the plan's next step resolved it in the store of the layer running now: the recorded
    /// variable, with no ``WeightRequest`` and no shape array built. Nil otherwise, the plan left as
    /// it is: the layer then asks by its request (``plannedVariable(_:_:in:)``, which diverges).
    func replayedLayerWeight(_ name: String, _ first: Int, _ second: Int? = nil) -> Variable? {
        guard let store = layerWeightStore, let plan = replaying, planOwner != nil, replayIndex < plan.steps.count,
              case let .variable(planned) = plan.steps[replayIndex], planned.store == store,
              planned.dtype == .float32, planned.name == name, planned.hasShape(first, second) else { return nil }
        replayIndex += 1
        return planned.variable
    }

    /// Records a variable resolved by the live rules.
    func record(_ variable: Variable, _ name: String, _ request: VariableRequest, in store: ShimStore) {
        guard recorder != nil else { return }
        let id = ObjectIdentifier(store)
        if id != recorder!.owner, !recorder!.stores.contains(where: { $0 === store }) { recorder!.stores.append(store) }
        recorder!.append(.variable(VariableStep(store: id, name: name, shape: request.shape, dtype: request.dtype, variable: variable)))
    }

    /// The code asked for another step than the plan's next: the scopes are rebuilt, and
    /// the rest of the owner's call is recorded after the steps replayed.
    private func diverge() {
        guard let plan = replaying else { return }
        let replayed = replayIndex
        leaveReplay()
        if let owner = planOwner {
            recorder = CallPlan.Recorder(owner: owner, steps: Array(plan.steps[..<replayed]), complete: true, stores: plan.stores)
        }
    }

    /// Rebuilds the scope store from the steps replayed so far, and takes the Keras names
    /// they took; the live rules run from here.
    func leaveReplay() {
        guard let plan = replaying else { return }
        replaying = nil
        var scopes = ScopeStore()
        for case let .scope(step) in plan.steps[..<replayIndex] {
            step.apply(to: &scopes)
            step.apply(to: &liveKerasNames)
        }
        liveScopes = scopes
    }

    /// Code outside the plan's steps changes the scopes: a replay ends, a recording stops here.
    func scopesChangedOutsidePlan() {
        leaveReplay()
        recorder?.complete = false
    }
}
