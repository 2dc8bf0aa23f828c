import Foundation
import Testing

/// The fuzz harness itself: that it tells a crash from a hang from an exit,
/// that its oracles see what they are for, and that a seed makes the same cases.
@Suite struct HarnessTests {
    @Test func endingsAreClassified() throws {
        let folder = NSTemporaryDirectory() + "modelspec-fuzz-harness-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let exit = try Subprocess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], in: folder)
        #expect(exit.ending == .exited(3))
        #expect(exit.out == "out\n" && exit.err == "err\n")
        #expect(try Subprocess.run("/bin/sh", ["-c", "kill -BUS $$"], in: folder).ending == .signal(SIGBUS))
        #expect(try Subprocess.run("/bin/sleep", ["30"], in: folder, timeout: 0.5).ending == .timedOut(0.5))
        var polls = 0
        let progressing = try Subprocess.run("/bin/sleep", ["1"], in: folder, timeout: 0.3, progressing: {
            polls += 1
            return true
        })
        #expect(progressing.ending == .exited(0) && polls >= 2)
    }

    @Test func manifestOracle() {
        func listing(_ shape: String) -> String { "[{\"name\": \"w\", \"shape\": \(shape), \"dtype\": \"float32\", \"trainable\": true}]" }
        #expect(ManifestOracle.problem(inListing: listing("[20, 10]")) == nil)
        #expect(ManifestOracle.problem(inListing: listing("[0, 10]")) == nil)
        #expect(ManifestOracle.problem(inListing: listing("[20, -5]"))?.contains("negative") == true)
        #expect(ManifestOracle.problem(inListing: listing("[4294967296, 4294967296]"))?.contains("overflows") == true)
        #expect(ManifestOracle.problem(inListing: "not JSON") == nil)
    }

    @Test func crashSiteIsTheFirstProjectFrameWithALine() {
        let report = """
            0 [inlined] 0x1 closure in ShapeRules.flatten(_:) in modelspec at /repo/Sources/ModelSpecCompiler/Trace/ShapeRules.swift
            1 [ra] 0x2 static ShapeRules.flatten(_:) + 717 in modelspec at /repo/Sources/ModelSpecCompiler/Trace/ShapeRules.swift:84:70
            """
        #expect(CLIOracle.crashSite(report) == "Sources/ModelSpecCompiler/Trace/ShapeRules.swift:84:70")
        #expect(CLIOracle.crashSite("no frames") == nil)
    }

    @Test func aSeedMakesTheSameCases() throws {
        let spec = try String(contentsOfFile: Repo.specs + "/DenseLayer.yaml", encoding: .utf8)
        func mutation(_ index: Int) -> String {
            var rng = SplitMix64(seed: FuzzSettings.seed, family: "spec-tokens", index: index)
            return TokenMutator.mutate(spec, using: &rng).text
        }
        #expect(mutation(3) == mutation(3))
        #expect(Set((0..<8).map(mutation)).count > 1)
        #expect(TokenMutator.tokens(spec).joined() == spec)
    }
}
