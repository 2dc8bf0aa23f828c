import Foundation
import Testing

@testable import TensorBundle

/// Damaged and hostile checkpoints through `inspect`, `diff` and `run`: no
/// signal or hang; `run` succeeds only with the outputs of the undamaged
/// checkpoint; `diff` and `run` refuse a checkpoint whose tensors are damaged
/// or lie outside their data shards.
@Suite struct CheckpointCLIFuzzTests {
    static let families = ["ckpt-index-bytes", "ckpt-shard-bytes", "ckpt-tensor-flip", "ckpt-hostile-index", "ckpt-shard-damage"]

    @Test(.enabled(if: Repo.modelspecBuilt), arguments: families)
    func damagedCheckpoints(family: String) throws {
        let log = FindingLog()
        let references = try Subject.all.map { try $0.referenceOutput() }
        let count = family == "ckpt-shard-damage" ? min(FuzzSettings.iterations, 24) : FuzzSettings.iterations
        for index in 0..<count {
            var fuzzCase = try FuzzCase(family: family, index: index)
            defer { fuzzCase.remove() }
            let subject = Subject.all[index % Subject.all.count]
            let copy = try subject.copy(into: fuzzCase)
            let unloadable = try Self.damage(copy, family: family, in: &fuzzCase)
            let cli = CLIOracle(log: log, fuzzCase: fuzzCase)
            try cli.run(["inspect", copy.checkpoint])
            let diffArguments = ["diff", copy.spec, copy.checkpoint]
            let diff = try cli.run(diffArguments)
            if unloadable.diff && diff.ending == .exited(0) {
                log.record(Finding(kind: .silentAcceptance, what: "`diff` says the spec and a checkpoint that cannot be loaded agree",
                                   reproduction: CLIOracle.commandLine(diffArguments), detail: diff.out), in: fuzzCase)
            }
            let runArguments = subject.runArguments(copy)
            let run = try cli.run(runArguments)
            guard run.ending == .exited(0) else { continue }
            if unloadable.run {
                log.record(Finding(kind: .silentAcceptance, what: "`run` exits 0 on a damaged checkpoint",
                                   reproduction: CLIOracle.commandLine(runArguments)), in: fuzzCase)
            } else if (try? Data(file: copy.output)) != references[index % Subject.all.count] {
                log.record(Finding(kind: .wrongResult, what: "`run` exits 0 with outputs other than the undamaged checkpoint's",
                                   reproduction: CLIOracle.commandLine(runArguments)), in: fuzzCase)
            }
        }
        log.report()
    }

    /// Damages the copied checkpoint as `family` says; returns whether `diff`, and `run`,
    /// must refuse it (the checkpoint cannot be loaded).
    static func damage(_ copy: Subject.Copy, family: String, in fuzzCase: inout FuzzCase) throws -> (diff: Bool, run: Bool) {
        switch family {
        case "ckpt-index-bytes", "ckpt-shard-bytes":
            let file = family == "ckpt-index-bytes" ? copy.index : copy.shard
            let edit = ByteMutator.mutate([UInt8](try Data(file: file)), using: &fuzzCase.rng)
            try Data(edit.bytes).write(file: file)
            fuzzCase.mutation = "\(URL(fileURLWithPath: file).lastPathComponent): \(edit.description)"
            return (false, false)
        case "ckpt-tensor-flip":
            let entries = try Checkpoint(path: copy.checkpoint).entries.filter { $0.location.size > 0 }
            let entry = entries.randomElement(using: &fuzzCase.rng)!
            let start = entry.location.offset
            let edit = ByteMutator.flipBit(in: start..<(start + entry.location.size), of: [UInt8](try Data(file: copy.shard)), using: &fuzzCase.rng)
            try Data(edit.bytes).write(file: copy.shard)
            fuzzCase.mutation = "data shard, in \(entry.name): \(edit.description)"
            return (false, true)
        case "ckpt-hostile-index":
            var index = try IndexRewriter(file: copy.index)
            let shardSize = try Data(file: copy.shard).count
            let edit = index.applyHostileEdit(shardSize: shardSize, using: &fuzzCase.rng)
            try Data(try index.encoded()).write(file: copy.index)
            fuzzCase.mutation = "index: \(edit.description)"
            return (edit.unloadable, true)  // every edit leaves a checkpoint this spec cannot load
        default:
            return try damageShardFile(copy, in: &fuzzCase)
        }
    }

    /// The data shard truncated, emptied, removed, renamed, or with bytes appended (harmless).
    static func damageShardFile(_ copy: Subject.Copy, in fuzzCase: inout FuzzCase) throws -> (diff: Bool, run: Bool) {
        let bytes = try Data(file: copy.shard)
        switch fuzzCase.index % 6 {
        case 0, 1:
            let used = try Checkpoint(path: copy.checkpoint).entries.map { $0.location.offset + $0.location.size }.max() ?? 0
            let length = Int.random(in: 1..<used, using: &fuzzCase.rng)
            try bytes.prefix(length).write(file: copy.shard)
            fuzzCase.mutation = "data shard truncated to \(length) of \(bytes.count) bytes"
        case 2:
            try Data().write(file: copy.shard)
            fuzzCase.mutation = "data shard emptied"
        case 3:
            try FileManager.default.removeItem(atPath: copy.shard)
            fuzzCase.mutation = "data shard removed"
        case 4:
            try FileManager.default.moveItem(atPath: copy.shard, toPath: copy.shard + ".old")
            fuzzCase.mutation = "data shard renamed"
        default:
            let extra = (0..<Int.random(in: 1...64, using: &fuzzCase.rng)).map { _ in UInt8.random(in: 0...255, using: &fuzzCase.rng) }
            try (bytes + extra).write(file: copy.shard)
            fuzzCase.mutation = "\(extra.count) bytes appended to the data shard"
            return (false, false)
        }
        return (true, true)
    }
}
