import Foundation
import ModelSpecCheckpoints
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
    /// variables after them are TensorFlow's. (The full 30 epochs take minutes: `swift run -c release
    /// DigitsDemo --from-scratch`, docs/training.md.)
    @Test func firstStepsFromScratchAreTensorFlows() throws {
        let folder = Repo.root.appendingPathComponent("Tests/Goldens/digits_scratch")
        struct Summary: Decodable {
            let batch_size: Int, order_seed: UInt64, mask_seed: UInt64, check_steps: Int, learning_rate: Float
            let check_losses: [Float]
            let train_images: Images
            struct Images: Decodable { let count: Int }
        }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
        let bytes = try Data(contentsOf: folder.appendingPathComponent("train_images.u8"))
        let images = try Tensor(shape: [summary.train_images.count, 8, 8, 1], scalars: bytes.map { Float($0) / 16 })
        let labels = try NumPy.readIndexTensor(contentsOf: folder.appendingPathComponent("train_labels.npy"))
        let model = DigitsCNN()
        try model.load(try Checkpoint(path: folder.appendingPathComponent("initial/model.ckpt").path), options: .strict)
        _ = try model(slice(images, 0..<1))  // makes the variables with the checkpoint's values
        let optimizer = AdamOptimizer(learningRate: summary.learning_rate)
        let step = GlobalStep()
        // The first epoch's order: one Fisher-Yates shuffle (as `modelspec train --shuffle`).
        var generator = SeededGenerator(seed: summary.order_seed)
        var order = Array(0..<summary.train_images.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        var losses: [Float] = []
        for k in 0..<summary.check_steps {
            let batch = IndexTensor(order[k * summary.batch_size..<(k + 1) * summary.batch_size].map { Int32($0) })
            let x = try gather(images, indices: batch), y = try gather(Tensor(labels), indices: batch)
            let loss = try optimizer.minimize(model, globalStep: step) {
                // Dropout's mask of step k: the one TensorFlow was fed.
                let context = CallContext(training: true, seed: summary.mask_seed + UInt64(k))
                return try Losses.sparseSoftmaxCrossEntropy(labels: IndexTensor(truncating: y),
                                                            logits: model.call(x, context: context, training: true))
            }
            losses.append(try #require(loss.scalar))
        }
        for (ours, theirs) in zip(losses, summary.check_losses) {
            #expect(Swift.abs(ours - theirs) < 1e-4, "losses \(losses), TensorFlow \(summary.check_losses)")
        }
        let after = try Checkpoint(path: folder.appendingPathComponent("after_steps/model.ckpt").path)
        for entry in after.entries {
            let variable = try #require(model.weight(named: entry.name), "\(entry.name)")
            let expected = try Tensor(shape: entry.shape, scalars: after.floats(named: entry.name))
            if let problem = mismatch(variable.value, expected, tolerance: 1e-4) { Issue.record("\(entry.name): \(problem)") }
        }
    }
}
