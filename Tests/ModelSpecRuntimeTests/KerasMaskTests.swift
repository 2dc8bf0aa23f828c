import ModelSpecRuntime
import Testing

/// Keras masks on tensors (`Tensor.kerasMask`), beside the TensorFlow goldens of
/// Tests/Goldens/recurrent (`keras_embedding_mask_*`, `keras_mask_*`): who makes one,
/// who hands it on, who drops it, and what refuses it.
@Suite struct KerasMaskTests {
    let context = CallContext(training: false)
    let ids = try! IndexTensor(shape: [2, 3], scalars: [4, 2, 0, 7, 0, 0])

    @Test func theEmbeddingMakesItAndLayersHandItOnAsKerasDoes() throws {
        let embedded = try keras.Embedding(inputDim: 8, outputDim: 3, maskZero: true, path: "e")(ids, context: context)
        #expect(embedded.kerasMask?.steps.scalars == [true, true, false, true, false, false])
        #expect(try keras.Embedding(inputDim: 8, outputDim: 3, path: "e")(ids, context: context).kerasMask == nil)
        // Dense hands it on; Conv1D and any operation make a tensor without one.
        #expect(try keras.Dense(units: 2, path: "d")(embedded, context: context).kerasMask === embedded.kerasMask)
        #expect(try keras.Conv1D(filters: 2, kernelSize: [1], path: "c")(embedded, context: context).kerasMask == nil)
        #expect(try multiply(embedded, Tensor(2)).kerasMask == nil)
        // A recurrent layer hands it on with its sequence only.
        let sequence = try keras.GRU(units: 2, returnSequences: true, returnState: true, path: "g")([embedded], context: context)
        #expect(sequence[0].kerasMask === embedded.kerasMask)
        #expect(sequence[1].kerasMask == nil)
        #expect(try keras.GRU(units: 2, path: "g2")(embedded, context: context).kerasMask == nil)
    }

    /// Keras's batch normalization takes its training moments over the kept steps only.
    @Test func batchNormalizationInTrainingRefusesAMask() throws {
        let embedded = try keras.Embedding(inputDim: 8, outputDim: 3, maskZero: true, path: "e")(ids, context: context)
        let norm = keras.BatchNormalization(path: "bn")
        #expect(try norm(embedded, training: false, context: context).kerasMask === embedded.kerasMask)
        let error = #expect(throws: TensorError.self) { _ = try norm(embedded, training: true, context: context) }
        #expect(error.map { "\($0)" }?.contains("the training moments over the kept steps only") == true)
    }
}
