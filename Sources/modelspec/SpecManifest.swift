import ArgumentParser
import ModelSpecCompiler

/// A spec checked and traced for the commands that compare or convert its
/// variables (`migrate`, `convert`): its diagnostics printed, exit 2 when it
/// cannot be read, 1 when it has errors.
enum SpecManifest {
    static func trace(_ spec: String, _ values: SpecValueOptions) throws -> Manifest {
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let params = try values.params(), inputs = try values.inputs()
        let checked = compiler.check(file: spec, params: params, inputs: inputs)
        DiagnosticPrinter.print(checked.diagnostics)
        guard let model = checked.model else { throw ExitCode(checked.unreadable ? 2 : 1) }
        // Each spec is traced with the values it declares: the two sides of a
        // migration need not take the same inputs (the legacy model's `training`).
        let traced = compiler.manifest(of: model, params: params.filter { model.param(named: $0.key) != nil },
                                       inputs: inputs.filter { name in model.inputs.contains { $0.name == name.key } })
        DiagnosticPrinter.print(traced.diagnostics.filter { !checked.diagnostics.contains($0) })
        guard let manifest = traced.manifest else { throw ExitCode(1) }
        return manifest
    }
}
