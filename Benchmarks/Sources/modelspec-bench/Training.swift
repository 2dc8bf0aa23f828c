import Foundation
import ModelSpecRuntime

// The training-step rows: one step of TF1 training — forward in training mode, the loss
// (tf.compat.v1.losses.sparse_softmax_cross_entropy), the backward pass, Adam's update
// (tf.compat.v1.train.AdamOptimizer(1e-3)) — of a benchmark model, beside TensorFlow's
// tf.function training step (Benchmarks/tf_bench.py, "time_train"), both on one thread.

/// A benchmark model ready to train: one step on fixed inputs and labels.
struct TrainingInstance {
    let step: () throws -> Float
}

/// The training step of a model by benchmark key, nil for one without a training row. The
/// recurrent model's logits are its top cell's last output (`h_1`, 256 classes, the labels among
/// the first 10): backpropagation through all 50 steps of both cells.
func trainingInstance(_ key: String, batch: Int) throws -> TrainingInstance? {
    switch key {
    case "mlp":
        let model = BenchMLP()
        return try trainer(model, inputShape: [batch, 784], batch: batch) { x, training in try model(x, training: training) }
    case "cnn_small":
        let model = BenchCNNSmall()
        return try trainer(model, inputShape: [batch, 28, 28, 1], batch: batch) { x, training in try model(x, training: training) }
    case "cnn_bn":
        let model = BenchCNNBN()
        return try trainer(model, inputShape: [batch, 32, 32, 3], batch: batch) { x, training in try model(x, training: training) }
    case "lstm":
        let model = BenchLSTM()
        return try trainer(model, inputShape: [batch, 50, 256], batch: batch) { x, training in try model(x, training: training).h1 }
    default:
        return nil
    }
}

/// The training step of `model` on fixed inputs and labels (classes 0..<10), its variables made
/// by a first call.
private func trainer(_ model: any Layer, inputShape: [Int], batch: Int,
                     _ call: @escaping (Tensor, Bool) throws -> Tensor) throws -> TrainingInstance {
    let x = try randomTensor(inputShape)
    let labels = IndexTensor(randomFloats(batch, seed: 0x1AB).map { Int32(($0 + 1) * 5) % 10 })
    _ = try call(x, false)
    let optimizer = AdamOptimizer(learningRate: 1e-3)
    return TrainingInstance {
        try optimizer.minimize(model) {
            try Losses.sparseSoftmaxCrossEntropy(labels: labels, logits: call(x, true))
        }.scalar ?? .nan
    }
}

/// Times a training step of each model at `batch`, alternating with TensorFlow's when it runs,
/// and prints the table.
func runTrainingRows(_ options: Options, tfServer: ScriptServer?) throws -> [[String: Any]] {
    BLASThreads.setCount(1)
    var rows = try options.models.compactMap { key in
        try trainingInstance(key, batch: options.trainingBatch).map { (row: Row(model: key, batch: options.trainingBatch, threads: 1), instance: $0) }
    }
    guard !rows.isEmpty else { return [] }
    for round in 0..<options.rounds {
        for index in rows.indices {
            let row = rows[index].row
            var sides: [() throws -> Void] = [{
                rows[index].row.swift += try timeRuns(seconds: options.seconds, minimumRuns: 3) {
                    consume(try rows[index].instance.step())
                }
            }]
            if let tfServer {
                sides.append {
                    rows[index].row.tf += try tfServer.timeTraining(model: row.model, batch: row.batch,
                                                                     seconds: options.seconds, minimumRuns: 3)
                }
            }
            let first = (round + index) % sides.count
            for side in sides[first...] + sides[..<first] { try side() }
        }
    }
    print("training step (forward in training mode, sparse softmax cross-entropy, backward, TF1 Adam update), batch \(options.trainingBatch), 1 thread; TensorFlow: tf.function of GradientTape and apply_gradients:")
    printTable(rows.map(\.row), oneThread: [])
    BLASThreads.setCount(options.threads)
    return rows.map { jsonRow($0.row).merging(["kind": "training_step"]) { $1 } }
}

extension ScriptServer {
    /// TensorFlow's training step, timed by the script.
    func timeTraining(model: String, batch: Int, seconds: Double, minimumRuns: Int) throws -> [Double] {
        let answer = try request(["cmd": "time_train", "model": model, "batch": batch,
                                  "seconds": seconds, "min_runs": minimumRuns])
        guard let times = answer["times"] as? [Double] else { throw BenchError("\(name) sent no times") }
        return times
    }
}
