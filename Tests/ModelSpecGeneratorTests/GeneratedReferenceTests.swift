import Foundation
import ModelSpecCompiler
import ModelSpecGenerator
import Testing

/// The Swift generated for every spec in `specs/` against the committed
/// reference files in `Tests/GeneratedModelsTests/Generated/`, which the
/// GeneratedModelsTests target compiles and runs against TensorFlow's goldens.
///
/// To record the reference files again after an intended change:
///
///     MODELSPEC_RECORD=1 swift test --filter GeneratedReferenceTests
@Suite struct GeneratedReferenceTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let references = root + "/Tests/GeneratedModelsTests/Generated"
    static let specs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/specs")) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    static let recording = ProcessInfo.processInfo.environment["MODELSPEC_RECORD"] == "1"

    @Test func everySpecHasAReference() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.references)
            .filter { $0.hasSuffix(".swift") }.map { String($0.dropLast(6)) }.sorted()
        #expect(files == Self.specs)
    }

    @Test(arguments: specs)
    func generatedSourceMatchesReference(spec: String) throws {
        let result = try GeneratedFile.generate(spec: Self.root + "/specs/\(spec).yaml", access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        let path = Self.references + "/\(spec).swift"
        if Self.recording {
            try GeneratedFile.write(source, to: path)
            return
        }
        let reference = try String(contentsOfFile: path, encoding: .utf8)
        if source != reference {
            Issue.record("\(spec).swift differs from the reference:\n\(Self.diff(reference, source))\nRecord again with MODELSPEC_RECORD=1 if the change is intended.")
        }
    }

    /// The first differing lines, as `-reference` / `+generated`.
    static func diff(_ old: String, _ new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(a.count, b.count) where lines.count < 20 {
            let left = index < a.count ? String(a[index]) : nil
            let right = index < b.count ? String(b[index]) : nil
            if left != right {
                lines.append("line \(index + 1):")
                if let left { lines.append("- " + left) }
                if let right { lines.append("+ " + right) }
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func accessLevelIsApplied() throws {
        let internalSource = try #require(try GeneratedFile.generate(spec: Self.root + "/specs/DenseLayer.yaml", access: .internal).source)
        #expect(internalSource.contains("\nfinal class DenseLayer: ShimLayer, GeneratedModel {"))
        #expect(!internalSource.contains("public "))
        let packageSource = try #require(try GeneratedFile.generate(spec: Self.root + "/specs/DenseLayer.yaml", access: .package).source)
        #expect(packageSource.contains("package final class DenseLayer"))
        #expect(packageSource.contains("package func callAsFunction("))
    }

    @Test func writesOnlyWhenChanged() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)/A.swift").path
        #expect(try GeneratedFile.write("let a = 1\n", to: path))
        #expect(!(try GeneratedFile.write("let a = 1\n", to: path)))
        #expect(try GeneratedFile.write("let a = 2\n", to: path))
    }

    @Test func specErrorsComeBackAsDiagnostics() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spec = directory.appendingPathComponent("Bad.yaml").path
        try "spec: 1\nmodel: Bad\ninputs:\n  x: [batch, 3]\nforward:\n  - dense: {unit: 3}\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: spec, access: .public)
        #expect(result.source == nil)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.location.line == 6 })
    }
}
