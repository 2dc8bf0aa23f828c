import TFNaming

/// Every variable a model makes, in creation order, as TensorFlow names it.
public struct Manifest: Hashable, Sendable {
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

        public init(name: String, shape: [Int], dtype: String, trainable: Bool, naming: Naming = .scope) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
            self.trainable = trainable
            self.naming = naming
        }

        private enum CodingKeys: String, CodingKey {
            case name, shape, dtype, trainable
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
