import Foundation
import ModelSpecCompiler
import ModelSpecGenerator
import Testing

/// `generate` writes Swift that compiles or says why at the spec's location:
/// scopes too deep for Swift's parser, doc text that would end a comment, and
/// output paths that cannot be written.
@Suite struct GeneratedSwiftValidityTests {
    private final class Folder {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("validity-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = root + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    /// A spec whose `relu` sits inside `depth` nested scopes.
    private func nestedScopes(_ depth: Int) -> String {
        var lines = ["spec: 1", "model: Deep", "inputs:", "  x: [batch, 4]", "forward:"]
        var indent = "  "
        for level in 0..<depth {
            lines += [indent + "- scope: s\(level)", indent + "  do:"]
            indent += "    "
        }
        lines.append(indent + "- relu")
        return lines.joined(separator: "\n") + "\n"
    }

    /// 254 nested scopes made Swift that the parser refuses ("structure nesting level exceeded maximum of 256").
    @Test func scopesTooDeepForSwiftAreALocatedError() throws {
        let folder = try Folder()
        let deep = try folder.write("Deep.yaml", nestedScopes(254))
        let refused = try GeneratedFile.generate(spec: deep, access: .public)
        #expect(refused.source == nil)
        let errors = refused.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.description) == [
            "\(deep):486:965: error: scopes nest more than 240 deep here; the generated Swift would nest its closures deeper than the Swift compiler allows (256 levels); nest them less deep",
        ])
        let allowed = try folder.write("Deep.yaml", nestedScopes(240))
        let source = try #require(try GeneratedFile.generate(spec: allowed, access: .public).source)
        #expect(source.components(separatedBy: "tf.variableScope(").count == 241)
    }

    /// A multi-line doc of a parameter or an input stays inside doc comments.
    @Test func multiLineDocsStayComments() throws {
        let folder = try Folder()
        let spec = try folder.write("Documented.yaml", """
            spec: 1
            model: Documented
            params:
              units: {type: Int, default: 2, doc: "first line\\nsecond line"}
            inputs:
              x: {shape: [batch, 4], doc: "an input\\nwith two lines"}
            forward:
              - scope: s
                do:
                  - dense: {units: $units}
            """)
        let source = try #require(try GeneratedFile.generate(spec: spec, access: .public).source)
        let lines = source.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for text in ["second line", "with two lines"] {
            let line = try #require(lines.first { $0.contains(text) })
            #expect(line.hasPrefix("///"), "\(line)")
        }
    }

    /// A parameter named `shim` was declared twice in the generated type; an input named
    /// `relu` hid the runtime's function, one named `check_input_shapes` the function the call
    /// starts with; `conv_layer` and `convLayer` became one property.
    @Test func namesTheGeneratedCodeUsesAreLocatedErrors() throws {
        let folder = try Folder()
        func errors(_ declarations: String) throws -> [String] {
            let spec = try folder.write("Clash.yaml", "spec: 1\nmodel: Clash\n" + declarations + "forward:\n  - scope: s\n    do:\n      - dense: {units: 2}\n")
            let result = try GeneratedFile.generate(spec: spec, access: .public)
            #expect(result.source == nil)
            return result.diagnostics.filter { $0.severity == .error }.map { $0.description.replacingOccurrences(of: folder.root + "/", with: "") }
        }
        #expect(try errors("params:\n  shim: {type: Int, default: 1}\ninputs:\n  x: [1, 2]\n") == [
            "Clash.yaml:4:3: error: parameter 'shim' would be 'shim' in Swift, a name the generated model uses itself; choose another name",
        ])
        #expect(try errors("inputs:\n  relu: [1, 2]\n") == [
            "Clash.yaml:4:3: error: input 'relu' would be 'relu' in Swift, a name the generated model uses itself; choose another name",
        ])
        #expect(try errors("inputs:\n  check_input_shapes: [1, 2]\n") == [
            "Clash.yaml:4:3: error: input 'check_input_shapes' would be 'checkInputShapes' in Swift, a name the generated model uses itself; choose another name",
        ])
        #expect(try errors("params:\n  x_scale: {type: Int, default: 1}\ninputs:\n  xScale: [1, 2]\n") == [
            "Clash.yaml:6:3: error: input 'xScale' would be 'xScale' in Swift, as parameter 'x_scale' is; choose another name",
        ])
    }

    /// Specs that each declare the next twice: whether a model needs a weight path
    /// was asked again for every use, 2^40 times for 40 specs.
    @Test func specDiamondIsRefusedWithoutExpanding() throws {
        let folder = try Folder()
        for level in 0..<40 {
            _ = try folder.write("S\(level).yaml", "spec: 1\nmodel: S\(level)\ninputs:\n  x: [batch, 2]\nlayers:\n  left: {S\(level + 1): {}}\n  right: {S\(level + 1): {}}\nforward:\n  - relu: x\n")
        }
        _ = try folder.write("S40.yaml", "spec: 1\nmodel: S40\nweights:\n  w: {shape: [2]}\ninputs:\n  x: [batch, 2]\nforward:\n  - relu: x\n")
        // Made, S0 would make 2^40 layers (each declaration makes its own, called or not, as in Keras).
        let result = try GeneratedFile.generate(spec: folder.root + "/S0.yaml", access: .public)
        #expect(result.source == nil)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains("layers when it is made") })
    }

    @Test func unwritableOutputIsASentence() throws {
        let folder = try Folder()
        #expect(throws: GeneratorError.self) { try GeneratedFile.write("let a = 1\n", to: folder.root) }
        do {
            try GeneratedFile.write("let a = 1\n", to: folder.root)
        } catch {
            #expect("\(error)" == "cannot write \(folder.root): it exists and is a directory")
        }
        let file = try folder.write("plain", "x")
        do {
            try GeneratedFile.write("let a = 1\n", to: file + "/A.swift")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "cannot write \(file)/A.swift: a file stands where a folder of its path should be")
        }
    }
}
