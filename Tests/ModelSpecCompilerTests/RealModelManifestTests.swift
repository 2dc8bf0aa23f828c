import Foundation
import ModelSpecCompiler
import Testing

/// The digits CNN (oracle/digits.py): its spec's manifest against the variables
/// TensorFlow created when it trained the model, in creation order.
@Suite struct RealModelManifestTests {
    struct Summary: Decodable {
        var creation_order: [GoldenVariable]
    }

    @Test func digitsCNNMatchesTensorFlow() throws {
        let spec = PackagePaths.specs + "/DigitsCNN.yaml"
        let data = try Data(contentsOf: URL(fileURLWithPath: PackagePaths.root + "/Tests/Goldens/digits/summary.json"))
        let golden = try JSONDecoder().decode(Summary.self, from: data)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec)
        #expect(!checked.hasErrors, "\(checked.diagnostics)")
        let model = try #require(checked.model)
        let manifest = try #require(compiler.manifest(of: model).manifest)
        #expect(manifest.variables.map(\.name) == golden.creation_order.map(\.name))
        #expect(manifest.variables.map(\.shape) == golden.creation_order.map(\.shape))
        #expect(manifest.variables.map(\.trainable) == golden.creation_order.map(\.trainable))
        #expect(manifest.variables.map(\.dtype) == golden.creation_order.map(\.dtype))
    }
}
