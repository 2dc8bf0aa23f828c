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
///
/// An optimizer that keeps a slot per variable (`tf.compat.v1.train` ones,
/// Keras' legacy `OptimizerV2`) is an object of the graph (`optimizer` in
/// `tf.train.Checkpoint(model=…, optimizer=…)`) whose non-slot variables are
/// its children (`optimizer/beta1_power`) and whose slots are listed on its node
/// (`slot_variables`: the variable's node, the slot's name `m`, the slot's
/// node); a slot's node has no parent and comes after every other node, slots in
/// the order of their names, then of their variables' nodes; its key is the
/// variable's path, `.OPTIMIZER_SLOT`, the optimizer's path and the slot name
/// (`model/conv_layer/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE`),
/// as TensorFlow 2.21 writes it (`oracle/migration.py`).
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

    /// An optimizer's slot of a variable: the variable's path, the optimizer's
    /// path, the slot's name (`m`) and its `variable.name` (`…/kernel/Adam`).
    public struct Slot: Hashable, Sendable {
        public var variable: [String]
        public var optimizer: [String]
        public var name: String
        public var fullName: String

        public init(variable: [String], optimizer: [String], name: String, fullName: String) {
            self.variable = variable
            self.optimizer = optimizer
            self.name = name
            self.fullName = fullName
        }

        /// `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>/.ATTRIBUTES/VARIABLE_VALUE`.
        public var checkpointKey: String {
            (variable.map(ObjectGraph.escape) + [".OPTIMIZER_SLOT"] + optimizer.map(ObjectGraph.escape) + [ObjectGraph.escape(name)])
                .joined(separator: "/") + CheckpointScheme.objectSuffix
        }
    }

    public let variables: [Variable]
    public let slots: [Slot]

    /// - Throws: a ``CheckpointError`` when a path is empty, has an empty local
    ///   name, or is given twice, or a slot's variable is not among the variables.
    public init(_ variables: [Variable], slots: [Slot] = []) throws {
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
        var seenSlots = Set<Slot>()
        for slot in slots {
            guard seen.contains(slot.variable), !slot.optimizer.isEmpty, !slot.optimizer.contains(where: \.isEmpty), !slot.name.isEmpty,
                  seenSlots.insert(Slot(variable: slot.variable, optimizer: slot.optimizer, name: slot.name, fullName: "")).inserted else {
                throw CheckpointError(.invalidArgument, file: "(object graph)", entry: slot.fullName,
                                      "the slot '\(slot.name)' of '\(slot.variable.joined(separator: "/"))' is given twice, has an empty name, or its variable is not in the graph")
            }
        }
        self.variables = variables
        self.slots = slots
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
        func node(at path: [String]) -> Int {
            var node = 0
            for name in path {
                if let next = children[node].first(where: { $0.name == name }) {
                    node = next.node
                } else {
                    children.append([])
                    children[node].append((name, children.count - 1))
                    node = children.count - 1
                }
            }
            return node
        }
        for variable in variables {
            leaf[node(at: variable.path)] = variable
        }
        for slot in slots { _ = node(at: slot.optimizer) }
        // Renumbered breadth first; then the slots, by name, then by their variable's number.
        var order = [0]
        var next = 0
        while next < order.count {
            order += children[order[next]].map(\.node)
            next += 1
        }
        let number = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let pathNumber = { (path: [String]) in number[node(at: path)]! }
        let sortedSlots = slots.sorted { ($0.name, pathNumber($0.variable)) < ($1.name, pathNumber($1.variable)) }
        var slotsOfOptimizer: [Int: [(slot: Slot, number: Int)]] = [:]
        for (index, slot) in sortedSlots.enumerated() {
            slotsOfOptimizer[node(at: slot.optimizer), default: []].append((slot, order.count + index))
        }
        func attribute(fullName: String, key: String) -> Tensorflow_TrackableObjectGraph.TrackableObject.SerializedTensor {
            var tensor = Tensorflow_TrackableObjectGraph.TrackableObject.SerializedTensor()
            tensor.name = "VARIABLE_VALUE"
            tensor.fullName = fullName
            tensor.checkpointKey = key
            return tensor
        }
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
                object.attributes = [attribute(fullName: variable.fullName, key: variable.checkpointKey)]
            }
            object.slotVariables = (slotsOfOptimizer[node] ?? []).map { slot, slotNumber in
                var reference = Tensorflow_TrackableObjectGraph.TrackableObject.SlotVariableReference()
                reference.originalVariableNodeID = Int32(pathNumber(slot.variable))
                reference.slotName = slot.name
                reference.slotVariableNodeID = Int32(slotNumber)
                return reference
            }
            object.hasCheckpointValues_p = Google_Protobuf_BoolValue(true)
            return object
        }
        for slot in sortedSlots {
            var object = Tensorflow_TrackableObjectGraph.TrackableObject()
            object.attributes = [attribute(fullName: slot.fullName, key: slot.checkpointKey)]
            object.hasCheckpointValues_p = Google_Protobuf_BoolValue(true)
            graph.nodes.append(object)
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

    /// The optimizer slots of a serialized graph, each with its key, and every
    /// variable at its path (as ``variables(inSerialized:)``).
    public static func slots(inSerialized bytes: [UInt8]) throws -> [(slot: Slot, key: String)] {
        let graph = try Tensorflow_TrackableObjectGraph(serializedBytes: bytes)
        var paths: [Int: [String]] = [0: []]
        var queue = [0]
        var index = 0
        while index < queue.count {
            let node = queue[index]
            index += 1
            guard node < graph.nodes.count else { continue }
            for child in graph.nodes[node].children where paths[Int(child.nodeID)] == nil {
                paths[Int(child.nodeID)] = paths[node]! + [child.localName]
                queue.append(Int(child.nodeID))
            }
        }
        var found: [(Slot, String)] = []
        for (node, object) in graph.nodes.enumerated() {
            for reference in object.slotVariables {
                let slotNode = Int(reference.slotVariableNodeID)
                guard let optimizer = paths[node], let variable = paths[Int(reference.originalVariableNodeID)],
                      slotNode < graph.nodes.count,
                      let attribute = graph.nodes[slotNode].attributes.first(where: { $0.name == "VARIABLE_VALUE" }) else { continue }
                found.append((Slot(variable: variable, optimizer: optimizer, name: reference.slotName, fullName: attribute.fullName),
                              attribute.checkpointKey))
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
