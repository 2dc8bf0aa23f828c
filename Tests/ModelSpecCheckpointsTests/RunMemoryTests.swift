import Foundation
import Testing

/// `modelspec run` with sizes the machine cannot hold: a located error before anything is
/// allocated, not an abort in the allocator ("failed to allocate 8000000000000 bytes").
@Suite("modelspec run: memory", .enabled(if: CLI.available))
struct RunMemoryTests {
    @Test func variableLargerThanMemoryIsALocatedError() throws {
        let seed = try SeedCheckpoint("DenseLayer")
        let folder = try temporaryFolder("run-memory")
        let output = folder + "/out.npy"
        let result = try CLI.run(["run", Repo.specs + "/DenseLayer.yaml", "--checkpoint", seed.prefix,
                                  "--input", "inputs=\(seed.inputFiles[0])", "--output", output,
                                  "--param", "units=100000000000", "--allow-missing", "--allow-unused"])
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.hasPrefix(Repo.specs + "/DenseLayer.yaml:13:9: error: variable 'dense/kernel' of shape [20, 100000000000] needs 8000000000000 bytes (the 2 variables need 8400000000000 bytes in all), more than this machine's "), "\(result.err)")
        #expect(result.err.contains("bytes of physical memory; nothing was allocated"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
