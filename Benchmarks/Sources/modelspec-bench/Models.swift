import ModelSpecRuntime

// BenchMLP, BenchCNNSmall, BenchCNNBN, BenchLSTM and CompatV1LayerModel are generated at
// build time from Specs/*.yaml (symlinks into specs/) by ModelSpecPlugin.

/// One benchmarked model: its key (shared with Benchmarks/tf_bench.py), its input
/// shape for a batch size, and a way to make a fresh instance's call.
struct BenchModel {
    let key: String
    let inputShape: (Int) -> [Int]
    /// Makes the model: its inference call and its variables (once a call has created them).
    let make: () -> BenchInstance
    /// Multiply-adds per sample ×2 (floating-point operations of one sample).
    let flopsPerSample: Double
    /// Bytes of the model's variables (from its generated manifest): what a call must read at least once.
    let weightBytes: Int
    /// The batch sizes it runs at instead of the command line's (nil: those).
    var batches: [Int]? = nil

    static var all: [BenchModel] { [
        BenchModel(key: "mlp", inputShape: { [$0, 784] }, make: {
            let model = BenchMLP()
            return BenchInstance(call: { try model($0) }, variables: { model.createdVariables })
        }, flopsPerSample: 2 * Double(784 * 512 + 512 * 512 + 512 * 10), weightBytes: bytes(of: BenchMLP.manifest)),
        BenchModel(key: "cnn_small", inputShape: { [$0, 28, 28, 1] }, make: {
            let model = BenchCNNSmall()
            return BenchInstance(call: { try model($0) }, variables: { model.createdVariables })
        }, flopsPerSample: 2 * Double(28 * 28 * 32 * 9 + 14 * 14 * 64 * 9 * 32 + 7 * 7 * 64 * 128 + 128 * 10), weightBytes: bytes(of: BenchCNNSmall.manifest)),
        BenchModel(key: "cnn_bn", inputShape: { [$0, 32, 32, 3] }, make: {
            let model = BenchCNNBN()
            return BenchInstance(call: { try model($0, training: false) }, variables: { model.createdVariables })
        }, flopsPerSample: 2 * Double(32 * 32 * 64 * 27 + 2 * 32 * 32 * 64 * 9 * 64 + 64 * 10), weightBytes: bytes(of: BenchCNNBN.manifest)),
        BenchModel(key: "compat_v1_layer", inputShape: { [$0, 5, 5, 5] }, make: {
            let model = CompatV1LayerModel()
            return BenchInstance(call: { try model($0) }, variables: { model.createdVariables })
        }, flopsPerSample: 2 * Double(3 * 3 * 3 * 5 * 3 + 27 * 10), weightBytes: bytes(of: CompatV1LayerModel.manifest)),
        // Two LSTM layers of 256 over 50 steps: per step and layer, [x, h] (512) times a [512, 1024] kernel.
        BenchModel(key: "lstm", inputShape: { [$0, 50, 256] }, make: {
            let model = BenchLSTM()
            return BenchInstance(call: { try model($0).outputs }, variables: { model.createdVariables })
        }, flopsPerSample: 2 * Double(2 * 50 * 512 * 1024), weightBytes: bytes(of: BenchLSTM.manifest),
           batches: [1, 64]),
    ] }
}

/// One instance of a benchmarked model.
struct BenchInstance {
    let call: (Tensor) throws -> Tensor
    let variables: () -> [Variable]
}

/// Bytes of float32 variables in a manifest.
func bytes(of manifest: [ManifestEntry]) -> Int {
    manifest.reduce(0) { $0 + 4 * $1.shape.reduce(1, *) }
}

/// A tensor of fixed pseudo-random scalars in [-1, 1).
func randomTensor(_ shape: [Int], seed: UInt64 = 0x5EED) throws -> Tensor {
    try Tensor(shape: shape, scalars: randomFloats(shape.reduce(1, *), seed: seed))
}
