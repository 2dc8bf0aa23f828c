import TFNaming

/// Every variable a model makes, in creation order, as TensorFlow names it.
public struct Manifest: Hashable, Sendable {
    public struct Entry: Hashable, Sendable, Codable {
        /// The full name without `:0` (`model/conv2d/kernel`).
        public var name: String
        public var shape: [Int]
        public var dtype: String
        public var trainable: Bool

        public init(name: String, shape: [Int], dtype: String, trainable: Bool) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
            self.trainable = trainable
        }
    }

    /// Variables in the order the first call creates them.
    public var variables: [Entry]

    public init(variables: [Entry]) {
        self.variables = variables
    }
}
