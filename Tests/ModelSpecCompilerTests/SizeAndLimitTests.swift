import Foundation
@testable import ModelSpecCompiler
import Testing

/// Sizes that overflow, specs that expand without bound or nest too deep, and
/// spec files that are not regular files: each is an error that says where,
/// never a trap, a stack overflow or a read that blocks.
@Suite struct SizeAndLimitTests {
    private func lines(_ text: String) throws -> [String] {
        try MalformedSpec.diagnostics(text)
    }

    // MARK: Overflowing sizes

    @Test func flattenWhoseElementCountOverflows() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4294967296, 4294967296, 2]
            forward:
              - flatten
            """) == ["A.yaml:6:5: error: flatten of [batch, 4294967296, 4294967296, 2]: the product of [4294967296, 4294967296, 2] does not fit in a 64-bit integer (at most 9223372036854775807)"])
    }

    @Test func concatWhoseSumOverflows() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 9223372036854775807]
              b: [batch, 1]
            forward:
              - concat: {inputs: [a, b], axis: 1}
            """) == ["A.yaml:7:5: error: concat along axis 1: 9223372036854775807 + 1 does not fit in a 64-bit integer (at most 9223372036854775807)"])
    }

    @Test func reshapeWhoseElementCountOverflows() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [4294967296, 4294967296, 4]
            forward:
              - reshape: {shape: [-1]}
            """) == ["A.yaml:6:5: error: reshape: the element count of [4294967296, 4294967296, 4]: the product of [4294967296, 4294967296, 4] does not fit in a 64-bit integer (at most 9223372036854775807)"])
    }

    @Test func dilationWhoseWindowOverflows() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 1]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 1, kernel_size: 3, dilation_rate: 9223372036854775807}
            """) == ["A.yaml:8:9: error: a window of 3 with dilation 9223372036854775807: 2 × 9223372036854775807 does not fit in a 64-bit integer (at most 9223372036854775807)"])
    }

    /// `same` padding of the largest size with a stride: `(size + stride - 1) / stride` overflowed.
    @Test func samePaddingOfTheLargestSize() throws {
        let folder = try TemporaryFolder(["A.yaml": """
            spec: 1
            model: A
            inputs:
              x: [1, 9223372036854775807, 1, 1]
            forward:
              - max_pooling2d: {pool_size: 1, strides: 2, padding: same}
            """])
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("A.yaml")))
        let checked = compiler.check(file: folder.path("A.yaml"))
        #expect(checked.diagnostics.isEmpty)
        let model = try #require(checked.model)
        #expect(compiler.manifest(of: model).outputShapes == [[.known(1), .known(4611686018427387904), .known(1), .known(1)]])
    }

    @Test func variableWhoseByteCountOverflows() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 2]
            forward:
              - variable: {name: w, shape: [2147483648, 2147483648]}
              - multiply: [x, w]
            """).first == "A.yaml:6:5: error: the byte count of variable 'w' of shape [2147483648, 2147483648]: the product of [2147483648, 2147483648, 4] does not fit in a 64-bit integer (at most 9223372036854775807)")
    }

    // MARK: Expansion and nesting

    /// Spec `S0` uses `S1` twice, which uses `S2` twice, ...: 2^depth uses of the last (also `ExpansionCountTests`).
    static func diamond(depth: Int) -> [String: String] {
        var files: [String: String] = [:]
        for level in 0..<depth {
            files["S\(level).yaml"] = """
                spec: 1
                model: S\(level)
                inputs:
                  x: [batch, 2]
                layers:
                  left: {S\(level + 1): {}}
                  right: {S\(level + 1): {}}
                forward:
                  - left: x
                  - right
                """
        }
        files["S\(depth).yaml"] = """
            spec: 1
            model: S\(depth)
            inputs:
              x: [batch, 2]
            forward:
              - dense: {units: 2}
            """
        return files
    }

    @Test func expansionLimitStopsASpecDiamond() throws {
        let folder = try TemporaryFolder(Self.diamond(depth: 8))
        var compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("S0.yaml")))
        // Within the limit, the 2^8 uses of S8 are traced, each with its own variables.
        let within = compiler.check(file: folder.path("S0.yaml"))
        #expect(!within.hasErrors)
        #expect(compiler.manifest(of: try #require(within.model)).manifest?.variables.count == 2 * 256)
        compiler.limits.maximumExpandedSteps = 200
        let beyond = compiler.check(file: folder.path("S0.yaml"))
        #expect(beyond.diagnostics.map { $0.description.replacingOccurrences(of: folder.root + "/", with: "") } == [
            "S0.yaml:9:5: error: the model expands to more than 200 steps: up to this step it runs 383, counting every step of a spec used as a layer each time that spec runs (each use makes its own variables); use a spec fewer times, or nest specs less",
        ])
    }

    /// A chain of specs C0 -> C1 -> ... -> C(count), each using the next as a layer.
    private func chain(_ count: Int) -> [String: String] {
        var files: [String: String] = [:]
        for level in 0..<count {
            files["C\(level).yaml"] = """
                spec: 1
                model: C\(level)
                inputs:
                  x: [batch, 2]
                layers:
                  inner: {C\(level + 1): {}}
                forward:
                  - inner: x
                """
        }
        files["C\(count).yaml"] = "spec: 1\nmodel: C\(count)\ninputs:\n  x: [batch, 2]\nforward:\n  - scope: s\n    do:\n      - dense: {units: 2}\n"
        return files
    }

    /// Nesting up to the limit checks and traces (100 specs: C0 ... C99).
    @Test func chainAtTheNestingLimitChecksAndTraces() throws {
        let folder = try TemporaryFolder(chain(99))
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("C0.yaml")))
        let checked = compiler.check(file: folder.path("C0.yaml"))
        #expect(checked.diagnostics.isEmpty)
        #expect(compiler.manifest(of: try #require(checked.model)).manifest?.variables.map(\.name) == ["s/dense/kernel", "s/dense/bias"])
    }

    /// A chain of 600 specs, each using the next, overflowed the stack.
    @Test func nestingDepthLimitStopsALongChain() throws {
        let folder = try TemporaryFolder(chain(600))
        let checked = SpecCompiler(library: SpecLibrary(containing: folder.path("C0.yaml"))).check(file: folder.path("C0.yaml"))
        let messages = checked.diagnostics.map { $0.description.replacingOccurrences(of: folder.root + "/", with: "") }
        #expect(messages.first == "C99.yaml:6:11: error: specs used as layers nest more than 100 deep here (C0 -> ... -> C99 -> C100); nest them less deep")
        #expect(messages.last == "C0.yaml:6:11: error: model 'C1' (C1.yaml) has errors")
    }

    // MARK: Files that are not regular files

    @Test func fifoBesideASpecIsSkippedAndRefusedWhenNamed() throws {
        let folder = try TemporaryFolder(["A.yaml": """
            spec: 1
            model: A
            inputs:
              x: [batch, 2]
            layers:
              inner: {B: {}}
            forward:
              - inner: x
            """, "B.yaml": "spec: 1\nmodel: B\ninputs:\n  x: [batch, 2]\nforward:\n  - relu: x\n"])
        #expect(mkfifo(folder.path("x.yaml"), 0o644) == 0)
        let library = SpecLibrary(containing: folder.path("A.yaml"))
        let checked = SpecCompiler(library: library).check(file: folder.path("A.yaml"))
        #expect(checked.diagnostics.isEmpty)
        let named = SpecCompiler(library: library).check(file: folder.path("x.yaml"))
        #expect(named.diagnostics.map(\.description) == ["\(folder.path("x.yaml")): error: cannot read the file: it is a FIFO (named pipe), not a regular file"])
        #expect(named.unreadable)
    }

    /// `modelspec check d` trapped in Foundation's `deletingLastPathComponent` of a one-character path.
    @Test func oneCharacterPathIsReadNotTrapped() throws {
        #expect(SpecLibrary.folder(of: "d") == ".")
        #expect(SpecLibrary.folder(of: "specs/A.yaml") == "specs")
        #expect(SpecLibrary.folder(of: "/A.yaml") == "/")
        #expect(SpecLibrary.folder(of: "a/b/") == "a")
        let name = "q"
        let checked = SpecCompiler(library: SpecLibrary(containing: name)).check(file: name)
        #expect(checked.unreadable)
    }

    @Test func missingSpecIsUnreadable() throws {
        let folder = try TemporaryFolder([:])
        let checked = SpecCompiler(library: SpecLibrary(containing: folder.path("A.yaml"))).check(file: folder.path("A.yaml"))
        #expect(checked.diagnostics.map(\.description) == ["\(folder.path("A.yaml")): error: cannot read the file: it does not exist"])
        #expect(checked.unreadable)
        let bad = try MalformedSpec.check(["A.yaml": Array("spec: 1\nmodel: A\n".utf8)])
        #expect(!bad.checked.unreadable)
    }
}

/// A temporary folder of spec files, removed when the value goes away.
final class TemporaryFolder {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-limits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        }
    }

    func path(_ name: String) -> String { root + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}
