import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// `variable_scope(initializer=, regularizer=, dtype=, partitioner=)` against TensorFlow:
/// each case of `Tests/Goldens/scope_defaults/` (oracle/scope_defaults.py) is a
/// Python body and its spec in `Specs/ScopeDefaults/`.
@Suite("Scope defaults and partitioned variables against TensorFlow")
struct ScopeDefaultTests {
    static let goldens = Repo.root + "/Tests/Goldens/scope_defaults"
    static let specs = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/ScopeDefaults"
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: goldens)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    struct Golden {
        let json: [String: Any]
        var shim: [String: Any] { json["shim"] as! [String: Any] }
        var graph: [String: Any]? { json["graph"] as? [String: Any] }

        init(_ name: String) throws {
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: goldens + "/\(name).json"))) as! [String: Any]
        }

        var input: Tensor {
            get throws {
                try Tensor(shape: json["input_shape"] as! [Int], scalars: (json["input"] as! [Double]).map(Float.init))
            }
        }

        func floats(_ value: Any?) -> [Float] { (value as! [Double]).map(Float.init) }
    }

    func prepare(_ name: String, _ golden: Golden) throws -> PreparedSpec {
        try PreparedSpec(Self.specs + "/\(name).yaml", inputs: ["x": try golden.input])
    }

    @Test func everyCaseIsFound() {
        #expect(Self.cases.count >= 5, "\(Self.cases)")
    }

    @Test("names, shapes, dtypes and order are the shim's", arguments: cases)
    func manifest(_ name: String) throws {
        let golden = try Golden(name)
        guard let created = golden.shim["creation_order"] as? [[String: Any]] else { return }
        let spec = try prepare(name, golden)
        let rows = spec.manifest.variables.map { "\($0.name) \($0.shape) \($0.dtype) \($0.trainable)" }
        let expected = created.map { "\($0["name"] as! String) \($0["shape"] as! [Int]) \($0["dtype"] as! String) \($0["trainable"] as! Bool)" }
        #expect(rows == expected)
    }

    @Test("initial values, losses and outputs are TensorFlow's", arguments: cases)
    func valuesLossesOutputs(_ name: String) throws {
        let golden = try Golden(name)
        guard let created = golden.shim["creation_order"] as? [[String: Any]] else { return }
        let spec = try prepare(name, golden)
        let input = try golden.input
        let output = try spec.model(["x": input])[0]
        let variables = spec.model.createdVariables
        try #require(variables.count == created.count)
        for (variable, entry) in zip(variables, created) {
            // Which initializer applied: the scope's, the argument's or the layer's own (all constants here).
            expectClose(variable.value, try Tensor(shape: variable.shape, scalars: golden.floats(entry["value"])), "\(name) \(variable.name)")
        }
        let losses = spec.model.losses.map { $0.scalar ?? .nan }
        let expectedLosses = golden.floats(golden.shim["losses"])
        try #require(losses.count == expectedLosses.count, "\(name): losses \(losses), TensorFlow \(expectedLosses)")
        for (loss, expected) in zip(losses, expectedLosses) {
            #expect(Swift.abs(loss - expected) <= 1e-5 * Swift.max(1, Swift.abs(expected)), "\(name): losses \(losses), TensorFlow \(expectedLosses)")
        }
        expectClose(output, try Tensor(shape: golden.shim["output_shape"] as! [Int], scalars: golden.floats(golden.shim["output"])), "\(name) output")
    }

    @Test("partitioned variables: graph mode's parts listed, the checkpoint's slices loaded whole")
    func partitioned() throws {
        let golden = try Golden("partitioned")
        // The shim refuses partitioners; the spec says so and makes whole variables.
        #expect((golden.shim["error_detail"] as? String)?.contains("`partitioner` arg for `get_variable` is unsupported in TF2") == true)
        let graph = try #require(golden.graph)
        let spec = try prepare("partitioned", golden)
        // The manifest, parts expanded, is global_variables() of graph mode.
        var rows: [String] = []
        for entry in spec.manifest.variables {
            if let parts = entry.partitions {
                rows += parts.map { "\($0.name) \($0.shape) \(entry.name) \(entry.shape) \($0.offset)" }
            } else {
                rows.append("\(entry.name) \(entry.shape) - - -")
            }
        }
        let expected = (graph["variables"] as! [[String: Any]]).map { v in
            let full = v["full_name"] as? String
            return full == nil ? "\(v["name"] as! String) \(v["shape"] as! [Int]) - - -"
                : "\(v["name"] as! String) \(v["shape"] as! [Int]) \(full!) \(v["full_shape"] as! [Int]) \(v["offset"] as! [Int])"
        }
        #expect(rows == expected)
        // The manifest's own names and shapes are the checkpoint's keys.
        let keys = (graph["checkpoint_keys"] as! [[Any]]).map { "\($0[0] as! String) \($0[1] as! [Int])" }.sorted()
        #expect(spec.manifest.variables.map { "\($0.name) \($0.shape)" }.sorted() == keys)
        // Loading assembles each variable from its saved slices; the model computes graph mode's output.
        let checkpoint = try Checkpoint(path: Self.goldens + "/partitioned/model.ckpt")
        let match = try spec.model.load(checkpoint, expecting: spec.expected)
        #expect(match.isExact)
        let output = try spec.model(["x": try golden.input])[0]
        expectClose(output, try Tensor(shape: output.shape, scalars: golden.floats(graph["output"])), "partitioned output")
    }

    @Test("modelspec run loads the partitioned checkpoint and writes graph mode's output")
    func partitionedThroughRun() throws {
        guard CLI.available else { return }
        let golden = try Golden("partitioned")
        let folder = try temporaryFolder("partitioned-run")
        let input = folder + "/x.npy", output = folder + "/y.npy"
        try NumPy.write(try golden.input, to: URL(fileURLWithPath: input))
        let result = try CLI.run(["run", Self.specs + "/partitioned.yaml", "--checkpoint", Self.goldens + "/partitioned/model.ckpt",
                                  "--input", "x=" + input, "--output", output])
        #expect(result.status == 0, "\(result.err)")
        let written = try NumPy.readTensor(contentsOf: URL(fileURLWithPath: output))
        expectClose(written, try Tensor(shape: written.shape, scalars: golden.floats(golden.graph!["output"])), "run output")
    }

    @Test("modelspec names lists the parts under the variable")
    func namesListsParts() throws {
        guard CLI.available else { return }
        let result = try CLI.run(["names", Self.specs + "/partitioned.yaml", "--input", "x=2,3"])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.prefix(4) == ["p/w [3, 7] float32 trainable", "p/w/part_0 [1, 7] float32 trainable slice at [0, 0]",
                                    "p/w/part_1 [1, 7] float32 trainable slice at [1, 0]", "p/w/part_2 [1, 7] float32 trainable slice at [2, 0]"])
    }
}
