import Foundation
import ModelSpecGenerator
import Testing

/// Which conv2d → batch_normalization (→ relu) steps the generator joins into
/// one `tf.conv2dBatchNormalization` call, and that the call carries every
/// argument of both layers.
@Suite struct ConvolutionBlockTranslationTests {
    static let spec = """
    spec: 1
    model: Blocks
    style: legacy
    inputs:
      x: [batch, 9, 9, 4]
      training: Bool
    forward:
      - scope: model
        do:
          - conv2d: {filters: 8, kernel_size: 3, strides: 2, dilation_rate: 1, name: c, kernel_regularizer: {l2: 0.01}}
          - batch_normalization: {momentum: 0.9, epsilon: 0.01, center: false, name: bn, training: training}
          - relu
          - conv2d: {filters: 8, kernel_size: 3, padding: same, activation: relu}
          - batch_normalization: {}
          - conv2d: {filters: 8, kernel_size: 1}
            as: features
          - batch_normalization: {}
          - add: [features, _]
          - conv2d: {filters: 8, kernel_size: 1}
          - batch_normalization: {training: true}
          - tanh
    """

    @Test func joinsOnlyWhatNothingElseReads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blocks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Blocks.yaml").path
        try Self.spec.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        let lines = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // The first block, with every argument of both layers and the ReLU.
        let block = [
            "let x3 = try tf.conv2dBatchNormalization(",
            "x,",
            #".conv2d(filters: 8, kernelSize: [3, 3], strides: [2, 2], kernelRegularizer: .l2(0.01), name: "c"),"#,
            #".batchNormalization(momentum: 0.9, epsilon: 0.01, center: false, name: "bn"),"#,
            "activation: .relu, training: training)",
        ]
        let start = try #require(lines.firstIndex(of: block[0]))
        #expect(Array(lines[start..<(start + block.count)]) == block)
        // A convolution with its own activation is not joined.
        #expect(lines.contains("let x4 = try tf.conv2d(x3, filters: 8, kernelSize: [3, 3], padding: .same, activation: .relu)"))
        // Nor one whose output another step reads (`features`).
        #expect(lines.contains("let features = try tf.conv2d(x5, filters: 8, kernelSize: [1, 1])"))
        // Nor a normalization that always runs in training.
        #expect(lines.contains("let x9 = try tf.batchNormalization(x8, training: true)"))
        #expect(source.components(separatedBy: "tf.conv2dBatchNormalization(").count == 2)
    }
}
