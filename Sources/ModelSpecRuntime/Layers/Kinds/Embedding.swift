/// `Embedding`: `embeddings` [inputDim, outputDim]; the rows of the ids. Integer ids
/// (an ``IndexTensor`` or ``Int64Tensor``, what `int32` and `int64` spec values are) are
/// read as they are, every id exactly; a float tensor is cast to int32 first, as Keras casts a float input.
/// With `maskZero` the output carries the Keras mask `ids != 0` (``KerasMask``).
public struct EmbeddingKernel: IndexInputKernel {
    public var inputDim: Int
    public var outputDim: Int
    public var embeddingsInitializer: Initializer
    public var embeddingsRegularizer: Regularizer?
    public var maskZero: Bool

    public init(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(),
                embeddingsRegularizer: Regularizer? = nil, maskZero: Bool = false) {
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.embeddingsInitializer = embeddingsInitializer
        self.embeddingsRegularizer = embeddingsRegularizer
        self.maskZero = maskZero
    }

    public var baseName: String { "embedding" }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        try apply(ids: IndexTensor(truncating: x), training: training, context: context, weight: weight)
    }

    public func apply<S: TensorInteger>(ids: IntegerTensor<S>, training: Bool, context: CallContext,
                                        weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let table = try context.value(of: weight(WeightRequest(
            name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
            regularizer: embeddingsRegularizer)))
        let rows = try embeddingLookup(table, ids: ids)
        guard maskZero else { return rows }
        return rows.masked(KerasMask(try BoolTensor(shape: ids.shape) { kept in
            ids.withUnsafeBufferPointer { ids in for i in kept.indices { kept[i] = ids[i] != 0 } }
        }))
    }
}

extension keras {
    /// `tf.keras.layers.Embedding`.
    public static func Embedding(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(),
                                 embeddingsRegularizer: Regularizer? = nil, maskZero: Bool = false, trainable: Bool = true,
                                 path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(EmbeddingKernel(inputDim: inputDim, outputDim: outputDim,
                                                      embeddingsInitializer: embeddingsInitializer,
                                                      embeddingsRegularizer: embeddingsRegularizer, maskZero: maskZero),
                                      trainable: trainable), path: path)
    }
}
