import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import TensorBundle
import Testing

/// The digits CNN (oracle/digits.py), as its generated type: loaded from
/// TensorFlow's Saver checkpoint by name, it predicts what TensorFlow predicts
/// on every held-out image.
@Suite struct DigitsCNNTests {
    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/digits")

    @Test func predictionsAndLogitsMatchTensorFlow() throws {
        let model = DigitsCNN()
        let match = try model.load(try Checkpoint(path: Self.directory.appendingPathComponent("checkpoint").path),
                                   options: .strict)
        #expect(match.isExact)
        let images = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_images.npy"))
        let labels = try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent("test_labels.npy")).scalars.map(Int.init)
        let reference = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_logits.npy"))
        let logits = try model(images)
        #expect(logits.shape == [labels.count, 10])
        if let problem = mismatch(logits, reference, tolerance: 1e-4) { Issue.record("logits: \(problem)") }
        func argmax(_ row: ArraySlice<Float>) -> Int { row.indices.max { row[$0] < row[$1] }! - row.startIndex }
        let mine = (0..<labels.count).map { argmax(logits.scalars[($0 * 10)..<($0 * 10 + 10)]) }
        let theirs = (0..<labels.count).map { argmax(reference.scalars[($0 * 10)..<($0 * 10 + 10)]) }
        #expect(mine == theirs)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(zip(mine, labels).filter { $0 == $1 }.count == summary["test_correct"] as? Int)
    }

    /// The interpreter (`modelspec run`) runs conv2d, batch_normalization and relu as one folded
    /// pass, as the generated type does: the same logits bit for bit (separate steps round
    /// differently: (x − μ)·γ/σ + β against x·scale + shift).
    @Test func interpreterFoldsBatchNormalizationAsTheGeneratedType() throws {
        let checkpoint = try Checkpoint(path: Self.directory.appendingPathComponent("checkpoint").path)
        let images = try slice(NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_images.npy")), 0..<16)
        let generated = DigitsCNN()
        try generated.load(checkpoint)
        let expected = try generated(images)

        let spec = Repo.root.appendingPathComponent("specs/DigitsCNN.yaml").path
        let library = SpecLibrary(containing: spec)
        let checked = SpecCompiler(library: library).check(file: spec, params: [:], inputs: ["images": images.shape.map(Optional.some)])
        let description = try #require(checked.model)
        let interpreted = try InterpretedModel(description, params: [:], library: library)
        _ = try interpreted(["images": images])
        try (interpreted as any Layer).load(checkpoint)
        let logits = try interpreted(["images": images])[0]
        #expect(logits.scalars == expected.scalars)
    }

    /// The generated type is differentiated like the interpreter: its gradients with respect to the
    /// images and to a tensor substituted for a kernel agree with finite differences (training mode:
    /// batch statistics).
    @Test func generatedTypeGradientsMatchFiniteDifferences() throws {
        let model = DigitsCNN()
        try model.load(try Checkpoint(path: Self.directory.appendingPathComponent("checkpoint").path))
        let images = try slice(NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_images.npy")), 0..<3)
        _ = try model(images)
        let kernel = try #require(model.weight(named: "model/dense/kernel")).value
        // Many ReLU and max-pooling kinks lie within a step of some pixels: those elements are skipped.
        let report = try GradientCheck.compare(at: [images, kernel], delta: 2e-3, samples: 8, kinkTolerance: 0.02) { values in
            // One dropout mask for every call (a fixed seed), so that differences measure the gradient.
            [try model.call(values[0], context: CallContext(training: true, substituting: ["model/dense/kernel": values[1]], seed: 5),
                            training: true)]
        }
        #expect(report.mismatches.isEmpty && report.missing.isEmpty, "\(report)")
        #expect(report.checked > 8)
    }

    /// Fine-tuned in Swift from TensorFlow's checkpoint through the generated type (Adam, the
    /// moving statistics updated in training mode), the loss falls and the accuracy on the images
    /// it was tuned on is at least TensorFlow's held-out accuracy.
    @Test func fineTunesFromTensorFlowsCheckpoint() throws {
        let model = DigitsCNN()
        let checkpoint = try Checkpoint(path: Self.directory.appendingPathComponent("checkpoint").path)
        try model.load(checkpoint)
        let images = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_images.npy"))
        let labels = try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent("test_labels.npy"))
        let optimizer = AdamOptimizer(learningRate: 0.0005)
        let step = try GlobalStep(checkpoint)
        var losses: [Float] = []
        for epoch in 0..<3 {
            var total: Float = 0
            for start in stride(from: 0, to: 360, by: 60) {
                let x = try slice(images, start..<start + 60), y = try slice(labels, start..<start + 60)
                let loss = try optimizer.minimize(model, globalStep: step) {
                    try Losses.sparseSoftmaxCrossEntropy(labels: y, logits: model(x, training: true))
                }
                total += loss.scalar ?? .nan
            }
            losses.append(total / 6)
            _ = epoch
        }
        #expect(losses[2] < losses[0], "\(losses)")
        #expect(step.value == 1350 + 18)
        #expect(optimizer.stateVariables.count == model.trainableWeights.count * 2 + 2)
        let predictions = try argmax(model(images)).scalars
        let correct = zip(predictions, labels.scalars).filter { $0 == $1 }.count
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(correct >= summary["test_correct"] as? Int ?? 360, "\(correct) of 360")
    }

    /// Trained from TensorFlow's starting weights through the generated type, with the example order
    /// and dropout masks oracle/digits_scratch.py gives TensorFlow: the first steps' losses and the
    /// variables after them are TensorFlow's.
    @Test func firstStepsFromScratchAreTensorFlows() throws {
        let run = try FromScratch()
        var losses: [Float] = []
        for _ in 0..<run.summary.check_steps { losses.append(try run.step()) }
        for (ours, theirs) in zip(losses, run.summary.check_losses) {
            #expect(Swift.abs(ours - theirs) < 1e-4, "losses \(losses), TensorFlow \(run.summary.check_losses)")
        }
        let after = try Checkpoint(path: FromScratch.folder.appendingPathComponent("after_steps/model.ckpt").path)
        for entry in after.entries {
            let variable = try #require(run.model.weight(named: entry.name), "\(entry.name)")
            let expected = try Tensor(shape: entry.shape, scalars: after.floats(named: entry.name))
            if let problem = mismatch(variable.value, expected, tolerance: 1e-4) { Issue.record("\(entry.name): \(problem)") }
        }
    }

    /// The whole training (30 epochs, 1350 steps; about 15 s of CPU in a debug build, what
    /// `swift run DigitsDemo --from-scratch` prints): the held-out accuracy is TensorFlow's, within
    /// one percent (float rounding accumulates over the steps; here both reached 346/360).
    @Test func trainsFromScratchToTensorFlowsAccuracy() throws {
        let run = try FromScratch()
        while run.globalStep.value < Int64(run.summary.steps) { try run.step() }
        let images = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("test_images.npy"))
        let labels = try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent("test_labels.npy"))
        let correct = zip(try argmax(run.model(images)).scalars, labels.scalars).filter { $0 == $1 }.count
        #expect(Double(correct) >= Double(run.summary.test_correct) - 0.01 * Double(labels.scalarCount),
                "\(correct)/\(labels.scalarCount); TensorFlow \(run.summary.test_correct)")
    }
}

