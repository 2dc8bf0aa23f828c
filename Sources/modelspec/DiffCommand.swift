import ArgumentParser
import Foundation
import ModelSpecCompiler
import TensorBundle

/// `modelspec diff SPEC CKPT`: the spec's variables against a checkpoint's, before anything runs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the variables a spec makes with a TensorFlow checkpoint's.",
        discussion: """
            Lists the variables the spec makes that the checkpoint lacks, the entries \
            the checkpoint has that the spec does not make, and the shape or dtype \
            mismatches. Exit status 0 when they agree, 1 on differences, 2 on errors.
            """
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Argument(help: "The checkpoint: a prefix, its .index file, or a directory with a 'checkpoint' file.")
    var checkpoint: String

    @OptionGroup var values: SpecValueOptions

    @OptionGroup var mapping: NameMappingOptions

    func run() throws {
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec, params: try values.params(), inputs: try values.inputs())
        DiagnosticPrinter.print(checked.diagnostics)
        guard let model = checked.model else { throw ExitCode(2) }
        let traced = compiler.manifest(of: model, params: try values.params(), inputs: try values.inputs())
        guard let manifest = traced.manifest else {
            DiagnosticPrinter.print(traced.diagnostics)
            throw ExitCode(2)
        }
        let opened = try Checkpoint.openForCommand(checkpoint)
        let expected = manifest.variables.map { ExpectedVariable(name: $0.name, shape: $0.shape, dtype: $0.dtype) }
        let match = CheckpointMatch(expected: expected, entries: opened.entries, mapping: try mapping.mapping(), ignoring: Set(mapping.ignore))
        print(Self.report(match, spec: spec, checkpoint: opened.prefix))
        if !match.isExact { throw ExitCode(1) }
    }

    static func report(_ match: CheckpointMatch, spec: String, checkpoint: String) -> String {
        func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
        var lines: [String] = []
        for variable in match.missing {
            lines.append("- \(variable.name)  \(variable.dtype) \(shape(variable.shape))  (made by the spec, not in the checkpoint)")
        }
        for entry in match.unused {
            lines.append("+ \(entry.name)  \(entry.dtype.name) \(shape(entry.shape))  (in the checkpoint, not made by the spec)")
        }
        for mismatch in match.mismatched {
            let variable = mismatch.variable
            lines.append("! \(variable.name)  spec \(variable.dtype) \(shape(variable.shape)), checkpoint \(mismatch.checkpointDType) \(shape(mismatch.checkpointShape))")
        }
        let summary = match.isExact
            ? "\(spec) and \(checkpoint) agree: \(match.matched.count) variables, same names, shapes and dtypes."
            : "\(spec) and \(checkpoint) differ: \(match.missing.count) missing, \(match.unused.count) unused, \(match.mismatched.count) mismatched (\(match.matched.count) agree)."
        return (lines + [summary]).joined(separator: "\n")
    }
}

/// Options that map model variable names to checkpoint keys.
struct NameMappingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Remove this prefix from the spec's names before looking them up.", valueName: "prefix"))
    var stripPrefix: String?

    @Option(help: ArgumentHelp("Add this prefix to the spec's names before looking them up.", valueName: "prefix"))
    var addPrefix: String?

    @Option(help: ArgumentHelp("Look up a spec variable under another checkpoint key.", valueName: "name=key"))
    var rename: [String] = []

    @Option(help: ArgumentHelp("A checkpoint key that the spec is not expected to make, such as global_step.", valueName: "key"))
    var ignore: [String] = []

    @Option(help: ArgumentHelp("The model's object path in a TensorFlow 2 object-based checkpoint.", valueName: "path"))
    var objectRoot: String = ""

    func mapping() throws -> NameMapping {
        var renames: [String: String] = [:]
        for text in rename {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--rename \(text): expected NAME=KEY")
            }
            renames[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        let root = objectRoot.isEmpty || objectRoot.hasSuffix("/") ? objectRoot : objectRoot + "/"
        return NameMapping(renames: renames, stripPrefix: stripPrefix, addPrefix: addPrefix, objectRoot: root)
    }
}
