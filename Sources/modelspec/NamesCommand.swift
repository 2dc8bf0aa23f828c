import ArgumentParser
import Foundation
import ModelSpecCompiler

/// `modelspec names SPEC`: the variables one call of the model creates.
struct NamesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "names",
        abstract: "Print the variables a spec makes: name, shape, dtype, trainable, in creation order; a native variable's name is its object path, followed by TensorFlow's variable name."
    )

    @Argument(help: "The spec file.")
    var spec: String

    @OptionGroup var values: SpecValueOptions

    @Flag(help: "Print a JSON array of {name, shape, dtype, trainable, variable_name, object_path}.")
    var json = false

    @Option(help: ArgumentHelp(
        "The order to list the variables in: creation (the order the first call creates them), weights (Keras' layer.weights: trainable then non-trainable, own weights, sublayers in declaration order, then the shim store sorted by name), trainable-weights or non-trainable-weights (layer.trainable_weights / layer.non_trainable_weights).",
        valueName: "order"))
    var order: VariableOrder = .creation

    func run() throws {
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec, params: try values.params(), inputs: try values.inputs())
        DiagnosticPrinter.print(checked.diagnostics)
        guard let model = checked.model else { throw ExitCode(checked.unreadable ? 2 : 1) }
        let traced = compiler.manifest(of: model, params: try values.params(), inputs: try values.inputs())
        DiagnosticPrinter.print(traced.diagnostics.filter { diagnostic in !checked.diagnostics.contains(diagnostic) })
        guard let manifest = traced.manifest else { throw ExitCode(1) }
        let entries: [Manifest.Entry] = switch order {
        case .creation: manifest.variables
        case .weights: manifest.weights
        case .trainableWeights: manifest.trainableWeights
        case .nonTrainableWeights: manifest.nonTrainableWeights
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        } else {
            print(ManifestTable.render(entries))
        }
    }
}

/// `--order`: which of TensorFlow's variable orders `names` lists.
enum VariableOrder: String, ExpressibleByArgument, CaseIterable {
    case creation
    case weights
    case trainableWeights = "trainable-weights"
    case nonTrainableWeights = "non-trainable-weights"
}

/// The manifest as an aligned text table. A variable named by object path
/// (a native layer's, `conv_layer/kernel`) also shows TensorFlow's variable
/// name, the key of a name-based checkpoint (`variable fully_native_model/conv2d/kernel`);
/// so does the weight of a `get_or_create_layer` layer (`variable stored_layers/outer/proj/kernel`).
/// A partitioned variable is followed by the parts graph mode makes of it, indented
/// (`  p/w/part_1  [1, 7]  float32  trainable  slice at [1, 0]`).
enum ManifestTable {
    static func render(_ entries: [Manifest.Entry]) -> String {
        func shape(_ dimensions: [Int]) -> String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }
        let rows = entries.flatMap { entry in
            let trainable = entry.trainable ? "trainable" : "non-trainable"
            return [[entry.name, shape(entry.shape), entry.dtype, trainable,
                     entry.objectPath == nil && entry.variableName == entry.name ? "" : "variable " + entry.variableName]]
                + (entry.partitions ?? []).map { ["  " + $0.name, shape($0.shape), entry.dtype, trainable, "slice at " + shape($0.offset)] }
        }
        guard !rows.isEmpty else { return "(no variables)" }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lastPadded = rows.contains { !$0[4].isEmpty }
        return rows.map { row in
            let columns = (0..<(lastPadded ? 4 : 3)).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            let line = (columns + [lastPadded ? row[4] : row[3]]).joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
