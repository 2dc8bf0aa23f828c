import Foundation
import ModelSpecRuntime
import Testing

/// Real TF1 convolutional models (oracle/zoo_cnn.py, `specs/SlimResNetV1Small.yaml`, ...)
/// through `modelspec run`: the interpreter loads each TensorFlow `Saver` checkpoint strictly
/// by name and writes TensorFlow's output, in inference and (where it is not random) in training.
@Suite("TF1 CNN models through modelspec run")
struct ZooCNNRunTests {
    static let goldens = Repo.root + "/Tests/Goldens/zoo_cnn"

    @Test(arguments: ["SlimResNetV1Small", "SlimResNetV2Small", "SlimMobileNetV1Small", "CompatUNet", "DilatedSeparable"])
    func runReproducesTensorFlow(_ model: String) throws {
        guard CLI.available else { return }
        let golden = Self.goldens + "/\(model)"
        for (flag, expected) in [([String](), "output.npy"), (["--training"], "training_output.npy")]
        where FileManager.default.fileExists(atPath: golden + "/" + expected) {
            let output = try temporaryFolder("zoo-run") + "/out.npy"
            let result = try CLI.run(["run", Repo.specs + "/\(model).yaml", "--checkpoint", golden + "/model.ckpt",
                                      "--input", "images=\(golden)/input.npy", "--output", output] + flag)
            #expect(result.status == 0, "\(result.err)")
            expectClose(try tensor(output), try tensor(golden + "/" + expected), "\(model) \(flag)")
        }
    }
}

/// `tf_slim.batch_norm`'s three paths (`updates_collections` UPDATE_OPS or None, `fused` None, True
/// or False, rank 4 and 2) and a normalizer that takes `arg_scope([slim.batch_norm], ...)`'s
/// keywords under its `normalizer_params` (Tests/Goldens/zoo_cnn/batch_norm_paths.json): the
/// variables in TF-Slim's creation order, the output of a training call and every variable after it.
@Suite("TF-Slim batch norm paths against TF-Slim")
struct SlimBatchNormPathTests {
    static func cases() throws -> [[String: Any]] {
        let url = URL(fileURLWithPath: Repo.root + "/Tests/Goldens/zoo_cnn/batch_norm_paths.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [[String: Any]]
    }

    /// 12 batch norms (2 ranks, 2 collections, 3 fused values) and the normalizer under arg_scope.
    @Test func casesAreFound() throws { #expect(try Self.cases().count == 13) }

    /// The spec of a case, as its Python reads.
    static func spec(_ golden: [String: Any]) -> String {
        let shape = golden["input_shape"] as! [Int]
        var text = "spec: 1\nmodel: BatchNormPath\ninputs:\n  x: \(shape)\nforward:\n"
        if let rank = golden["rank"] as? Int, rank > 0 {
            let updates = golden["updates_collections"] is NSNull ? "null" : "UPDATE_OPS"
            let fused = (golden["fused"] as? Bool).map { "\($0)" } ?? "null"
            text += "  - slim.batch_norm: {decay: 0.5, scale: true, fused: \(fused), is_training: true, updates_collections: \(updates)}\n"
        } else {
            text += """
              - arg_scope: {ops: [slim.batch_norm], scale: true, decay: 0.5, is_training: true, updates_collections: null}
                do:
                  - arg_scope: {ops: [slim.conv2d], normalizer_fn: slim.batch_norm, normalizer_params: {center: true}}
                    do:
                      - slim.conv2d: {num_outputs: 3, kernel_size: [1, 1], weights_initializer: {constant: 0.5}, scope: a}
                      - slim.conv2d: {num_outputs: 2, kernel_size: [1, 1], weights_initializer: {constant: -0.25},
                                      normalizer_params: {scale: false, decay: 0.9}, scope: b}

            """
        }
        return text
    }

    @Test(arguments: 0..<13)
    func variablesAndMovingStatistics(_ index: Int) throws {
        let golden = try Self.cases()[index]
        let name = golden["case"] as! String
        let path = try temporaryFolder("batch-norm-path") + "/BatchNormPath.yaml"
        try Self.spec(golden).write(toFile: path, atomically: true, encoding: .utf8)
        let shape = golden["input_shape"] as! [Int]
        let input = try Tensor(shape: shape, scalars: (golden["input"] as! [Double]).map(Float.init))
        let spec = try PreparedSpec(path, inputs: ["x": input])
        #expect(spec.manifest.variables.map(\.name) == golden["variables"] as! [String], "\(name)")
        let output = try spec.model(["x": input], training: true)[0]
        expectClose(output, try Tensor(shape: output.shape, scalars: (golden["output"] as! [Double]).map(Float.init)), name)
        let after = golden["after_training"] as! [String: [Double]]
        for variable in spec.model.createdVariables {
            let expected = try #require(after[variable.name], "\(name): \(variable.name)")
            expectClose(variable.value, try Tensor(shape: variable.shape, scalars: expected.map(Float.init)), "\(name): \(variable.name)")
        }
    }
}

/// `conv2d_transpose` of an input with no rows (Tests/Goldens/zoo_cnn/empty_conv2d_transpose.json):
/// `valid` padding still makes `max(window − stride, 0)` rows, which TensorFlow fills with the bias
/// (then the activation), where a convolution of the output back to the input has no window.
@Test("conv2d_transpose of an empty input gives TensorFlow's bias rows")
func emptyTransposedConvolution() throws {
    let url = URL(fileURLWithPath: Repo.root + "/Tests/Goldens/zoo_cnn/empty_conv2d_transpose.json")
    let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let input = try Tensor.zeros(golden["input_shape"] as! [Int])
    let filter = try Tensor.zeros([3, 3, 2, 3])
    let bias = try Tensor(shape: [2], scalars: (golden["bias"] as! [Double]).map(Float.init))
    let output = try conv2dTranspose(input, filter: filter, strides: (2, 2), padding: .valid, bias: bias, activation: .relu)
    let expected = try Tensor(shape: golden["output_shape"] as! [Int], scalars: (golden["output"] as! [Double]).map(Float.init))
    expectClose(output, expected, "empty conv2d_transpose")
}
