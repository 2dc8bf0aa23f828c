import Foundation
import ModelSpecCheckpoints
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// Tests/Goldens/training (oracle/training.py): TrainedTinyCNN trained by TensorFlow in a TF1
/// graph with each tf.compat.v1.train optimizer, its checkpoints after HALF and STEPS steps.
struct TrainingRun {
    static let folder = Repo.root + "/Tests/Goldens/training"
    static let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml"

    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let swift: String
        let losses: [Double]
        let half: String
        let full: String
        var description: String { name }
    }

    struct Summary: Decodable {
        let steps: Int
        let half: Int
        let batch: Int
        let l2: Float
        let initial: String
        let regularized: String
        let cases: [Case]
    }

    static let summary: Summary? = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: folder + "/cases.json")) else { return nil }
        return try? JSONDecoder().decode(Summary.self, from: data)
    }()

    static var cases: [Case] { summary?.cases ?? [] }

    /// The case's optimizer, as its `swift` field writes it.
    static func optimizer(_ name: String) -> (any Optimizer)? {
        switch name {
        case "gradient_descent": GradientDescentOptimizer(learningRate: 0.1)
        case "momentum": MomentumOptimizer(learningRate: 0.05, momentum: 0.9)
        case "momentum_nesterov": MomentumOptimizer(learningRate: 0.05, momentum: 0.9, useNesterov: true)
        case "adam": AdamOptimizer(learningRate: 0.01)
        case "rmsprop": RMSPropOptimizer(learningRate: 0.01)
        case "rmsprop_centered": RMSPropOptimizer(learningRate: 0.01, momentum: 0.9, centered: true)
        case "adagrad": AdagradOptimizer(learningRate: 0.1)
        default: nil
        }
    }

    let summary: Summary
    let model: InterpretedModel
    let optimizer: any Optimizer
    let globalStep: GlobalStep
    let images: Tensor
    let labels: IndexTensor

    /// The model with a checkpoint's values (the initial one, or a case's), its optimizer and step.
    init(_ golden: Case, from checkpointPath: String? = nil) throws {
        summary = try #require(Self.summary)
        images = try NumPy.readTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/train_x.npy"))
        labels = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/train_y.npy"))
        let first = try slice(images, 0..<summary.batch)
        let prepared = try PreparedSpec(Self.spec, inputs: ["images": first])
        model = prepared.model
        let checkpoint = try Checkpoint(path: checkpointPath ?? Self.folder + "/" + summary.initial)
        try model.load(checkpoint, expecting: prepared.expected)
        _ = try model(["images": first], training: false)  // makes the variables
        optimizer = try #require(Self.optimizer(golden.name), "no Swift optimizer for \(golden.name)")
        if checkpointPath != nil {
            try optimizer.load(checkpoint, variables: model.trainableWeights)
        }
        globalStep = try GlobalStep(checkpoint)
    }

    /// One step of TensorFlow's training: the batch of the global step, cross-entropy plus the L2 loss.
    @discardableResult
    func step() throws -> Float {
        let k = Int(globalStep.value), batch = summary.batch
        let x = try slice(images, k * batch..<(k + 1) * batch), y = try slice(labels, k * batch..<(k + 1) * batch)
        let kernel = try #require(model.weight(named: summary.regularized))
        let loss = try optimizer.minimize(model, globalStep: globalStep) {
            let logits = try model(["images": x], training: true)[0]
            return try Losses.total(Losses.sparseSoftmaxCrossEntropy(labels: y, logits: logits),
                                    regularization: [Regularizer.l2(summary.l2).loss(kernel.value)])
        }
        return try #require(loss.scalar)
    }

    /// Every entry of a checkpoint against the model, the optimizer and the step.
    func expectEqual(to path: String, tolerance: Float = 2e-4, _ what: String) throws {
        try expectTrainingCheckpoint(path, model: model, optimizer: optimizer, globalStep: globalStep, tolerance: tolerance, what)
    }
}

/// Every entry of a TensorFlow training checkpoint (`Saver()`: model, slots, state, `global_step`)
/// against a model trained in Swift, its optimizer and step; no entry more or fewer.
func expectTrainingCheckpoint(_ path: String, model: any Layer, optimizer: any Optimizer, globalStep: GlobalStep,
                              tolerance: Float, _ what: String) throws {
    let checkpoint = try Checkpoint(path: path)
    let ours = Dictionary(uniqueKeysWithValues: (model.weights + optimizer.stateVariables).map { ($0.name, $0) })
    for entry in checkpoint.entries {
        if entry.name == "global_step" {
            #expect(try checkpoint.int64s(named: entry.name) == [globalStep.value], "\(what): global_step")
            continue
        }
        guard let variable = ours[entry.name] else {
            Issue.record("\(what): Swift has no '\(entry.name)'")
            continue
        }
        let expected = try Tensor(shape: entry.shape, scalars: checkpoint.floats(named: entry.name))
        expectClose(variable.value, expected, "\(what): \(entry.name)", tolerance: tolerance)
    }
    #expect(ours.count + 1 == checkpoint.entries.count, "\(what): Swift has \(ours.keys.sorted()), TensorFlow \(checkpoint.entries.map(\.name))")
}

