import Foundation
import ModelSpecCompiler

/// Generating one spec's Swift file, as `modelspec generate` and the build plugin do.
public enum GeneratedFile {
    /// Checks the spec and generates its Swift source (nil when the spec has
    /// errors; `unreadable` when the spec file could not be read at all).
    public static func generate(spec: String, access: AccessLevel) throws -> (source: String?, diagnostics: [Diagnostic], unreadable: Bool) {
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec)
        guard let model = checked.model else { return (nil, checked.diagnostics, checked.unreadable) }
        do {
            let source = try SwiftGenerator(compiler: compiler, access: access).generate(model)
            return (source, checked.diagnostics, false)
        } catch let error as SpecError {
            return (nil, checked.diagnostics + error.diagnostics, false)
        }
    }

    /// Writes the file only when its content changed, so that an unchanged
    /// spec does not make the files that depend on it compile again.
    /// - Returns: whether the file was written.
    @discardableResult
    /// - Throws: ``GeneratorError`` with a sentence naming the path and the cause.
    public static func write(_ source: String, to path: String) throws -> Bool {
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType {
            guard type == .typeRegular else {
                throw GeneratorError("cannot write \(path): it exists and is \(type == .typeDirectory ? "a directory" : "not a regular file")")
            }
            if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing == source { return false }
        }
        do {
            // Not NSString's deletingLastPathComponent, which traps on a one-character path.
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                try FileManager.default.createDirectory(atPath: String(path[..<slash]), withIntermediateDirectories: true)
            }
            try source.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw GeneratorError("cannot write \(path): \(cause(of: error))")
        }
        return true
    }

    /// The operating system's reason inside a Foundation error, as the end of a sentence.
    private static func cause(of error: Error) -> String {
        var nsError = error as NSError
        while let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError { nsError = underlying }
        if nsError.domain == NSPOSIXErrorDomain, let code = Int32(exactly: nsError.code) {
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileWriteFileExists: return "a file stands where a folder of its path should be"
        case .fileNoSuchFile: return "a folder of its path does not exist"
        case .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "the file system is read-only"
        default: return nsError.localizedDescription
        }
    }
}
