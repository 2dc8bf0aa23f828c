import ArgumentParser
import Foundation
import ModelSpecGenerator

extension AccessLevel: ExpressibleByArgument {}

/// `modelspec generate SPEC...`: the Swift file of each spec, as the build plugin makes it.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the Swift model type of each spec (what the build plugin runs).",
        discussion: "Writes SPEC-NAME.swift for each spec, only when its content changed. Exits 1 when a spec has errors, 2 when a spec cannot be read or a Swift file cannot be written."
    )

    @Argument(help: "The spec files.")
    var specs: [String]

    @Option(name: [.short, .customLong("output-directory")], help: "Where to write the Swift files.")
    var outputDirectory: String = "."

    @Option(help: "The access level of the generated API: public, package or internal.")
    var access: AccessLevel = .public

    func run() throws {
        var failed = false
        var unreadable = false
        for spec in specs {
            let result = try GeneratedFile.generate(spec: spec, access: access)
            DiagnosticPrinter.print(result.diagnostics)
            guard let source = result.source else {
                failed = true
                unreadable = unreadable || result.unreadable
                continue
            }
            let name = ((spec as NSString).lastPathComponent as NSString).deletingPathExtension + ".swift"
            let path = (outputDirectory as NSString).appendingPathComponent(name)
            do {
                print(try GeneratedFile.write(source, to: path) ? "wrote \(path)" : "unchanged \(path)")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                unreadable = true
            }
        }
        if unreadable { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
