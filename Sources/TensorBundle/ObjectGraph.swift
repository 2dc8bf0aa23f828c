import SwiftProtobuf

/// The object graph of a TensorFlow 2 object-based checkpoint
/// (`tf.train.Checkpoint`), which TensorFlow stores as a scalar string under
/// `_CHECKPOINTABLE_OBJECT_GRAPH` and walks to restore a variable by its path:
/// from the root object (node 0) along each child's local name to the node whose
/// `VARIABLE_VALUE` attribute names the key holding the value.
///
/// Built from the object path of each variable (`["model", "conv_layer", "kernel"]`;
/// a variable of a `track_tf1_style_variables` store is
/// `[..., "_tf1_style_var_store", "_vars", "model/dense/kernel"]`, its TF1 name
/// one local name). Nodes are numbered breadth first, children in the order
/// the variables are given, as TensorFlow numbers the objects it saves.
public struct ObjectGraph: Sendable {
    /// A variable at its object path, with TensorFlow's `variable.name` (without `:0`).
    public struct Variable: Hashable, Sendable {
        public var path: [String]
        public var fullName: String

        public init(path: [String], fullName: String) {
            self.path = path
            self.fullName = fullName
        }

        /// The checkpoint key of its value: the path's local names escaped as
        /// TensorFlow escapes them (`.` as `..`, `/` as `.S`), joined by `/`,
        /// with `/.ATTRIBUTES/VARIABLE_VALUE`.
        public var checkpointKey: String {
            path.map(ObjectGraph.escape).joined(separator: "/") + CheckpointScheme.objectSuffix
        }
    }

    public let variables: [Variable]

    /// - Throws: a ``CheckpointError`` when a path is empty, has an empty local
    ///   name, or is given twice.
    public init(_ variables: [Variable]) throws {
        var seen = Set<[String]>()
        for variable in variables {
            guard !variable.path.isEmpty, !variable.path.contains(where: \.isEmpty) else {
                throw CheckpointError(.invalidArgument, file: "(object graph)", entry: variable.fullName,
                                      "the object path '\(variable.path.joined(separator: "/"))' has an empty local name")
            }
            guard seen.insert(variable.path).inserted else {
                throw CheckpointError(.invalidArgument, file: "(object graph)", entry: variable.fullName,
                                      "two variables at the object path '\(variable.path.joined(separator: "/"))'")
            }
        }
        self.variables = variables
    }

    /// `trackable_utils.escape_local_name`.
    public static func escape(_ localName: String) -> String {
        localName.replacingOccurrences(of: ".", with: "..").replacingOccurrences(of: "/", with: ".S")
    }

    /// The serialized `TrackableObjectGraph`.
    public func serializedBytes() throws -> [UInt8] {
        // A trie of the paths: node 0 is the root.
        var children: [[(name: String, node: Int)]] = [[]]
        var leaf: [Int: Variable] = [:]
        for variable in variables {
            var node = 0
            for name in variable.path {
                if let next = children[node].first(where: { $0.name == name }) {
                    node = next.node
                } else {
                    children.append([])
                    children[node].append((name, children.count - 1))
                    node = children.count - 1
                }
            }
            leaf[node] = variable
        }
        // Renumbered breadth first.
        var order = [0]
        var next = 0
        while next < order.count {
            order += children[order[next]].map(\.node)
            next += 1
        }
        let number = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var graph = Tensorflow_TrackableObjectGraph()
        graph.nodes = order.map { node in
            var object = Tensorflow_TrackableObjectGraph.TrackableObject()
            object.children = children[node].map { child in
                var reference = Tensorflow_TrackableObjectGraph.TrackableObject.ObjectReference()
                reference.nodeID = Int32(number[child.node]!)
                reference.localName = child.name
                return reference
            }
            if let variable = leaf[node] {
                var tensor = Tensorflow_TrackableObjectGraph.TrackableObject.SerializedTensor()
                tensor.name = "VARIABLE_VALUE"
                tensor.fullName = variable.fullName
                tensor.checkpointKey = variable.checkpointKey
                object.attributes = [tensor]
            }
            object.hasCheckpointValues_p = Google_Protobuf_BoolValue(true)
            return object
        }
        return try graph.serializedBytes()
    }

    /// The variables of a serialized graph: each node with a `VARIABLE_VALUE`
    /// attribute at the first path that reaches it breadth first, with its key.
    public static func variables(inSerialized bytes: [UInt8]) throws -> [(variable: Variable, key: String)] {
        let graph = try Tensorflow_TrackableObjectGraph(serializedBytes: bytes)
        var paths: [Int: [String]] = [0: []]
        var queue = [0]
        var found: [(Variable, String)] = []
        var index = 0
        while index < queue.count {
            let node = queue[index]
            index += 1
            guard node < graph.nodes.count else { continue }
            let object = graph.nodes[node]
            if let attribute = object.attributes.first(where: { $0.name == "VARIABLE_VALUE" }) {
                found.append((Variable(path: paths[node]!, fullName: attribute.fullName), attribute.checkpointKey))
            }
            for child in object.children where paths[Int(child.nodeID)] == nil {
                paths[Int(child.nodeID)] = paths[node]! + [child.localName]
                queue.append(Int(child.nodeID))
            }
        }
        return found
    }
}

extension CheckpointWriter {
    /// Adds the object graph of a TensorFlow 2 object-based checkpoint under
    /// `_CHECKPOINTABLE_OBJECT_GRAPH`.
    public mutating func add(_ graph: ObjectGraph) throws {
        try add(name: CheckpointScheme.objectGraphKey, shape: [], strings: [try graph.serializedBytes()])
    }
}
