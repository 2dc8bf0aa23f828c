/// A `tf.compat.v1.train` optimizer: TensorFlow's update rule, defaults, slot variables and
/// their names, so that a checkpoint of its state is TensorFlow's.
///
///     let optimizer = AdamOptimizer(learningRate: 0.001)
///     let step = GlobalStep()
///     for batch in batches {
///         let loss = try optimizer.minimize(model, globalStep: step) {
///             try Losses.sparseSoftmaxCrossEntropy(labels: batch.labels, logits: model(batch.images, training: true))
///         }
///     }
///
/// `minimize` records the loss on a ``GradientTape``, takes the gradients of the model's
/// trainable weights (`trainableWeights`: non-trainable variables, moving statistics and the
/// variables of frozen layers are left alone), applies them, and increments the global step,
/// as `optimizer.minimize(loss, global_step=)` does in a TF1 graph. Batch normalization's
/// moving statistics are updated by the forward call in training, as `UPDATE_OPS` run with
/// each step.
public protocol Optimizer: AnyObject {
    /// The optimizer's `name=`, the last component of its slots' names (`Adam`).
    var name: String { get }
    /// The slot and state variables made so far, and values restored for those not made yet.
    var slots: OptimizerSlots { get }
    /// How many slots it makes for each variable (`Adam`: 2, `m` then `v`).
    var slotsPerVariable: Int { get }
    /// The names of its state scalars (`beta1_power`, `beta2_power`), made at the first step.
    var stateScalars: [String] { get }
    /// Applies one step of gradients to their variables (`apply_gradients`), making slots on first use;
    /// ``IndexedSlices`` go through the optimizer's sparse kernel.
    func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws
}

extension Optimizer {
    /// Every slot and state variable made so far, named as TensorFlow names them
    /// (`model/dense/kernel/Adam`, `beta1_power`), in creation order.
    public var stateVariables: [Variable] { slots.created }

    /// The names of the slots and state this optimizer keeps for `variables`, as a
    /// `Saver()` checkpoint of TensorFlow's training names them.
    public func stateNames(for variables: [Variable]) -> [String] {
        variables.flatMap { variable in
            (0..<slotsPerVariable).map { OptimizerSlots.slotName(variable.name, optimizer: name, index: $0) }
        } + stateScalars
    }

    /// Applies one step of dense gradients to their variables.
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        try apply(gradients.map { (gradient: VariableGradient.dense($0.gradient), variable: $0.variable) })
    }

    /// Gives slots and state these values (a checkpoint's), by name: those made now are assigned,
    /// the others are made with them at the first step.
    public func restore(_ values: [String: Tensor]) throws {
        for (name, value) in values {
            if let existing = slots.created.first(where: { $0.name == name }) {
                try existing.assign(value)
            } else {
                slots.pending[name] = value
            }
        }
    }

    /// One training step: the gradients of `loss` with respect to `variables` (nil: the trainable
    /// weights of `model`), applied (a table read only by row lookups by the sparse kernel, as
    /// TensorFlow's `IndexedSlices`); `globalStep` incremented. Returns the loss.
    @discardableResult
    public func minimize(_ model: any Layer, variables: [Variable]? = nil, globalStep: GlobalStep? = nil,
                         _ loss: () throws -> Tensor) throws -> Tensor {
        let list = variables ?? model.trainableWeights
        // The tape is released before the update: while it keeps the variables' values, updating
        // them in place would copy each one first.
        let (value, gradients) = try { () throws -> (Tensor, [VariableGradient?]) in
            let tape = GradientTape()
            let value = try tape.record(loss)
            return (value, try tape.variableGradients(of: value, withRespectTo: list))
        }()
        let pairs = zip(gradients, list).compactMap { gradient, variable in gradient.map { ($0, variable) } }
        guard !pairs.isEmpty || list.isEmpty else {
            throw TensorError(op: "minimize", shapes: [value.shape],
                              reason: "has no gradient for any variable (\(list.prefix(3).map(\.name).joined(separator: ", "))...): the loss does not depend on them")
        }
        try apply(pairs)
        globalStep?.increment()
        return value
    }
}

/// `tf.compat.v1.train.get_or_create_global_step()`: the step count, an int64 scalar named
/// `global_step` in checkpoints.
public final class GlobalStep {
    public private(set) var value: Int64
    public init(_ value: Int64 = 0) { self.value = value }
    public func increment() { value += 1 }
    /// Sets the count (restored from a checkpoint).
    public func assign(_ newValue: Int64) { value = newValue }
}

/// The slots of an optimizer: per variable, zero or more variables of its shape named
/// `<variable>/<optimizer name>`, `<variable>/<optimizer name>_1`, ... in creation order
/// (`slot_creator` in `variable_scope(None, default_name=name)`), and its state scalars.
public final class OptimizerSlots {
    let optimizer: String
    private var slots: [ObjectIdentifier: [Variable]] = [:]
    /// Every slot and state variable, in creation order.
    public private(set) var created: [Variable] = []
    /// Values for slots and state made later, by full name (a restored checkpoint).
    var pending: [String: Tensor] = [:]

    /// `<variable>/<optimizer>` for the first slot, `<variable>/<optimizer>_<index>` for the others.
    static func slotName(_ variable: String, optimizer: String, index: Int) -> String {
        "\(variable)/\(optimizer)" + (index == 0 ? "" : "_\(index)")
    }

    init(optimizer: String) { self.optimizer = optimizer }

    /// The variable's slots, made with `initial` values (one per slot) on first use.
    func slots(of variable: Variable, initial: [Float]) throws -> [Variable] {
        if let existing = slots[ObjectIdentifier(variable)] { return existing }
        let made = try initial.enumerated().map { k, value in
            let name = Self.slotName(variable.name, optimizer: optimizer, index: k)
            let start = try pending.removeValue(forKey: name) ?? Tensor(shape: variable.shape, repeating: value)
            guard start.shape == variable.shape else {
                throw TensorError(op: "slot", shapes: [variable.shape, start.shape],
                                  reason: "do not fit: the value given for '\(name)' must have its variable's shape")
            }
            return Variable(name: name, value: start, trainable: false)
        }
        slots[ObjectIdentifier(variable)] = made
        created += made
        return made
    }

    /// An optimizer state scalar (`beta1_power`), made once.
    func scalar(_ name: String, initial: Float) -> Variable {
        if let existing = created.first(where: { $0.name == name }) { return existing }
        let variable = Variable(name: name, value: pending.removeValue(forKey: name) ?? Tensor(initial), trainable: false)
        created.append(variable)
        return variable
    }
}
