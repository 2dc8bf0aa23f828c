import Foundation
import ModelSpecGenerator
import Testing

/// A scope's defaults become arguments of `tf.variableScope` (the partitioner, which only
/// changes how graph mode stores variables, does not), and a `variable` step without a
/// dtype leaves it to the scope.
@Suite struct ScopeDefaultsTranslationTests {
    static let spec = """
    spec: 1
    model: Defaults
    inputs:
      x: [batch, 3]
    forward:
      - scope: s
        initializer: {constant: 0.3}
        regularizer: {l2: 0.01}
        partitioner: {fixed_size: 2}
        do:
          - variable: {name: a, shape: [3, 4]}
          - matmul: [x, a]
          - scope: {default_name: block}
            dtype: float64
            do:
              - variable: {name: b, shape: [2]}
              - variable: {name: c, shape: [2], dtype: float32}
    """

    @Test func defaultsAreArgumentsOfTheScope() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("defaults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Defaults.yaml").path
        try Self.spec.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try GeneratedFile.generate(spec: path, access: .public)
        let source = try #require(result.source, "\(result.diagnostics)")
        #expect(source.contains(#"tf.variableScope("s", initializer: .constant(0.3), regularizer: .l2(0.01)) {"#), "\(source)")
        #expect(source.contains(#"tf.variableScope(defaultName: "block", dtype: .float64) {"#), "\(source)")
        #expect(source.contains(#"tf.getVariable("a", shape: [3, 4])"#), "\(source)")
        #expect(source.contains(#"tf.getVariable("c", shape: [2], dtype: .float32)"#), "\(source)")
        // The manifest in the generated type keeps the scope's dtype and the whole partitioned variable.
        #expect(source.contains(#"ManifestEntry("s/block/b", shape: [2], dtype: "float64")"#), "\(source)")
        #expect(source.contains(#"ManifestEntry("s/a", shape: [3, 4])"#), "\(source)")
    }
}
