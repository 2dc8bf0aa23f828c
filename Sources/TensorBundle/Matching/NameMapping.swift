/// How a model's variable names map to a checkpoint's keys: for checkpoints of
/// migrated models, whose names gained or lost a prefix or were renamed.
///
/// A model name is mapped by the rename table first (exact names), then by
/// removing `stripPrefix` and adding `addPrefix`. TensorFlow 2 object-based keys
/// (`conv_layer/kernel/.ATTRIBUTES/VARIABLE_VALUE`) are matched by their object
/// path (`conv_layer/kernel`) below `objectRoot`.
public struct NameMapping: Hashable, Sendable {
    public var renames: [String: String]
    public var stripPrefix: String?
    public var addPrefix: String?
    /// The object path of the model in a TF2 object-based checkpoint (`model/`), if any.
    public var objectRoot: String

    public init(renames: [String: String] = [:], stripPrefix: String? = nil, addPrefix: String? = nil, objectRoot: String = "") {
        self.renames = renames
        self.stripPrefix = stripPrefix
        self.addPrefix = addPrefix
        self.objectRoot = objectRoot
    }

    /// The checkpoint name a model variable is looked up by.
    public func checkpointName(for variable: String) -> String {
        if let renamed = renames[variable] { return renamed }
        var name = variable
        if let stripPrefix, name.hasPrefix(stripPrefix) { name.removeFirst(stripPrefix.count) }
        if let addPrefix { name = addPrefix + name }
        return name
    }

    static let objectSuffix = "/.ATTRIBUTES/VARIABLE_VALUE"

    /// The name a checkpoint key stands for: the key itself, or for a TF2
    /// object-based key its object path below `objectRoot`; nil for the
    /// bookkeeping entries of object-based checkpoints.
    public func variableKey(for key: String) -> String? {
        if key == "_CHECKPOINTABLE_OBJECT_GRAPH" { return nil }
        guard key.hasSuffix(Self.objectSuffix) else { return key }
        var path = String(key.dropLast(Self.objectSuffix.count))
        if path == "save_counter" { return nil }
        if !objectRoot.isEmpty {
            guard path.hasPrefix(objectRoot) else { return nil }
            path.removeFirst(objectRoot.count)
        }
        return path
    }
}
