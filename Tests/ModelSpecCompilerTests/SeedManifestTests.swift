import Foundation
import ModelSpecCompiler
import Testing

/// Every seed spec in `specs/` against the variables TensorFlow made for the same
/// model (`Tests/Goldens/seeds/<Model>/manifest.json`), computed through the
/// public API with the golden case's params and input shapes.
///
/// Names: a variable TensorFlow names by scope must have TensorFlow's name; a
/// variable ModelSpec names by attribute path (native layers, `weights:`) must
/// have the golden `object_path`, its key in a TF2 object-based checkpoint.
/// Shapes, dtypes, trainability and order must always match.
@Suite struct SeedManifestTests {
    /// Specs of `specs/` that have a golden directory.
    static let seeds: [String] = PackagePaths.files(in: PackagePaths.specs, suffix: ".yaml")
        .map { String($0.dropLast(5)) }
        .filter { PackagePaths.exists(PackagePaths.seedGoldens + "/" + $0 + "/manifest.json") }

    /// Specs of real models, with their own goldens instead of a seed's (see RealModelManifestTests).
    static let realModels = ["DigitsCNN"]

    /// Specs of the benchmarks (bench/, docs/performance.md): no golden; their names are
    /// plain `tf.compat.v1.layers` auto-names, covered by the seeds.
    static let benchmarkModels = ["BenchMLP", "BenchCNNSmall", "BenchCNNBN", "BenchLSTM"]

    /// Specs of recurrent models: their goldens are in Tests/Goldens/recurrent
    /// (RecurrentSpecGoldenTests, GreedyDecodingTests, MaskedEncoderTests).
    static let recurrentModels = ["Decoder", "MaskedEncoder", "WrappedEncoder"]

    /// Specs of the operations without variables: their goldens are in Tests/Goldens/spec_ops
    /// (SpecOperationGoldenTests, OperationCatalogTests).
    static let operationModels = ["OperationCatalog", "IntegerValues", "NestedIntegers", "IntegerPicks", "IntegerLoop"]

    /// Specs of training: their goldens are in Tests/Goldens/loss_weights (LossWeightGoldenTests, WeightedLossesTests).
    static let trainingModels = ["WeightedLosses"]

    /// Specs of loops and variants: their goldens are in Tests/Goldens/loops
    /// (LoopGoldenTests, ResidualLoopTests).
    static let loopModels = ["ResidualLoop", "ResidualBlock", "LoopVariants", "NamedLoop"]

    /// Specs of the layers: their goldens are in Tests/Goldens/layers (LayerGoldenTests, LayerCatalogTests).
    static let layerModels = ["LayerCatalog", "NativeLayerCatalog"]

    /// Specs of TF-Slim networks: their goldens are in Tests/Goldens/slim (SlimModelTests, SlimRunTests).
    static let slimModels = ["SlimVGGSmall", "SlimInceptionBlock", "SlimSeparableDecoder"]
    /// Real TF1 CNN models, checked by ZooCNNModelTests and ZooCNNRunTests (oracle/zoo_cnn.py).
    static let zooModels = ["SlimResNetV1Small", "SlimResNetV2Small", "SlimMobileNetV1Small", "CompatUNet", "DilatedSeparable"]

    /// Specs that are not seeds.
    /// Specs of Keras's layer-name counter: their goldens are in Tests/Goldens/keras_counter
    /// (KerasCounterTests, GeneratedKerasCounterTests).
    static let namingModels = ["KerasCounter"]

    static let otherModels = Set(realModels + benchmarkModels + operationModels + loopModels + layerModels + slimModels + zooModels + recurrentModels
                                 + trainingModels + namingModels)

    @Test func everySeedSpecHasAGolden() {
        let specs = PackagePaths.files(in: PackagePaths.specs, suffix: ".yaml").map { String($0.dropLast(5)) }
        #expect(specs.count >= 20)
        #expect(Set(Self.seeds) == Set(specs).subtracting(Self.otherModels), "specs without a golden: \(Set(specs).subtracting(Self.seeds).subtracting(Self.otherModels).sorted())")
    }

