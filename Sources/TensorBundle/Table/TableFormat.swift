/// Constants and small pieces of the LevelDB table format that TensorFlow
/// uses for a checkpoint's `.index` file.
///
/// A table is a run of blocks, then a 48-byte footer:
///
///     [data block 0][trailer] ... [metaindex block][trailer] [index block][trailer] [footer]
///
/// Each block is followed by a 5-byte trailer: one compression-type byte and
/// the masked CRC32C of the block's bytes plus that type byte. The footer holds
/// the metaindex and index block handles as varints, zero padding to 40 bytes,
/// and the 8-byte magic number. The index block maps, for each data block, a
/// key at least as large as the block's last key to the block's handle.
enum TableFormat {
    static let magic: UInt64 = 0xDB47_7524_8B80_FB57
    static let footerSize = 48
    static let blockTrailerSize = 5
    /// Two varint64s of at most 10 bytes each.
    static let maxBlockHandleSize = 20

    /// The compression-type byte of a block trailer.
    static let noCompression: UInt8 = 0
    static let snappyCompression: UInt8 = 1

    /// TensorFlow's table options for checkpoints.
    static let blockSize = 262_144
    static let restartInterval = 16
}

/// Where a block lies in the table file (its bytes, without the trailer).
struct BlockHandle: Equatable {
    var offset: Int
    var size: Int

    /// Reads a handle encoded as two varint64s.
    static func decode(_ cursor: inout ByteCursor) -> BlockHandle? {
        guard let offset = cursor.varintInt(), let size = cursor.varintInt() else { return nil }
        return BlockHandle(offset: offset, size: size)
    }

    func encode(into out: inout [UInt8]) {
        out.appendVarint(offset)
        out.appendVarint(size)
    }
}
