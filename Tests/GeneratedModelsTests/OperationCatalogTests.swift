import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated type of specs/OperationCatalog.yaml, which uses every declared
/// operation, against TensorFlow's output for the same steps
/// (oracle/spec_ops.py, case operation_catalog).
@Suite struct OperationCatalogTests {
    struct Case: Decodable {
        struct Input: Decodable { let name: String; let file: String }
        let name: String
        let inputs: [Input]
        let output: String
    }

    struct Index: Decodable { let cases: [Case] }

    @Test func generatedCatalogMatchesTensorFlow() throws {
        let directory = Repo.root.appendingPathComponent("Tests/Goldens/spec_ops")
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let golden = try #require(index.cases.first { $0.name == "operation_catalog" })
        var inputs: [String: Tensor] = [:]
        for input in golden.inputs {
            inputs[input.name] = try NumPy.readTensor(contentsOf: directory.appendingPathComponent(input.file))
        }
        let model = OperationCatalog()
        let output = try model(x: #require(inputs["x"]), w: #require(inputs["w"]), b: #require(inputs["b"]), ids: #require(inputs["ids"]))
        expectClose(output, try NumPy.readTensor(contentsOf: directory.appendingPathComponent(golden.output)), "OperationCatalog")
    }

    /// specs/IntegerValues.yaml: integer and bool values through a template, a scope block and
    /// the outputs of the generated type, against TensorFlow (case integer_values).
    @Test func generatedIntegerValuesMatchTensorFlow() throws {
        let directory = Repo.root.appendingPathComponent("Tests/Goldens/spec_ops")
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let golden = try #require(index.cases.first { $0.name == "integer_values" })
        func file(_ name: String) throws -> URL {
            directory.appendingPathComponent(try #require(golden.inputs.first { $0.name == name }).file)
        }
        let x = try NumPy.readTensor(contentsOf: file("x"))
        let ids = try NumPy.readIndexTensor(contentsOf: file("ids"))
        let (total, positive) = try IntegerValues()(x: x, ids: ids)
        let expected = try NumPy.readTensor(contentsOf: directory.appendingPathComponent(golden.output))
        #expect(total.shape == expected.shape)
        #expect(total.scalars == expected.scalars, "integer sums differ")
        #expect(positive.scalars == x.scalars.map { $0 > 0 ? 1 : 0 })
    }
}
