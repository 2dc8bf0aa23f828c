import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated types of specs/LayerCatalog.yaml and specs/NativeLayerCatalog.yaml, which use
/// the layers of issue 14 in their functional, object and Keras forms, against TensorFlow
/// (oracle/layers.py, cases layer_catalog and native_layer_catalog): manifest, outputs in
/// inference and training, losses, and the moving statistics after the training call.
@Suite struct LayerCatalogTests {
    struct Case: Decodable {
        struct Variable: Decodable { let name: String; let shape: [Int] }
        struct After: Decodable { let index: Int; let file: String }
        let name: String
        let input: String
        let variables: [Variable]
        let weights: [String]
        let output: String
        let losses: [Float]
        let training_output: String?
        let after_training: [After]?
    }

    struct Index: Decodable { let cases: [Case] }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/layers")

    static func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: directory.appendingPathComponent(file))
    }

    @Test(arguments: ["layer_catalog", "native_layer_catalog"])
    func generatedCatalogMatchesTensorFlow(_ name: String) throws {
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: Self.directory.appendingPathComponent("cases.json")))
        let golden = try #require(index.cases.first { $0.name == name })
        let (layer, manifest, call): (any Layer, [ManifestEntry], (Tensor, Bool) throws -> Tensor)
        if name == "layer_catalog" {
            let model = LayerCatalog()
            (layer, manifest, call) = (model, LayerCatalog.manifest, { try model($0, training: $1) })
        } else {
            let model = NativeLayerCatalog()
            (layer, manifest, call) = (model, NativeLayerCatalog.manifest, { try model($0, training: $1) })
        }
        #expect(manifest.map { $0.variableName ?? $0.name } == golden.variables.map(\.name))
        #expect(manifest.map(\.shape) == golden.variables.map(\.shape))
        let x = try Self.tensor(golden.input)
        _ = try call(x, false)
        for (entry, file) in zip(manifest, golden.weights) {
            try #require(layer.weight(named: entry.name), "no weight \(entry.name)").assign(try Self.tensor(file))
        }
        expectClose(try call(x, false), try Self.tensor(golden.output), "\(name) output")
        let losses = layer.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "losses \(losses), TensorFlow \(golden.losses)")
        for (mine, theirs) in zip(losses, golden.losses) { expectClose(Tensor(mine), Tensor(theirs), "\(name) loss") }
        let training = try #require(golden.training_output)
        expectClose(try call(x, true), try Self.tensor(training), "\(name) training output")
        for entry in golden.after_training ?? [] {
            let variable = try #require(layer.weight(named: manifest[entry.index].name))
            expectClose(variable.value, try Self.tensor(entry.file), "\(name) \(variable.name) after training")
        }
    }
}
