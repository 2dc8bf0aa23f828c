import Foundation
import PackagePlugin

/// Writes the Swift files that the build plugin generates from a package's specs
/// into the package, for reading and for IDEs:
///
///     swift package --allow-writing-to-package-directory generate-model-sources \
///         [--target NAME]... [--output DIR]
///
/// Each target with specs gets `DIR/<target>/` (default DIR: `GeneratedModelSources`
/// at the package root), named and written as the build plugin's files are. The
/// build does not read these copies (the plugin generates its own at build time);
/// the folder must not be inside a target, where they would be compiled twice.
@main
struct GenerateModelSources: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        let outputOption = extractor.extractOption(named: "output").last
        guard extractor.remainingArguments.isEmpty else {
            throw PluginError("unexpected arguments \(extractor.remainingArguments.joined(separator: " ")); usage: generate-model-sources [--target NAME]... [--output DIR]")
        }
        let package = context.package
        let root = package.directoryURL
        let output = outputOption.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL }
            ?? root.appending(path: "GeneratedModelSources")
        let targets = try names.isEmpty ? package.targets : package.targets(named: names)
        let tool = try context.tool(named: "modelspec-generate").url
        var generatedAny = false
        for case let target as SourceModuleTarget in targets {
            let hasYAML = target.sourceFiles.contains { ["yaml", "yml"].contains($0.url.pathExtension) }
            guard hasYAML else { continue }
            let folder = output.appending(path: target.name)
            let process = Process()
            process.executableURL = tool
            process.arguments = ["--sources", target.directoryURL.path(), "--output-directory", folder.path()]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw PluginError("generating the model sources of \(target.name) failed (see the messages above)")
            }
            generatedAny = true
        }
        if !generatedAny {
            Diagnostics.warning("no target \(names.isEmpty ? "of \(package.displayName)" : names.joined(separator: ", ")) holds YAML files; nothing generated")
        }
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
