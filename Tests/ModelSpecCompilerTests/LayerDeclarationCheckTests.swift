import ModelSpecCompiler
import Testing

/// What the checker and tracer refuse of the layers and initializers of issue 14, located,
/// as TensorFlow refuses them.
@Suite struct LayerDeclarationCheckTests {
    private func lines(_ forward: String, input: String = "[batch, 8, 8, 3]", layers: String = "", style: String = "") throws -> [String] {
        try MalformedSpec.diagnostics("spec: 1\nmodel: A\n\(style)inputs:\n  x: \(input)\n\(layers)forward:\n\(forward)")
    }

    @Test func fusedNeedsRankFourOrFive() throws {
        #expect(try lines("  - scope: s\n    do:\n      - batch_normalization: {fused: true}\n", input: "[batch, 8, 3]") == [
            "A.yaml:8:9: error: batch_normalization with fused: true needs an input of rank 4 or 5, as TensorFlow's fused kernel, but got shape [batch, 8, 3]",
        ])
        #expect(try lines("  - scope: s\n    do:\n      - batch_normalization: {fused: false}\n", input: "[batch, 8, 3]") == [])
    }

    @Test func kerasOnlyLayersHaveNoCompatForms() throws {
        #expect(try lines("  - scope: s\n    do:\n      - layer_normalization\n") == [
            "A.yaml:8:9: error: 'layer_normalization' has no tf.compat.v1.layers function; declare a native LayerNormalization under 'layers:' and call it",
        ])
        let refused = try lines("  - scope: s\n    do:\n      - d\n", layers: "layers:\n  d: {v1.DepthwiseConv2D: {kernel_size: 3}}\n")
        #expect(refused.first?.hasPrefix("A.yaml:6:7: error: unknown tf.compat.v1.layers class 'DepthwiseConv2D'") == true, "\(refused)")
    }

    @Test func perAPIArguments() throws {
        // Keras's Conv2DTranspose takes dilation_rate; the compat forms do not.
        let compat = try lines("  - scope: s\n    do:\n      - conv2d_transpose: {filters: 2, kernel_size: 3, dilation_rate: 2}\n")
        #expect(compat.first?.contains("unknown key 'dilation_rate'") == true, "\(compat)")
        #expect(try lines("  - d\n", layers: "layers:\n  d: {Conv2DTranspose: {filters: 2, kernel_size: 3, dilation_rate: 2}}\n",
                          style: "style: native\n") == [])
        // Keras's Dropout needs its rate; the compat forms default it to 0.5.
        #expect(try lines("  - d\n", layers: "layers:\n  d: Dropout\n", style: "style: native\n")
            == ["A.yaml:7:6: error: dropout needs 'rate'"])
    }

    @Test func windowsOfEachRank() throws {
        #expect(try lines("  - scope: s\n    do:\n      - conv3d: {filters: 2, kernel_size: 3}\n") == [
            "A.yaml:8:9: error: conv3d needs an NDHWC input of rank 5, but got shape [batch, 8, 8, 3]",
        ])
        #expect(try lines("  - scope: s\n    do:\n      - conv1d: {filters: 2, kernel_size: [3, 3]}\n", input: "[batch, 8, 3]") == [
            "A.yaml:8:43: error: kernel_size must have 1 item, not 2",
        ])
    }

    @Test func initializerArguments() throws {
        let bad = try lines("  - variable: {name: w, shape: [2, 2], initializer: {variance_scaling: {mode: fan_middle}}}\n")
        #expect(bad == ["A.yaml:6:79: error: mode must be fan_in, fan_out or fan_avg, not 'fan_middle'"], "\(bad)")
        let scale = try lines("  - variable: {name: w, shape: [2, 2], initializer: {variance_scaling: {scale: 0}}}\n")
        #expect(scale.first?.contains("the variance_scaling scale must be positive, not 0.0") == true, "\(scale)")
        let unknown = try lines("  - variable: {name: w, shape: [2, 2], initializer: he_norml}\n")
        #expect(unknown.first?.contains("unknown initializer 'he_norml'") == true && unknown.first?.contains("he_normal") == true, "\(unknown)")
    }
}
