import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated type of specs/ResidualLoop.yaml (a `repeat` of a nested
/// ResidualBlock, whose projection shortcut an `if:` chooses; a loop of scopes
/// named from the index; a shared scope), and of specs/LoopVariants.yaml, against
/// TensorFlow 1's loops (oracle/loops.py).
@Suite struct ResidualLoopTests {
    struct Case: Decodable {
        struct File: Decodable { let name: String; let file: String }
        let name: String
        let inputs: [File]
        let variables: [File]
        let output: String
    }

    struct Index: Decodable { let cases: [Case] }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/loops")

    func golden(_ name: String) throws -> Case {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("cases.json"))
        return try #require(try JSONDecoder().decode(Index.self, from: data).cases.first { $0.name == name })
    }

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }

    /// Each case with its `blocks` (TensorFlow's loop count).
    @Test(arguments: [("residual_loop", 3), ("residual_loop_one_block", 1)])
    func generatedLoopMatchesTensorFlow(_ name: String, blocks: Int) throws {
        let golden = try golden(name)
        let images = try tensor(try #require(golden.inputs.first).file)
        let model = ResidualLoop(blocks: blocks)
        try expectTensorFlowsOutput(golden, model) { try model(images) }
    }

    /// The first call makes the variables (TensorFlow's); then, with TensorFlow's values by name, the output is TensorFlow's.
    func expectTensorFlowsOutput(_ golden: Case, _ model: some Layer, _ call: () throws -> Tensor) throws {
        _ = try call()
        #expect(model.weights.map(\.name).sorted() == golden.variables.map(\.name).sorted())
        for variable in golden.variables {
            let weight = try #require(model.weight(named: variable.name), "no variable \(variable.name)")
            try weight.assign(try tensor(variable.file))
        }
        expectClose(try call(), try tensor(golden.output), golden.name)
    }

    /// specs/NamedLoop.yaml: layers and variables named from loop indices (`name: "fc_\(i)"` in the generated Swift).
    @Test(arguments: [("formatted_layer_names", 3), ("formatted_layer_names_count2", 2)])
    func generatedFormattedNamesMatchTensorFlow(_ name: String, count: Int) throws {
        let golden = try golden(name)
        let x = try tensor(try #require(golden.inputs.first).file)
        let model = NamedLoop(count: count)
        try expectTensorFlowsOutput(golden, model) { try model(x) }
    }

    /// specs/LoopVariants.yaml: nested loops with two indices, a carried name, a conditional block, a negated flag.
    @Test(arguments: [("loop_variants", 2, true, false), ("loop_variants_ungated_headless", 1, false, true)])
    func generatedVariantsMatchTensorFlow(_ name: String, stages: Int, gate: Bool, skipHead: Bool) throws {
        let golden = try golden(name)
        let x = try tensor(try #require(golden.inputs.first).file)
        let model = LoopVariants(stages: stages, gate: gate, skipHead: skipHead)
        try expectTensorFlowsOutput(golden, model) { try model(x) }
    }

    @Test func staticManifestIsTensorFlowsCreationOrder() throws {
        #expect(ResidualLoop.manifest.map(\.name) == (try golden("residual_loop")).variables.map(\.name))
    }

    @Test func aCountBelowOneIsAnErrorNotATrap() throws {
        let model = ResidualLoop(blocks: 0)
        #expect(throws: TensorError.self) { try model(Tensor(shape: [1, 5, 5, 3], repeating: 0)) }
    }
}
