/// Decodes the entries of one table block.
///
/// A block holds entries, then an array of uint32 restart offsets and their
/// count. Each entry is `varint shared, varint non_shared, varint value_length,
/// key bytes [non_shared], value bytes`: its key is the first `shared` bytes of
/// the previous key followed by the `non_shared` bytes given. At a restart
/// offset `shared` is 0. Every length is checked against the block's bounds.
enum BlockReader {
    struct Entry {
        var key: [UInt8]
        var value: [UInt8]
    }

    /// All entries of `block`, in order. `describe` names the block in errors.
    static func entries(
        of block: UnsafeRawBufferPointer, file: String, describe: String
    ) throws -> [Entry] {
        func corrupt(_ message: String) -> CheckpointError {
            CheckpointError(.corruptIndex, file: file, "\(describe): \(message)")
        }
        guard block.count >= 4 else { throw corrupt("block of \(block.count) bytes is too short") }
        var tail = ByteCursor(block, position: block.count - 4)
        guard let numRestarts = tail.fixed32() else { throw corrupt("no restart count") }
        let maxRestarts = (block.count - 4) / 4
        guard numRestarts >= 1, Int(numRestarts) <= maxRestarts else {
            throw corrupt("restart count \(numRestarts) does not fit in a block of \(block.count) bytes")
        }
        let restartsOffset = block.count - 4 - Int(numRestarts) * 4
        var restarts = ByteCursor(block, position: restartsOffset)
        var previousRestart = -1
        var restartOffsets = Set<Int>()
        for _ in 0..<numRestarts {
            guard let r = restarts.fixed32(), Int(r) < max(restartsOffset, 1), Int(r) > previousRestart,
                previousRestart >= 0 || r == 0
            else { throw corrupt("restart points are not increasing from 0 within the entries") }
            previousRestart = Int(r)
            restartOffsets.insert(Int(r))
        }
        let entriesArea = UnsafeRawBufferPointer(rebasing: block[0..<restartsOffset])
        var cursor = ByteCursor(entriesArea)
        var result: [Entry] = []
        var lastKey: [UInt8] = []
        while !cursor.isAtEnd {
            let entryOffset = cursor.position
            guard let shared = cursor.varintInt(), let nonShared = cursor.varintInt(),
                let valueLength = cursor.varintInt()
            else { throw corrupt("entry at offset \(entryOffset) has a bad header") }
            guard shared <= lastKey.count else {
                throw corrupt("entry at offset \(entryOffset) shares \(shared) bytes of a \(lastKey.count)-byte key")
            }
            if restartOffsets.contains(entryOffset) && shared != 0 {
                throw corrupt("entry at restart offset \(entryOffset) shares bytes with the previous key")
            }
            guard let suffix = cursor.take(nonShared), let value = cursor.take(valueLength) else {
                throw corrupt("entry at offset \(entryOffset) runs past the end of the block")
            }
            var key = Array(lastKey[0..<shared])
            key.append(contentsOf: suffix)
            result.append(Entry(key: key, value: Array(value)))
            lastKey = key
        }
        return result
    }
}
