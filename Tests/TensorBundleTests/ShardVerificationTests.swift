import Foundation
import Testing

@testable import TensorBundle

/// `Checkpoint.verifyShards()`: every data shard the entries use exists and
/// holds their bytes; each problem names the shard file and an entry.
@Suite struct ShardVerificationTests {
    @Test(arguments: Fixtures.readable)
    func intactFixturesHaveNoProblems(fixture: String) throws {
        let checkpoint = try Checkpoint(path: try Fixtures.prefix(fixture))
        #expect(checkpoint.verifyShards() == [])
    }

    /// A copy of tf1_saver, damaged by `damage(prefix, shard)`; its problems.
    static func problems(_ damage: (String, String) throws -> Void) throws -> (shard: String, problems: [CheckpointError]) {
        let prefix = try DamageTests.saverCopy()
        defer { Fixtures.remove(prefix) }
        let shard = prefix + ".data-00000-of-00001"
        try damage(prefix, shard)
        return (shard, try Checkpoint(path: prefix).verifyShards())
    }

    @Test func missingOrRenamedShard() throws {
        for rename in [false, true] {
            let (shard, problems) = try Self.problems { _, shard in
                if rename {
                    try FileManager.default.moveItem(atPath: shard, toPath: shard + ".old")
                } else {
                    try FileManager.default.removeItem(atPath: shard)
                }
            }
            #expect(problems.count == 1)
            #expect(problems.first?.file == shard)
            #expect(problems.first?.entry == "global_step")  // the first by name
            #expect(problems.first?.message == "data shard 0 of 1 is missing; it holds this entry and 10 more")
        }
    }

    @Test func emptyShard() throws {
        let (shard, problems) = try Self.problems { _, shard in
            #expect(truncate(shard, 0) == 0)
        }
        #expect(problems.count == 1)
        #expect(problems.first?.file == shard)
        #expect(problems.first?.kind == .corruptData)
        #expect(problems.first?.description.contains("lie past the end of the data shard (0 bytes; truncated?)") == true)
        #expect(problems.first?.description.contains("more entries lie past its end too") == true)
    }

    @Test func truncatedShardNamesTheLastEntry() throws {
        let prefix = try DamageTests.saverCopy()
        defer { Fixtures.remove(prefix) }
        let shard = prefix + ".data-00000-of-00001"
        let checkpoint = try Checkpoint(path: prefix)
        let last = try #require(checkpoint.entries.max { $0.location.offset + $0.location.size < $1.location.offset + $1.location.size })
        let size = try #require(FileIdentity(path: shard)).size
        #expect(last.location.offset + last.location.size == size)
        #expect(truncate(shard, off_t(size - 1)) == 0)
        let problems = try Checkpoint(path: prefix).verifyShards()
        #expect(problems == [CheckpointError(
            .corruptData, file: shard, entry: last.name,
            "bytes [\(last.location.offset), \(size)) lie past the end of the data shard (\(size - 1) bytes; truncated?)")])
    }

    @Test func entryOffsetPastTheEnd() throws {
        let (shard, problems) = try Self.problems { prefix, _ in
            try DamageTests.editEntry(prefix, "model/dense/bias") { $0.offset = 1_000_000 }
        }
        #expect(problems.count == 1)
        #expect(problems.first?.file == shard)
        #expect(problems.first?.entry == "model/dense/bias")
        #expect(problems.first?.description.contains("bytes [1000000, 1000032) lie past the end") == true)
    }

    @Test func shardThatIsADirectory() throws {
        let (shard, problems) = try Self.problems { _, shard in
            try FileManager.default.removeItem(atPath: shard)
            try FileManager.default.createDirectory(atPath: shard, withIntermediateDirectories: false)
        }
        #expect(problems.count == 1)
        #expect(problems.first?.file == shard)
        #expect(problems.first?.description.contains("the data shard is a directory, not a regular file") == true)
    }

    @Test func onlyTheDamagedShardOfSeveral() throws {
        let copy = try Fixtures.copy("tf1_sharded")
        defer { Fixtures.remove(copy) }
        let prefix = copy + "/model.ckpt"
        #expect(truncate(prefix + ".data-00001-of-00002", 3) == 0)
        let problems = try Checkpoint(path: prefix).verifyShards()
        #expect(problems.count == 1)
        #expect(problems.first?.file == prefix + ".data-00001-of-00002")
    }

    @Test func slicesOfAPartitionedTensorAreNamedByTheirExtent() throws {
        let copy = try Fixtures.copy("tf1_partitioned")
        defer { Fixtures.remove(copy) }
        let prefix = copy + "/model.ckpt"
        let checkpoint = try Checkpoint(path: prefix)
        let big = checkpoint.storedEntries.filter { $0.name.hasPrefix("embed/big[") }
        #expect(big.count > 1)
        #expect(!checkpoint.storedEntries.contains { $0.name.hasPrefix("<slice") })
        // Cut the shard inside the last slice of embed/big.
        let last = try #require(big.max { $0.location.offset < $1.location.offset })
        #expect(truncate(prefix + ".data-00000-of-00001", off_t(last.location.offset + 1)) == 0)
        let problems = try Checkpoint(path: prefix).verifyShards()
        #expect(problems.count == 1)
        #expect(checkpoint.storedEntries.contains { $0.name == problems.first?.entry })
    }

    @Test func filesAreTheIndexAndTheUsedShards() throws {
        let prefix = try Fixtures.prefix("tf1_sharded")
        let checkpoint = try Checkpoint(path: prefix)
        #expect(checkpoint.files == [prefix + ".index", prefix + ".data-00000-of-00002", prefix + ".data-00001-of-00002"])
    }
}
