import Foundation
import Testing

/// Mutated and crafted specs through `check`, `names` and `generate`: each
/// command ends with an exit status and a message, never a signal or a hang.
@Suite struct SpecFuzzTests {
    /// The shipped specs with their bytes or tokens mutated, in a copy of `specs/`
    /// (specs use each other as layers).
    @Test(.enabled(if: Repo.modelspecBuilt), arguments: ["spec-bytes", "spec-tokens"])
    func mutatedShippedSpecs(family: String) throws {
        let log = FindingLog()
        for index in 0..<FuzzSettings.iterations {
            var fuzzCase = try FuzzCase(family: family, index: index)
            defer { fuzzCase.remove() }
            let spec = try Self.mutatedSpec(in: &fuzzCase, byTokens: family == "spec-tokens")
            try CLIOracle(log: log, fuzzCase: fuzzCase).runInTurn(
                [["check", spec], ["names", spec, "--json"], ["generate", spec, "-o", fuzzCase.path("generated")]],
                while: { $0 == .exited(0) })
        }
        log.report()
    }

    /// Copies `specs/` into the case's folder and mutates one spec there; returns its path.
    static func mutatedSpec(in fuzzCase: inout FuzzCase, byTokens: Bool) throws -> String {
        let folder = try fuzzCase.copy(Repo.specs)
        let chosen = Repo.shippedSpecs.randomElement(using: &fuzzCase.rng)!
        let path = folder + "/" + chosen
        let original = try Data(file: path)
        let mutated: Data
        let description: String
        if byTokens {
            let edit = TokenMutator.mutate(String(decoding: original, as: UTF8.self), using: &fuzzCase.rng)
            (mutated, description) = (Data(edit.text.utf8), edit.description)
        } else {
            let edit = ByteMutator.mutate([UInt8](original), using: &fuzzCase.rng)
            (mutated, description) = (Data(edit.bytes), edit.description)
        }
        try mutated.write(file: path)
        fuzzCase.mutation = "\(chosen): \(description)"
        return path
    }

    /// Sizes that overflow, nesting that explodes, many steps, a FIFO beside the spec, hostile names.
    @Test(.enabled(if: Repo.modelspecBuilt))
    func craftedSpecs() throws {
        let log = FindingLog()
        let crafted = CraftedSpec.hugeSizes + CraftedSpec.hostileNames
            + [.nested("Chain", depth: 600, uses: 1), .nested("Diamond", depth: 30, uses: 2), .manySteps(10_000), .fifoBeside]
        for (index, spec) in crafted.enumerated() {
            var fuzzCase = try FuzzCase(family: "spec-crafted", index: index)
            defer { fuzzCase.remove() }
            fuzzCase.mutation = "crafted spec \(spec.name)"
            let main = try Self.write(spec, in: fuzzCase)
            try CLIOracle(log: log, fuzzCase: fuzzCase).runInTurn(
                [["check", main], ["names", main, "--json"] + spec.namesArguments, ["generate", main, "-o", fuzzCase.path("generated")]])
        }
        log.report()
    }

    /// A shipped spec whose variable shapes come from a parameter (`shape: [20, $units]`), given
    /// sizes no variable can have, through `names` and `run` (with another model's checkpoint and
    /// `--allow-missing`, so that the variables are made, not loaded).
    @Test(.enabled(if: Repo.modelspecBuilt))
    func hostileParameters() throws {
        let log = FindingLog()
        let values = ["-5", "9223372036854775807", "4611686018427387904", "100000000000"]
        for (index, units) in values.enumerated() {
            var fuzzCase = try FuzzCase(family: "spec-params", index: index)
            defer { fuzzCase.remove() }
            fuzzCase.mutation = "--param units=\(units)"
            let copy = try Subject.dense.copy(into: fuzzCase)
            let other = try fuzzCase.copy(Subject.convolution.checkpoint, as: "other-checkpoint")
            try CLIOracle(log: log, fuzzCase: fuzzCase).runInTurn([
                ["names", copy.spec, "--json", "--param", "units=\(units)"],
                ["run", copy.spec, "--checkpoint", other, "--input", "inputs=\(copy.input)", "--output", copy.output,
                 "--param", "units=\(units)", "--allow-missing", "--allow-unused"],
            ])
        }
        log.report()
    }

    /// Writes a crafted spec's files (and FIFOs) into the case's folder; returns the main spec's path.
    @discardableResult
    static func write(_ spec: CraftedSpec, in fuzzCase: FuzzCase) throws -> String {
        for (name, text) in spec.files { try Data(text.utf8).write(file: fuzzCase.path(name)) }
        for fifo in spec.fifos where mkfifo(fuzzCase.path(fifo), 0o644) != 0 {
            throw FuzzSetupError("cannot make the FIFO \(fuzzCase.path(fifo))")
        }
        return fuzzCase.path(spec.main)
    }
}

struct FuzzSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
