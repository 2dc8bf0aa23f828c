import ArgumentParser
import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle

/// `modelspec train SPEC --input NAME=FILE.npy... [--checkpoint CKPT] --save PREFIX`: trains the
/// spec's model in Swift with a `tf.compat.v1.train` optimizer, one progress line per epoch, and
/// saves a checkpoint TensorFlow's `Saver()` restores.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a spec on .npy data with a TF1 optimizer, from a TensorFlow checkpoint or from scratch; save a TensorFlow checkpoint.",
        discussion: """
            The loss is the spec's first output (a spec that ends in a loss step such as \
            sparse_softmax_cross_entropy, its labels an input), or, with --loss KIND and \
            --labels FILE.npy, that loss of the first output against the labels. The \
            model's regularization losses are added, as get_total_loss() does. The inputs \
            (and labels) are cut into batches along their first axis, in order; the last \
            batch may be smaller. With --shuffle, each epoch takes the examples in a new \
            order drawn from --seed (the same seed, the same orders).

            With --checkpoint, the model is loaded strictly by name (loading options as in \
            'run'); the optimizer's slots and global_step are restored when the checkpoint \
            has them (a TensorFlow training checkpoint of the same optimizer), else they \
            start fresh. --save writes PREFIX-<global step> and the 'checkpoint' file: the \
            model's variables, the optimizer's slots and global_step.

            Exit status: 0 when trained and saved; 1 when the checkpoint does not fit the \
            spec; 2 on other errors.
            """
    )

    enum OptimizerKind: String, ExpressibleByArgument, CaseIterable {
        case sgd = "gradient-descent", momentum, nesterov, adam, rmsprop, adagrad
    }

    enum LossKind: String, ExpressibleByArgument, CaseIterable {
        case sparseSoftmaxCrossEntropy = "sparse_softmax_cross_entropy", softmaxCrossEntropy = "softmax_cross_entropy"
        case sigmoidCrossEntropy = "sigmoid_cross_entropy", meanSquaredError = "mean_squared_error"
    }

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .customLong("input"), help: ArgumentHelp("An input's training data, such as images=train_images.npy (first axis: examples).", valueName: "name=file.npy"))
    var inputFiles: [String] = []

    @Option(help: ArgumentHelp("The labels of --loss (.npy; int32/int64 for sparse_softmax_cross_entropy).", valueName: "file.npy"))
    var labels: String?

    @Option(help: ArgumentHelp("The loss of the first output against --labels; without it the first output is the loss.", valueName: "kind"))
    var loss: LossKind?

    @Option(help: ArgumentHelp("The checkpoint to start from (TensorFlow's or one saved by 'train'); from the initializers without it.", valueName: "ckpt"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("Where to save: PREFIX-<global step>, as Saver.save(sess, PREFIX, global_step).", valueName: "prefix"))
    var save: String

    @Option(help: ArgumentHelp("The optimizer: gradient-descent, momentum (0.9), nesterov (momentum 0.9), adam, rmsprop, adagrad; TensorFlow's defaults otherwise.", valueName: "name"))
    var optimizer: OptimizerKind = .adam

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("The learning rate.", valueName: "rate"))
    var learningRate: Float = 0.001

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Examples per step.", valueName: "n"))
    var batchSize: Int = 32

    @Option(help: ArgumentHelp("Passes over the data.", valueName: "n"))
    var epochs: Int = 1

    @Option(help: ArgumentHelp("The seed of --shuffle's orders and of dropout's masks (step k's drawn from seed + k, the global step).", valueName: "n"))
    var seed: UInt64 = 0

    @Flag(help: "Take the examples in a new order each epoch, drawn from --seed.")
    var shuffle = false

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter's value, such as units=10.", valueName: "name=value"))
    var paramValues: [String] = []

    @OptionGroup var loading: CheckpointLoadingOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard epochs > 0 else { throw ValidationError("--epochs must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard (loss == nil) == (labels == nil) else { throw ValidationError("--loss and --labels are given together") }
    }

    func run() throws {
        let params = try SpecValueOptions.params(paramValues)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let (parsed, parseDiagnostics) = compiler.library.check(file: spec)
        guard let declared = parsed, !parseDiagnostics.contains(where: { $0.severity == .error }) else {
            DiagnosticPrinter.print(parseDiagnostics)
            throw ExitCode(2)
        }
        let data = try SpecInputFiles.read(inputFiles, for: declared)
        let labelValues = try labels.map { try readLabels($0) }
        let count = try exampleCount(data, labels: labelValues)
        let firstBatch = try data.mapValues { try slice($0, 0..<Swift.min(batchSize, count)) }
        let shapes = firstBatch.mapValues { $0.shape.map(Optional.some) }
        let checked = compiler.check(file: spec, params: params, inputs: shapes)
        DiagnosticPrinter.print(checked.diagnostics)
        guard let model = checked.model else { throw ExitCode(2) }
        let traced = compiler.manifest(of: model, params: params, inputs: shapes)
        guard let manifest = traced.manifest else {
            DiagnosticPrinter.print(traced.diagnostics.filter { !checked.diagnostics.contains($0) })
            throw ExitCode(2)
        }
        let instance: InterpretedModel
        do {
            instance = try InterpretedModel(model, params: params, library: compiler.library)
        } catch {
            fail("\(error)")
        }
        let integers = Set(model.inputs.filter(\.isIndices).map(\.name))
        func call(_ batch: [String: Tensor], training: Bool, step: Int64 = 0) throws -> [Tensor] {
            let indices = try batch.filter { integers.contains($0.key) }.mapValues { try IndexTensor(truncating: $0) }
            return try instance(batch.filter { !integers.contains($0.key) }, indices: indices, training: training,
                                seed: seed &+ UInt64(bitPattern: step))
        }

        // The starting point: the checkpoint's variables (and optimizer state), or the initializers.
        let optimizer = makeOptimizer()
        var step = GlobalStep()
        var opened: Checkpoint?
        if let checkpoint {
            do {
                let source = try Checkpoint(path: checkpoint)
                opened = source
                let match = try instance.load(source, expecting: manifest.expectedVariables, options: loading.loadOptions())
                CheckpointLoadingOptions.printReport(match.report)
            } catch let error as CheckpointLoadError {
                let damaged = error.problems.contains { if case .unreadable = $0 { true } else { false } }
                FileHandle.standardError.write(Data("error: \(spec) cannot load \(error)\n".utf8))
                throw ExitCode(damaged ? 2 : 1)
            } catch {
                fail("\(error)")
            }
        }
        do {
            _ = try call(firstBatch, training: false)  // makes the variables
            if let opened {
                step = try GlobalStep(opened)
                let names = optimizer.stateNames(for: instance.trainableWeights)
                if !names.isEmpty, names.allSatisfy({ opened.entry(named: $0) != nil }) {
                    try optimizer.load(opened, variables: instance.trainableWeights)
                    print("restored \(names.count) optimizer slots and state (\(optimizer.name)), global_step \(step.value)")
                }
            }
        } catch {
            fail("\(error)")
        }

        // The epochs.
        let batches = (count + batchSize - 1) / batchSize
        var order = ExampleOrder(count: count, seed: seed)
        for epoch in 1...epochs {
            let start = Date()
            var total = 0.0
            if shuffle { order.shuffle() }
            for b in 0..<batches {
                let range = b * batchSize..<Swift.min(count, (b + 1) * batchSize)
                do {
                    let batch = try data.mapValues { try order.batch(of: $0, range) }
                    let batchLabels = try labelValues.map { try order.batch(of: $0, range) }
                    let value = try optimizer.minimize(instance, globalStep: step) {
                        let output = try call(batch, training: true, step: step.value)[0]
                        let objective = try batchLabels.map { try lossValue($0, output) } ?? reduceSum(output)
                        return try Losses.total(objective, regularization: instance.losses)
                    }
                    guard let scalar = value.scalar, scalar.isFinite else {
                        fail("epoch \(epoch), batch \(b + 1): the loss is \(value.scalar.map { "\($0)" } ?? "not a scalar"); nothing is saved")
                    }
                    total += Double(scalar)
                } catch {
                    fail("epoch \(epoch), batch \(b + 1): \(error)")
                }
            }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "epoch %d/%d: loss %.6f (mean of %d batches), global_step %lld, %.2f s",
                         epoch, epochs, total / Double(batches), batches, step.value, seconds))
        }
        do {
            let path = try TrainingCheckpoint.save(instance, optimizer: optimizer, globalStep: step, to: save)
            print("saved \(path)")
        } catch {
            fail("cannot save to \(save): \(error)")
        }
    }

    func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case .sgd: GradientDescentOptimizer(learningRate: learningRate)
        case .momentum: MomentumOptimizer(learningRate: learningRate, momentum: 0.9)
        case .nesterov: MomentumOptimizer(learningRate: learningRate, momentum: 0.9, useNesterov: true)
        case .adam: AdamOptimizer(learningRate: learningRate)
        case .rmsprop: RMSPropOptimizer(learningRate: learningRate)
        case .adagrad: AdagradOptimizer(learningRate: learningRate)
        }
    }

    func lossValue(_ labels: Tensor, _ output: Tensor) throws -> Tensor {
        switch loss ?? .meanSquaredError {
        case .sparseSoftmaxCrossEntropy: try Losses.sparseSoftmaxCrossEntropy(labels: IndexTensor(truncating: labels), logits: output)
        case .softmaxCrossEntropy: try Losses.softmaxCrossEntropy(onehotLabels: labels, logits: output)
        case .sigmoidCrossEntropy: try Losses.sigmoidCrossEntropy(multiClassLabels: labels, logits: output)
        case .meanSquaredError: try Losses.meanSquaredError(labels: labels, predictions: output)
        }
    }

    func readLabels(_ file: String) throws -> Tensor {
        do {
            switch try NumPy.read(contentsOf: URL(fileURLWithPath: file)) {
            case .float32(let tensor): return tensor
            case .int32(let ids): return Tensor(ids)
            case .int64(let ids): return Tensor(ids)
            case .bool(let mask): return Tensor(mask)
            }
        } catch {
            fail("\(error)")
        }
    }

    /// The examples of the data: every input's (and the labels') first dimension, which must agree.
    func exampleCount(_ data: [String: Tensor], labels: Tensor?) throws -> Int {
        var counts = data.mapValues { $0.shape.first ?? 0 }
        if let labels { counts["--labels"] = labels.shape.first ?? 0 }
        let distinct = Set(counts.values)
        guard distinct.count == 1, let count = distinct.first, count > 0 else {
            throw ValidationError("the inputs need the same number of examples (first dimension), at least 1: "
                + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return count
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
