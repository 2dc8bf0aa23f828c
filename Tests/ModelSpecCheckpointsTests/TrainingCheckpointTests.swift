import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import Testing

@testable import TensorBundle

/// The checkpoints of Tests/Goldens/training_checkpoints (oracle/training_checkpoints.py):
/// TrainedTinyCNN trained a few steps by TensorFlow with each tf.compat.v1.train optimizer
/// and saved by a default Saver(), so beside the model they hold slots, beta1_power,
/// global_step and moving averages.
struct TrainingGolden {
    static let folder = Repo.root + "/Tests/Goldens/training_checkpoints"
    static let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml"
    static let inputs = folder + "/inputs.npy"

    static var summary: [String: Any] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) ?? Data("{}".utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static var cases: [String] {
        (summary["cases"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    static var movingAverageCases: [String] {
        (summary["cases"] as? [[String: Any]] ?? []).filter { $0["moving_average_name"] != nil }.compactMap { $0["name"] as? String }
    }

    let json: [String: Any]

    init(_ name: String) throws {
        let cases = Self.summary["cases"] as? [[String: Any]] ?? []
        json = try #require(cases.first { $0["name"] as? String == name })
    }

    var prefix: String { Self.folder + "/" + (json["prefix"] as! String) }
    var checkpointFolder: String { Self.folder + "/" + (json["checkpoint"] as! String) }
    var outputs: String { Self.folder + "/" + (json["outputs"] as! String) }
    var movingAverageOutputs: String? { (json["moving_average_outputs"] as? String).map { Self.folder + "/" + $0 } }
    /// Every entry TensorFlow saved that is not a model variable.
    var trainingState: [String] { json["training_state"] as! [String] }
    /// Model variable -> the key `ema.variables_to_restore()` restores it from.
    var variablesToRestore: [String: String]? { json["variables_to_restore"] as? [String: String] }

    static func prepared() throws -> (PreparedSpec, [String: Tensor]) {
        let images = try tensor(inputs)
        return (try PreparedSpec(spec, inputs: ["images": images]), ["images": images])
    }
}

@Suite("Training checkpoints load with no options")
struct TrainingCheckpointTests {
    @Test func goldensArePresent() {
        #expect(TrainingGolden.cases.count >= 10)
        #expect(TrainingGolden.movingAverageCases.count >= 2)
    }

    /// The spec's manifest is the model TensorFlow trained: names, shapes, trainability.
    @Test func specMakesTensorFlowsVariables() throws {
        let (spec, _) = try TrainingGolden.prepared()
        let theirs = try #require(TrainingGolden.summary["model_variables"] as? [[String: Any]])
        #expect(spec.expected.map(\.name) == theirs.map { $0["name"] as! String })
        #expect(spec.expected.map(\.shape) == theirs.map { $0["shape"] as! [Int] })
        #expect(spec.expected.map(\.trainable) == theirs.map { $0["trainable"] as! Bool })
    }

    /// Strict, no options: every variable found, every other entry skipped as training state
    /// (exactly the entries TensorFlow's optimizer and moving average made), TensorFlow's outputs.
    @Test(arguments: TrainingGolden.cases)
    func strictLoadSkipsTheTrainingState(_ name: String) throws {
        let golden = try TrainingGolden(name)
        let (spec, inputs) = try TrainingGolden.prepared()
        let match = try spec.model.load(Checkpoint(path: golden.checkpointFolder), expecting: spec.expected)
        #expect(match.isExact)
        #expect(match.matched.count == 9)
        #expect(match.skipped.map(\.entry.name) == golden.trainingState)
        #expect(!match.skipped.contains { if case .ignored = $0.reason { true } else { false } })
        let summary = try #require(match.skippedSummary)
        #expect(summary.hasPrefix("skipped ") && summary.contains("global_step"), "\(summary)")
        #expect(match.report.map(\.description) == ["note: " + summary])
        expectClose(try spec.model(inputs)[0], try tensor(golden.outputs), "\(name) outputs")
    }

    @Test func summaryLines() throws {
        func summary(_ name: String, _ options: LoadOptions = .strict) throws -> String? {
            let (spec, _) = try TrainingGolden.prepared()
            return try spec.model.load(Checkpoint(path: TrainingGolden(name).prefix), expecting: spec.expected, options: options).skippedSummary
        }
        #expect(try summary("adam") == "skipped 14 optimizer slots (Adam), beta1_power, beta2_power, global_step")
        #expect(try summary("rmsprop_centered") == "skipped 21 optimizer slots (RMSProp), global_step")
        #expect(try summary("adam_named") == "skipped 14 slots (MyAdam), beta1_power, beta2_power, global_step")
        #expect(try summary("ftrl_slot_names") == "skipped 14 slots (acc, lin), global_step")
        #expect(try summary("adam_in_scope") == "skipped 14 optimizer slots (Adam), global_step, train/beta1_power, train/beta2_power")
        #expect(try summary("same_variables_twice") == "skipped 29 optimizer slots (Adam, Momentum), beta1_power, beta1_power_1, beta2_power, beta2_power_1, global_step")
        #expect(try summary("adam_ema") == "skipped 14 optimizer slots (Adam), 7 moving averages (ExponentialMovingAverage), beta1_power, beta2_power, global_step")
        #expect(try summary("adam_ema", LoadOptions(movingAverages: true)) == "skipped 14 optimizer slots (Adam), 7 raw values of averaged variables, beta1_power, beta2_power, global_step")
        #expect(try summary("proximal_gradient_descent") == "skipped global_step")
    }

    /// `movingAverages`: the keys looked up are those of TensorFlow's `ema.variables_to_restore()`
    /// (trainable variables from their shadows, batch norm's moving statistics from themselves),
    /// and the outputs are TensorFlow's with those values restored.
    @Test(arguments: TrainingGolden.movingAverageCases)
    func movingAverages(_ name: String) throws {
        let golden = try TrainingGolden(name)
        let (spec, inputs) = try TrainingGolden.prepared()
        let match = try spec.model.load(Checkpoint(path: golden.prefix), expecting: spec.expected,
                                        options: LoadOptions(movingAverages: true))
        #expect(match.isExact)
        let restored = try #require(golden.variablesToRestore)
        for variable in spec.expected {
            #expect(match.lookupKey(for: variable.name) == restored[variable.name], "\(variable.name)")
        }
        #expect(match.matched.map(\.key).contains("model/batch_normalization/moving_mean"))
        let outputs = try spec.model(inputs)[0]
        expectClose(outputs, try tensor(try #require(golden.movingAverageOutputs)), "\(name) moving-average outputs")
        // Not the raw values' outputs.
        #expect(zip(outputs.scalars, try tensor(golden.outputs).scalars).contains { Swift.abs($0 - $1) > 1e-4 })
    }

    /// A moving-average load of a checkpoint without moving averages names the shadows it looked for.
    @Test func movingAveragesMissingAreReported() throws {
        let (spec, _) = try TrainingGolden.prepared()
        let error = try #require(throws: CheckpointLoadError.self) {
            try spec.model.load(Checkpoint(path: TrainingGolden("adam").prefix), expecting: spec.expected,
                                options: LoadOptions(movingAverages: true))
        }
        #expect(error.description.contains("- model/dense/kernel  float32 [36, 5]  (made by the model, not in the checkpoint, looked up as 'model/dense/kernel/ExponentialMovingAverage')"))
        #expect(!error.description.contains("moving_mean"))
        if CLI.available {
            let diff = try CLI.run(["diff", TrainingGolden.spec, TrainingGolden("adam").prefix, "--input", "images=4,6,6,2", "--use-moving-averages"])
            #expect(diff.status == 1)
            #expect(diff.out.contains("- model/logits/bias  float32 [3]  (made by the spec, not in the checkpoint, looked up as 'model/logits/bias/ExponentialMovingAverage')"))
        }
    }
}

/// What is still an error, and what lenient loads say.
@Suite("Training checkpoints: errors and reports")
struct TrainingCheckpointErrorTests {
    /// The adam golden's entries, copied, with `extra` entries added and `dropping` left out.
    static func edited(_ extra: (inout CheckpointWriter) throws -> Void = { _ in }, dropping: Set<String> = []) throws -> String {
        let source = try Checkpoint(path: TrainingGolden("adam").prefix)
        var writer = CheckpointWriter()
        for entry in source.entries where !dropping.contains(entry.name) {
            try writer.add(name: entry.name, dtype: entry.dtype, shape: entry.shape, bytes: try source.rawBytes(named: entry.name))
        }
        try extra(&writer)
        let prefix = try temporaryFolder("training") + "/model.ckpt-5"
        try writer.write(prefix: prefix)
        return prefix
    }

    func loadError(_ prefix: String, _ options: LoadOptions = .strict) throws -> CheckpointLoadError {
        let (spec, _) = try TrainingGolden.prepared()
        return try #require(throws: CheckpointLoadError.self) {
            try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: options)
        }
    }

    /// Beside training state, an entry that is not training state is still an error: another
    /// variable, a "slot" of the wrong shape, a name on one variable only, a slot of a variable
    /// the model does not make.
    @Test func otherEntriesAreStillErrors() throws {
        let prefix = try Self.edited { writer in
            try writer.add(name: "model/extra/w", shape: [3], floats: [1, 2, 3])
            try writer.add(name: "model/dense/kernel/Adam_2", shape: [5], floats: .init(repeating: 0, count: 5))
            try writer.add(name: "model/dense/kernel/shadow", shape: [36, 5], floats: .init(repeating: 0, count: 180))
            try writer.add(name: "head/kernel/Adam", shape: [5, 3], floats: .init(repeating: 0, count: 15))
            try writer.add(name: "model/step_count", shape: [], int64s: [3])
        }
        let error = try loadError(prefix)
        let unused = error.problems.compactMap { problem -> String? in
            if case let .unused(entry) = problem { entry.name } else { nil }
        }
        #expect(unused == ["head/kernel/Adam", "model/dense/kernel/Adam_2", "model/dense/kernel/shadow", "model/extra/w", "model/step_count"])
        #expect(error.problems.count == 5)
    }

    /// --allow-unused lets them through and the report names them, after the training state.
    @Test func allowedUnusedEntriesAreNamed() throws {
        let prefix = try Self.edited { writer in try writer.add(name: "model/extra/w", shape: [3], floats: [1, 2, 3]) }
        let (spec, _) = try TrainingGolden.prepared()
        let match = try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: LoadOptions(allowUnusedEntries: true))
        #expect(match.report.map(\.description) == [
            "note: skipped 14 optimizer slots (Adam), beta1_power, beta2_power, global_step",
            "warning: 1 checkpoint entry not loaded (in the checkpoint, not made by the model): model/extra/w",
        ])
    }

    /// Glob patterns: `head/*` ignores the head's entries; a pattern that matches nothing is reported.
    @Test func globIgnorePatterns() throws {
        let prefix = try Self.edited { writer in
            try writer.add(name: "head/kernel", shape: [5, 2], floats: .init(repeating: 0, count: 10))
            try writer.add(name: "head/bias", shape: [2], floats: [0, 0])
        }
        #expect(try loadError(prefix).problems.count == 2)
        let (spec, _) = try TrainingGolden.prepared()
        let match = try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected,
                                        options: LoadOptions(ignoring: ["head/*", "*/Adamm*", "global_step"]))
        #expect(match.isExact)
        #expect(match.unmatchedIgnorePatterns == ["*/Adamm*"])
        #expect(match.skippedSummary == "skipped 14 optimizer slots (Adam), beta1_power, beta2_power, 3 ignored entries")
        #expect(match.report.last?.description == "warning: ignore pattern '*/Adamm*' matches no checkpoint entry left unused by the model")
    }

    /// A lenient load of another model's checkpoint (the WrappedDoubleDenseLayer seed's) is refused,
    /// naming checkpoint names close to some of the variables.
    @Test func lenientLoadOfAnUnrelatedCheckpointFails() throws {
        let other = try SeedCheckpoint("WrappedDoubleDenseLayer").prefix
        let error = try loadError(other, .lenient)
        #expect(error.problems.count == 1)
        guard case let .tooFewFound(found, count, suggestions) = error.problems.first else {
            Issue.record("not refused as another model's checkpoint: \(error)")
            return
        }
        #expect(found == 0 && count == 9)
        #expect(suggestions.map(\.variable.name) == ["model/conv2d/kernel", "model/batch_normalization/gamma", "model/batch_normalization/beta"])
        #expect(suggestions.allSatisfy { !$0.closest.isEmpty })
        #expect(error.description.contains("only 0 of 9 variables found"))
        #expect(error.description.contains("model/conv2d/kernel  float32 [3, 3, 2, 4]: closest in the checkpoint: double_dense_layer/"))
    }

    /// The share rule: found must be at least one variable, and a tenth of the variables or of their values.
    @Test func lenientLoadNeedsATenth() throws {
        var writer = CheckpointWriter()
        try writer.add(name: "embedding", shape: [100, 10], floats: .init(repeating: 1, count: 1000))
        let prefix = try temporaryFolder("share") + "/model.ckpt"
        try writer.write(prefix: prefix)
        let loader = try CheckpointLoader(path: prefix, options: .lenient)
        /// The embedding (found) and 20 layers of `shape` (missing): 1 of 21 variables.
        func problems(layers shape: [Int]) -> [CheckpointLoadError.Problem] {
            let layers = (0..<20).map { ExpectedVariable(name: "layer_\($0)/kernel", shape: shape, dtype: "float32") }
            return loader.problems(loader.match([ExpectedVariable(name: "embedding", shape: [100, 10], dtype: "float32")] + layers))
        }
        #expect(problems(layers: [10, 10]).isEmpty)  // 1000 of 3000 values
        let refused = problems(layers: [30, 20])      // 1000 of 13000 values
        guard case .tooFewFound(1, 21, let suggestions) = refused.first, refused.count == 1 else {
            Issue.record("1 of 21 variables, a thirteenth of the values, loaded leniently: \(refused)")
            return
        }
        #expect(suggestions.map(\.variable.name) == ["layer_0/kernel", "layer_1/kernel", "layer_2/kernel"])
        #expect(suggestions.allSatisfy { $0.closest.isEmpty })

        let withoutLogits = try Self.edited(dropping: ["model/logits/kernel", "model/logits/bias"])
        let (spec, inputs) = try TrainingGolden.prepared()
        let match = try spec.model.load(Checkpoint(path: withoutLogits), expecting: spec.expected, options: .lenient)
        #expect(match.missing.map(\.name) == ["model/logits/kernel", "model/logits/bias"])
        #expect(match.report.map(\.description).contains(
            "warning: 2 variables keep their initial values (not in the checkpoint): model/logits/kernel, model/logits/bias"))
        _ = try spec.model(inputs)
        let bias = try #require(spec.model.createdVariables.first { $0.name == "model/logits/bias" })
        #expect(bias.value.scalars.allSatisfy { $0 == 0 })
    }
}