@Suite("Training in Swift against TensorFlow's TF1 training")
struct TrainingGoldenTests {
    @Test func everyOptimizerHasACase() {
        #expect(TrainingRun.cases.map(\.name).sorted() ==
            ["adagrad", "adam", "gradient_descent", "momentum", "momentum_nesterov", "rmsprop", "rmsprop_centered"])
    }

    @Test("N steps from TensorFlow's initial values reach TensorFlow's variables, slots and step",
          arguments: TrainingRun.cases)
    func stepsMatchTensorFlow(_ golden: TrainingRun.Case) throws {
        let run = try TrainingRun(golden)
        var losses: [Double] = []
        for _ in 0..<run.summary.steps { losses.append(Double(try run.step())) }
        for (ours, theirs) in zip(losses, golden.losses) {
            #expect(Swift.abs(ours - theirs) < 1e-4 * Swift.max(1, Swift.abs(theirs)), "\(golden.name): losses \(losses) vs \(golden.losses)")
        }
        try run.expectEqual(to: TrainingRun.folder + "/" + golden.full, golden.name)
    }

    @Test("training resumes from TensorFlow's checkpoint with its slots and global_step", arguments: TrainingRun.cases)
    func resumesFromTensorFlow(_ golden: TrainingRun.Case) throws {
        let run = try TrainingRun(golden, from: TrainingRun.folder + "/" + golden.half)
        #expect(run.globalStep.value == Int64(run.summary.half))
        while run.globalStep.value < run.summary.steps { try run.step() }
        try run.expectEqual(to: TrainingRun.folder + "/" + golden.full, "\(golden.name) resumed")
    }

    /// Swift's checkpoint after HALF steps holds what TensorFlow's Saver() saves (same names,
    /// shapes, dtypes), and training resumed from it in Swift reaches TensorFlow's values.
    /// With MODELSPEC_WRITE_TRAINING_FIXTURE=1 the Adam case is written to
    /// Tests/Goldens/training/written_by_swift, which oracle/training.py restores in TensorFlow.
    @Test("a checkpoint saved in Swift holds TensorFlow's entries and resumes", arguments: TrainingRun.cases)
    func savedCheckpointResumes(_ golden: TrainingRun.Case) throws {
        let run = try TrainingRun(golden)
        for _ in 0..<run.summary.half { try run.step() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try TrainingCheckpoint.save(run.model, optimizer: run.optimizer, globalStep: run.globalStep,
                                               to: folder.appendingPathComponent("model.ckpt").path)
        let ours = try Checkpoint(path: path), theirs = try Checkpoint(path: TrainingRun.folder + "/" + golden.half)
        #expect(ours.entries.map { "\($0.name) \($0.dtype.name) \($0.shape)" } == theirs.entries.map { "\($0.name) \($0.dtype.name) \($0.shape)" })
        #expect(try Checkpoint(path: folder.path).prefix == path, "the checkpoint state file names it")

        let resumed = try TrainingRun(golden, from: path)
        while resumed.globalStep.value < resumed.summary.steps { try resumed.step() }
        try resumed.expectEqual(to: TrainingRun.folder + "/" + golden.full, "\(golden.name) resumed from Swift's checkpoint")

        if golden.name == "adam", ProcessInfo.processInfo.environment["MODELSPEC_WRITE_TRAINING_FIXTURE"] == "1" {
            let fixture = TrainingRun.folder + "/written_by_swift"
            try? FileManager.default.removeItem(atPath: fixture)
            try FileManager.default.createDirectory(atPath: fixture, withIntermediateDirectories: true)
            let written = try TrainingCheckpoint.save(run.model, optimizer: run.optimizer, globalStep: run.globalStep,
                                                      to: fixture + "/model.ckpt")
            let json = #"{"name": "adam", "prefix": ""# + URL(fileURLWithPath: written).lastPathComponent + "\"}\n"
            try json.write(toFile: fixture + "/case.json", atomically: true, encoding: .utf8)
        }
    }

    @Test func optimizerLoadReportsMissingSlots() throws {
        let golden = try #require(TrainingRun.cases.first { $0.name == "adam" })
        let run = try TrainingRun(golden)
        let momentum = MomentumOptimizer(learningRate: 0.1, momentum: 0.9)
        let error = #expect(throws: CheckpointLoadError.self) {
            try momentum.load(Checkpoint(path: TrainingRun.folder + "/" + golden.half), variables: run.model.trainableWeights)
        }
        #expect(error?.problems.count == run.model.trainableWeights.count)
        #expect(error?.description.contains("model/dense/kernel/Momentum") == true, "\(String(describing: error))")
    }

    @Test func frozenAndNonTrainableVariablesAreLeftAlone() throws {
        let golden = try #require(TrainingRun.cases.first { $0.name == "adam" })
        let run = try TrainingRun(golden)
        let head = run.model.trainableWeights.filter { $0.name.hasPrefix("model/logits/") }
        let frozen = run.model.trainableWeights.filter { !$0.name.hasPrefix("model/logits/") }
        let before = frozen.map(\.value)
        let movingMean = try #require(run.model.weight(named: "model/batch_normalization/moving_mean"))
        let meanBefore = movingMean.value
        let x = try slice(run.images, 0..<8), y = try slice(run.labels, 0..<8)
        try run.optimizer.minimize(run.model, variables: head, globalStep: run.globalStep) {
            try Losses.sparseSoftmaxCrossEntropy(labels: y, logits: run.model(["images": x], training: true)[0])
        }
        #expect(zip(frozen, before).allSatisfy { $0.value == $1 }, "variables outside the list are untouched")
        #expect(movingMean.value != meanBefore, "moving statistics are updated by the training-mode call, as UPDATE_OPS")
        #expect(run.optimizer.stateVariables.map(\.name).allSatisfy { $0.hasPrefix("model/logits/") || $0.hasSuffix("_power") })
        #expect(run.globalStep.value == 1)
    }
}
