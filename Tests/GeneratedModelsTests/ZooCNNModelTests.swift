import Foundation
import ModelSpecRuntime
import Testing

/// Real TF1 convolutional models (oracle/zoo_cnn.py: a TF-Slim ResNet-v1 and a ResNet-v2 with
/// `resnet_arg_scope`, a MobileNet-v1 with `mobilenet_v1_arg_scope`, a `tf.compat.v1.layers` U-Net, dilated separable and depthwise
/// convolutions with `tf.nn` filters), generated as the build plugin generates them, against
/// TensorFlow: names in creation order, the `Saver` checkpoint loaded strictly, inference
/// outputs, regularization losses, and the moving statistics (and output) after one training call.
@Suite("Generated TF1 CNN models against TensorFlow")
struct ZooCNNModelTests {
    @Test func slimResNetV1() throws {
        let model = SlimResNetV1Small()
        try SlimModelTests().check(model, "SlimResNetV1Small", area: "zoo_cnn") { x, training in try model(x, training: training) }
    }

    /// `updates_collections: null`: Slim's own fused function, `beta` before `gamma`.
    @Test func slimResNetV2WithUpdatesInPlace() throws {
        let model = SlimResNetV2Small()
        try SlimModelTests().check(model, "SlimResNetV2Small", area: "zoo_cnn") { x, training in try model(x, training: training) }
    }

    /// `mobilenet_v1_arg_scope`: the normalizers' keywords come from `arg_scope([slim.batch_norm])` only.
    @Test func slimMobileNetV1() throws {
        let model = SlimMobileNetV1Small()
        try SlimModelTests().check(model, "SlimMobileNetV1Small", area: "zoo_cnn") { x, training in try model(x, training: training) }
    }

    @Test func compatLayersUNet() throws {
        let model = CompatUNet()
        try SlimModelTests().check(model, "CompatUNet", area: "zoo_cnn") { x, training in try model(x, training: training) }
    }

    @Test func dilatedSeparableAndDepthwise() throws {
        let model = DilatedSeparable()
        try SlimModelTests().check(model, "DilatedSeparable", area: "zoo_cnn") { x, training in try model(x, training: training) }
    }
}
