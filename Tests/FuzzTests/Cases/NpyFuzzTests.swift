import Foundation
import Testing

/// Mutated and crafted `.npy` inputs through `run`: an error naming the file,
/// never a signal or a hang.
@Suite struct NpyFuzzTests {
    @Test(.enabled(if: Repo.modelspecBuilt))
    func mutatedInputs() throws {
        let log = FindingLog()
        for index in 0..<FuzzSettings.iterations {
            var fuzzCase = try FuzzCase(family: "npy-bytes", index: index)
            defer { fuzzCase.remove() }
            let subject = Subject.all[index % Subject.all.count]
            let copy = try subject.copy(into: fuzzCase)
            let edit = ByteMutator.mutate([UInt8](try Data(file: copy.input)), using: &fuzzCase.rng)
            try Data(edit.bytes).write(file: copy.input)
            fuzzCase.mutation = "input.npy: \(edit.description)"
            try CLIOracle(log: log, fuzzCase: fuzzCase).run(subject.runArguments(copy))
        }
        log.report()
    }

    @Test(.enabled(if: Repo.modelspecBuilt))
    func craftedInputs() throws {
        let log = FindingLog()
        let data = [UInt8](try Data(file: Subject.dense.inputFile).suffix(8 * 20 * 4))
        for (index, crafted) in NpyCrafter.cases(floats: data).enumerated() {
            var fuzzCase = try FuzzCase(family: "npy-crafted", index: index)
            defer { fuzzCase.remove() }
            let copy = try Subject.dense.copy(into: fuzzCase)
            try Data(crafted.bytes).write(file: copy.input)
            fuzzCase.mutation = "input.npy: \(crafted.name)"
            try CLIOracle(log: log, fuzzCase: fuzzCase).run(Subject.dense.runArguments(copy))
        }
        log.report()
    }
}
