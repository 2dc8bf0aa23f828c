/// Reading string tensors. TensorFlow stores one as
///
///     [varint64 length] x N, [uint32 masked CRC32C of the lengths], [bytes] x N
///
/// and its entry's CRC32C covers the lengths (each as a little-endian uint32,
/// or uint64 when larger, not as varints), then the 4 checksum bytes, then the
/// string bytes.
extension Checkpoint {
    /// The elements of a string tensor, as bytes (row-major).
    public func strings(named name: String) throws -> [[UInt8]] {
        let entry = try requireEntry(named: name)
        guard entry.dtype == .string else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "is \(entry.dtype), not string")
        }
        guard !entry.isPartitioned else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "partitioned string tensors are not supported")
        }
        let shardFile = shards.path(of: entry.location.shard)
        return try withStoredBytes(of: entry) { bytes in
            try Self.decodeStrings(UnsafeRawBufferPointer(bytes), count: entry.elementCount, maskedCRC: entry.location.maskedCRC) {
                CheckpointError(.corruptData, file: shardFile, entry: name, $0)
            }
        }
    }

    static func decodeStrings(
        _ bytes: UnsafeRawBufferPointer, count: Int, maskedCRC: UInt32,
        error: (String) -> CheckpointError
    ) throws -> [[UInt8]] {
        var cursor = ByteCursor(bytes)
        var lengths: [Int] = []
        lengths.reserveCapacity(min(count, bytes.count))
        var crc: UInt32 = 0
        for _ in 0..<count {
            guard let length = cursor.varint64(), length <= UInt64(Int.max) else {
                throw error("string lengths are truncated or malformed")
            }
            if length <= UInt64(UInt32.max) {
                crc = withUnsafeBytes(of: UInt32(length).littleEndian) { CRC32C.extend(crc, $0) }
            } else {
                crc = withUnsafeBytes(of: length.littleEndian) { CRC32C.extend(crc, $0) }
            }
            lengths.append(Int(length))
        }
        guard let lengthChecksum = cursor.fixed32() else { throw error("string lengths' checksum is missing") }
        guard CRC32C.unmask(lengthChecksum) == crc else {
            throw error("checksum mismatch in the string lengths: the tensor's bytes are damaged")
        }
        crc = withUnsafeBytes(of: lengthChecksum.littleEndian) { CRC32C.extend(crc, $0) }
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        for length in lengths {
            guard let element = cursor.take(length) else {
                throw error("string bytes run past the tensor's \(bytes.count) bytes")
            }
            crc = CRC32C.extend(crc, element)
            result.append(Array(element))
        }
        guard cursor.isAtEnd else { throw error("\(cursor.remaining) unexpected bytes after the strings") }
        guard crc == CRC32C.unmask(maskedCRC) else {
            throw error("checksum mismatch: the tensor's bytes are damaged")
        }
        return result
    }
}
