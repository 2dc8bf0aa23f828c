import Foundation
import ModelSpecGenerator

/// The generator the build plugin runs: spec front end and generator only (no
/// OpenBLAS, no runtime), so that builds stay light.
///
///     modelspec-generate SPEC --output FILE.swift [--access public|package|internal]
@main
enum GenerateTool {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var output: String?
        var access = AccessLevel.public
        var specs: [String] = []
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--output", "-o":
                output = arguments.isEmpty ? nil : arguments.removeFirst()
            case "--access":
                guard let value = arguments.first.flatMap(AccessLevel.init(rawValue:)) else {
                    fail("--access takes public, package or internal", status: 2)
                }
                arguments.removeFirst()
                access = value
            default:
                specs.append(argument)
            }
        }
        guard specs.count == 1, let spec = specs.first, let output else {
            fail("usage: modelspec-generate SPEC --output FILE.swift [--access public|package|internal]", status: 2)
        }
        do {
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
