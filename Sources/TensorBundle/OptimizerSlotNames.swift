/// How a `tf.compat.v1.train` optimizer names its per-variable slots in the two
/// checkpoint schemes. Its `_create_slots` makes them in a fixed order with
/// `slot_creator`, each in `variable_scope(None, "<variable>/<optimizer name>")`,
/// so a name-based (`Saver`) checkpoint keys them `<variable>/Adam`,
/// `<variable>/Adam_1`, … in that order; an object-based one
/// (`tf.train.Checkpoint(optimizer=…)`) by the slot's own name (`m`, `v`) below
/// the variable (``ObjectGraph/Slot``). Its non-slot variables (`beta1_power`)
/// are children of the optimizer object with their own names.
/// (`tensorflow/python/training/*.py`, TensorFlow 2.21.)
public struct OptimizerSlotNames: Hashable, Sendable {
    /// The kind, as `convert --optimizer` takes it (`adam`).
    public var kind: String
    /// The default `name=`: the name-based slots' base name.
    public var defaultName: String
    /// The slots' own names in creation order.
    public var slots: [String]
    /// The names of the optimizer's non-slot variables.
    public var nonSlotVariables: [String] = []

    public static let all: [OptimizerSlotNames] = [
        OptimizerSlotNames(kind: "adam", defaultName: "Adam", slots: ["m", "v"], nonSlotVariables: ["beta1_power", "beta2_power"]),
        OptimizerSlotNames(kind: "momentum", defaultName: "Momentum", slots: ["momentum"]),
        OptimizerSlotNames(kind: "rmsprop", defaultName: "RMSProp", slots: ["rms", "momentum"]),
        OptimizerSlotNames(kind: "rmsprop_centered", defaultName: "RMSProp", slots: ["rms", "mg", "momentum"]),
        OptimizerSlotNames(kind: "adagrad", defaultName: "Adagrad", slots: ["accumulator"]),
        OptimizerSlotNames(kind: "adagrad_da", defaultName: "AdagradDA", slots: ["gradient_accumulator", "gradient_squared_accumulator"]),
        OptimizerSlotNames(kind: "adadelta", defaultName: "Adadelta", slots: ["accum", "accum_update"]),
        OptimizerSlotNames(kind: "ftrl", defaultName: "Ftrl", slots: ["accum", "linear"]),
        OptimizerSlotNames(kind: "proximal_adagrad", defaultName: "ProximalAdagrad", slots: ["accumulator"]),
    ]

    /// The kind named `kind` (`adam`), or nil.
    public static func named(_ kind: String) -> OptimizerSlotNames? {
        all.first { $0.kind == kind }
    }

    /// The kind whose default name is `name` and that makes `count` slots a
    /// variable (RMSProp makes 3 when centered), or nil.
    public static func inferred(defaultName name: String, slotCount count: Int) -> OptimizerSlotNames? {
        all.first { $0.defaultName == name && $0.slots.count == count }
    }

    /// `Adam` → (`Adam`, 0), `Adam_1` → (`Adam`, 1): a name-based slot's base
    /// name and its place in the variable's slots.
    public static func nameAndIndex(_ suffix: String) -> (name: String, index: Int) {
        if let underscore = suffix.lastIndex(of: "_"),
           let index = Int(suffix[suffix.index(after: underscore)...]), index > 0,
           suffix[suffix.index(after: underscore)...].allSatisfy(\.isNumber) {
            return (String(suffix[..<underscore]), index)
        }
        return (suffix, 0)
    }
}
