import ArgumentParser
import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle

/// `modelspec starting-weights SPEC -o PREFIX`: the weights TensorFlow starts
/// the spec's model from under `DeterministicRandomTestTool`, as a name-based
/// checkpoint (`run --checkpoint PREFIX` runs from them; `convert` rewrites them
/// for a migrated spec).
struct StartingWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "starting-weights",
        abstract: "Write the weights TensorFlow starts a spec's model from under DeterministicRandomTestTool.",
        discussion: """
            Makes the spec's variables as TensorFlow makes them inside \
            `DeterministicRandomTestTool(seed=SEED, mode=MODE).scope()`, in creation order, \
            and writes them as a name-based checkpoint (TensorFlow's variable names) at \
            PREFIX. --operation-seed is the tool's operation_seed when the model's first \
            variable is made: 1 when, as in the guide, the input was drawn with \
            tf.random.normal inside the scope first. Only variables made by get_variable \
            (variable steps) take the tool's values in TensorFlow 2.21; the weights of \
            Keras layers (tf.compat.v1.layers and native) are seeded from Python's random \
            instead, which the tool does not fix, so TensorFlow's own values differ from \
            run to run: exit 1 naming them, unless --allow-other-initial-values (then \
            they keep ModelSpec's own initial values). Inputs with \
            sizes the spec leaves open take 1, or --input NAME=DIMS.
            """
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The checkpoint's prefix (PREFIX.index, PREFIX.data-00000-of-00001); never written over.", valueName: "prefix"))
    var output: String

    @Option(help: ArgumentHelp("The tool's mode: constant or num_random_ops.", valueName: "mode"))
    var mode: DeterministicRandomTestTool.Mode = .constant

    @Option(help: ArgumentHelp("The tool's seed.", valueName: "n"))
    var toolSeed: Int = 42

    @Option(help: ArgumentHelp("The tool's operation seed when the first variable is made.", valueName: "n"))
    var operationSeed: Int = 0

    @Flag(help: "Write the checkpoint although some variables do not take TensorFlow's starting values (they are named on standard error).")
    var allowOtherInitialValues = false

    @OptionGroup var values: SpecValueOptions

    func run() throws {
        let manifest = try SpecManifest.trace(spec, values)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let params = try values.params()
        guard let description = compiler.check(file: spec, params: params, inputs: try values.inputs()).model else {
            throw ExitCode(1)
        }
        let model: InterpretedModel
        var inputs: [String: Tensor] = [:], indices: [String: IndexTensor] = [:]
        do {
            model = try InterpretedModel(description, params: params, library: compiler.library)
            let given = try values.inputs()
            for input in description.inputs {
                let shape = try given[input.name].map { $0.map { $0 ?? 1 } } ?? input.shape.map { dimension in
                    switch dimension {
                    case let .known(size): return size
                    case .unknown, .symbol: return 1
                    case let .param(name):
                        guard case let .int(size)? = params[name] ?? description.param(named: name)?.defaultValue else {
                            throw ValidationError("input '\(input.name)': give its size with --param \(name)=N or --input \(input.name)=DIMS")
                        }
                        return size
                    }
                }
                let count = shape.reduce(1, *)
                if input.isIndices {
                    indices[input.name] = try IndexTensor(shape: shape, scalars: Array(repeating: 0, count: count))
                } else {
                    inputs[input.name] = try Tensor(shape: shape, repeating: 0)
                }
            }
            model.startingWeights = DeterministicRandomTestTool(seed: toolSeed, mode: mode, operationSeed: operationSeed)
            _ = try model(inputs, indices: indices)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(spec): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let others = model.notFromStartingWeights
        if !others.isEmpty {
            let label = allowOtherInitialValues ? "warning" : "error"
            FileHandle.standardError.write(Data("\(label): \(others.count) variables have no TensorFlow starting value to reproduce: \(others.joined(separator: ", ")). TensorFlow 2.21 seeds Keras layers' initializers (tf.compat.v1.layers and native) from Python's random, which DeterministicRandomTestTool does not fix, so TensorFlow itself starts them differently in every run; compare a migration through a converted checkpoint instead (docs/migration.md)\n".utf8))
            if !allowOtherInitialValues { throw ExitCode(1) }
        }
        var writer = CheckpointWriter()
        let byName = Dictionary(manifest.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for variable in model.createdVariables {
            let key = byName[variable.name]?.variableName ?? variable.name
            try writer.add(name: key, shape: variable.shape, floats: variable.value.scalars)
            print("\(key)  [\(variable.shape.map(String.init).joined(separator: ", "))]")
        }
        do {
            try OutputFiles.writeNewCheckpoint(writer, prefix: output, reading: [.init(path: spec, role: "the spec")])
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print("wrote \(output): TensorFlow's starting weights (DeterministicRandomTestTool seed \(toolSeed), mode \(mode.rawValue), first operation seed \(operationSeed))")
    }
}

extension DeterministicRandomTestTool.Mode: ExpressibleByArgument {}
