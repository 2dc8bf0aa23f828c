/// A model that takes variable values by full name, also for variables it has
/// not created yet: those values are kept and given to the variables when the
/// first call creates them (through ``CallContext/initialValues``), so a
/// checkpoint can be loaded right after `init`, before anything runs.
///
/// `ModelSpecInterpreter.InterpretedModel` conforms; a generated model type
/// conforms by keeping the pending values and passing them to the
/// `CallContext` of its next call. `ModelSpecCheckpoints` loads checkpoints
/// into any `RestorableLayer` by name.
public protocol RestorableLayer: Layer {
    /// The variables created so far, in creation order.
    var createdVariables: [Variable] { get }

    /// Gives variables the values of `tensors`, by full name: the existing ones
    /// now (shapes must agree), the others when they are created.
    func load(_ tensors: [String: Tensor]) throws
}
