import ArgumentParser
import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle

/// `modelspec run SPEC --checkpoint CKPT --input NAME=FILE.npy... --output FILE.npy...`:
/// one call of the spec's model through the interpreter, with the checkpoint's weights.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a spec on .npy inputs with the weights of a TensorFlow checkpoint; write the outputs as .npy.",
        discussion: """
            The checkpoint is loaded by variable name, strictly by default: every \
            variable the spec makes must be in it with the same shape and dtype, and \
            every entry must be used or be training state (optimizer slots, beta1_power, \
            global_step, moving averages: skipped, summarised on standard error); see \
            --ignore, --allow-unused, --allow-missing, --use-moving-averages and the \
            mapping options, as in 'diff'. Variable shapes follow the inputs' shapes.

            Outputs: one --output per output of the spec, in the order of 'outputs:'; \
            or a single --output FILE.npy for a model with several outputs, written as \
            FILE_0.npy, FILE_1.npy, ... An existing output file is replaced (as numpy.save \
            does); an output path that is a file the run reads (the spec, an input, a \
            checkpoint file) or not a regular file is refused. The outputs are written \
            all or nothing.

            Exit status: 0 when the outputs are written; 1 when the checkpoint does not \
            fit the spec (every problem is listed, as 'diff' lists them, and nothing \
            runs); 2 on other errors (unreadable or damaged files, a spec with errors, \
            inputs of the wrong shape, bad usage).
            """
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: ArgumentHelp("The checkpoint: a prefix, its .index file, or a directory with a 'checkpoint' file.", valueName: "ckpt"))
    var checkpoint: String

    @Option(name: .customLong("input"), help: ArgumentHelp("An input's values, such as images=test_images.npy (float32, or int32/int64 for ids); NAME= may be left out when the spec has one input.", valueName: "name=file.npy"))
    var inputFiles: [String] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("Where to write an output (.npy, of the output's dtype: float32, int32, int64 or bool).", valueName: "file.npy"))
    var outputFiles: [String] = []

    @Flag(help: "Call the model in training mode (batch normalization uses batch statistics and updates nothing saved; dropout drops).")
    var training = false

    @Option(help: ArgumentHelp("The seed of dropout's randomness in training mode.", valueName: "n"))
    var seed: UInt64?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter's value, such as units=10.", valueName: "name=value"))
    var paramValues: [String] = []

    @OptionGroup var loading: CheckpointLoadingOptions

    func validate() throws {
        if outputFiles.isEmpty { throw ValidationError("Missing expected argument '--output <file.npy>'") }
    }

    func run() throws {
        let params = try SpecValueOptions.params(paramValues)
        let options = try loading.loadOptions()

        // The spec, checked with the inputs' shapes.
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let (parsed, parseDiagnostics) = compiler.library.check(file: spec)
        guard let declared = parsed, !parseDiagnostics.contains(where: { $0.severity == .error }) else {
            DiagnosticPrinter.print(parseDiagnostics)
            throw ExitCode(2)
        }
        let inputs = try readInputs(declared)
        let shapes = inputs.mapValues { $0.shape.map(Optional.some) }
        let checked = compiler.check(file: spec, params: params, inputs: shapes)
        DiagnosticPrinter.print(checked.diagnostics)
        guard let model = checked.model else { throw ExitCode(2) }
        let traced = compiler.manifest(of: model, params: params, inputs: shapes)
        guard let manifest = traced.manifest else {
            DiagnosticPrinter.print(traced.diagnostics.filter { !checked.diagnostics.contains($0) })
            throw ExitCode(2)
        }
        // Variables or values larger than the machine's memory: refused before anything is allocated.
        if let refusal = traced.memory.refusal(physicalMemory: TensorAllocation.physicalMemory) {
            DiagnosticPrinter.print([refusal])
            throw ExitCode(2)
        }
        guard outputFiles.count == 1 || outputFiles.count == model.outputs.count else {
            fail("\(model.name) has \(model.outputs.count) outputs (\(model.outputs.joined(separator: ", "))), but \(outputFiles.count) --output files are given; give one per output, or one FILE.npy for FILE_0.npy, FILE_1.npy, ...")
        }

        // The checkpoint, loaded by name before the first call.
        let opened: Checkpoint
        do {
            opened = try Checkpoint(path: checkpoint)
        } catch {
            fail("\(error)")
        }
        let files = outputFiles.count == model.outputs.count ? outputFiles : Self.indexedFiles(outputFiles[0], count: model.outputs.count)
        let destinations: OutputFiles
        do {
            destinations = try .forRun(files, spec: spec, inputs: inputFiles, checkpointArgument: checkpoint, checkpoint: opened)
        } catch {
            fail("\(error)")
        }
        let instance: InterpretedModel
        do {
            instance = try InterpretedModel(model, params: params, library: compiler.library)
        } catch {
            fail("\(error)")
        }
        do {
            let match = try instance.load(opened, expecting: manifest.expectedVariables, options: options)
            CheckpointLoadingOptions.printReport(match.report)
        } catch let error as CheckpointLoadError {
            let damaged = error.problems.contains { if case .unreadable = $0 { true } else { false } }
            FileHandle.standardError.write(Data("error: \(spec) cannot load \(error)\n".utf8))
            throw ExitCode(damaged ? 2 : 1)
        }

        // One call; the outputs as .npy.
        // Each input as its declared dtype (a file of another converted as tf.cast converts), each output as its own.
        let outputs: [InterpretedValue]
        do {
            var values: [String: InterpretedValue] = [:]
            for declaration in model.inputs {
                guard let array = inputs[declaration.name] else { continue }
                values[declaration.name] = try Self.value(array).converted(to: ValueKind(declaration.dtype))
            }
            outputs = try instance.call(values: values, training: training, seed: seed)
        } catch {
            fail("\(error)")
        }
        guard outputs.count == files.count else { fail("\(model.name) gave \(outputs.count) outputs, expected \(files.count)") }
        do {
            try destinations.write(outputs.map { NumPy.encode(Self.array($0)) })
        } catch {
            fail("\(error)")
        }
        for (output, file) in zip(outputs, files) {
            print("\(file)  [\(output.shape.map(String.init).joined(separator: ", "))]" + (output.kind == .float ? "" : "  \(Self.array(output).dtypeName)"))
        }
    }

    /// FILE.npy as FILE_0.npy, FILE_1.npy, ... (a single output keeps FILE.npy).
    static func indexedFiles(_ file: String, count: Int) -> [String] {
        guard count > 1 else { return [file] }
        let base = file.hasSuffix(".npy") ? String(file.dropLast(4)) : file
        return (0..<count).map { "\(base)_\($0).npy" }
    }

    /// The `--input` files as they are, by input name.
    func readInputs(_ model: ModelDescription) throws -> [String: NpyArray] {
        try SpecInputFiles.readArrays(inputFiles, for: model)
    }

    /// A `.npy` array as the interpreter's value of its dtype.
    static func value(_ array: NpyArray) -> InterpretedValue {
        switch array {
        case let .float32(x): .float(x)
        case let .int32(x): .int32(x)
        case let .int64(x): .int64(x)
        case let .bool(x): .bool(x)
        }
    }

    /// An interpreter's value as the `.npy` array of its dtype.
    static func array(_ value: InterpretedValue) -> NpyArray {
        switch value {
        case let .float(x): .float32(x)
        case let .int32(x): .int32(x)
        case let .int64(x): .int64(x)
        case let .bool(x): .bool(x)
        }
    }

    func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
