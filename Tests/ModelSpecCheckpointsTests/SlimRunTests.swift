import Foundation
import ModelSpecRuntime
import Testing

/// The TF-Slim specs through `modelspec run`: the interpreter loads each Slim checkpoint
/// (oracle/slim.py) strictly by name and writes TF-Slim's inference output.
@Suite("TF-Slim specs through modelspec run")
struct SlimRunTests {
    @Test(arguments: ["SlimVGGSmall", "SlimInceptionBlock", "SlimSeparableDecoder"])
    func runReproducesSlim(_ model: String) throws {
        guard CLI.available else { return }
        let golden = Repo.root + "/Tests/Goldens/slim/\(model)"
        let output = try temporaryFolder("slim-run") + "/out.npy"
        let result = try CLI.run(["run", Repo.specs + "/\(model).yaml", "--checkpoint", golden + "/model.ckpt",
                                  "--input", "images=\(golden)/input.npy", "--output", output])
        #expect(result.status == 0, "\(result.err)")
        let written = try NumPy.readTensor(contentsOf: URL(fileURLWithPath: output))
        expectClose(written, try NumPy.readTensor(contentsOf: URL(fileURLWithPath: golden + "/output.npy")), "\(model) through run")
    }
}

/// TF-Slim's naming corner cases (oracle/slim.py `NAME_CASES`, `Tests/Goldens/slim/cases/`),
/// each written as a spec in `Specs/Slim/`: names, shapes, trainability and creation order
/// of graph mode's `global_variables()`, the number of regularization losses, and the output
/// where the variables start as constants (`layer_norm_axes`).
@Suite("TF-Slim naming cases against TF-Slim")
struct SlimNamingCaseTests {
    static let goldens = Repo.root + "/Tests/Goldens/slim/cases"
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: goldens)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    @Test func casesAreFound() { #expect(Self.cases.count >= 5) }

    @Test(arguments: cases)
    func namesAndLosses(_ name: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.goldens + "/\(name).json"))) as! [String: Any]
        let shape = json["input_shape"] as! [Int]
        // The recorded input where the case has an output (its variables start as constants), else any.
        let count = shape.reduce(1, *)
        let recorded: [Double]? = json["input"] as? [Double]
        let scalars: [Float] = recorded.map { $0.map { Float($0) } } ?? (0..<count).map { Float($0 % 7) / 7 - 0.5 }
        let input = try Tensor(shape: shape, scalars: scalars)
        let spec = try PreparedSpec(Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/Slim/\(name).yaml", inputs: ["x": input])
        let expected = (json["variables"] as! [[String: Any]]).map { "\($0["name"] as! String) \($0["shape"] as! [Int]) \($0["trainable"] as! Bool)" }
        #expect(spec.manifest.variables.map { "\($0.name) \($0.shape) \($0.trainable)" } == expected)
        let output = try spec.model(["x": input])[0]
        if let expected = json["output"] as? [Double] {
            expectClose(output, try Tensor(shape: output.shape, scalars: expected.map(Float.init)), "\(name) output")
        }
        #expect(spec.model.createdVariables.map { $0.name } == spec.manifest.variables.map { $0.name })
        // Which initializer applied: a constant where TensorFlow's start is one constant, random elsewhere
        // (moving statistics left out: Slim's is_training defaults to true, so the call moved them).
        for (variable, entry) in zip(spec.model.createdVariables, json["variables"] as! [[String: Any]])
        where variable.shape.reduce(1, *) > 1 && !variable.name.contains("moving_") {
            let scalars = variable.value.scalars
            if let constant = entry["constant"] as? Double {
                #expect(scalars.allSatisfy { $0 == Float(constant) }, "\(variable.name) starts at \(constant) in TensorFlow")
            } else {
                #expect(!scalars.allSatisfy { $0 == scalars[0] }, "\(variable.name) starts random in TensorFlow")
            }
        }
        #expect(spec.model.losses.count == json["losses"] as! Int)
    }
}
