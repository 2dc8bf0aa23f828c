import Foundation
import ModelSpecCheckpoints
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// Tests/Goldens/training_sparse (oracle/training_sparse.py): TrainedEmbeddingBag trained by
/// TensorFlow in a TF1 graph, the table's gradient IndexedSlices (duplicate ids in every batch,
/// rows never looked up), applied by each optimizer's sparse kernel.
struct SparseTrainingRun {
    static let folder = Repo.root + "/Tests/Goldens/training_sparse"
    static let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/TrainedEmbeddingBag.yaml"

    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let regularized: Bool
        let indexed_slices: Bool
        let losses: [Double]
        let full: String
        var description: String { name }
    }

    struct Summary: Decodable {
        let steps: Int
        let batch: Int
        let l2: Float
        let initial: String
        let table: String
        let never_looked_up: [Int]
        let cases: [Case]
    }

    static let summary: Summary? = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: folder + "/cases.json")) else { return nil }
        return try? JSONDecoder().decode(Summary.self, from: data)
    }()

    static var cases: [Case] { summary?.cases ?? [] }

    /// The case's optimizer, as oracle/training_sparse.py writes it.
    static func optimizer(_ name: String) -> (any Optimizer)? {
        switch name {
        case "gradient_descent": GradientDescentOptimizer(learningRate: 0.5)
        case "momentum", "momentum_regularized": MomentumOptimizer(learningRate: 0.2, momentum: 0.9)
        case "momentum_nesterov": MomentumOptimizer(learningRate: 0.2, momentum: 0.9, useNesterov: true)
        case "adam": AdamOptimizer(learningRate: 0.05)
        case "rmsprop": RMSPropOptimizer(learningRate: 0.05, momentum: 0.5)
        case "rmsprop_centered": RMSPropOptimizer(learningRate: 0.05, momentum: 0.5, centered: true)
        case "adagrad": AdagradOptimizer(learningRate: 0.3)
        default: nil
        }
    }

    let summary: Summary
    let golden: Case
    let model: InterpretedModel
    let optimizer: any Optimizer
    let globalStep = GlobalStep()
    let ids: IndexTensor
    let labels: IndexTensor

    init(_ golden: Case) throws {
        summary = try #require(Self.summary)
        self.golden = golden
        ids = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/train_ids.npy"))
        labels = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/train_y.npy"))
        let first = try slice(ids, 0..<summary.batch)
        let prepared = try PreparedSpec(Self.spec, inputs: ["ids": Tensor(shape: first.shape, repeating: 0)])
        model = prepared.model
        try model.load(Checkpoint(path: Self.folder + "/" + summary.initial), expecting: prepared.expected)
        _ = try model([:], indices: ["ids": first])  // makes the variables
        optimizer = try #require(Self.optimizer(golden.name), "no Swift optimizer for \(golden.name)")
    }

    var table: Variable { get throws { try #require(model.weight(named: summary.table)) } }

    /// The batch of a step.
    func batch(_ k: Int) throws -> (ids: IndexTensor, labels: IndexTensor) {
        let rows = k * summary.batch..<(k + 1) * summary.batch
        return (try slice(ids, rows), try slice(labels, rows))
    }

    /// The loss of one batch: cross-entropy, plus the L2 loss of the table when the case has it.
    func loss(_ batch: (ids: IndexTensor, labels: IndexTensor)) throws -> Tensor {
        let logits = try model([:], indices: ["ids": batch.ids], training: true)[0]
        let regularization = golden.regularized ? [try Regularizer.l2(summary.l2).loss(table.value)] : []
        return try Losses.total(Losses.sparseSoftmaxCrossEntropy(labels: batch.labels, logits: logits), regularization: regularization)
    }

    @discardableResult
    func step() throws -> Float {
        let batch = try batch(Int(globalStep.value))
        return try #require(optimizer.minimize(model, globalStep: globalStep) { try loss(batch) }.scalar)
    }
}

@Suite("Training through looked-up rows against TensorFlow's sparse optimizer kernels")
struct TrainingSparseGoldenTests {
    @Test func everyOptimizerHasACase() {
        #expect(SparseTrainingRun.cases.map(\.name).sorted() ==
            ["adagrad", "adam", "gradient_descent", "momentum", "momentum_nesterov", "momentum_regularized", "rmsprop", "rmsprop_centered"])
    }

    @Test("N steps reach TensorFlow's variables and slots", arguments: SparseTrainingRun.cases)
    func stepsMatchTensorFlow(_ golden: SparseTrainingRun.Case) throws {
        let run = try SparseTrainingRun(golden)
        var losses: [Double] = []
        for _ in 0..<run.summary.steps { losses.append(Double(try run.step())) }
        for (ours, theirs) in zip(losses, golden.losses) {
            #expect(Swift.abs(ours - theirs) < 1e-4 * Swift.max(1, Swift.abs(theirs)), "\(golden.name): losses \(losses) vs \(golden.losses)")
        }
        try expectTrainingCheckpoint(SparseTrainingRun.folder + "/" + golden.full, model: run.model, optimizer: run.optimizer,
                                     globalStep: run.globalStep, tolerance: 2e-5, golden.name)
    }

    @Test("the table's gradient is IndexedSlices, duplicates kept; dense with a dense part besides",
          arguments: SparseTrainingRun.cases.filter { $0.name == "momentum" || $0.name == "momentum_regularized" })
    func tableGradientKind(_ golden: SparseTrainingRun.Case) throws {
        let run = try SparseTrainingRun(golden)
        let table = try run.table
        let batch = try run.batch(0)
        let tape = GradientTape()
        let loss = try tape.record { try run.loss(batch) }
        let gradient = try #require(try tape.variableGradients(of: loss, withRespectTo: [table])[0])
        let dense = try #require(try tape.gradient(of: loss, withRespectTo: [table])[0])
        #expect(golden.indexed_slices != golden.regularized)
        switch gradient {
        case let .indexedSlices(slices):
            #expect(golden.indexed_slices, "TensorFlow's gradient is dense here")
            #expect(slices.indices == batch.ids.scalars.map(Int.init), "one row per id looked up, in order, duplicates kept")
            #expect(slices.denseShape == table.shape)
            expectClose(slices.dense, dense, "made dense, the rows add up", tolerance: 0)
            let summed = slices.deduplicated()
            #expect(summed.indices.count == Set(slices.indices).count)
            expectClose(summed.dense, dense, "deduplicated", tolerance: 1e-7)
        case let .dense(tensor):
            #expect(!golden.indexed_slices, "TensorFlow's gradient is IndexedSlices here")
            expectClose(tensor, dense, "dense", tolerance: 0)
        }
    }

    @Test("Momentum, RMSProp and Adagrad leave rows never looked up and their slots alone; Adam moves looked-up rows later")
    func untouchedRows() throws {
        for golden in SparseTrainingRun.cases where !golden.regularized {
            let run = try SparseTrainingRun(golden)
            let before = try run.table.value.scalars
            for _ in 0..<run.summary.steps { try run.step() }
            let after = try run.table.value.scalars
            let width = try run.table.shape[1]
            for row in run.summary.never_looked_up {
                let range = row * width..<(row + 1) * width
                #expect(Array(after[range]) == Array(before[range]), "\(golden.name): row \(row) was never looked up")
            }
            let slots = run.optimizer.stateVariables.filter { $0.name.hasPrefix(run.summary.table + "/") }
            for slot in slots where slot.name.hasSuffix("/Momentum") || slot.name.hasSuffix("/Adagrad") {
                let initial: Float = slot.name.hasSuffix("/Adagrad") ? 0.1 : 0
                for row in run.summary.never_looked_up {
                    #expect(slot.value.scalars[row * width..<(row + 1) * width].allSatisfy { $0 == initial }, "\(slot.name) row \(row)")
                }
            }
        }
    }
}
