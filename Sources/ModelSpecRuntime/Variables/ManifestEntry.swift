/// One variable of a generated model's manifest: what the first call creates,
/// as TensorFlow names it, known before anything runs. Generated model types
/// list them in creation order as `static let manifest`.
public struct ManifestEntry: Hashable, Sendable, CustomStringConvertible {
    /// The full name (`model/conv2d/kernel`), or the attribute path of a native weight.
    public let name: String
    public let shape: [Int]
    /// TensorFlow's dtype name (`float32`).
    public let dtype: String
    public let trainable: Bool
    /// TensorFlow's `variable.name` of a native weight (its Keras name,
    /// `fully_native_model/conv2d/kernel`), the key of a name-based checkpoint;
    /// nil when it is `name`.
    public let variableName: String?
    /// The object path (local names) a TensorFlow 2 object-based checkpoint keeps
    /// it at, when that is neither `name` nor its place in a shim store's `_vars`
    /// (a `get_or_create_layer` layer's weight); nil otherwise.
    public let objectPath: [String]?

    public init(_ name: String, shape: [Int], dtype: String = "float32", trainable: Bool = true, variableName: String? = nil,
                objectPath: [String]? = nil) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.trainable = trainable
        self.variableName = variableName
        self.objectPath = objectPath
    }

    public var description: String {
        "\(name) \(shape) \(dtype)\(trainable ? "" : " non-trainable")"
    }
}