    /// The manifest of a seed spec, traced with the golden case's params and inputs.
    static func manifest(of model: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Manifest, SeedManifest)? {
        let spec = PackagePaths.specs + "/" + model + ".yaml"
        let golden = try decodeJSON(SeedManifest.self, at: PackagePaths.seedGoldens + "/" + model + "/manifest.json")
        let goldenCase = try decodeJSON(SeedCase.self, at: PackagePaths.seedGoldens + "/" + model + "/case.json")
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let params = goldenCase.params.mapValues { Literal.int($0) }
        let checked = compiler.check(file: spec, params: params)
        #expect(!checked.hasErrors, "\(checked.diagnostics)", sourceLocation: sourceLocation)
        guard let description = checked.model else { return nil }
        // The golden's inputs are in call order, as the spec declares them.
        #expect(goldenCase.inputs.count == description.inputs.count, sourceLocation: sourceLocation)
        var inputs: [String: [Int?]] = [:]
        for (declaration, input) in zip(description.inputs, goldenCase.inputs) {
            if let name = input.name { #expect(name == declaration.name, sourceLocation: sourceLocation) }
            inputs[declaration.name] = input.shape
        }
        let traced = compiler.manifest(of: description, params: params, inputs: inputs)
        #expect(!traced.diagnostics.contains { $0.severity == .error }, "\(traced.diagnostics)", sourceLocation: sourceLocation)
        guard let manifest = traced.manifest else { return nil }
        return (manifest, golden)
    }

    /// The name ModelSpec must give a golden variable.
    static func expectedName(_ variable: GoldenVariable, naming: Manifest.Naming) -> String? {
        naming == .attributePath ? variable.object_path : variable.name
    }

    @Test(arguments: seeds)
    func creationOrder(model: String) throws {
        guard let (manifest, golden) = try Self.manifest(of: model) else { return }
        #expect(manifest.variables.count == golden.creation_order.count,
                "\(manifest.variables.map(\.name)) vs \(golden.creation_order.map(\.name))")
        for (index, (ours, theirs)) in zip(manifest.variables, golden.creation_order).enumerated() {
            let expected = Self.expectedName(theirs, naming: ours.naming)
            #expect(ours.name == expected, "variable \(index): \(ours.naming) name")
            #expect(ours.signature == theirs.signature, "variable \(index) (\(ours.name))")
        }
    }

    @Test(arguments: seeds)
    func weightsOrder(model: String) throws {
        guard let (manifest, golden) = try Self.manifest(of: model) else { return }
        #expect(manifest.trainableWeightsOrder == golden.trainable_weights_index)
        #expect(manifest.nonTrainableWeightsOrder == golden.non_trainable_weights_index)
        #expect(manifest.weightsOrder == golden.weights_index)
        // The same by name (attribute-path variables by their object path).
        let expected = golden.weights_index.map { index -> String? in
            let naming = manifest.variables.indices.contains(index) ? manifest.variables[index].naming : .scope
            return Self.expectedName(golden.creation_order[index], naming: naming)
        }
        #expect(manifest.weights.map(\.name) == expected)
    }

    /// Both names of every variable: TensorFlow's `variable.name` (the Keras name of a
    /// native variable, the key of a name-based checkpoint) and, for attribute-path
    /// variables, the object path (the key of an object-based checkpoint).
    @Test(arguments: seeds)
    func variableNamesAndObjectPathsAreTensorFlows(model: String) throws {
        guard let (manifest, golden) = try Self.manifest(of: model) else { return }
        #expect(manifest.variables.count == golden.creation_order.count)
        for (index, (ours, theirs)) in zip(manifest.variables, golden.creation_order).enumerated() {
            #expect(ours.variableName == theirs.name, "variable \(index) (\(ours.name)): TensorFlow's variable name")
            if ours.naming == .attributePath {
                #expect(ours.objectPath == theirs.object_path, "variable \(index): object path")
            } else {
                #expect(ours.objectPath == nil)
            }
            // A get_or_create_layer layer's weight: in the store's `_layers`, as TensorFlow keys it.
            if let stored = ours.storedLayer {
                let escaped = stored.objectPath.map { $0.replacingOccurrences(of: ".", with: "..").replacingOccurrences(of: "/", with: ".S") }
                #expect(escaped.joined(separator: "/") == theirs.checkpoint_key, "variable \(index): object-based key")
            } else if theirs.checkpoint_key?.contains("_tf1_style_var_store/_layers/") == true {
                Issue.record("variable \(index) (\(ours.name)): TensorFlow keeps it in a get_or_create_layer layer")
            }
        }
    }

    /// Attribute-path names are exactly the variables TensorFlow can reach without the shim store.
    @Test(arguments: seeds)
    func attributePathNamingMatchesObjectPaths(model: String) throws {
        guard let (manifest, golden) = try Self.manifest(of: model) else { return }
        for (ours, theirs) in zip(manifest.variables, golden.creation_order) where ours.naming == .attributePath {
            #expect(theirs.object_path != nil, "\(ours.name) is named by attribute path, but TensorFlow reaches \(theirs.name) only through the shim store")
        }
    }
}
