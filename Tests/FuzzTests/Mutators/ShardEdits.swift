import Foundation

/// Changes to a data shard made the way other programs make them while a
/// reader has it open: in place (same file, same inode), not by replacing it.
enum ShardEdits {
    /// Cuts the file to `length` bytes (`truncate(2)`).
    static func truncate(_ path: String, to length: Int) throws {
        guard Foundation.truncate(path, off_t(length)) == 0 else { throw FuzzSetupError("cannot truncate \(path)") }
    }

    /// Writes `bytes` over the file from its start, in place (no truncation, no rename).
    static func overwrite(_ path: String, with bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { throw FuzzSetupError("cannot open \(path) for writing") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw FuzzSetupError("cannot write \(path)") }
    }
}
