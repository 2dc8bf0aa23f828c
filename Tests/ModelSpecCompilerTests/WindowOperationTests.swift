import Foundation
import ModelSpecCompiler
import Testing

/// The `nn.` operations and `image.resize`: what TensorFlow refuses is a located error when traced.
@Suite struct WindowOperationTests {
    static func lines(_ step: String) throws -> [String] {
        try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [2, 7, 6, 3]
              w: [3, 3, 3, 4]
            forward:
              - \(step)

            """).filter { $0.contains("error") }
    }

    @Test func stridesOverTheBatchAreRefused() throws {
        #expect(try Self.lines("nn.conv2d: {inputs: [x, w], strides: [2, 1, 1, 1], padding: same}") == [
            "A.yaml:7:5: error: nn.conv2d: strides [2, 1, 1, 1] must be 1, 2 or 4 positive numbers, the first and last of 4 being 1 (TensorFlow does not stride or pool over the batch and channels)",
        ])
    }

    @Test func paddingOrExplicitPaddingsExactlyOnce() throws {
        let message = "needs either 'padding' (valid or same) or 'explicit_paddings', and not both"
        #expect(try Self.lines("nn.conv2d: {inputs: [x, w]}") == ["A.yaml:7:5: error: nn.conv2d \(message)"])
        #expect(try Self.lines("nn.max_pool2d: {ksize: 2, strides: 2, padding: same, explicit_paddings: [[0, 0], [1, 1], [1, 1], [0, 0]]}")
            == ["A.yaml:7:5: error: nn.max_pool2d \(message)"])
        #expect(try Self.lines("nn.conv2d: {inputs: [x, w], explicit_paddings: [[1, 1], [1, 1]]}") == [
            "A.yaml:7:5: error: nn.conv2d: explicit_paddings [[1, 1], [1, 1]] must be [[0, 0], [top, bottom], [left, right], [0, 0]] for an NHWC input",
        ])
    }

    @Test func filtersMustFitTheInput() throws {
        #expect(try Self.lines("nn.depthwise_conv2d: {inputs: [x, [[[[1.0]]]]], padding: valid}") == [
            "A.yaml:7:5: error: nn.depthwise_conv2d: the input's 3 channels and the filter's 1 input channels differ (input [2, 7, 6, 3], filter [1, 1, 1, 1])",
        ])
        #expect(try Self.lines("nn.avg_pool2d: {ksize: 8, strides: 1, padding: valid}") == [
            "A.yaml:7:5: error: nn.avg_pool2d with a 8x8 window on input [2, 7, 6, 3] leaves no output",
        ])
    }

    @Test func shapes() throws {
        let text = """
            spec: 1
            model: A
            inputs:
              x: [2, 7, 6, 3]
              w: [3, 2, 3, 4]
            forward:
              - nn.conv2d: {inputs: [x, w], strides: [2, 1], explicit_paddings: [[0, 0], [1, 2], [0, 1], [0, 0]]}
              - nn.depthwise_conv2d: {inputs: [_, [[[[1, 2], [3, 4], [5, 6], [7, 8]]]]], padding: same}
              - nn.max_pool2d: {ksize: [1, 3, 3, 1], strides: 2, padding: same}
              - image.resize: {size: [9, 2], method: nearest}
              - nn.batch_normalization: {inputs: [_, 0, 1, 0, 1], variance_epsilon: 0.001}

            """
        let (_, checked) = try MalformedSpec.check(["A.yaml": Array(text.utf8)])
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics)")
        let model = try #require(checked.model)
        let traced = SpecCompiler(library: SpecLibrary(containing: model.file)).manifest(of: model)
        // conv: (7 + 3 - 3) / 2 + 1 = 4, (6 + 1 - 2) + 1 = 6; depthwise: 4 · 2 channels; pool SAME stride 2: 2, 3.
        #expect(traced.outputShapes.first?.map(\.size) == [2, 9, 2, 8])
    }

    @Test func resizeFlags() throws {
        #expect(try Self.lines("image.resize: {size: [3, 3], align_corners: true, half_pixel_centers: true}") == [
            "A.yaml:7:5: error: image.resize: align_corners and half_pixel_centers cannot both be true (TensorFlow: \"If half_pixel_centers is True, align_corners must be False.\")",
        ])
        #expect(try Self.lines("image.resize: {size: [0, 3]}") == [
            "A.yaml:7:5: error: image.resize: size [0, 3] must be 2 positive numbers, [height, width]",
        ])
        #expect(try Self.lines("nn.batch_normalization: {inputs: [x, 0, 1], variance_epsilon: 0.001}") == [
            "A.yaml:7:5: error: nn.batch_normalization takes 5 operands, x, mean, variance, offset and scale (0 and 1 for None), but 3 are given",
        ])
    }
}
