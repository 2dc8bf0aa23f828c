import Foundation

/// How a model's variable names map to a checkpoint's keys: for checkpoints of
/// migrated models, whose names gained or lost a prefix or were renamed.
///
/// A model name is mapped by the rename table first (exact names), then by
/// removing `stripPrefix` and adding `addPrefix`. TensorFlow 2 object-based keys
/// (`conv_layer/kernel/.ATTRIBUTES/VARIABLE_VALUE`) are matched by their object
/// path (`conv_layer/kernel`) below `objectRoot`; the variables of a
/// `track_tf1_style_variables` layer's store, which such checkpoints key as
/// `_tf1_style_var_store/_vars/model.Sdense.Skernel` (TensorFlow escapes `/` as
/// `.S` and `.` as `..`), by the TF1 name they stand for (`model/dense/kernel`).
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

    /// The checkpoint name a model variable is looked up by in a checkpoint of
    /// `scheme`: a name-based checkpoint keys a native variable by TensorFlow's
    /// variable name, not by its object path; a rename of its name comes first.
    public func checkpointName(for variable: ExpectedVariable, in scheme: CheckpointScheme) -> String {
        if renames[variable.name] == nil, scheme == .nameBased, let variableName = variable.variableName {
            return checkpointName(for: variableName)
        }
        if renames[variable.name] == nil, scheme == .objectBased, let objectPath = variable.objectPath {
            // As `variableKey(for:)` gives an object-based key below the root: escaped local names.
            return objectPath.map(ObjectGraph.escape).joined(separator: "/")
        }
        return checkpointName(for: variable.name)
    }

    static let objectSuffix = CheckpointScheme.objectSuffix

    static let shimStoreMarker = "_tf1_style_var_store/_vars/"

    /// The name a checkpoint key stands for: the key itself, or for a TF2
    /// object-based key its object path below `objectRoot` (for a variable of a
    /// shim store, at any depth, its TF1 name); nil for the bookkeeping entries
    /// of object-based checkpoints and for keys outside `objectRoot`.
    public func variableKey(for key: String) -> String? {
        if key == CheckpointScheme.objectGraphKey { return nil }
        guard key.hasSuffix(Self.objectSuffix) else { return key }
        var path = String(key.dropLast(Self.objectSuffix.count))
        if path == "save_counter" { return nil }
        if !objectRoot.isEmpty {
            guard path.hasPrefix(objectRoot) else { return nil }
            path.removeFirst(objectRoot.count)
        }
        if let marker = path.range(of: Self.shimStoreMarker, options: .backwards) {
            let escaped = path[marker.upperBound...]
            if !escaped.contains("/") { return Self.unescape(escaped) }
        }
        return path
    }

    /// TensorFlow's escaping of a local object name undone (`trackable_utils`):
    /// `.S` is `/`, `..` is `.`.
    static func unescape(_ name: Substring) -> String {
        var out = ""
        var iterator = name.makeIterator()
        while let c = iterator.next() {
            guard c == "." else { out.append(c); continue }
            switch iterator.next() {
            case "S"?: out.append("/")
            case "."?: out.append(".")
            case let other?: out.append("."); out.append(other)
            case nil: out.append(".")
            }
        }
        return out
    }
}
