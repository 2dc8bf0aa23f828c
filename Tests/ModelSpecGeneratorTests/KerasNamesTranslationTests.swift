import Foundation
import ModelSpecGenerator
import Testing

/// A model whose calls make `get_or_create_layer` layers starts Keras's names as making it
/// leaves them: a legacy model in its shim store, a native model (no store of its own) in the
/// context of its top-level call, which its nested shim layers continue; the layers are made
/// with `tf.kerasLayerPath`. The runtime side is checked against TensorFlow in
/// KerasCounterTests and GeneratedKerasCounterTests.
@Suite struct KerasNamesTranslationTests {
    static let inner = """
    spec: 1
    model: CountedInner
    inputs:
      x: [batch, 3]
    forward:
      - scope: in
        do:
          - get_or_create_layer: {name: p, layer: {Dense: {units: 3}}}
    """
    static let outer = """
    spec: 1
    model: NativeOuter
    style: native
    inputs:
      x: [batch, 3]
    layers:
      d: {Dense: {units: 3}}
      inner: {CountedInner: {}}
    forward:
      - d
      - inner
    """

    @Test func theNamesConstructionLeavesStartTheCall() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keras-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.inner.write(to: directory.appendingPathComponent("CountedInner.yaml"), atomically: true, encoding: .utf8)
        try Self.outer.write(to: directory.appendingPathComponent("NativeOuter.yaml"), atomically: true, encoding: .utf8)
        let outer = try #require(try GeneratedFile.generate(spec: directory.appendingPathComponent("NativeOuter.yaml").path, access: .public).source)
        #expect(outer.contains(#"pendingValues.context(training: training, substituting: substitutions, kerasModel: "native_outer", kerasCounts: ["counted_inner": 1, "dense": 1, "native_outer": 1])"#), "\(outer)")
        let inner = try #require(try GeneratedFile.generate(spec: directory.appendingPathComponent("CountedInner.yaml").path, access: .public).source)
        #expect(inner.contains(#"let shim = ShimStore(kerasModel: "counted_inner", kerasCounts: ["counted_inner": 1])"#), "\(inner)")
        #expect(inner.contains(#"keras.Dense(units: 3, path: tf.kerasLayerPath(className: "Dense", name: nil))"#), "\(inner)")
        #expect(inner.contains("pendingValues.context(training: training, substituting: substitutions)\n"), "\(inner)")
    }
}
