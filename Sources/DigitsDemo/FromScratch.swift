import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import TensorBundle

/// `DigitsDemo --from-scratch`: the digits CNN trained in Swift, through the generated type,
/// from TensorFlow's starting weights (Tests/Goldens/digits_scratch, oracle/digits_scratch.py):
/// Adam, batch 32, 30 epochs, each epoch's order a Fisher–Yates shuffle driven by
/// `SeededGenerator(seed: order_seed)` and step k's dropout mask drawn from seed
/// `mask_seed + k` — what TensorFlow was given — then the held-out accuracy beside TensorFlow's.
enum FromScratch {
    struct Summary: Decodable {
        let learning_rate: Float
        let batch_size: Int
        let epochs: Int
        let order_seed: UInt64
        let mask_seed: UInt64
        let test_accuracy: Double
        let epoch_losses: [Double]
        let train_images: Images
        struct Images: Decodable { let count: Int }
    }

    static func run(scratch: URL, test: URL) throws {
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: scratch.appendingPathComponent("summary.json")))
        let bytes = try Data(contentsOf: scratch.appendingPathComponent("train_images.u8"))
        let images = try Tensor(shape: [summary.train_images.count, 8, 8, 1], scalars: bytes.map { Float($0) / 16 })
        let labels = Tensor(try NumPy.readIndexTensor(contentsOf: scratch.appendingPathComponent("train_labels.npy")))

        let model = DigitsCNN()
        try model.load(try Checkpoint(path: scratch.appendingPathComponent("initial/model.ckpt").path), options: .strict)
        _ = try model(slice(images, 0..<1))  // makes the variables with the starting weights
        let optimizer = AdamOptimizer(learningRate: summary.learning_rate)
        let step = GlobalStep()
        var generator = SeededGenerator(seed: summary.order_seed)
        var order = Array(0..<summary.train_images.count)
        print("== DigitsCNN from TensorFlow's starting weights: \(summary.epochs) epochs of \(order.count) images, batch \(summary.batch_size)")
        for epoch in 1...summary.epochs {
            let start = ContinuousClock.now
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
            var total = 0.0, batches = 0
            for first in stride(from: 0, to: order.count, by: summary.batch_size) {
                let batch = IndexTensor(order[first..<min(first + summary.batch_size, order.count)].map { Int32($0) })
                let x = try gather(images, indices: batch), y = try IndexTensor(truncating: gather(labels, indices: batch))
                let context = CallContext(training: true, seed: summary.mask_seed + UInt64(step.value))
                let loss = try optimizer.minimize(model, globalStep: step) {
                    try Losses.sparseSoftmaxCrossEntropy(labels: y, logits: model.call(x, context: context, training: true))
                }
                total += Double(loss.scalar ?? .nan)
                batches += 1
            }
            let tensorflow = epoch <= summary.epoch_losses.count ? String(format: " (TensorFlow %.4f)", summary.epoch_losses[epoch - 1]) : ""
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print(String(format: "epoch %2d/%d: loss %.4f%@, global_step %lld, %.2f s", epoch, summary.epochs, total / Double(batches),
                         tensorflow, step.value, seconds))
        }
        let testImages = try NumPy.readTensor(contentsOf: test.appendingPathComponent("test_images.npy"))
        let testLabels = try NumPy.readIndexTensor(contentsOf: test.appendingPathComponent("test_labels.npy")).scalars
        let predictions = try argmax(model(testImages)).scalars
        let correct = zip(predictions, testLabels).filter { $0 == $1 }.count
        print(String(format: "\n== accuracy on %d held-out images: %.2f%% (%d/%d); TensorFlow trained the same: %.2f%%",
                     testLabels.count, Double(correct) / Double(testLabels.count) * 100, correct, testLabels.count,
                     summary.test_accuracy * 100))
    }
}
