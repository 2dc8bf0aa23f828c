import Testing
@testable import ModelSpecRuntime

/// `tf.conv2dBatchNormalization` (what the generator writes for conv2d →
/// batch_normalization → relu) against the three separate calls: the same
/// variables in the same order, the same outputs in inference (where it folds
/// the normalization into the convolution) and in training (where it does not),
/// and the same moving statistics afterwards.
@Suite struct ConvolutionBlockTests {
    /// Two blocks, the second with a bias and a named normalization without γ
    /// and β, so that every folded term is reached.
    static func body(fused: Bool) -> (TF1, Tensor) throws -> Tensor {
        { tf, x in
            try tf.variableScope("model") {
                let first = LayerConfiguration.conv2d(filters: 20, kernelSize: [3, 3], padding: .same, useBias: false)
                let second = LayerConfiguration.conv2d(filters: 17, kernelSize: [3, 3], strides: [2, 2])
                let norm = LayerConfiguration.batchNormalization(epsilon: 0.01)
                let bare = LayerConfiguration.batchNormalization(center: false, scale: false, name: "bare")
                if fused {
                    let h = try tf.conv2dBatchNormalization(x, first, norm, activation: .relu, training: tf.training)
                    return try tf.conv2dBatchNormalization(h, second, bare, training: tf.training)
                }
                let h = relu(try tf.layer(norm, tf.layer(first, x), training: tf.training))
                return try tf.layer(bare, tf.layer(second, h), training: tf.training)
            }
        }
    }

    /// A model whose variables all hold random values (moving variances positive).
    static func model(fused: Bool, _ x: Tensor) throws -> BodyLayer {
        let layer = BodyLayer(body(fused: fused))
        _ = try layer(x)
        var g = SeededGenerator(seed: 5)
        for v in layer.shim.variables {
            let positive = v.name.hasSuffix("moving_variance")
            try v.assign(Tensor(shape: v.shape) { p in
                for i in p.indices { p[i] = positive ? 0.5 + g.nextUniform() : g.nextUniform() * 2 - 1 }
            })
        }
        return layer
    }

    @Test func matchesSeparateCalls() throws {
        var g = SeededGenerator(seed: 9)
        let x = try Tensor(shape: [3, 9, 10, 4]) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
        let fused = try Self.model(fused: true, x), separate = try Self.model(fused: false, x)
        #expect(fused.shim.variables.map(\.name) == separate.shim.variables.map(\.name))
        #expect(fused.shim.variables.map(\.name).first == "model/conv2d/kernel")
        #expect(fused.shim.variables.count == 9)
        #expect(fused.shim.variables.last?.name == "model/bare/moving_variance")
        #expect(zip(fused.shim.variables, separate.shim.variables).allSatisfy { $0.value == $1.value })

        let inference = try fused(x), expected = try separate(x)
        #expect(inference.shape == [3, 4, 4, 17])
        #expect(maxDifference(inference, expected) < 1e-4)

        let trained = try fused(x, training: true), expectedTrained = try separate(x, training: true)
        #expect(maxDifference(trained, expectedTrained) < 1e-4)
        for (a, b) in zip(fused.shim.variables, separate.shim.variables) where a.name.contains("moving") {
            #expect(maxDifference(a.value, b.value) < 1e-5, "\(a.name)")
        }
        #expect(maxDifference(try fused(x), try separate(x)) < 1e-4)
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }
}
