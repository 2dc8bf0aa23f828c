import Foundation
import ModelSpecCompiler
import ModelSpecGenerator

/// The generator the build plugin runs: spec front end and generator only (no
/// OpenBLAS, no runtime), so that builds stay light.
///
///     modelspec-generate SPEC --output FILE.swift [--access public|package|internal]
///     modelspec-generate --sources DIR --output-directory DIR [--access ...]
///
/// The first form is one build command of the build plugin. A YAML file that is
/// not a spec (no `spec: N` line, see `SpecFile`) gets a file with a comment
/// only. The second form, run by the `generate-model-sources` command plugin,
/// writes the Swift file of every spec under a target's folder, named as the
/// build plugin names them, for reading (see `SourcesFolder`).
@main
enum GenerateTool {
    static let usage = """
        usage: modelspec-generate SPEC --output FILE.swift [--access public|package|internal]
               modelspec-generate --sources DIR --output-directory DIR [--access public|package|internal]
        """

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var output: String?, sources: String?, outputDirectory: String?
        var access = AccessLevel.public
        var specs: [String] = []
        func value(of option: String) -> String {
            guard !arguments.isEmpty else { fail("\(option) needs a value\n\(usage)", status: 2) }
            return arguments.removeFirst()
        }
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--output", "-o": output = value(of: argument)
            case "--sources": sources = value(of: argument)
            case "--output-directory": outputDirectory = value(of: argument)
            case "--access":
                guard let level = AccessLevel(rawValue: value(of: argument)) else {
                    fail("--access takes public, package or internal", status: 2)
                }
                access = level
            default:
                specs.append(argument)
            }
        }
        if let sources, let outputDirectory, specs.isEmpty, output == nil {
            let ok = SourcesFolder(sources: sources, output: outputDirectory, access: access).generate()
            exit(ok ? 0 : 1)
        }
        guard specs.count == 1, let spec = specs.first, let output, sources == nil else { fail(usage, status: 2) }
        do {
            guard SpecFile.isSpec(atPath: spec) else {
                let name = (spec as NSString).lastPathComponent
                try GeneratedFile.write("\(GeneratedFile.headerPrefix): \(name) has no 'spec: N' line, so it is not a spec; nothing is generated from it.\n", to: output)
                return
            }
            let result = try GeneratedFile.generate(spec: spec, access: access)
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            guard let source = result.source else { exit(result.unreadable ? 2 : 1) }
            try GeneratedFile.write(source, to: output)
        } catch {
            fail("\(spec): error: \(error)", status: 1)
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func fail(_ message: String, status: Int32) -> Never {
        printError(message)
        exit(status)
    }
}
