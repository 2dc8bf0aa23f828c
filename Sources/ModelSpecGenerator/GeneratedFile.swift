import Foundation
import ModelSpecCompiler

/// Generating one spec's Swift file, as `modelspec generate` and the build plugin do.
public enum GeneratedFile {
    /// Checks the spec and generates its Swift source (nil when the spec has errors).
    public static func generate(spec: String, access: AccessLevel) throws -> (source: String?, diagnostics: [Diagnostic]) {
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec)
        guard let model = checked.model else { return (nil, checked.diagnostics) }
        let source = try SwiftGenerator(compiler: compiler, access: access).generate(model)
        return (source, checked.diagnostics)
    }

    /// Writes the file only when its content changed, so that an unchanged
    /// spec does not make the files that depend on it compile again.
    /// - Returns: whether the file was written.
    @discardableResult
    public static func write(_ source: String, to path: String) throws -> Bool {
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing == source { return false }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return true
    }
}
