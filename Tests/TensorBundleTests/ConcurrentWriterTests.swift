import Foundation
import Testing

@testable import TensorBundle

/// A checkpoint whose files change after it was opened (a trainer saving over
/// it, `cp new old`, rsync in place): every read gives the values the index
/// describes or throws; never a mix of old and new, never a signal.
@Suite struct ConcurrentWriterTests {
    static let count = 4096

    /// A checkpoint of two float32 tensors `a` and `b`, every value `value`,
    /// at `prefix` (the same layout for every `value`).
    static func write(_ prefix: String, value: Float) throws {
        var writer = CheckpointWriter()
        try writer.add(name: "a", shape: [count], floats: [Float](repeating: value, count: count))
        try writer.add(name: "b", shape: [count], floats: [Float](repeating: value, count: count))
        try writer.write(prefix: prefix)
    }

    /// A folder with `model.ckpt` (values 1) and `new.ckpt` (values 2).
    static func oldAndNew() throws -> (folder: String, old: String, new: String) {
        let folder = NSTemporaryDirectory() + "concurrent-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try write(folder + "/model.ckpt", value: 1)
        try write(folder + "/new.ckpt", value: 2)
        return (folder, folder + "/model.ckpt", folder + "/new.ckpt")
    }

    static func shard(_ prefix: String) -> String { CheckpointPath.dataFile(prefix: prefix, shard: 0, of: 1) }

