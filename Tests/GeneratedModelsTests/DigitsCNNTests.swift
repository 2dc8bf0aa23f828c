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
}
