import Foundation
import PackagePlugin

/// Compiles the package's `templates/*.mustache` into the target that renders
/// them, declaring every template as an input so that editing one rebuilds it.
@main
struct EmbedTemplatesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path())
            .filter { $0.hasSuffix(".mustache") }
            .sorted()
        let templates = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(templates.count) generator templates",
                executable: try context.tool(named: "embed-templates").url,
                arguments: [output.path()] + templates.map { $0.path() },
                inputFiles: templates,
                outputFiles: [output]
            )
        ]
    }
}
