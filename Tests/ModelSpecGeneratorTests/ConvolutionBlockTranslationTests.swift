import Foundation
import ModelSpecGenerator
import Testing

/// Which conv2d → batch_normalization (→ relu) (→ max_pooling2d) and conv2d → max_pooling2d
/// steps the generator joins into one `tf.conv2dBatchNormalization` or `tf.conv2dMaxPooling`
/// call, and that the call carries every argument of each layer.
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

    /// The Swift source generated from `spec` (a model named `model`), and its lines trimmed.
    static func generated(_ spec: String, model: String) throws -> (source: String, lines: [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blocks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("\(model).yaml").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        return (source, source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    @Test func joinsOnlyWhatNothingElseReads() throws {
        let (source, lines) = try Self.generated(Self.spec, model: "Blocks")
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

    static let pooledSpec = """
    spec: 1
    model: PooledBlocks
    style: legacy
    inputs:
      x: [batch, 16, 16, 4]
      training: Bool
    forward:
      - scope: model
        do:
          - conv2d: {filters: 8, kernel_size: 3, padding: same, activation: relu, name: c1}
          - max_pooling2d: {pool_size: 2, strides: 2, name: p1}
          - conv2d: {filters: 8, kernel_size: 3, padding: same, use_bias: false}
          - batch_normalization: {training: training}
          - relu
          - max_pooling2d: {pool_size: 2, strides: 2, padding: same}
          - conv2d: {filters: 8, kernel_size: 1}
            as: features
          - max_pooling2d: {pool_size: 1, strides: 1}
          - add: [features, _]
          - conv2d: {filters: 8, kernel_size: 1}
          - average_pooling2d: {pool_size: 2, strides: 2}
    """

    @Test func joinsMaxPoolingThatNothingElseReads() throws {
        let (source, lines) = try Self.generated(Self.pooledSpec, model: "PooledBlocks")
        let pooled = [
            "// conv2d, max_pooling2d: one pass in inference.",
            "let x2 = try tf.conv2dMaxPooling(",
            "x,",
            ".conv2d(filters: 8, kernelSize: [3, 3], padding: .same, activation: .relu, name: \"c1\"),",
            ".maxPooling2d(poolSize: [2, 2], strides: [2, 2], name: \"p1\"))",
        ]
        let start = try #require(lines.firstIndex(of: pooled[1]))
        #expect(Array(lines[(start - 1)..<(start - 1 + pooled.count)]) == pooled)
        let block = [
            "// conv2d, batch_normalization, relu, max_pooling2d: one pass in inference.",
            "let x6 = try tf.conv2dBatchNormalization(",
            "x2,",
            ".conv2d(filters: 8, kernelSize: [3, 3], padding: .same, useBias: false),",
            ".batchNormalization(),",
            "activation: .relu, pooling: .maxPooling2d(poolSize: [2, 2], strides: [2, 2], padding: .same), training: training)",
        ]
        let blockStart = try #require(lines.firstIndex(of: block[1]))
        #expect(Array(lines[(blockStart - 1)..<(blockStart - 1 + block.count)]) == block)
        // Not a pooling of a convolution whose output another step reads (`features`), nor an average pooling.
        #expect(lines.contains("let features = try tf.conv2d(x6, filters: 8, kernelSize: [1, 1])"))
        #expect(lines.contains("let x7 = try tf.maxPooling2d(features, poolSize: [1, 1], strides: [1, 1])"))
        #expect(lines.contains("let x9 = try tf.conv2d(x8, filters: 8, kernelSize: [1, 1])"))
        #expect(lines.contains("let x10 = try tf.averagePooling2d(x9, poolSize: [2, 2], strides: [2, 2])"))
        #expect(source.components(separatedBy: "tf.conv2dMaxPooling(").count == 2)
        #expect(source.components(separatedBy: "tf.conv2dBatchNormalization(").count == 2)
    }
}
