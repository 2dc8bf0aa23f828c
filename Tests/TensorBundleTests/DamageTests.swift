import Foundation
import Testing

@testable import TensorBundle

/// Damaged copies of the good fixtures, made in a temporary folder: each must
/// be refused with an error naming the file and, where one applies, the entry.
@Suite struct DamageTests {
    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A copy of tf1_saver: (its prefix, the folder to remove).
    static func saverCopy() throws -> String {
        try Fixtures.copy("tf1_saver") + "/model.ckpt-42"
    }

    /// Rebuilds an index table from (key, value) pairs after `edit`.
    static func rebuildIndex(_ path: String, _ edit: (inout [BlockReader.Entry]) throws -> Void) throws {
        var pairs = try bytes(path).withUnsafeBytes { try TableReader.entries(of: $0, file: path) }
        try edit(&pairs)
        var builder = TableBuilder()
        for p in pairs { builder.add(key: p.key, value: p.value) }
        try write(builder.finish(), path)
    }

    /// Rewrites the index entry `name` of the checkpoint at `prefix` after `edit`.
    static func editEntry(_ prefix: String, _ name: String, _ edit: (inout Tensorflow_BundleEntryProto) -> Void) throws {
        try rebuildIndex(prefix + ".index") { pairs in
            let i = try #require(pairs.firstIndex { $0.key == Array(name.utf8) })
            var proto = try Tensorflow_BundleEntryProto(serializedBytes: pairs[i].value)
            edit(&proto)
            pairs[i].value = try proto.serializedBytes()
        }
    }

