import Foundation
import ModelSpecCompiler

/// Malformed-spec tests write small specs to a fresh temporary folder, check one
/// through the public API (`SpecLibrary(containing:)` + `SpecCompiler.check`),
/// and compare the diagnostics as the CLI prints them, with the folder left out
/// of the paths (`A.yaml:8:9: error: ...`).
enum MalformedSpec {
    /// The diagnostics of checking `main` among `files` (file name -> text).
    static func diagnostics(
        _ files: [String: String], main: String = "A.yaml",
        params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]
    ) throws -> [String] {
        try check(files.mapValues { Array($0.utf8) }, main: main, params: params, inputs: inputs).lines
    }

    /// The diagnostics of checking a single spec `A.yaml`.
    static func diagnostics(_ text: String, params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]) throws -> [String] {
        try diagnostics(["A.yaml": text], params: params, inputs: inputs)
    }

    /// Checks `main` among files given as raw bytes; returns the printed lines and the result.
    static func check(
        _ files: [String: [UInt8]], main: String = "A.yaml",
        params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]
    ) throws -> (lines: [String], checked: SpecCompiler.Checked) {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("modelspec-malformed-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let path = folder + "/" + main
        let compiler = SpecCompiler(library: SpecLibrary(containing: path))
        let checked = compiler.check(file: path, params: params, inputs: inputs)
        let lines = checked.diagnostics.map { $0.description.replacingOccurrences(of: folder + "/", with: "") }
        return (lines, checked)
    }
}