    /// Overwrites `path` in place, as `cp` does: same inode, truncated, then written.
    static func overwriteInPlace(_ path: String, with source: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    /// What a read of both tensors gave: all of one value, or an error.
    enum Outcome: Equatable { case values(Float), mixed, error }

    static func readBoth(_ checkpoint: Checkpoint, between: () throws -> Void) throws -> Outcome {
        do {
            let a = try checkpoint.floats(named: "a")
            try between()
            let b = try checkpoint.floats(named: "b")
            let all = Set(a + b)
            return all.count == 1 ? .values(all.first!) : .mixed
        } catch is CheckpointError {
            return .error
        }
    }

    /// The bytes handed over after the checksum check are the bytes checked,
    /// even when the file is rewritten before they are used.
    @Test func bytesUsedAreTheBytesChecked() throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        let values = try checkpoint.withUnsafeTensorBytes(named: "a") { bytes in
            try Self.overwriteInPlace(Self.shard(old), with: Self.shard(new))
            return Set((0..<Self.count).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) })
        }
        #expect(values == [1])
    }

    @Test func shardTruncatedAfterOpenIsAnErrorNotASignal() throws {
        let (folder, old, _) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        _ = try checkpoint.floats(named: "a")  // the shard is open now
        #expect(truncate(Self.shard(old), off_t(Self.count * 4 + 100)) == 0)
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "b") }
        #expect(error?.file == Self.shard(old))
        #expect(error?.entry == "b")
        #expect(error?.description.contains("truncated or rewritten after the checkpoint was opened") == true)
        // The tensor read before is refused now too: the shard is not the one opened.
        let again = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "a") }
        #expect(again?.description.contains("changed while it was being read (its size went from") == true)
        // Emptied.
        #expect(truncate(Self.shard(old), 0) == 0)
        #expect(throws: CheckpointError.self) { try checkpoint.rawBytes(named: "a") }
        #expect(throws: CheckpointError.self) { try checkpoint.withUnsafeTensorBytes(named: "b") { _ in } }
    }

    @Test func shardTruncatedBeforeItsFirstReadIsAnError() throws {
        let (folder, old, _) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        #expect(truncate(Self.shard(old), off_t(Self.count * 4 + 100)) == 0)
        #expect(try checkpoint.floats(named: "a") == [Float](repeating: 1, count: Self.count))
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "b") }
        #expect(error?.description.contains("lie past the end of the data shard") == true)
    }

    @Test func shardRewrittenInPlaceBetweenReadsIsNeverAMix() throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        let outcome = try Self.readBoth(checkpoint) { try Self.overwriteInPlace(Self.shard(old), with: Self.shard(new)) }
        #expect(outcome == .error || outcome == .values(1))
        #expect(outcome != .mixed)
    }

    @Test func rewriteThatKeepsSizeAndTimeIsCaughtByTheChecksum() throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        _ = try checkpoint.floats(named: "a")
        let before = try #require(FileIdentity(path: Self.shard(old)))
        try Self.overwriteInPlace(Self.shard(old), with: Self.shard(new))
        // Put the modification time back: only the bytes tell the change now.
        var times = [
            timespec(tv_sec: before.modifiedSeconds, tv_nsec: before.modifiedNanoseconds),
            timespec(tv_sec: before.modifiedSeconds, tv_nsec: before.modifiedNanoseconds),
        ]
        #expect(utimensat(AT_FDCWD, Self.shard(old), &times, 0) == 0)
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "b") }
        #expect(error?.description.contains("checksum mismatch") == true)
        #expect(error?.entry == "b")
    }

    @Test func shardReplacedByRenameAfterOpenKeepsTheOldValues() throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        let outcome = try Self.readBoth(checkpoint) {
            #expect(rename(Self.shard(new), Self.shard(old)) == 0)
        }
        #expect(outcome == .values(1))
        // Opened afresh, the checkpoint is the new one, whole.
        try FileManager.default.removeItem(atPath: CheckpointPath.indexFile(prefix: old))
        try FileManager.default.moveItem(atPath: CheckpointPath.indexFile(prefix: new), toPath: CheckpointPath.indexFile(prefix: old))
        #expect(try Self.readBoth(Checkpoint(path: old)) {} == .values(2))
    }

    @Test func shardReplacedBeforeItsFirstReadIsAnError() throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)  // the old index: the old values' checksums
        #expect(rename(Self.shard(new), Self.shard(old)) == 0)
        #expect(try Self.readBoth(checkpoint) {} == .error)
    }

    /// Many rewrites racing the reads: each outcome is all-old, all-new or an error.
    @Test func racingWriterNeverGivesAMix() async throws {
        let (folder, old, new) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let oldShard = try Data(contentsOf: URL(fileURLWithPath: Self.shard(old)))
        let newShard = try Data(contentsOf: URL(fileURLWithPath: Self.shard(new)))
        let shard = Self.shard(old)
        let writer = Task.detached {
            for round in 0..<200 {
                guard let handle = FileHandle(forWritingAtPath: shard) else { return }
                try? handle.truncate(atOffset: 0)
                try? handle.write(contentsOf: round % 2 == 0 ? newShard : oldShard)
                try? handle.close()
            }
        }
        var outcomes: [Outcome] = []
        for _ in 0..<200 {
            outcomes.append(try Self.readBoth(try Checkpoint(path: old)) {})
        }
        await writer.value
        #expect(!outcomes.contains(.mixed))
        #expect(!outcomes.contains(.values(2)), "values that fail the index's checksums were returned")
    }

    @Test func fifoAsDataShardIsRefusedWithoutWaiting() throws {
        let (folder, old, _) = try Self.oldAndNew()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let checkpoint = try Checkpoint(path: old)
        try FileManager.default.removeItem(atPath: Self.shard(old))
        #expect(mkfifo(Self.shard(old), 0o600) == 0)
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "a") }
        #expect(error?.description.contains("the data shard is a FIFO, not a regular file") == true)
    }

    /// More shards than stay open: a shard closed and opened again must be the
    /// file first opened, unchanged.
    @Test func shardOpenedAgainMustBeUnchanged() throws {
        let folder = NSTemporaryDirectory() + "reopen-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let prefix = folder + "/model.ckpt"
        let shards = ShardStore.openLimit + 6
        var writer = CheckpointWriter()
        for i in 0..<shards { try writer.add(name: "t\(i)", shape: [4], floats: [Float](repeating: Float(i), count: 4)) }
        try writer.write(prefix: prefix)
        // Tensor i in shard i: each shard a copy of the one data file.
        try DamageTests.rebuildIndex(prefix + ".index") { pairs in
            var header = try Tensorflow_BundleHeaderProto(serializedBytes: pairs[0].value)
            header.numShards = Int32(shards)
            pairs[0].value = try header.serializedBytes()
            for k in pairs.indices.dropFirst() {
                var entry = try Tensorflow_BundleEntryProto(serializedBytes: pairs[k].value)
                entry.shardID = Int32(String(decoding: pairs[k].key.dropFirst(), as: UTF8.self))!
                pairs[k].value = try entry.serializedBytes()
            }
        }
        let single = CheckpointPath.dataFile(prefix: prefix, shard: 0, of: 1)
        for i in 0..<shards {
            try FileManager.default.copyItem(atPath: single, toPath: CheckpointPath.dataFile(prefix: prefix, shard: i, of: shards))
        }
        let checkpoint = try Checkpoint(path: prefix)
        for i in 0..<shards { #expect(try checkpoint.floats(named: "t\(i)") == [Float](repeating: Float(i), count: 4)) }
        #expect(try checkpoint.floats(named: "t0") == [0, 0, 0, 0])  // opened again, unchanged
        // Shard 1 was closed; its file changes (only its time here).
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, CheckpointPath.dataFile(prefix: prefix, shard: 1, of: shards), &times, 0) == 0)
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "t1") }
        #expect(error?.description.contains("the data shard was replaced or changed after the checkpoint was opened") == true)
    }
}
