import ModelSpecRuntime
import Testing

/// `keras.Embedding` on integer ids (`IndexTensor`): read as they are, the same rows as
/// from floats of small ids, and only layers that take ids accept them.
@Suite struct EmbeddingTests {
    @Test func idsAreReadAsTheyAre() throws {
        let embedding = keras.Embedding(inputDim: 4, outputDim: 2, path: "embedding")
        let context = CallContext(training: false)
        let ids = try IndexTensor(shape: [1, 3], scalars: [3, 0, 2])
        let rows = try embedding(ids, context: context)
        #expect(rows.shape == [1, 3, 2])
        #expect(try embedding(Tensor(ids), context: context) == rows, "floats of small ids are cast to the same ids")
        let table = embedding.ownWeights[0].value.scalars
        #expect(rows.scalars == [table[6], table[7], table[0], table[1], table[4], table[5]])
        // 2^24 + 1 has no float of its own: only the integer path can name it.
        let error = #expect(throws: TensorError.self) {
            _ = try embedding(IndexTensor(shape: [1], scalars: [16_777_217]), context: context)
        }
        #expect(error.map { "\($0)" }?.contains("index 16777217 at position 0") == true)
    }

    @Test func aLayerOfNumbersRefusesIds() throws {
        let dense = keras.Dense(units: 2, path: "dense")
        let error = #expect(throws: TensorError.self) {
            _ = try dense(IndexTensor(shape: [1, 2], scalars: [1, 2]), context: CallContext(training: false))
        }
        #expect(error.map { "\($0)" }?.contains("is integer ids, but the layer takes numbers") == true)
    }
}
