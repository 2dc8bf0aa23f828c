import Foundation

/// Writes named tensors as a TensorFlow checkpoint (TensorBundle): one data
/// shard `PREFIX.data-00000-of-00001` and the index `PREFIX.index`, byte for
/// byte as TensorFlow's `BundleWriter` writes the same tensors (header,
/// keys sorted, masked CRC32Cs, table with restart points every 16 keys).
///
///     var writer = CheckpointWriter()
///     try writer.add(name: "dense/kernel", shape: [4, 8], floats: kernel)
///     try writer.add(name: "global_step", shape: [], int64s: [1000])
///     try writer.write(prefix: "out/model.ckpt")
public struct CheckpointWriter: Sendable {
    struct Pending: Sendable {
        var dtype: CheckpointDType
        var shape: [Int]
        /// The bytes as stored in the data shard.
        var bytes: [UInt8]
        /// CRC32C of the tensor as TensorFlow defines it (differs from the
        /// bytes' CRC for strings).
        var crc: UInt32
    }

    private(set) var tensors: [String: Pending] = [:]
    /// Table block size; TensorFlow's by default (tests make it small to get many blocks).
    var blockSize = TableFormat.blockSize

    public init() {}

    /// The names added so far.
    public var names: [String] { tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }

    /// Adds a tensor of a fixed-width dtype from its little-endian element bytes.
    public mutating func add(name: String, dtype: CheckpointDType, shape: [Int], bytes: [UInt8]) throws {
        guard let elementSize = dtype.elementSize else {
            throw invalid(name, "\(dtype) tensors cannot be added as raw bytes")
        }
        let count = try elementCount(name, shape)
        guard bytes.count == count * elementSize else {
            throw invalid(name, "\(bytes.count) bytes given for \(dtype) of shape \(shape) (\(count * elementSize) expected)")
        }
        try insert(name, Pending(dtype: dtype, shape: shape, bytes: bytes, crc: CRC32C.checksum(bytes)))
    }

    public mutating func add(name: String, shape: [Int], floats: [Float]) throws {
        try add(name: name, dtype: .float32, shape: shape, bytes: Self.bytes(floats))
    }

    public mutating func add(name: String, shape: [Int], doubles: [Double]) throws {
        try add(name: name, dtype: .float64, shape: shape, bytes: Self.bytes(doubles))
    }

    public mutating func add(name: String, shape: [Int], int32s: [Int32]) throws {
        try add(name: name, dtype: .int32, shape: shape, bytes: Self.bytes(int32s.map(\.littleEndian)))
    }

    public mutating func add(name: String, shape: [Int], int64s: [Int64]) throws {
        try add(name: name, dtype: .int64, shape: shape, bytes: Self.bytes(int64s.map(\.littleEndian)))
    }

    public mutating func add(name: String, shape: [Int], bools: [Bool]) throws {
        try add(name: name, dtype: .bool, shape: shape, bytes: bools.map { $0 ? 1 : 0 })
    }

    /// Adds a string tensor (elements as bytes), stored as TensorFlow stores
    /// strings: varint lengths, their masked checksum, then the bytes.
    public mutating func add(name: String, shape: [Int], strings: [[UInt8]]) throws {
        let count = try elementCount(name, shape)
        guard strings.count == count else {
            throw invalid(name, "\(strings.count) strings given for shape \(shape)")
        }
        var bytes: [UInt8] = []
        var crc: UInt32 = 0
        for s in strings {
            bytes.appendVarint(s.count)
            if UInt64(s.count) <= UInt64(UInt32.max) {
                crc = withUnsafeBytes(of: UInt32(s.count).littleEndian) { CRC32C.extend(crc, $0) }
            } else {
                crc = withUnsafeBytes(of: UInt64(s.count).littleEndian) { CRC32C.extend(crc, $0) }
            }
        }
        let lengthChecksum = CRC32C.mask(crc)
        bytes.appendFixed32(lengthChecksum)
        crc = withUnsafeBytes(of: lengthChecksum.littleEndian) { CRC32C.extend(crc, $0) }
        for s in strings {
            bytes.append(contentsOf: s)
            crc = CRC32C.extend(crc, s)
        }
        try insert(name, Pending(dtype: .string, shape: shape, bytes: bytes, crc: crc))
    }

    /// The index and data-shard bytes of the bundle, for a caller that writes
    /// the files itself (`PREFIX.index`, `PREFIX.data-00000-of-00001`).
    public func serialized() throws -> (index: [UInt8], data: [UInt8]) {
        var data: [UInt8] = []
        var table = TableBuilder(blockSize: blockSize)
        var header = Tensorflow_BundleHeaderProto()
        header.numShards = 1
        header.endianness = .little
        header.version.producer = 1
        header.version.minConsumer = 0
        table.add(key: [], value: try header.serializedBytes())
        for name in names {
            guard let t = tensors[name] else { continue }
            var entry = Tensorflow_BundleEntryProto()
            entry.dtype = Tensorflow_DataType(rawValue: t.dtype.rawValue) ?? .dtInvalid
            entry.shape = Tensorflow_TensorShapeProto()
            entry.shape.dim = t.shape.map { size in
                var d = Tensorflow_TensorShapeProto.Dim()
                d.size = Int64(size)
                return d
            }
            entry.shardID = 0
            entry.offset = Int64(data.count)
            entry.size = Int64(t.bytes.count)
            entry.crc32C = CRC32C.mask(t.crc)
            data.append(contentsOf: t.bytes)
            table.add(key: Array(name.utf8), value: try entry.serializedBytes())
        }
        return (table.finish(), data)
    }

    /// Writes `PREFIX.data-00000-of-00001` and `PREFIX.index` (each written to a
    /// temporary file first, then renamed), creating the folder if needed.
    public func write(prefix: String) throws {
        let (index, data) = try serialized()
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw CheckpointError(.io, file: folder, "cannot create the folder: \(error.localizedDescription)")
            }
        }
        try Self.writeFile(CheckpointPath.dataFile(prefix: prefix, shard: 0, of: 1), data)
        try Self.writeFile(CheckpointPath.indexFile(prefix: prefix), index)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let temporary = path + ".tempstate\(UInt32.random(in: 0...UInt32.max))"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) {
                _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temporary))
            } else {
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CheckpointError(.io, file: path, "cannot write: \(error.localizedDescription)")
        }
    }

    private mutating func insert(_ name: String, _ pending: Pending) throws {
        guard !name.isEmpty else { throw invalid(name, "the empty name is reserved for the bundle header") }
        guard name.utf8.first != 0 else { throw invalid(name, "names starting with a NUL byte are reserved for slices") }
        guard tensors[name] == nil else { throw invalid(name, "a tensor of this name was already added") }
        tensors[name] = pending
    }

    private func elementCount(_ name: String, _ shape: [Int]) throws -> Int {
        var count = 1
        for d in shape {
            guard d >= 0 else { throw invalid(name, "shape \(shape) has a negative dimension") }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw invalid(name, "shape \(shape) has too many elements") }
            count = p
        }
        return count
    }

    private func invalid(_ name: String, _ message: String) -> CheckpointError {
        CheckpointError(.invalidArgument, file: "(checkpoint writer)", entry: name, message)
    }

    static func bytes<T>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }
}
