import Foundation
import Testing

@testable import TensorBundle

/// The checkpoint reader's API on damaged shards and on shards truncated or
/// rewritten after the checkpoint was opened (by another program, in place),
/// run in a child process (``ChildBatch``) so that a SIGBUS is a finding, not
/// the end of the test run. Every read either throws or returns the bytes of
/// the undamaged checkpoint; a tensor whose bytes are damaged never reads.
@Suite struct CheckpointReaderFuzzTests {
    static let families = [
        "reader-shard-bytes", "reader-tensor-flip", "reader-truncate-after-read", "reader-truncate-before-read",
        "reader-rewrite-after-read", "reader-concurrent-rewrite",
    ]

    /// The checkpoints read: TensorFlow's fixtures (one shard, two, partitioned, object-based), a seed's,
    /// and `nil`, one written by the case with a shard of several pages (a mapping can outlive the file's end).
    static let fixtures: [String?] = ["tf1_saver", "tf1_sharded", "tf1_partitioned", "tf2_object"].map { Repo.checkpointFixtures + "/" + $0 }
        + [Repo.seedCheckpoints + "/DenseLayer/checkpoint", nil]

    /// Every case, in order: (family, number).
    static var cases: [(family: String, index: Int)] {
        let perFamily = max(1, FuzzSettings.iterations / 2)
        return families.flatMap { family in (0..<perFamily).map { (family, $0) } }
    }

    @Test(.enabled(if: !ChildBatch.isChild))
    func readsInAChildProcess() throws {
        let folder = NSTemporaryDirectory() + "modelspec-fuzz-reader-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases = Self.cases
        let (entries, killed) = try ChildBatch.run(
            test: "CheckpointReaderFuzzTests/childProcess", count: cases.count, in: folder, timeout: FuzzSettings.timeout)
        #expect(entries.count == cases.count, "the child process ran \(entries.count) of \(cases.count) cases")
        let log = FindingLog()
        let reproduction = "\(FuzzSettings.reproduction) swift test --skip-build --filter CheckpointReaderFuzzTests"
        func fuzzCase(_ index: Int) throws -> FuzzCase {
            var fuzzCase = try FuzzCase(family: cases[index].family, index: cases[index].index,
                                        folder: folder + "/\(cases[index].family)-\(cases[index].index)")
            fuzzCase.mutation = entries[index]?.mutation ?? ""
            return fuzzCase
        }
        for (index, entry) in entries.sorted(by: { $0.key < $1.key }) {
            for failure in entry.failures {
                let kind = Finding.Kind(rawValue: failure.kind) ?? .wrongResult
                log.record(Finding(kind: kind, what: failure.what, reproduction: reproduction, detail: failure.detail), in: try fuzzCase(index))
            }
        }
        for (index, ending, err) in killed {
            let what = "the checkpoint reader's process \(ending)" + (CLIOracle.crashSite(err).map { " at \($0)" } ?? "")
            let hung = if case .timedOut = ending { true } else { false }
            log.record(Finding(kind: hung ? .hang : .crash, what: what,
                               reproduction: reproduction, detail: err), in: try fuzzCase(index))
        }
        log.report()
    }

    /// The child's side: runs the cases from the one the parent asks for.
    @Test(.enabled(if: ChildBatch.isChild))
    func childProcess() throws {
        guard let (first, journal) = ChildBatch.childRange else { return }
        let folder = FileManager.default.currentDirectoryPath
        let cases = Self.cases
        for index in first..<cases.count {
            var fuzzCase = try FuzzCase(family: cases[index].family, index: cases[index].index,
                                        folder: folder + "/\(cases[index].family)-\(cases[index].index)")
            var reader = ReaderCase(fixture: Self.fixtures[fuzzCase.index % Self.fixtures.count])
            var failures: [Finding]
            do {
                try reader.prepare(&fuzzCase)
                ChildBatch.write(["start", String(index), fuzzCase.mutation], to: journal)
                failures = reader.run(fuzzCase)
            } catch {
                ChildBatch.write(["start", String(index), fuzzCase.mutation], to: journal)
                failures = [Finding(kind: .harness, what: "\(error)", reproduction: "")]
            }
            for failure in failures {
                ChildBatch.write(["fail", String(index), failure.kind.rawValue, failure.what, failure.detail], to: journal)
            }
            ChildBatch.write(["end", String(index)], to: journal)
            if failures.isEmpty { fuzzCase.remove() }  // else the parent saves it
        }
    }
}
