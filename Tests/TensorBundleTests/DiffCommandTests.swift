import Foundation
import Testing

/// `modelspec diff SPEC CKPT` end to end, against TensorFlow-written checkpoints.
@Suite struct DiffCommandTests {
    /// A spec of the model the tf1_saver fixture holds (two dense layers in `model`, the second named `logits`).
    static func writeSpec(secondLayerName: String?) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = secondLayerName.map { ", name: \($0)" } ?? ""
        let spec = """
            spec: 1
            model: SaverModel
            inputs:
              x: [batch, 4]
            forward:
              - scope: model
                do:
                  - dense: {units: 8, activation: relu}
                  - dense: {units: 3\(name)}
            """
        let path = directory.appendingPathComponent("SaverModel.yaml").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let extras = ["global_step", "model/counts", "model/empty", "model/mask", "model/note", "model/scale_f64", "model/vocab"]

    @Test(.enabled(if: InspectCommandTests.available))
    func agreesWhenNamesMatch() throws {
        let spec = try Self.writeSpec(secondLayerName: "logits")
        let result = try InspectCommandTests.run(["diff", spec, Fixtures.folder("tf1_saver")] + Self.extras.flatMap { ["--ignore", $0] })
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("agree: 4 variables"))
    }

    @Test(.enabled(if: InspectCommandTests.available))
    func listsMissingAndUnusedNames() throws {
        let spec = try Self.writeSpec(secondLayerName: nil)
        let result = try InspectCommandTests.run(["diff", spec, Fixtures.folder("tf1_saver")])
        #expect(result.status == 1)
        #expect(result.out.contains("- model/dense_1/kernel  float32 [8, 3]  (made by the spec, not in the checkpoint)"))
        #expect(result.out.contains("+ model/logits/kernel  float32 [8, 3]  (in the checkpoint, not made by the spec)"))
        #expect(result.out.contains("+ model/vocab  string [3]"))
        #expect(!result.out.contains("+ global_step"))
        #expect(result.out.hasSuffix("skipped global_step\n"))
    }

    @Test(.enabled(if: InspectCommandTests.available))
    func renameMakesThemAgree() throws {
        let spec = try Self.writeSpec(secondLayerName: nil)
        let renames = ["--rename", "model/dense_1/kernel=model/logits/kernel", "--rename", "model/dense_1/bias=model/logits/bias"]
        let result = try InspectCommandTests.run(["diff", spec, Fixtures.folder("tf1_saver")] + renames + Self.extras.flatMap { ["--ignore", $0] })
        #expect(result.status == 0, "\(result.out)\(result.err)")
    }

    @Test(.enabled(if: InspectCommandTests.available))
    func unreadableCheckpointIsAnError() throws {
        let spec = try Self.writeSpec(secondLayerName: "logits")
        let result = try InspectCommandTests.run(["diff", spec, "/nonexistent/model.ckpt"])
        #expect(result.status == 2)
        #expect(result.err.contains("error:"))
    }

    /// Names that agree but a data shard that cannot give the bytes: not "agree".
    @Test(.enabled(if: InspectCommandTests.available))
    func damagedShardsAreErrorsNamingTheShardAndEntry() throws {
        let spec = try Self.writeSpec(secondLayerName: "logits")
        let damages: [(String, (String) throws -> Void)] = [
            ("missing", { try FileManager.default.removeItem(atPath: $0) }),
            ("renamed", { try FileManager.default.moveItem(atPath: $0, toPath: $0 + ".bak") }),
            ("empty", { _ = truncate($0, 0) }),
            ("truncated", { _ = truncate($0, 200) }),
        ]
        for (label, damage) in damages {
            let copy = try Fixtures.copy("tf1_saver")
            defer { Fixtures.remove(copy) }
            let shard = copy + "/model.ckpt-42.data-00000-of-00001"
            try damage(shard)
            let result = try InspectCommandTests.run(["diff", spec, copy] + Self.extras.flatMap { ["--ignore", $0] })
            #expect(result.status == 2, "\(label): \(result.out)\(result.err)")
            #expect(!result.out.contains("agree:"), "\(label): \(result.out)")
            #expect(result.err.contains("cannot be loaded"), "\(label): \(result.err)")
            #expect(result.err.contains("error: \(shard): entry '"), "\(label): \(result.err)")
        }
    }
}
