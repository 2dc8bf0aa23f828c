import Foundation
import SwiftProtobuf

/// A TensorFlow checkpoint in the TensorBundle format, opened for reading.
///
/// Opening reads and checks the whole `PREFIX.index` table (magic number,
/// block checksums, the header under the empty key, one `BundleEntryProto`
/// per tensor). Data shards `PREFIX.data-NNNNN-of-MMMMM` are opened on first
/// use and read with `pread` into memory the reader owns; every tensor's
/// CRC32C is checked on those bytes each time it is read, so a value returned
/// is the one the index describes, or the read throws (see docs/checkpoints.md,
/// "Concurrent writers").
///
///     let checkpoint = try Checkpoint(path: "model.ckpt-42")
///     for entry in checkpoint.entries { print(entry.name, entry.dtype, entry.shape) }
///     let kernel = try checkpoint.floats(named: "model/dense/kernel")
public struct Checkpoint: Sendable {
    /// The bundle prefix (`…/model.ckpt-42`).
    public let prefix: String
    /// The index file, `PREFIX.index`.
    public let indexFile: String
    /// The number of data shards the header declares.
    public let shardCount: Int
    /// The tensors, sorted by name (the order `tf.train.list_variables` gives),
    /// without the internal entries of partitioned tensors' slices.
    public let entries: [CheckpointEntry]

    let entryIndex: [String: Int]
    /// Entries of partitioned tensors' slices, by their encoded key.
    let sliceEntries: [[UInt8]: CheckpointEntry]
    let shards: ShardStore

    /// The format versions this reader accepts (TensorFlow's kTensorBundleVersion
    /// and kTensorBundleMinProducer).
    static let readerVersion: Int32 = 1
    static let minProducer: Int32 = 0

    /// Opens the checkpoint `path` names: a prefix, its `.index` file, or a
    /// directory with a `checkpoint` state file (see ``CheckpointPath``).
    public init(path: String) throws {
        let prefix = try CheckpointPath.resolvePrefix(path)
        let indexFile = CheckpointPath.indexFile(prefix: prefix)
        let indexBytes: [UInt8]
        do {
            indexBytes = try CheckpointFile(path: indexFile, kind: "checkpoint index").readAll()
        } catch let error as CheckpointError where error.kind == .fileNotFound {
            throw CheckpointError(
                .fileNotFound, file: indexFile,
                "no checkpoint index here (is '\(path)' a checkpoint prefix or directory?)")
        }
        let parsed = try indexBytes.withUnsafeBytes { try Self.parseIndex($0, file: indexFile) }
        self.init(prefix: prefix, parsed: parsed)
    }

    /// Opens a checkpoint from index bytes already in memory; data shards are
    /// looked for at `prefix`.
    init(prefix: String, indexBytes: UnsafeRawBufferPointer) throws {
        self.init(prefix: prefix, parsed: try Self.parseIndex(indexBytes, file: CheckpointPath.indexFile(prefix: prefix)))
    }

    private init(prefix: String, parsed: ParsedIndex) {
        self.prefix = prefix
        self.indexFile = CheckpointPath.indexFile(prefix: prefix)
        self.shardCount = parsed.shardCount
        self.entries = parsed.entries
        self.sliceEntries = parsed.sliceEntries
        var index: [String: Int] = [:]
        for (i, e) in parsed.entries.enumerated() { index[e.name] = i }
        self.entryIndex = index
        self.shards = ShardStore(prefix: prefix, count: parsed.shardCount)
    }

    /// The entry named `name`, if the checkpoint has one.
    public func entry(named name: String) -> CheckpointEntry? {
        entryIndex[name].map { entries[$0] }
    }

    /// The entry named `name`, or a ``CheckpointError/Kind/noSuchEntry`` error.
    public func requireEntry(named name: String) throws -> CheckpointEntry {
        guard let e = entry(named: name) else {
            throw CheckpointError(.noSuchEntry, file: indexFile, entry: name, "no tensor of this name in the checkpoint")
        }
        return e
    }

