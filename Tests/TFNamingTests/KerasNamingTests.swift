import TFNaming
import Testing

/// Keras' layer names, as tf_keras 2.21 gives them after `clear_session()`
/// (observed: `CamelCASEName2D()` is `camel_case_name2d`; a model of class
/// `Dense` holding a `Dense` names it `dense_1`).
@Suite struct KerasNamingTests {
    @Test(arguments: [
        ("Conv2D", "conv2d"), ("Dense", "dense"), ("BatchNormalization", "batch_normalization"),
        ("MaxPooling2D", "max_pooling2d"), ("FullyNativeModel", "fully_native_model"),
        ("CamelCASEName2D", "camel_case_name2d"), ("HTTPServer", "http_server"), ("_Private", "private__private"),
        ("BahdanauAttention", "bahdanau_attention"), ("A", "a"),
    ])
    func snakeCase(className: String, expected: String) {
        #expect(KerasNaming.snakeCase(className) == expected)
    }

    @Test func countersAreSharedAndZeroBased() {
        var naming = KerasNaming()
        #expect(naming.layerName(className: "Dense") == "dense")
        #expect(naming.layerName(className: "Dense") == "dense_1")
        #expect(naming.layerName(className: "Conv2D") == "conv2d")
        // An explicit name is used as given and takes no number.
        #expect(naming.layerName(className: "Dense", explicit: "dense") == "dense")
        #expect(naming.layerName(className: "Dense") == "dense_2")
    }
}
