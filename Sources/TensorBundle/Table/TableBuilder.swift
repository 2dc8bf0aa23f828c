/// Builds one table block: prefix-compressed keys with a restart point every
/// `restartInterval` entries (see ``BlockReader``).
struct BlockBuilder {
    let restartInterval: Int
    private(set) var buffer: [UInt8] = []
    private var restarts: [UInt32] = [0]
    private var counter = 0
    private var lastKey: [UInt8] = []
    private(set) var isEmpty = true

    init(restartInterval: Int) {
        self.restartInterval = restartInterval
    }

    /// The block's size if finished now.
    var sizeEstimate: Int { buffer.count + restarts.count * 4 + 4 }

    /// Appends an entry; keys must come in increasing order.
    mutating func add(key: [UInt8], value: [UInt8]) {
        var shared = 0
        if counter < restartInterval {
            let limit = min(lastKey.count, key.count)
            while shared < limit && lastKey[shared] == key[shared] { shared += 1 }
        } else {
            restarts.append(UInt32(buffer.count))
            counter = 0
        }
        buffer.appendVarint(shared)
        buffer.appendVarint(key.count - shared)
        buffer.appendVarint(value.count)
        buffer.append(contentsOf: key[shared...])
        buffer.append(contentsOf: value)
        lastKey = key
        counter += 1
        isEmpty = false
    }

    /// The block's bytes; the builder is reset.
    mutating func finish() -> [UInt8] {
        var out = buffer
        for r in restarts { out.appendFixed32(r) }
        out.appendFixed32(UInt32(restarts.count))
        self = BlockBuilder(restartInterval: restartInterval)
        return out
    }
}

/// Writes a LevelDB-format table the way TensorFlow's `table::TableBuilder`
/// does with the options TensorFlow uses for checkpoints: 256 KiB blocks,
/// restart points every 16 keys (every key in the index block), no
/// compression, shortened separator keys in the index, an empty metaindex.
struct TableBuilder {
    private(set) var output: [UInt8] = []
    private var dataBlock = BlockBuilder(restartInterval: TableFormat.restartInterval)
    private var indexBlock = BlockBuilder(restartInterval: 1)
    private var lastKey: [UInt8] = []
    private var entryCount = 0
    private var pendingHandle: BlockHandle? = nil
    let blockSize: Int

    init(blockSize: Int = TableFormat.blockSize) {
        self.blockSize = blockSize
    }

    /// Appends a pair; keys must strictly increase.
    mutating func add(key: [UInt8], value: [UInt8]) {
        if entryCount > 0 && key.count + value.count >= 2 * blockSize {
            flush()
        }
        if let handle = pendingHandle {
            Self.shortenSeparator(&lastKey, limit: key)
            var encoded: [UInt8] = []
            handle.encode(into: &encoded)
            indexBlock.add(key: lastKey, value: encoded)
            pendingHandle = nil
        }
        lastKey = key
        entryCount += 1
        dataBlock.add(key: key, value: value)
        if dataBlock.sizeEstimate >= blockSize {
            flush()
        }
    }

    /// The whole table file.
    mutating func finish() -> [UInt8] {
        flush()
        var empty = BlockBuilder(restartInterval: TableFormat.restartInterval)
        let metaindex = writeBlock(empty.finish())
        if let handle = pendingHandle {
            Self.shortSuccessor(&lastKey)
            var encoded: [UInt8] = []
            handle.encode(into: &encoded)
            indexBlock.add(key: lastKey, value: encoded)
            pendingHandle = nil
        }
        let index = writeBlock(indexBlock.finish())
        var footer: [UInt8] = []
        metaindex.encode(into: &footer)
        index.encode(into: &footer)
        footer.append(contentsOf: [UInt8](repeating: 0, count: 2 * TableFormat.maxBlockHandleSize - footer.count))
        footer.appendFixed64(TableFormat.magic)
        output.append(contentsOf: footer)
        return output
    }

    private mutating func flush() {
        guard !dataBlock.isEmpty else { return }
        pendingHandle = writeBlock(dataBlock.finish())
    }

    private mutating func writeBlock(_ contents: [UInt8]) -> BlockHandle {
        let handle = BlockHandle(offset: output.count, size: contents.count)
        output.append(contentsOf: contents)
        output.append(TableFormat.noCompression)
        let crc = CRC32C.extend(CRC32C.checksum(contents), [TableFormat.noCompression])
        output.appendFixed32(CRC32C.mask(crc))
        return handle
    }

    /// Shortens `start` to a key in [start, limit) where possible.
    static func shortenSeparator(_ start: inout [UInt8], limit: [UInt8]) {
        let minLength = min(start.count, limit.count)
        var i = 0
        while i < minLength && start[i] == limit[i] { i += 1 }
        guard i < minLength else { return }
        let byte = start[i]
        if byte < 0xFF && byte + 1 < limit[i] {
            start[i] += 1
            start.removeSubrange((i + 1)...)
        }
    }

    /// Shortens `key` to a short key at least as large.
    static func shortSuccessor(_ key: inout [UInt8]) {
        for i in key.indices where key[i] != 0xFF {
            key[i] += 1
            key.removeSubrange((i + 1)...)
            return
        }
    }
}
