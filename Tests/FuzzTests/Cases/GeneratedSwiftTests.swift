import Foundation
import Testing

/// Swift that `generate` writes (exit 0) for mutated and crafted specs
/// compiles: keywords and names Swift refuses are escaped or refused by the
/// generator, never handed to the compiler. One batch, one compiler run.
@Suite struct GeneratedSwiftTests {
    /// Mutated specs in the batch: shipped specs that use no other, each alone in its folder.
    static var mutatedCount: Int { max(6, FuzzSettings.iterations / 10) }

    @Test(.enabled(if: Repo.modelspecBuilt && SwiftTypeChecker.available))
    func generatedSwiftCompiles() throws {
        let log = FindingLog()
        var batch: [(fuzzCase: FuzzCase, spec: String, file: String)] = []
        defer { for member in batch { member.fuzzCase.remove() } }
        var typeNames: Set<String> = []
        /// Generates the case's spec; keeps its Swift for the batch when `generate` accepts it and its type is new.
        func generate(_ spec: String, _ fuzzCase: FuzzCase) throws {
            let output = fuzzCase.path("generated")
            guard try CLIOracle(log: log, fuzzCase: fuzzCase).run(["generate", spec, "-o", output]).ending == .exited(0),
                  let file = try FileManager.default.contentsOfDirectory(atPath: output).first(where: { $0.hasSuffix(".swift") })
            else { return fuzzCase.remove() }
            let source = try String(contentsOfFile: output + "/" + file, encoding: .utf8)
            guard typeNames.insert(Self.declaredType(source) ?? file).inserted else { return fuzzCase.remove() }
            batch.append((fuzzCase, spec, output + "/" + file))
        }
        for (index, spec) in CraftedSpec.hostileNames.enumerated() {
            var fuzzCase = try FuzzCase(family: "swift-crafted", index: index)
            fuzzCase.mutation = "crafted spec \(spec.name)"
            try generate(try SpecFuzzTests.write(spec, in: fuzzCase), fuzzCase)
        }
        // One shipped spec as it is, so that the batch is never empty when every mutation breaks its spec.
        var control = try FuzzCase(family: "swift-shipped", index: 0)
        control.mutation = "shipped spec \(Repo.shippedSpecs[0]), unmutated"
        try generate(try control.copy(Repo.specs + "/" + Repo.shippedSpecs[0]), control)
        var rng = SplitMix64(seed: FuzzSettings.seed, family: "swift-tokens", index: -1)
        // Most token mutations make a spec that `generate` refuses; mutations are drawn, over the specs in
        // turn, until `mutatedCount` of them generate (or 10 times as many were tried).
        let crafted = batch.count
        let specs = Self.standaloneSpecs().shuffled(using: &rng)
        for index in 0..<(Self.mutatedCount * 10) where batch.count - crafted < Self.mutatedCount {
            let chosen = specs[index % specs.count]
            var fuzzCase = try FuzzCase(family: "swift-tokens", index: index)
            let spec = try fuzzCase.copy(Repo.specs + "/" + chosen)
            let edit = TokenMutator.mutate(try String(contentsOfFile: spec, encoding: .utf8), using: &fuzzCase.rng)
            try Data(edit.text.utf8).write(file: spec)
            fuzzCase.mutation = "\(chosen): \(edit.description)"
            try generate(spec, fuzzCase)
        }
        // The crafted KeywordValues (keywords as value names, which the generator escapes) always
        // generates, so the batch is never empty whatever the mutations do.
        let folder = try #require(batch.first?.fuzzCase.folder, "no generated Swift to type-check")
        let errors = try SwiftTypeChecker.errors(in: batch.map(\.file), folder: folder)
        for member in batch {
            guard let messages = errors[member.file] else { continue }
            let generateCommand = CLIOracle.commandLine(["generate", member.spec, "-o", member.fuzzCase.path("generated")])
            log.record(Finding(kind: .uncompilableSwift, what: "`generate` exits 0 but the compiler says: \(messages[0])",
                               reproduction: "\(generateCommand), then type-check \(member.file)",
                               detail: messages.joined(separator: "\n")), in: member.fuzzCase)
        }
        log.report()
    }

    /// The shipped specs that use no other spec as a layer (`{Model: ...}`), so that each generates alone in its folder.
    static func standaloneSpecs() -> [String] {
        let models = Repo.shippedSpecs.map { String($0.dropLast(5)) }
        return Repo.shippedSpecs.filter { file in
            let text = (try? String(contentsOfFile: Repo.specs + "/" + file, encoding: .utf8)) ?? ""
            return !models.contains { text.contains("{\($0):") }
        }
    }

    /// The name of the first type a generated file declares.
    static func declaredType(_ source: String) -> String? {
        for line in source.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let kind = words.firstIndex(where: { $0 == "class" || $0 == "struct" || $0 == "enum" }),
                  kind + 1 < words.count, words[..<kind].allSatisfy({ ["public", "package", "final", "internal"].contains($0) })
            else { continue }
            return String(words[kind + 1].prefix { $0 != ":" && $0 != "{" && $0 != "<" })
        }
        return nil
    }
}
