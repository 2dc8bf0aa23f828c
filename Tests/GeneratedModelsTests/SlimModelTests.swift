import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import SeedGoldens
import TensorBundle
import Testing

/// The TF-Slim specs (`specs/SlimVGGSmall.yaml`, `specs/SlimInceptionBlock.yaml`,
/// `specs/SlimSeparableDecoder.yaml`), generated as
/// the build plugin generates them, against TF-Slim itself (oracle/slim.py): Slim's names
/// in creation order, its checkpoint loaded strictly, inference outputs, regularization
/// losses, and the moving statistics (and output) after one training call.
@Suite("Generated TF-Slim models against TF-Slim")
struct SlimModelTests {
    struct Golden {
        let directory: URL
        let json: [String: Any]

        init(_ model: String, area: String = "slim") throws {
            directory = Repo.root.appendingPathComponent("Tests/Goldens/\(area)/\(model)")
            json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("case.json"))) as! [String: Any]
        }

        func tensor(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: directory.appendingPathComponent(file)) }
        var checkpoint: Checkpoint { get throws { try Checkpoint(path: directory.appendingPathComponent("model.ckpt").path) } }
        var variables: [String] {
            (json["variables"] as! [[String: Any]]).map { "\($0["name"] as! String) \($0["shape"] as! [Int]) \($0["trainable"] as! Bool)" }
        }
        var losses: [Float] { (json["losses"] as! [Double]).map(Float.init) }
        var movingAfterTraining: [String: [Float]] {
            get throws {
                let data = try Data(contentsOf: directory.appendingPathComponent("moving_after_training.json"))
                return (try JSONSerialization.jsonObject(with: data) as! [String: [Double]]).mapValues { $0.map(Float.init) }
            }
        }
    }

    func check(_ model: some ShimLayer & GeneratedModel, _ name: String, area: String = "slim",
               call: (Tensor, Bool) throws -> Tensor) throws {
        let golden = try Golden(name, area: area)
        // Slim's names, shapes and trainability, in creation order.
        let manifest = type(of: model).manifest.map { "\($0.name) \($0.shape) \($0.trainable)" }
        #expect(manifest == golden.variables)
        let match = try model.load(golden.checkpoint)
        #expect(match.isExact)
        let input = try golden.tensor("input.npy")
        expectClose(try call(input, false), try golden.tensor("output.npy"), "\(name) inference")
        #expect(model.shim.variables.map(\.name) == type(of: model).manifest.map(\.name))
        // Regularization losses, in creation order (REGULARIZATION_LOSSES).
        let losses = model.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "\(losses) vs \(golden.losses)")
        for (loss, expected) in zip(losses, golden.losses) {
            #expect(Swift.abs(loss - expected) <= 1e-5 * Swift.max(1, Swift.abs(expected)), "\(losses) vs \(golden.losses)")
        }
        // One training call: the batch's moments normalize, the moving statistics move (Slim's UPDATE_OPS).
        let training = try call(input, true)
        if FileManager.default.fileExists(atPath: golden.directory.appendingPathComponent("training_output.npy").path) {
            expectClose(training, try golden.tensor("training_output.npy"), "\(name) training call")
        }
        let moving = try golden.movingAfterTraining
        #expect(!moving.isEmpty)
        for variable in model.shim.variables where variable.name.contains("moving_") {
            let expected = try #require(moving[variable.name], "\(variable.name)")
            expectClose(variable.value, try Tensor(shape: variable.shape, scalars: expected), "\(variable.name) after training")
        }
    }

    @Test func vggStyleNetwork() throws {
        let model = SlimVGGSmall()
        try check(model, "SlimVGGSmall") { x, training in try model(x, training: training) }
    }

    @Test func inceptionStyleBlock() throws {
        let model = SlimInceptionBlock()
        try check(model, "SlimInceptionBlock") { x, training in try model(x, training: training) }
    }

    @Test func separableAndTransposedConvolutions() throws {
        let model = SlimSeparableDecoder()
        try check(model, "SlimSeparableDecoder") { x, training in try model(x, training: training) }
    }
}
