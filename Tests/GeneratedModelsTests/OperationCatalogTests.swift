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
        /// Further outputs of a spec case, with TensorFlow's dtypes.
        let moreOutputs: [Input]?

        enum CodingKeys: String, CodingKey {
            case name, inputs, output
            case moreOutputs = "more_outputs"
        }
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
    /// the outputs of the generated type, against TensorFlow (case integer_values): each output
    /// is returned as its dtype's type (float32 `Tensor`, bool `BoolTensor`, int32 `IndexTensor`,
    /// int64 `Int64Tensor`) with TensorFlow's values, the integers and bools exactly.
    @Test func generatedIntegerValuesMatchTensorFlow() throws {
        let directory = Repo.root.appendingPathComponent("Tests/Goldens/spec_ops")
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let golden = try #require(index.cases.first { $0.name == "integer_values" })
        func file(_ name: String) throws -> URL {
            directory.appendingPathComponent(try #require(golden.inputs.first { $0.name == name }).file)
        }
        func expected(_ output: String) throws -> NpyArray {
            let more = try #require(golden.moreOutputs?.first { $0.name == output }, "no golden for \(output)")
            return try NumPy.read(contentsOf: directory.appendingPathComponent(more.file))
        }
        let x = try NumPy.readTensor(contentsOf: file("x"))
        let ids = try NumPy.readIndexTensor(contentsOf: file("ids"))
        let (total, positive, counts, chosen): (Tensor, BoolTensor, IndexTensor, Int64Tensor) = try IntegerValues()(x: x, ids: ids)
        let expectedTotal = try NumPy.readTensor(contentsOf: directory.appendingPathComponent(golden.output))
        #expect(total.shape == expectedTotal.shape)
        #expect(total.scalars == expectedTotal.scalars, "integer sums differ")
        #expect(try expected("positive") == .bool(positive))
        #expect(try expected("counts") == .int32(counts))
        #expect(try expected("chosen") == .int64(chosen))
    }

    /// specs/NestedIntegers.yaml: the int32, int64 and bool outputs of a nested model (specs/IntegerPicks.yaml)
    /// computed with in the caller as integers and booleans, against TensorFlow (case nested_integers: a
    /// track_tf1 layer calling a nested one): `add: [ids, 1]` is int32 arithmetic, and every output is
    /// returned as its dtype's type with TensorFlow's values.
    @Test func generatedNestedIntegerOutputsMatchTensorFlow() throws {
        let directory = Repo.root.appendingPathComponent("Tests/Goldens/spec_ops")
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let golden = try #require(index.cases.first { $0.name == "nested_integers" })
        func expected(_ output: String) throws -> NpyArray {
            let more = try #require(golden.moreOutputs?.first { $0.name == output }, "no golden for \(output)")
            return try NumPy.read(contentsOf: directory.appendingPathComponent(more.file))
        }
        let x = try NumPy.readTensor(contentsOf: directory.appendingPathComponent(try #require(golden.inputs.first).file))
        let (total, nextIds, doubled, positive): (Tensor, IndexTensor, Int64Tensor, BoolTensor) = try NestedIntegers()(x)
        #expect(total == (try NumPy.readTensor(contentsOf: directory.appendingPathComponent(golden.output))))
        #expect(try expected("next_ids") == .int32(nextIds))
        #expect(try expected("doubled") == .int64(doubled))
        #expect(try expected("positive") == .bool(positive))
        // The nested type returns its own outputs as their types too.
        let (ids, tens, _): (IndexTensor, Int64Tensor, BoolTensor) = try IntegerPicks()(x)
        #expect(try add(ids, IndexTensor(1)) == nextIds)
        #expect(tens.shape == x.shape)
    }

    /// specs/IntegerLoop.yaml: int32 values carried through a `repeat:` and merged after an `if:` are
    /// `IndexTensor` variables of the generated loop, with TensorFlow's int32 arithmetic (the Python loop the
    /// spec stands for, run in TensorFlow 2.21: ids [7, -2] and x's argmax [1, 0] give ids [10, 1], best [56, 0]).
    /// The default parameters' case of Tests/Goldens/loops/integer_loop.json (oracle/loops.py).
    struct IntegerLoopGolden: Decodable {
        struct Case: Decodable { let ids: [Int32]; let best: [Int32] }
        let x: [[Float]]
        let ids: [Int32]
        let cases: [Case]
    }

    @Test func generatedIntegerLoopMatchesTensorFlowsInt32() throws {
        let url = Repo.root.appendingPathComponent("Tests/Goldens/loops/integer_loop.json")
        let golden = try JSONDecoder().decode(IntegerLoopGolden.self, from: Data(contentsOf: url))
        let expected = try #require(golden.cases.first)
        let x = try Tensor(shape: [golden.x.count, golden.x[0].count], scalars: golden.x.flatMap { $0 })
        let (ids, best): (IndexTensor, IndexTensor) = try IntegerLoop()(x: x, ids: IndexTensor(golden.ids))
        #expect(ids == IndexTensor(expected.ids))
        #expect(best == IndexTensor(expected.best))
    }
}
