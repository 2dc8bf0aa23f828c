/// How Keras names a layer and the variables it builds (tf_keras 2.21,
/// `Layer._init_set_name`, `backend.unique_object_name`), as observed after
/// `tf.keras.backend.clear_session()`:
///
/// - A layer made without `name=` is named by its class in snake case
///   (`Conv2D` -> `conv2d`, `CamelCASEName2D` -> `camel_case_name2d`), made
///   unique by one counter per name for the whole process, counted from zero
///   (`dense`, `dense_1`, ...) in the order layers are constructed: the outer
///   layer first (its `super().__init__`), then the layers its `__init__` makes,
///   depth first. Every Keras layer takes a number, also those without variables
///   (`flatten`, `dropout`) and `tf.compat.v1.layers` objects.
/// - An explicit `name=` is used as given, and two layers may share one.
/// - A variable is named by the name scopes open when it is built: every Keras
///   layer whose `__call__` encloses it, `variable_scope`s and `name_scope`s
///   (in eager mode never made unique), then its own name: `outer/model/conv2d/kernel`.
public struct KerasNaming: Sendable {
    private var counters: [String: Int] = [:]

    public init() {}

    /// A counter that continues from `counts` (how many of each name were taken).
    public init(counts: [String: Int]) {
        counters = counts
    }

    /// How many layers took each name so far (`["dense": 2]` after `dense`, `dense_1`).
    public var counts: [String: Int] { counters }

    /// The name of a layer constructed now: `explicit` as given, or the next
    /// unique name for `className` in snake case.
    public mutating func layerName(className: String, explicit: String? = nil) -> String {
        if let explicit { return explicit }
        return uniqueName(Self.snakeCase(className))
    }

    /// `backend.unique_object_name(name, zero_based=True)`.
    public mutating func uniqueName(_ name: String) -> String {
        let number = counters[name, default: 0]
        counters[name] = number + 1
        return number == 0 ? name : "\(name)_\(number)"
    }

    /// `generic_utils.to_snake_case`: `(.)([A-Z][a-z]+)` -> `\1_\2`, then
    /// `([a-z])([A-Z])` -> `\1_\2`, lower-cased; a leading `_` gets `private`.
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        // First pass: an upper-case letter followed by one or more lower-case
        // letters gets an underscore before it, unless it starts the name.
        // The regular expression consumes `(.)` too, so matches do not overlap:
        // a match starting at i+1 is not possible right after one ending at i.
        var intermediate: [Character] = []
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if index + 1 < characters.count, characters[index + 1].isASCIIUpper,
               index + 2 < characters.count, characters[index + 2].isASCIILower {
                var end = index + 2
                while end < characters.count, characters[end].isASCIILower { end += 1 }
                intermediate.append(c)
                intermediate.append("_")
                intermediate.append(contentsOf: characters[(index + 1)..<end])
                index = end
                continue
            }
            intermediate.append(c)
            index += 1
        }
        var out = ""
        for (i, c) in intermediate.enumerated() {
            if i > 0, c.isASCIIUpper, intermediate[i - 1].isASCIILower { out.append("_") }
            out.append(c)
        }
        let lowered = out.lowercased()
        return lowered.first == "_" ? "private" + lowered : lowered
    }
}

private extension Character {
    var isASCIIUpper: Bool { isASCII && isUppercase }
    var isASCIILower: Bool { isASCII && isLowercase }
}

/// Keras's names in one model as its first call meets them: the model's own
/// Keras name, and the layer-name counters as constructing the model and its
/// layers left them. A call continues the counters: every unnamed
/// `tf.compat.v1.layers` call makes a layer object that takes a number, and a
/// `get_or_create_layer` layer made without `name=` takes the next one
/// (`dense_1` after a functional `dense`), as one TensorFlow process counts them.
public struct KerasModelNames: Sendable {
    /// The model's Keras name (`bare_model`, or its class in snake case).
    public let model: String
    /// The counters, continued by the call.
    public var layers: KerasNaming

    public init(model: String, counts: [String: Int]) {
        self.model = model
        self.layers = KerasNaming(counts: counts)
    }

    /// ModelSpec's running path of a `get_or_create_layer` layer's weights: the model's
    /// Keras name, the variable scope and the layer's Keras name (`bare_model/outer/dense_1`);
    /// for the one layer of a Keras model (`inModel`), built outside every scope, its Keras
    /// name alone, as TensorFlow names it.
    public func storedLayerPath(_ layer: String, scope: String, inModel: Bool) -> String {
        inModel ? layer : [model, scope, layer].filter { !$0.isEmpty }.joined(separator: "/")
    }
}
