import Foundation
import ModelSpecRuntime
import TensorBundle
import Testing

/// `modelspec train` on TrainedTinyCNN with the data of Tests/Goldens/training.
@Suite("modelspec train", .enabled(if: CLI.available))
struct TrainCommandTests {
    static let data = ["--input", "images=\(TrainingRun.folder)/train_x.npy", "--labels", "\(TrainingRun.folder)/train_y.npy",
                       "--loss", "sparse_softmax_cross_entropy", "--batch-size", "8"]

    @Test func trainsFromTheInitialValuesWithAProgressLinePerEpochAndSavesTensorFlowsEntries() throws {
        let folder = try temporaryFolder("train")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["train", TrainingRun.spec] + Self.data + [
            "--checkpoint", "\(TrainingRun.folder)/initial/model.ckpt", "--optimizer", "adam", "--learning-rate", "0.01",
            "--epochs", "2", "--save", folder + "/model.ckpt"])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        #expect(lines.count == 2, "\(result.out)")
        #expect(lines.first?.hasPrefix("epoch 1/2: loss ") == true && lines.first?.contains("(mean of 6 batches), global_step 6") == true, "\(result.out)")
        #expect(lines.last?.contains("global_step 12") == true, "\(result.out)")
        let saved = try Checkpoint(path: folder)
        #expect(saved.prefix.hasSuffix("model.ckpt-12"))
        #expect(try saved.int64s(named: "global_step") == [12])
        let tensorflow = try Checkpoint(path: "\(TrainingRun.folder)/adam/half/model.ckpt-3")
        #expect(saved.entries.map(\.name) == tensorflow.entries.map(\.name), "the entries TensorFlow's Saver() saves for Adam")
    }

    @Test func resumesTensorFlowsOptimizerStateAndStep() throws {
        let folder = try temporaryFolder("train-resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["train", TrainingRun.spec] + Self.data + [
            "--checkpoint", "\(TrainingRun.folder)/rmsprop_centered/half/model.ckpt-3", "--optimizer", "rmsprop",
            "--learning-rate", "0.01", "--save", folder + "/model.ckpt"])
        // RMSProp without `centered` keeps two slots, TensorFlow's centered one three: the names
        // differ, so the slots start fresh; global_step continues.
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("global_step 9"), "\(result.out)")
        let adam = try CLI.run(["train", TrainingRun.spec] + Self.data + [
            "--checkpoint", "\(TrainingRun.folder)/adam/half/model.ckpt-3", "--optimizer", "adam",
            "--learning-rate", "0.01", "--save", folder + "/adam.ckpt"])
        #expect(adam.status == 0, "\(adam.err)")
        #expect(adam.out.contains("restored 16 optimizer slots and state (Adam), global_step 3"), "\(adam.out)")
    }

    /// `--shuffle`: a new order each epoch drawn from `--seed`; the same seed trains the same.
    @Test func shufflesReproduciblyFromTheSeed() throws {
        let folder = try temporaryFolder("train-shuffle")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func train(_ name: String, _ options: [String]) throws -> [Float] {
            let result = try CLI.run(["train", TrainingRun.spec] + Self.data + [
                "--checkpoint", "\(TrainingRun.folder)/initial/model.ckpt", "--optimizer", "gradient-descent",
                "--learning-rate", "0.1", "--epochs", "2", "--save", folder + "/\(name)/model.ckpt"] + options)
            #expect(result.status == 0, "\(result.err)")
            #expect(result.out.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.count == 2, "\(result.out)")
            return try Checkpoint(path: folder + "/\(name)").floats(named: "model/logits/kernel")
        }
        let inOrder = try train("in-order", [])
        let first = try train("first", ["--shuffle", "--seed", "7"])
        let again = try train("again", ["--shuffle", "--seed", "7"])
        let other = try train("other", ["--shuffle", "--seed", "8"])
        #expect(first == again, "the same seed gives the same orders")
        #expect(first != inOrder, "shuffled batches differ from the stored order")
        #expect(first != other, "another seed gives other orders")
    }

    @Test func refusesDataOfDifferentLengths() throws {
        let folder = try temporaryFolder("train-bad")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let labels = folder + "/labels.npy"
        try NumPy.write(IndexTensor(shape: [5], scalars: [0, 1, 2, 0, 1]), to: URL(fileURLWithPath: labels))
        let result = try CLI.run(["train", TrainingRun.spec, "--input", "images=\(TrainingRun.folder)/train_x.npy",
                                  "--labels", labels, "--loss", "sparse_softmax_cross_entropy", "--save", folder + "/m.ckpt"])
        #expect(result.status == 2)
        #expect(result.err.contains("the inputs need the same number of examples"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/checkpoint"), "nothing is saved")
    }
}