/// `modelspec diff` and `run` on the training checkpoints, as a user runs them.
@Suite("modelspec diff and run on training checkpoints", .enabled(if: CLI.available))
struct TrainingCheckpointCLITests {
    @Test(arguments: TrainingGolden.cases)
    func diffAndRunWithNoOptions(_ name: String) throws {
        let golden = try TrainingGolden(name)
        let diff = try CLI.run(["diff", TrainingGolden.spec, golden.checkpointFolder, "--input", "images=4,6,6,2"])
        #expect(diff.status == 0, "\(diff.out)\(diff.err)")
        #expect(diff.out.contains("agree: 9 variables"))
        #expect(diff.out.split(separator: "\n").last?.hasPrefix("skipped ") == true, "\(diff.out)")
        #expect(diff.err.isEmpty, "\(diff.err)")

        let output = try temporaryFolder("train-run") + "/logits.npy"
        let run = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", golden.checkpointFolder,
                               "--input", "images=\(TrainingGolden.inputs)", "--output", output])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.hasPrefix("note: skipped "), "\(run.err)")
        expectClose(try tensor(output), try tensor(golden.outputs), "\(name) run")
    }

    @Test(arguments: TrainingGolden.movingAverageCases)
    func runWithMovingAverages(_ name: String) throws {
        let golden = try TrainingGolden(name)
        let diff = try CLI.run(["diff", TrainingGolden.spec, golden.prefix, "--input", "images=4,6,6,2", "--use-moving-averages"])
        #expect(diff.status == 0, "\(diff.out)\(diff.err)")
        #expect(diff.out.contains("7 raw values of averaged variables"))
        let output = try temporaryFolder("train-ema") + "/logits.npy"
        let run = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", golden.prefix, "--use-moving-averages",
                               "--input", "images=\(TrainingGolden.inputs)", "--output", output])
        #expect(run.status == 0, "\(run.err)")
        expectClose(try tensor(output), try tensor(try #require(golden.movingAverageOutputs)), "\(name) run --use-moving-averages")
    }

    @Test func extraEntryFailsDiffAndRun() throws {
        let prefix = try TrainingCheckpointErrorTests.edited { writer in try writer.add(name: "model/extra/w", shape: [3], floats: [1, 2, 3]) }
        let diff = try CLI.run(["diff", TrainingGolden.spec, prefix, "--input", "images=4,6,6,2"])
        #expect(diff.status == 1)
        #expect(diff.out.contains("+ model/extra/w  float32 [3]  (in the checkpoint, not made by the spec)"))
        let output = try temporaryFolder("train-extra") + "/logits.npy"
        let run = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", prefix, "--input", "images=\(TrainingGolden.inputs)", "--output", output])
        #expect(run.status == 1)
        #expect(run.err.contains("+ model/extra/w"))
        #expect(!FileManager.default.fileExists(atPath: output))

        // diff takes run's allowances: --allow-unused makes it pass, and says what is left over.
        let allowed = try CLI.run(["diff", TrainingGolden.spec, prefix, "--input", "images=4,6,6,2", "--allow-unused", "--ignore", "nothing/*"])
        #expect(allowed.status == 0, "\(allowed.out)\(allowed.err)")
        #expect(allowed.out.contains("differ: 0 missing, 1 unused, 0 mismatched (9 agree)."))
        #expect(allowed.out.contains("'run' would load the checkpoint"))
        #expect(allowed.err == "warning: ignore pattern 'nothing/*' matches no checkpoint entry left unused by the model\n")
        let ignored = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", prefix, "--input", "images=\(TrainingGolden.inputs)",
                                   "--output", output, "--ignore", "model/extra/*"])
        #expect(ignored.status == 0, "\(ignored.err)")
        #expect(ignored.err == "note: skipped 14 optimizer slots (Adam), beta1_power, beta2_power, global_step, 1 ignored entry\n")
    }

    @Test func lenientRunOfAnUnrelatedCheckpointFails() throws {
        let other = try SeedCheckpoint("WrappedDoubleDenseLayer").prefix
        let output = try temporaryFolder("train-unrelated") + "/logits.npy"
        let run = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", other, "--input", "images=\(TrainingGolden.inputs)",
                               "--output", output, "--allow-missing", "--allow-unused"])
        #expect(run.status == 1)
        #expect(run.err.contains("only 0 of 9 variables found"))
        #expect(run.err.contains("closest in the checkpoint: double_dense_layer/"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let diff = try CLI.run(["diff", TrainingGolden.spec, other, "--input", "images=4,6,6,2", "--allow-missing", "--allow-unused"])
        #expect(diff.status == 1)
        #expect(diff.out.contains("only 0 of 9 variables found"))
    }

    @Test func lenientRunNamesVariablesLeftAtInitialValues() throws {
        let prefix = try TrainingCheckpointErrorTests.edited(dropping: ["model/logits/kernel", "model/logits/bias"])
        let output = try temporaryFolder("train-missing") + "/logits.npy"
        let run = try CLI.run(["run", TrainingGolden.spec, "--checkpoint", prefix, "--input", "images=\(TrainingGolden.inputs)",
                               "--output", output, "--allow-missing"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("warning: 2 variables keep their initial values (not in the checkpoint): model/logits/kernel, model/logits/bias\n"))
    }
}