    struct ParsedIndex {
        var shardCount: Int
        var entries: [CheckpointEntry]
        var sliceEntries: [[UInt8]: CheckpointEntry]
    }

    /// Decodes and checks the table, header and entries of an index file.
    static func parseIndex(_ bytes: UnsafeRawBufferPointer, file: String) throws -> ParsedIndex {
        let pairs = try TableReader.entries(of: bytes, file: file)
        guard let first = pairs.first, first.key.isEmpty else {
            throw CheckpointError(.corruptIndex, file: file, "the table has no header entry (empty key)")
        }
        let header: Tensorflow_BundleHeaderProto
        do {
            header = try Tensorflow_BundleHeaderProto(serializedBytes: first.value)
        } catch {
            throw CheckpointError(.corruptIndex, file: file, "the header entry does not decode as a BundleHeaderProto")
        }
        try checkHeader(header, file: file)
        let shardCount = Int(header.numShards)

        var entries: [CheckpointEntry] = []
        var slices: [[UInt8]: CheckpointEntry] = [:]
        for pair in pairs.dropFirst() {
            let isSliceKey = pair.key.first == 0
            let name = isSliceKey ? sliceKeyDisplayName(pair.key) : String(decoding: pair.key, as: UTF8.self)
            let proto: Tensorflow_BundleEntryProto
            do {
                proto = try Tensorflow_BundleEntryProto(serializedBytes: pair.value)
            } catch {
                throw CheckpointError(.corruptEntry, file: file, entry: name, "metadata does not decode as a BundleEntryProto")
            }
            let entry = try makeEntry(proto, name: name, shardCount: shardCount, file: file)
            if isSliceKey {
                guard entry.slices.isEmpty else {
                    throw CheckpointError(.corruptEntry, file: file, entry: name, "a slice entry is itself sliced")
                }
                slices[pair.key] = entry
            } else {
                entries.append(entry)
            }
        }
        return ParsedIndex(shardCount: shardCount, entries: entries, sliceEntries: slices)
    }

    static func checkHeader(_ header: Tensorflow_BundleHeaderProto, file: String) throws {
        guard header.numShards >= 0 else {
            throw CheckpointError(.corruptIndex, file: file, "header declares \(header.numShards) data shards")
        }
        switch header.endianness {
        case .little: break
        case .big:
            throw CheckpointError(.unsupportedBundle, file: file, "the bundle was written big-endian; this reader reads little-endian bundles only")
        case .UNRECOGNIZED(let v):
            throw CheckpointError(.unsupportedBundle, file: file, "unknown endianness \(v) in the header")
        }
        let v = header.version
        if v.producer < minProducer {
            throw CheckpointError(.unsupportedBundle, file: file, "bundle format producer version \(v.producer) is older than the oldest supported (\(minProducer))")
        }
        if v.minConsumer > readerVersion {
            throw CheckpointError(.unsupportedBundle, file: file, "bundle format needs a reader of version \(v.minConsumer) or newer; this reader is version \(readerVersion)")
        }
        if v.badConsumers.contains(readerVersion) {
            throw CheckpointError(.unsupportedBundle, file: file, "bundle format version excludes this reader (version \(readerVersion))")
        }
    }

