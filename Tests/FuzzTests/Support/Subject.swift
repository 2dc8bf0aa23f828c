import Foundation

@testable import TensorBundle

/// A shipped spec with TensorFlow's checkpoint and an input of it
/// (Tests/Goldens/seeds_checkpoints): what the checkpoint and `.npy` cases damage.
struct Subject {
    let model: String
    let input: String

    static let dense = Subject(model: "DenseLayer", input: "inputs")
    static let convolution = Subject(model: "CompatV1LayerModel", input: "inputs")
    static let all = [dense, convolution]

    var spec: String { Repo.specs + "/\(model).yaml" }
    var checkpoint: String { Repo.seedCheckpoints + "/\(model)/checkpoint" }
    var inputFile: String { Repo.seeds + "/\(model)/input_0.npy" }

    /// The subject's spec, checkpoint folder and input copied into a case's folder.
    struct Copy {
        let spec: String
        let checkpoint: String
        let input: String
        let output: String
        let checkpointPrefix: String

        var index: String { checkpointPrefix + ".index" }
        var shard: String { CheckpointPath.dataFile(prefix: checkpointPrefix, shard: 0, of: 1) }
    }

    func copy(into fuzzCase: FuzzCase) throws -> Copy {
        try FileManager.default.createDirectory(atPath: fuzzCase.path("spec"), withIntermediateDirectories: true)
        let spec = try fuzzCase.copy(spec, as: "spec/\(model).yaml")
        let checkpoint = try fuzzCase.copy(checkpoint, as: "checkpoint")
        let input = try fuzzCase.copy(inputFile, as: "input.npy")
        return Copy(spec: spec, checkpoint: checkpoint, input: input, output: fuzzCase.path("output.npy"),
                    checkpointPrefix: checkpoint + "/model.ckpt")
    }

    /// `run` of the copied spec on the copied checkpoint and input.
    func runArguments(_ copy: Copy, input: String? = nil, outputs: [String]? = nil) -> [String] {
        ["run", copy.spec, "--checkpoint", copy.checkpoint, "--input", "\(self.input)=\(input ?? copy.input)"]
            + (outputs ?? [copy.output]).flatMap { ["--output", $0] }
    }

    /// The output of `run` on the undamaged files, the reference for damaged ones.
    func referenceOutput() throws -> Data {
        let fuzzCase = try FuzzCase(family: "reference-\(model)", index: 0)
        defer { fuzzCase.remove() }
        let copy = try copy(into: fuzzCase)
        let result = try Subprocess.run(Repo.modelspec, runArguments(copy), in: fuzzCase.folder)
        guard result.ending == .exited(0) else {
            throw FuzzSetupError("modelspec run of the undamaged \(model) failed: \(result.ending)\n\(result.err)")
        }
        return try Data(file: copy.output)
    }
}
