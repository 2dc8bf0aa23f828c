import ArgumentParser
import ModelSpecCompiler

/// `modelspec check SPEC...`: reports every error and warning of the specs.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check specs and report their errors as path:line:column: error: message.",
        discussion: "Exits 0 when every spec is free of errors (warnings allowed), 2 when a spec file cannot be read, 1 otherwise."
    )

    @Argument(help: "The spec files to check.")
    var specs: [String]

    @OptionGroup var values: SpecValueOptions

    func run() throws {
        var failed = false
        var unreadable = false
        for spec in specs {
            let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
            let checked = compiler.check(file: spec, params: try values.params(), inputs: try values.inputs())
            DiagnosticPrinter.print(checked.diagnostics)
            failed = failed || checked.hasErrors
            unreadable = unreadable || checked.unreadable
        }
        if unreadable { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