    /// Checks an entry's metadata and turns it into a ``CheckpointEntry``.
    static func makeEntry(
        _ proto: Tensorflow_BundleEntryProto, name: String, shardCount: Int, file: String
    ) throws -> CheckpointEntry {
        func bad(_ message: String) -> CheckpointError {
            CheckpointError(.corruptEntry, file: file, entry: name, message)
        }
        let dtype = CheckpointDType(rawValue: proto.dtype.rawValue)
        guard dtype != .invalid else { throw bad("dtype is DT_INVALID") }
        guard !proto.shape.unknownRank else { throw bad("shape has unknown rank") }
        let shape = proto.shape.dim.map { Int($0.size) }
        var count = 1
        for d in shape {
            guard d >= 0 else { throw bad("shape \(shape) has a negative dimension") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape \(shape) has too many elements") }
            count = product
        }
        var slices: [CheckpointSlice] = []
        for slice in proto.slices {
            guard slice.extent.count == shape.count else {
                throw bad("a slice has \(slice.extent.count) extents for a tensor of rank \(shape.count)")
            }
            var starts: [Int] = []
            var lengths: [Int?] = []
            for (d, extent) in slice.extent.enumerated() {
                let start = Int(extent.start)
                let length: Int? = extent.hasLength_p.map { _ in Int(extent.length) }
                guard start >= 0, start <= shape[d], (length ?? 0) >= 0, (length ?? 0) <= shape[d] - start else {
                    throw bad("slice extent [\(start), +\(length.map(String.init) ?? "all")) is outside dimension \(d) of shape \(shape)")
                }
                if length == nil && start != 0 {
                    throw bad("a whole-dimension slice extent starts at \(start)")
                }
                starts.append(start)
                lengths.append(length)
            }
            slices.append(CheckpointSlice(starts: starts, lengths: lengths))
        }
        let location = CheckpointEntry.Location(
            shard: Int(proto.shardID), offset: Int(proto.offset), size: Int(proto.size),
            maskedCRC: proto.crc32C)
        if slices.isEmpty {
            guard location.shard >= 0, location.shard < shardCount else {
                throw bad("shard id \(location.shard) is outside the \(shardCount) data shards the header declares")
            }
            guard location.offset >= 0, location.size >= 0,
                !location.offset.addingReportingOverflow(location.size).overflow
            else { throw bad("bad data location: offset \(location.offset), size \(location.size)") }
            if let elementSize = dtype.elementSize {
                let (expected, overflow) = count.multipliedReportingOverflow(by: elementSize)
                guard !overflow, expected == location.size else {
                    throw bad("size \(location.size) bytes does not match \(dtype) of shape \(shape)")
                }
            }
        }
        return CheckpointEntry(name: name, dtype: dtype, shape: shape, slices: slices, location: location)
    }

    /// A printable name for a slice key (its tensor name is inside it).
    static func sliceKeyDisplayName(_ key: [UInt8]) -> String {
        let printable = key.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }
        return "<slice " + printable.joined() + ">"
    }
}

/// The data shards of a checkpoint, opened on first use and kept open (at
/// most `openLimit` at a time), so that each is read from the file first opened.
final class ShardStore: @unchecked Sendable {
    // @unchecked: `files` and `opened` are only touched under `lock`.
    let prefix: String
    let count: Int
    private let lock = NSLock()
    private var files: [Int: CheckpointFile] = [:]
    /// What each shard was when first opened, kept when its descriptor is closed.
    private var opened: [Int: FileIdentity] = [:]

    /// Open descriptors beyond this are closed (a shard opened again must be
    /// the same file, unchanged).
    static let openLimit = 64

    init(prefix: String, count: Int) {
        self.prefix = prefix
        self.count = count
    }

    func path(of shard: Int) -> String {
        CheckpointPath.dataFile(prefix: prefix, shard: shard, of: count)
    }

    /// Shard `shard`, open; `entry` names the tensor in errors.
    func file(_ shard: Int, entry: String) throws -> CheckpointFile {
        lock.lock()
        defer { lock.unlock() }
        if let f = files[shard] { return f }
        let path = path(of: shard)
        let f: CheckpointFile
        do {
            f = try CheckpointFile(path: path, kind: "data shard")
        } catch var error as CheckpointError {
            error.entry = entry
            if error.kind == .fileNotFound { error.message = "data shard \(shard) of \(count) is missing" }
            throw error
        }
        if let first = opened[shard], !f.identity.isSameVersion(as: first) {
            throw CheckpointError(
                .corruptData, file: path, entry: entry,
                "the data shard was replaced or changed after the checkpoint was opened; open the checkpoint again")
        }
        if files.count >= Self.openLimit { files.removeAll() }
        files[shard] = f
        opened[shard] = f.identity
        return f
    }
}
