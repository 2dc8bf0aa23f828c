import ArgumentParser
import Foundation
import ModelSpecCheckpoints
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
            mismatches. The training state a TF1 training loop saves (optimizer slots, \
            beta1_power, global_step, moving averages) is skipped and summarised. \
            Takes the options of 'run' and checks what it would load: exit status 0 \
            when 'run' would load the checkpoint, 1 when it would not, 2 on errors.
            """
    )

    @Argument(help: "The spec file.")
    var spec: String

    @Argument(help: "The checkpoint: a prefix, its .index file, or a directory with a 'checkpoint' file.")
    var checkpoint: String

    @OptionGroup var values: SpecValueOptions

    @OptionGroup var loading: CheckpointLoadingOptions

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
        let expected = manifest.expectedVariables
        let loader = CheckpointLoader(opened, options: try loading.loadOptions())
        let match = loader.match(expected)
        let problems = loader.problems(match)
        print(Self.report(match, spec: spec, checkpoint: opened.prefix))
        for problem in problems {
            if case .tooFewFound = problem { print(problem) }
        }
        if problems.isEmpty && !match.isExact {
            print("The differences are allowed by --allow-missing / --allow-unused: 'run' would load the checkpoint.")
        }
        CheckpointLoadingOptions.printReport(match.ignoreWarnings)
        if !problems.isEmpty { throw ExitCode(1) }
    }

    static func report(_ match: CheckpointMatch, spec: String, checkpoint: String) -> String {
        func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
        var lines: [String] = []
        for variable in match.missing {
            let key = match.lookupKey(for: variable.name) ?? variable.name
            let lookup = key == variable.name ? "" : ", looked up as '\(key)'"
            lines.append("- \(variable.name)  \(variable.dtype) \(shape(variable.shape))  (made by the spec, not in the checkpoint\(lookup))")
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
        return (lines + [summary] + [match.skippedSummary].compactMap { $0 }).joined(separator: "\n")
    }
}
