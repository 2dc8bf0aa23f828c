import TFNaming

/// Every variable a model makes, in creation order, as TensorFlow names it.
public struct Manifest: Hashable, Sendable {
    /// Where TensorFlow 2's object graph keeps the weight of a
    /// `get_or_create_layer` layer: in the `_layers` of the
    /// `track_tf1_style_variables` store that made it, by the store's key of the
    /// layer (`<variable scope name>/<name>`, `/dense_model` at the top), then the
    /// weight's path in the layer (`kernel`; `layer_with_weights-0/kernel` when the
    /// layer is the one layer of a Keras model), as TensorFlow 2.21 writes it
    /// (`oracle/migration.py`).
    public struct StoredLayerWeight: Hashable, Sendable {
        /// The attribute path (below the model) of the shim layer whose store holds it (`""` for the model's own).
        public var store: String
        /// The local names below `_tf1_style_var_store/_layers`: the layer's key, then the weight's path.
        public var path: [String]

        /// The object path below the model (local names, unescaped).
        public var objectPath: [String] {
            store.split(separator: "/").map(String.init) + ["_tf1_style_var_store", "_layers"] + path
        }
    }

    /// How a variable's name is made.
    public enum Naming: String, Hashable, Sendable {
        /// By TensorFlow's variable scopes (`get_variable`, `tf.compat.v1.layers`,
        /// templates, `get_or_create_layer`): the name TensorFlow gives it.
        case scope
        /// By attribute path (native layers in `layers:`, `weights:`): the key of a
        /// TensorFlow 2 object-based checkpoint below the model (`conv_layer/kernel`),
        /// not TensorFlow's `variable.name`, which depends on Keras' global name counters.
        case attributePath
    }

    public struct Entry: Hashable, Sendable, Codable {
        /// The full name without `:0` (`model/conv2d/kernel`), or the attribute path.
        public var name: String
        public var shape: [Int]
        public var dtype: String
        public var trainable: Bool
        /// How `name` is made; not part of the JSON form.
        public var naming: Naming = .scope
        /// TensorFlow's `variable.name` without `:0`, the key of a name-based
        /// (`Saver`) checkpoint: `name` for a scope-named variable; for a native
        /// one its Keras name (`fully_native_model/conv2d/kernel`), made from the
        /// enclosing layers' and its own Keras names as in a fresh process.
        public var variableName: String
        /// The key of a TensorFlow 2 object-based checkpoint below the model
        /// (`conv_layer/kernel`): `name` for an attribute-path variable; nil for one
        /// reached only through the shim's store.
        public var objectPath: String? { naming == .attributePath ? name : nil }
        /// For a scope-named variable, the attribute path (below the model) of the
        /// shim layer whose `track_tf1_style_variables` store holds it: `""` for the
        /// model's own store, `dense_layer` for a nested spec's; nil for the weights
        /// of a `get_or_create_layer` layer, which the store keeps in its `_layers`
        /// (``storedLayer``). Not part of the JSON form.
        public var storePath: String? = ""
        /// For the weight of a `get_or_create_layer` layer: where TensorFlow 2's
        /// object graph keeps it. Not part of the JSON form.
        public var storedLayer: StoredLayerWeight?
        /// The parts graph-mode TensorFlow 1 makes of a variable created under a scope's
        /// partitioner (`kernel/part_0`, ...), in order; nil when it is not partitioned.
        /// The variable itself is whole: `name` and `shape` are the checkpoint's key and
        /// full shape, which a `Saver` writes the parts into as slices.
        public var partitions: [VariablePart]?

        public init(name: String, shape: [Int], dtype: String, trainable: Bool, naming: Naming = .scope, variableName: String? = nil) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
            self.trainable = trainable
            self.naming = naming
            self.variableName = variableName ?? name
        }

        private enum CodingKeys: String, CodingKey {
            case name, shape, dtype, trainable
            case variableName = "variable_name"
            case objectPath = "object_path"
            case partitions
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            shape = try container.decode([Int].self, forKey: .shape)
            dtype = try container.decode(String.self, forKey: .dtype)
            trainable = try container.decode(Bool.self, forKey: .trainable)
            let objectPath = try container.decodeIfPresent(String.self, forKey: .objectPath)
            naming = objectPath == nil ? .scope : .attributePath
            variableName = try container.decodeIfPresent(String.self, forKey: .variableName) ?? name
            partitions = try container.decodeIfPresent([VariablePart].self, forKey: .partitions)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(shape, forKey: .shape)
            try container.encode(dtype, forKey: .dtype)
            try container.encode(trainable, forKey: .trainable)
            try container.encode(variableName, forKey: .variableName)
            try container.encode(objectPath, forKey: .objectPath)
            try container.encodeIfPresent(partitions, forKey: .partitions)
        }
    }

    /// Variables in the order the first call creates them.
    public var variables: [Entry]

    /// Indices into ``variables`` in the order of Keras' `layer.trainable_weights`.
    public var trainableWeightsOrder: [Int]
    /// Indices into ``variables`` in the order of Keras' `layer.non_trainable_weights`.
    public var nonTrainableWeightsOrder: [Int]
    /// Indices into ``variables`` in the order of Keras' `layer.weights`:
    /// the trainable weights, then the non-trainable ones.
    public var weightsOrder: [Int] { trainableWeightsOrder + nonTrainableWeightsOrder }

    /// A manifest whose weights order is its creation order (trainable ones first).
    public init(variables: [Entry]) {
        self.variables = variables
        self.trainableWeightsOrder = variables.indices.filter { variables[$0].trainable }
        self.nonTrainableWeightsOrder = variables.indices.filter { !variables[$0].trainable }
    }

    public init(variables: [Entry], trainableWeightsOrder: [Int], nonTrainableWeightsOrder: [Int]) {
        self.variables = variables
        self.trainableWeightsOrder = trainableWeightsOrder
        self.nonTrainableWeightsOrder = nonTrainableWeightsOrder
    }

    /// The variables in `layer.weights` order.
    public var weights: [Entry] { weightsOrder.map { variables[$0] } }
    /// The variables in `layer.trainable_weights` order.
    public var trainableWeights: [Entry] { trainableWeightsOrder.map { variables[$0] } }
    /// The variables in `layer.non_trainable_weights` order.
    public var nonTrainableWeights: [Entry] { nonTrainableWeightsOrder.map { variables[$0] } }
}
