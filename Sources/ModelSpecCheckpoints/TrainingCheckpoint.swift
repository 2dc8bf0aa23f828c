import Foundation
import ModelSpecRuntime
import TensorBundle

/// Training checkpoints both ways: TensorFlow's slots, optimizer state and `global_step`
/// read into an ``Optimizer`` and a ``GlobalStep`` (training resumes where TensorFlow
/// stopped), and a model with its optimizer saved as a `tf.compat.v1.train.Saver()` saves
/// them, so that `Saver().restore` and TensorFlow's training continue from Swift's.
///
///     let checkpoint = try Checkpoint(path: "train/model.ckpt-1350")
///     try model.load(checkpoint)                                  // the model; training state skipped
///     try optimizer.load(checkpoint, variables: model.trainableWeights)
///     let step = try GlobalStep(checkpoint)
///     ...
///     try TrainingCheckpoint.save(model, optimizer: optimizer, globalStep: step, to: "train/model.ckpt")
extension Optimizer {
    /// Restores every slot and state scalar this optimizer keeps for `variables` (``stateNames(for:)``)
    /// from the checkpoint, each with its variable's shape.
    /// - Throws: ``CheckpointLoadError`` listing every missing or mismatched entry; then nothing is restored.
    public func load(_ checkpoint: Checkpoint, variables: [Variable]) throws {
        var shapes: [String: [Int]] = [:]
        for variable in variables {
            for k in 0..<slotsPerVariable { shapes[stateNames(for: [variable])[k]] = variable.shape }
        }
        for scalar in stateScalars { shapes[scalar] = [] }
        var values: [String: Tensor] = [:]
        var problems: [CheckpointLoadError.Problem] = []
        for name in stateNames(for: variables) {
            let shape = shapes[name] ?? []
            let expected = ExpectedVariable(name: name, shape: shape, dtype: "float32", trainable: false, variableName: nil)
            guard let entry = checkpoint.entry(named: name) else {
                problems.append(.missing(expected, key: name))
                continue
            }
            guard entry.shape == shape, entry.dtype == .float32 else {
                problems.append(.mismatched(expected, key: name, checkpointShape: entry.shape, checkpointDType: entry.dtype.name))
                continue
            }
            do {
                values[name] = try Tensor(shape: shape, scalars: checkpoint.floats(named: name))
            } catch let error as CheckpointError {
                problems.append(.unreadable(expected, key: name, error: error))
            }
        }
        guard problems.isEmpty else {
            throw CheckpointLoadError(checkpoint: checkpoint.prefix, variableCount: values.count + problems.count, problems: problems)
        }
        try restore(values)
    }
}

extension GlobalStep {
    /// The checkpoint's `global_step` (an integer scalar), or 0 when it has none.
    public convenience init(_ checkpoint: Checkpoint) throws {
        guard checkpoint.entry(named: "global_step") != nil else {
            self.init(0)
            return
        }
        let values = try checkpoint.int64s(named: "global_step", converting: true)
        self.init(values.first ?? 0)
    }
}

/// Saving a model's training state as TensorFlow's `Saver()` does.
public enum TrainingCheckpoint {
    /// Writes `<prefix>-<step>` (or `<prefix>` without a global step): every variable of the model
    /// (`weights`: trainable, then the others such as moving statistics), every slot and state
    /// scalar of the optimizer, and `global_step` as int64; then the `checkpoint` state file of
    /// its folder, as `Saver.save(sess, prefix, global_step=)` writes them.
    /// - Returns: the prefix written.
    @discardableResult
    public static func save(_ model: any Layer, optimizer: (any Optimizer)? = nil, globalStep: GlobalStep? = nil,
                            to prefix: String) throws -> String {
        var writer = CheckpointWriter()
        for variable in model.weights + (optimizer?.stateVariables ?? []) {
            try writer.add(name: variable.name, shape: variable.shape, floats: variable.value.scalars)
        }
        var path = prefix
        if let globalStep {
            try writer.add(name: "global_step", shape: [], int64s: [globalStep.value])
            path += "-\(globalStep.value)"
        }
        try writer.write(prefix: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let name = URL(fileURLWithPath: path).lastPathComponent
        let state = "model_checkpoint_path: \"\(name)\"\nall_model_checkpoint_paths: \"\(name)\"\n"
        try state.write(to: folder.appendingPathComponent("checkpoint"), atomically: true, encoding: .utf8)
        return path
    }
}