    @Test func truncatedIndex() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let index = try Self.bytes(prefix + ".index")
        for length in [0, 10, 47, index.count / 2, index.count - 1] {
            try Self.write(Array(index[..<length]), prefix + ".index")
            let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: prefix) }
            #expect(error?.kind == .corruptIndex)
            #expect(error?.file == prefix + ".index")
        }
    }

    @Test func wrongMagic() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        var index = try Self.bytes(prefix + ".index")
        index[index.count - 1] ^= 0x01
        try Self.write(index, prefix + ".index")
        let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: prefix) }
        #expect(error?.description.contains("magic") == true)
        #expect(error?.description.contains(".index") == true)
    }

    @Test func flippedByteInIndexBlock() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let index = try Self.bytes(prefix + ".index")
        // Every byte of the blocks and trailers (all but the footer).
        for position in stride(from: 0, to: index.count - TableFormat.footerSize, by: 7) {
            var damaged = index
            damaged[position] ^= 0x20
            try Self.write(damaged, prefix + ".index")
            let error = #expect(throws: CheckpointError.self, "byte \(position)") { try Checkpoint(path: prefix) }
            #expect(error?.kind == .corruptIndex)
            #expect(error?.file == prefix + ".index")
        }
    }

    @Test func snappyBlockIsRefused() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        var index = try Self.bytes(prefix + ".index")
        // The first data block starts at 0; its size is in the index block.
        let handle = try index.withUnsafeBytes { raw -> BlockHandle in
            var footer = ByteCursor(raw, position: raw.count - TableFormat.footerSize)
            _ = BlockHandle.decode(&footer)
            let indexHandle = try #require(BlockHandle.decode(&footer))
            let block = try TableReader.block(indexHandle, in: raw, limit: raw.count - 48, file: "", describe: "")
            let first = try BlockReader.entries(of: block, file: "", describe: "")[0]
            return try first.value.withUnsafeBytes { var c = ByteCursor($0); return try #require(BlockHandle.decode(&c)) }
        }
        index[handle.size] = TableFormat.snappyCompression
        let crc = CRC32C.extend(CRC32C.checksum(index[..<handle.size]), [TableFormat.snappyCompression])
        var trailer: [UInt8] = []
        trailer.appendFixed32(CRC32C.mask(crc))
        index.replaceSubrange((handle.size + 1)..<(handle.size + 5), with: trailer)
        try Self.write(index, prefix + ".index")
        let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: prefix) }
        #expect(error?.description.contains("Snappy") == true)
    }

    @Test func truncatedDataShard() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let shard = prefix + ".data-00000-of-00001"
        try Self.write(Array(try Self.bytes(shard)[..<10]), shard)
        let checkpoint = try Checkpoint(path: prefix)  // the index alone lists fine
        #expect(checkpoint.entries.count == 11)
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "model/logits/kernel") }
        #expect(error?.kind == .corruptData)
        #expect(error?.file == shard)
        #expect(error?.entry == "model/logits/kernel")
        #expect(error?.message.contains("past the end") == true)
    }

    @Test func flippedByteInTensorIsNeverLoaded() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let shard = prefix + ".data-00000-of-00001"
        let good = try Checkpoint(path: prefix)
        for name in ["model/dense/kernel", "model/vocab", "global_step", "model/mask", "model/note"] {
            let location = try #require(good.entry(named: name)).location
            var data = try Self.bytes(shard)
            let original = data
            data[location.offset + location.size - 1] ^= 0x04
            try Self.write(data, shard)
            let c = try Checkpoint(path: prefix)
            let error = #expect(throws: CheckpointError.self, "\(name)") {
                switch c.entry(named: name)!.dtype {
                case .float32: _ = try c.floats(named: name)
                case .string: _ = try c.strings(named: name)
                case .int64: _ = try c.int64s(named: name)
                default: _ = try c.bools(named: name)
                }
            }
            #expect(error?.kind == .corruptData)
            #expect(error?.entry == name)
            #expect(error?.file == shard)
            #expect(error?.message.contains("checksum mismatch") == true)
            try Self.write(original, shard)
        }
    }

    @Test func missingShard() throws {
        let prefix = try Fixtures.copy("tf1_sharded") + "/model.ckpt"
        defer { Fixtures.remove(prefix) }
        let missing = prefix + ".data-00001-of-00002"
        try FileManager.default.removeItem(atPath: missing)
        let c = try Checkpoint(path: prefix)
        guard let onShard1 = c.entries.first(where: { $0.location.shard == 1 }),
            let onShard0 = c.entries.first(where: { $0.location.shard == 0 })
        else { Issue.record("fixture has no entries on both shards"); return }
        let error = #expect(throws: CheckpointError.self) { try c.floats(named: onShard1.name) }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.file == missing)
        #expect(error?.entry == onShard1.name)
        #expect(try c.floats(named: onShard0.name).count == onShard0.elementCount)
    }

    @Test func entryPointingPastItsShard() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        try Self.editEntry(prefix, "model/dense/bias") { $0.offset = 1_000_000 }
        let c = try Checkpoint(path: prefix)
        let error = #expect(throws: CheckpointError.self) { try c.floats(named: "model/dense/bias") }
        #expect(error?.kind == .corruptData)
        #expect(error?.entry == "model/dense/bias")
        #expect(error?.file == prefix + ".data-00000-of-00001")
    }

    /// An entry claiming far more bytes than its shard holds is refused before
    /// memory is allocated for them (256 GiB here).
    @Test func hugeEntryIsRefusedBeforeAllocating() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        try Self.editEntry(prefix, "model/dense/bias") { proto in
            proto.shape.dim[0].size = 1 << 36
            proto.size = 1 << 38
        }
        let c = try Checkpoint(path: prefix)
        let reads: [() throws -> Void] = [
            { _ = try c.floats(named: "model/dense/bias") },
            { _ = try c.doubles(named: "model/dense/bias", converting: true) },
            { _ = try c.rawBytes(named: "model/dense/bias") },
            { try c.withUnsafeTensorBytes(named: "model/dense/bias") { _ in } },
        ]
        for read in reads {
            let error = #expect(throws: CheckpointError.self) { try read() }
            #expect(error?.description.contains("lie past the end of the data shard") == true, "\(String(describing: error))")
            #expect(error?.entry == "model/dense/bias")
        }
    }

    @Test func entryThatDoesNotDecode() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        try Self.rebuildIndex(prefix + ".index") { pairs in
            let i = try #require(pairs.firstIndex { $0.key == Array("model/mask".utf8) })
            pairs[i].value = [0x0A, 0xFF, 0x01, 0x02]  // field 1 as a length-delimited run past the end
        }
        let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: prefix) }
        #expect(error?.kind == .corruptEntry)
        #expect(error?.entry == "model/mask")
        #expect(error?.file == prefix + ".index")
        #expect(error?.description.contains("BundleEntryProto") == true)
    }

    @Test func inconsistentEntriesAreRefused() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let edits: [(String, (inout Tensorflow_BundleEntryProto) -> Void)] = [
            ("size", { $0.size += 4 }),
            ("shard", { $0.shardID = 3 }),
            ("dtype", { $0.dtype = .dtInvalid }),
            ("dim", { $0.shape.dim[0].size = -2 }),
        ]
        for (what, edit) in edits {
            try FileManager.default.removeItem(atPath: prefix + ".index")
            try FileManager.default.copyItem(atPath: Fixtures.folder("tf1_saver") + "/model.ckpt-42.index", toPath: prefix + ".index")
            try Self.rebuildIndex(prefix + ".index") { pairs in
                let i = try #require(pairs.firstIndex { $0.key == Array("model/dense/kernel".utf8) })
                var proto = try Tensorflow_BundleEntryProto(serializedBytes: pairs[i].value)
                edit(&proto)
                pairs[i].value = try proto.serializedBytes()
            }
            let error = #expect(throws: CheckpointError.self, "\(what)") { try Checkpoint(path: prefix) }
            #expect(error?.entry == "model/dense/kernel", "\(what)")
        }
    }

    @Test func unsupportedHeaders() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let edits: [(inout Tensorflow_BundleHeaderProto) -> Void] = [
            { $0.endianness = .big },
            { $0.version.minConsumer = 2 },
            { $0.version.badConsumers = [1] },
        ]
        for edit in edits {
            try FileManager.default.removeItem(atPath: prefix + ".index")
            try FileManager.default.copyItem(atPath: Fixtures.folder("tf1_saver") + "/model.ckpt-42.index", toPath: prefix + ".index")
            try Self.rebuildIndex(prefix + ".index") { pairs in
                var header = try Tensorflow_BundleHeaderProto(serializedBytes: pairs[0].value)
                edit(&header)
                pairs[0].value = try header.serializedBytes()
            }
            let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: prefix) }
            #expect(error?.kind == .unsupportedBundle)
        }
    }

    @Test func missingIndexAndStateFile() throws {
        let dir = NSTemporaryDirectory() + "tensorbundle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let noState = #expect(throws: CheckpointError.self) { try Checkpoint(path: dir) }
        #expect(noState?.kind == .fileNotFound)
        #expect(noState?.file == dir + "/checkpoint")
        let noIndex = #expect(throws: CheckpointError.self) { try Checkpoint(path: dir + "/model.ckpt") }
        #expect(noIndex?.kind == .fileNotFound)
        #expect(noIndex?.file == dir + "/model.ckpt.index")
    }

    /// Files that are not regular files are refused by name, never waited on.
    @Test func fifoIndexOrStateFileIsRefusedWithoutWaiting() throws {
        let prefix = try Self.saverCopy()
        defer { Fixtures.remove(prefix) }
        let folder = (prefix as NSString).deletingLastPathComponent
        for file in [prefix + ".index", folder + "/checkpoint"] {
            let saved = try Self.bytes(file)
            try FileManager.default.removeItem(atPath: file)
            #expect(mkfifo(file, 0o600) == 0)
            let error = #expect(throws: CheckpointError.self) { try Checkpoint(path: folder) }
            #expect(error?.file == file)
            #expect(error?.description.contains("is a FIFO, not a regular file") == true)
            try FileManager.default.removeItem(atPath: file)
            try Self.write(saved, file)
        }
        #expect(try Checkpoint(path: folder).entries.count == 11)
    }
}
