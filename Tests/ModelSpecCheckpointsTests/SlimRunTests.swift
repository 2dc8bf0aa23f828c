import Foundation
import ModelSpecRuntime
import Testing

/// The TF-Slim specs through `modelspec run`: the interpreter loads each Slim checkpoint
/// (oracle/slim.py) strictly by name and writes TF-Slim's inference output.
@Suite("TF-Slim specs through modelspec run")
struct SlimRunTests {
    @Test(arguments: ["SlimVGGSmall", "SlimInceptionBlock"])
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
