/// A Keras mask: `[batch, time]`, true at the steps a sequence has (Keras's `_keras_mask`).
///
/// It travels with a layer's output as Keras's does, on the tensor itself
/// (``Tensor/kerasMask``): `Embedding(maskZero: true)` makes it (`ids != 0`); `Dense`,
/// `Dropout`, `BatchNormalization` and `LayerNormalization` hand their input's on
/// (``LayerKernel/supportsMasking``); a recurrent layer reads it (a masked step keeps
/// the state and repeats the previous output) and hands it on with `returnSequences`;
/// every other layer and every operation makes a tensor without one, as in Keras.
public final class KerasMask: Sendable {
    /// `[batch, time]`: true where the step is kept.
    public let steps: BoolTensor

    public init(_ steps: BoolTensor) {
        self.steps = steps
    }

    /// The steps as the recurrent loop reads them (nonzero: kept).
    var indices: IndexTensor {
        // Cannot fail: a bool tensor's values are 0 and 1.
        try! cast(steps, to: IndexTensor.self)
    }
}

extension Tensor {
    /// This tensor with `mask` as its Keras mask.
    public func masked(_ mask: KerasMask?) -> Tensor {
        var tensor = self
        tensor.kerasMask = mask
        return tensor
    }
}
