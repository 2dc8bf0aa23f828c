import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// specs/IntegerLoop.yaml: int32 values carried through a `repeat:` and merged after an `if:` keep
/// their dtype, and their arithmetic is TensorFlow's int32 arithmetic: each parameter set's outputs
/// equal TensorFlow's exactly (Tests/Goldens/loops/integer_loop.json, written by oracle/loops.py from
/// the Python loop the spec stands for).
@Suite struct IntegerLoopTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let params: [String: LoopCase.IntOrBool]
            let ids: [Int32]
            let best: [Int32]
            let dtypes: [String]
        }
        let x: [[Float]]
        let ids: [Int32]
        let cases: [Case]
    }

    static let golden: Golden = {
        let url = Repo.root.appendingPathComponent("Tests/Goldens/loops/integer_loop.json")
        return try! JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }()

    private func model(params: [String: Literal] = [:]) throws -> InterpretedModel {
        let spec = Repo.specs.appendingPathComponent("IntegerLoop.yaml").path
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec, params: params)
        let description = try #require(checked.model, "\(checked.diagnostics)")
        #expect(description.outputTypes == [.int32, .int32])
        return try InterpretedModel(description, params: params, library: compiler.library)
    }

    @Test(arguments: 0..<3) func int32ValuesThroughALoopAndAConditionalMatchTensorFlow(_ index: Int) throws {
        let golden = Self.golden
        try #require(golden.cases.count == 3)
        let expected = golden.cases[index]
        #expect(expected.dtypes == ["int32", "int32"])
        let inputs: [String: InterpretedValue] = [
            "x": .float(try Tensor(shape: [golden.x.count, golden.x[0].count], scalars: golden.x.flatMap { $0 })),
            "ids": .int32(IndexTensor(golden.ids)),
        ]
        let outputs = try model(params: expected.params.mapValues(\.literal)).call(values: inputs)
        #expect(outputs == [.int32(IndexTensor(expected.ids)), .int32(IndexTensor(expected.best))])
    }
}
