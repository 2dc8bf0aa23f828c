/// Reads every key/value pair of a LevelDB-format table (a checkpoint's
/// `.index` file) held in memory, checking the footer's magic number, every
/// block's checksum and compression type, and that keys strictly increase.
enum TableReader {
    static func entries(of bytes: UnsafeRawBufferPointer, file: String) throws -> [BlockReader.Entry] {
        func corrupt(_ message: String) -> CheckpointError {
            CheckpointError(.corruptIndex, file: file, message)
        }
        guard bytes.count >= TableFormat.footerSize else {
            throw corrupt("file of \(bytes.count) bytes is too short for a table (truncated?)")
        }
        let footerStart = bytes.count - TableFormat.footerSize
        var magicCursor = ByteCursor(bytes, position: bytes.count - 8)
        guard let magic = magicCursor.fixed64(), magic == TableFormat.magic else {
            throw corrupt("bad magic number: not a TensorFlow checkpoint index (or truncated)")
        }
        var footer = ByteCursor(
            UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(bytes.count - 8)]))
        guard let metaindex = BlockHandle.decode(&footer), let index = BlockHandle.decode(&footer) else {
            throw corrupt("footer's block handles do not decode")
        }
        // The metaindex is empty in TensorFlow's tables; read it only to check it.
        _ = try block(metaindex, in: bytes, limit: footerStart, file: file, describe: "metaindex block")
        let indexBlock = try block(index, in: bytes, limit: footerStart, file: file, describe: "index block")
        let indexEntries = try BlockReader.entries(of: indexBlock, file: file, describe: "index block")
        var result: [BlockReader.Entry] = []
        var previousKey: [UInt8]? = nil
        for (i, indexEntry) in indexEntries.enumerated() {
            let handle: BlockHandle? = indexEntry.value.withUnsafeBytes {
                var c = ByteCursor($0)
                return BlockHandle.decode(&c)
            }
            guard let handle else { throw corrupt("index entry \(i) holds no block handle") }
            let describe = "data block \(i) (offset \(handle.offset))"
            let data = try block(handle, in: bytes, limit: footerStart, file: file, describe: describe)
            for entry in try BlockReader.entries(of: data, file: file, describe: describe) {
                if let previousKey, !previousKey.lexicographicallyPrecedes(entry.key) {
                    throw corrupt("\(describe): keys are not in increasing order")
                }
                guard !indexEntry.key.lexicographicallyPrecedes(entry.key) else {
                    throw corrupt("\(describe): key is past the index's bound for its block")
                }
                previousKey = entry.key
                result.append(entry)
            }
        }
        return result
    }

    /// The contents of the block at `handle`, after checking its trailer.
    static func block(
        _ handle: BlockHandle, in bytes: UnsafeRawBufferPointer, limit: Int, file: String, describe: String
    ) throws -> UnsafeRawBufferPointer {
        func corrupt(_ message: String) -> CheckpointError {
            CheckpointError(.corruptIndex, file: file, "\(describe): \(message)")
        }
        let (end, overflow) = handle.offset.addingReportingOverflow(handle.size)
        guard !overflow, end <= limit - TableFormat.blockTrailerSize else {
            throw corrupt("block [\(handle.offset), +\(handle.size)) lies past the end of the table (truncated?)")
        }
        let contents = UnsafeRawBufferPointer(rebasing: bytes[handle.offset..<end])
        let type = bytes[end]
        var trailer = ByteCursor(bytes, position: end + 1)
        guard let stored = trailer.fixed32() else { throw corrupt("block trailer is truncated") }
        var crc = CRC32C.checksum(contents)
        crc = CRC32C.extend(crc, [type])
        guard CRC32C.mask(crc) == stored else {
            throw corrupt("block checksum mismatch (the file is damaged)")
        }
        switch type {
        case TableFormat.noCompression:
            return contents
        case TableFormat.snappyCompression:
            throw corrupt("block is Snappy-compressed; TensorFlow never compresses checkpoint indexes and this reader does not decompress")
        default:
            throw corrupt("unknown block compression type \(type)")
        }
    }
}