/// The digits CNN trained from scratch as oracle/digits_scratch.py trains it in TensorFlow
/// (Tests/Goldens/digits_scratch): its starting weights, Adam, batch 32, each epoch's order a
/// Fisher–Yates shuffle driven by `SeededGenerator(seed: order_seed)` (as `modelspec train
/// --shuffle`), step k's dropout mask drawn from seed `mask_seed + k`.
final class FromScratch {
    static let folder = Repo.root.appendingPathComponent("Tests/Goldens/digits_scratch")
    struct Summary: Decodable {
        let batch_size: Int, order_seed: UInt64, mask_seed: UInt64, check_steps: Int, steps: Int, learning_rate: Float
        let check_losses: [Float]
        let test_correct: Int
        let train_images: Images
        struct Images: Decodable { let count: Int }
    }

    let summary: Summary
    let images: Tensor
    let labels: Tensor
    let model = DigitsCNN()
    let optimizer: AdamOptimizer
    let globalStep = GlobalStep()
    private var generator: SeededGenerator
    private var order: [Int]

    init() throws {
        summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: Self.folder.appendingPathComponent("summary.json")))
        let bytes = try Data(contentsOf: Self.folder.appendingPathComponent("train_images.u8"))
        images = try Tensor(shape: [summary.train_images.count, 8, 8, 1], scalars: bytes.map { Float($0) / 16 })
        labels = Tensor(try NumPy.readIndexTensor(contentsOf: Self.folder.appendingPathComponent("train_labels.npy")))
        try model.load(try Checkpoint(path: Self.folder.appendingPathComponent("initial/model.ckpt").path), options: .strict)
        _ = try model(slice(images, 0..<1))  // makes the variables with the checkpoint's values
        optimizer = AdamOptimizer(learningRate: summary.learning_rate)
        generator = SeededGenerator(seed: summary.order_seed)
        order = Array(0..<summary.train_images.count)
    }

    /// One training step; a new epoch's order first when the last one is used up. Returns the loss.
    @discardableResult
    func step() throws -> Float {
        let batches = (order.count + summary.batch_size - 1) / summary.batch_size
        let k = Int(globalStep.value), first = (k % batches) * summary.batch_size
        if first == 0 {
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        }
        let batch = IndexTensor(order[first..<Swift.min(first + summary.batch_size, order.count)].map { Int32($0) })
        let x = try gather(images, indices: batch), y = try IndexTensor(truncating: gather(labels, indices: batch))
        // Dropout's mask of step k: the one TensorFlow was fed.
        let context = CallContext(training: true, seed: summary.mask_seed + UInt64(k))
        let loss = try optimizer.minimize(model, globalStep: globalStep) {
            try Losses.sparseSoftmaxCrossEntropy(labels: y, logits: model.call(x, context: context, training: true))
        }
        return loss.scalar ?? .nan
    }
}
