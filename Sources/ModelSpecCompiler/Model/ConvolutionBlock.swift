/// Steps the generator writes, and the interpreter runs, as one runtime call: a functional
/// `conv2d`, then the `batch_normalization` of its output (the convolution without activation)
/// and, if it comes next, a `relu` of that, then, if it comes next, a `max_pooling2d`; at least the
/// normalization or the pooling. The runtime runs them as one pass in inference
/// (`TF1.conv2dBatchNormalization`: the normalization folded into the convolution;
/// `TF1.conv2dMaxPooling`: the pooling taken from the convolution's output as it is made), with
/// the same layers, names and variables as separate calls. They are joined only when no other
/// step reads the values between them, and a normalization not when it always runs in training.
public struct ConvolutionBlock: Sendable {
    public var convolution: LayerConfig
    public var normalization: LayerConfig?
    public var relu: Bool
    /// The `max_pooling2d` of the block's output.
    public var pooling: LayerConfig?
    /// The steps joined: 2 to 4.
    public var length: Int

    /// The block that starts at `steps[index]`, if one does; `live` tells
    /// the values read after each of `steps`.
    public static func match(_ steps: [Step], at index: Int, live: LiveValues) -> ConvolutionBlock? {
        guard case let .legacyLayer(convolution) = steps[index].operation, convolution.kind == .conv2d,
              joinable(convolution, steps[index])
        else { return nil }
        var block = ConvolutionBlock(convolution: convolution, normalization: nil, relu: false, pooling: nil, length: 1)
        if convolution.value("activation") == .activation(.linear),
           let normalization = block.next(.batchNormalization, in: steps, at: index, live: live),
           [.int(.literal(-1)), .int(.literal(3))].contains(normalization.value("axis")),
           normalization.training != .constant(true) {
            block.normalization = normalization
            block.length = 2
            if index + 2 < steps.count, case let .math(relu) = steps[index + 2].operation, relu.name == "relu",
               steps[index + 2].inputs == steps[index + 1].results,
               !live.after(index + 2).contains(steps[index + 1].results[0]) {
                block.relu = true
                block.length = 3
            }
        }
        if let pooling = block.next(.maxPooling2d, in: steps, at: index, live: live) {
            block.pooling = pooling
            block.length += 1
        }
        return block.length > 1 ? block : nil
    }

    /// The functional layer of `kind` that reads the block's output as the step after it, when no
    /// other step reads that output.
    private func next(_ kind: LayerKind, in steps: [Step], at index: Int, live: LiveValues) -> LayerConfig? {
        let last = index + length - 1
        guard last + 1 < steps.count, case let .legacyLayer(layer) = steps[last + 1].operation, layer.kind == kind,
              Self.joinable(layer, steps[last + 1]), steps[last + 1].inputs == steps[last].results,
              !live.after(last + 1).contains(steps[last].results[0])
        else { return nil }
        return layer
    }

    /// Whether a layer step may be joined: it inherits reuse, names itself without loop indices
    /// (names formatted from them are written by the layer calls themselves), makes one value.
    private static func joinable(_ layer: LayerConfig, _ step: Step) -> Bool {
        layer.reuse == .inherit && layer.nameFormat == nil && step.results.count == 1
    }
}
