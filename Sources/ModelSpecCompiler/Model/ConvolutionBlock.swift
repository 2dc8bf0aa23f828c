/// Three steps the generator writes, and the interpreter runs, as one runtime call: a functional
/// `conv2d` without activation, the `batch_normalization` of its output and,
/// if it comes next, a `relu` of that. The runtime runs them as one pass in
/// inference (`TF1.conv2dBatchNormalization`, the normalization folded into
/// the convolution), with the same layers, names and variables as separate
/// calls. They are joined only when no other step reads the values between
/// them, and not when the normalization always runs in training.
public struct ConvolutionBlock: Sendable {
    public var convolution: LayerConfig
    public var normalization: LayerConfig
    public var relu: Bool
    /// The steps joined: 2 or 3.
    public var length: Int

    /// The block that starts at `steps[index]`, if one does; `live` tells
    /// the values read after each of `steps`.
    public static func match(_ steps: [Step], at index: Int, live: LiveValues) -> ConvolutionBlock? {
        guard index + 1 < steps.count,
              case let .legacyLayer(convolution) = steps[index].operation,
              convolution.kind == .conv2d, convolution.value("activation") == .activation(.linear), convolution.reuse == .inherit,
              case let .legacyLayer(normalization) = steps[index + 1].operation,
              normalization.kind == .batchNormalization, normalization.reuse == .inherit,
              [.int(.literal(-1)), .int(.literal(3))].contains(normalization.value("axis")),
              normalization.training != .constant(true),
              // Names formatted from loop indices are written by the layer calls themselves.
              convolution.nameFormat == nil, normalization.nameFormat == nil,
              steps[index].results.count == 1, steps[index + 1].results.count == 1,
              steps[index + 1].inputs == steps[index].results,
              !live.after(index + 1).contains(steps[index].results[0])
        else { return nil }
        var block = ConvolutionBlock(convolution: convolution, normalization: normalization, relu: false, length: 2)
        if index + 2 < steps.count, case let .math(relu) = steps[index + 2].operation, relu.name == "relu",
           steps[index + 2].inputs == steps[index + 1].results,
           !live.after(index + 2).contains(steps[index + 1].results[0]) {
            block.relu = true
            block.length = 3
        }
        return block
    }
}
