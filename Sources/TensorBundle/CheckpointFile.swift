#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A checkpoint file (index, data shard or `checkpoint` state file) opened for
/// reading with `pread(2)` into memory the caller owns.
///
/// Nothing is memory-mapped, so the bytes a reader checks are the bytes it
/// uses, and a file that shrinks while it is read is an error, never a SIGBUS.
/// The file is the one that was opened (the descriptor stays open, so a file
/// renamed over it later does not change what is read); what it was when
/// opened (size, modification time) is compared after each read, so a file
/// rewritten in place is reported as such.
final class CheckpointFile: @unchecked Sendable {
    // @unchecked: the descriptor and identity are immutable; pread needs no lock.
    let path: String
    /// The file's role in messages: "checkpoint index", "data shard", ...
    let kind: String
    let identity: FileIdentity
    private let descriptor: Int32

    /// The file's size when it was opened.
    var count: Int { identity.size }

    /// Opens `path`, which must be a regular file (a FIFO is never waited on).
    init(path: String, kind: String) throws {
        self.path = path
        self.kind = kind
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            let kindOfError: CheckpointError.Kind = code == ENOENT || code == ENOTDIR ? .fileNotFound : .io
            throw CheckpointError(kindOfError, file: path, "cannot open the \(kind): \(Self.cause(code))")
        }
        guard let identity = FileIdentity(descriptor: fd) else {
            let code = errno
            close(fd)
            throw CheckpointError(.io, file: path, "cannot read the \(kind)'s attributes: \(Self.cause(code))")
        }
        guard identity.isRegularFile else {
            close(fd)
            throw CheckpointError(.io, file: path, "the \(kind) is \(identity.typeDescription), not a regular file")
        }
        self.descriptor = fd
        self.identity = identity
    }

    deinit { close(descriptor) }

    /// Reads bytes `[offset, offset + buffer.count)` into `buffer`. Throws when
    /// they lie past the end the file had when opened, when the file ends
    /// early now, or when it changed while it was read.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer, entry: String? = nil) throws {
        try checkExtent(offset: offset, count: buffer.count, entry: entry)
        let end = offset + buffer.count
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                throw CheckpointError(
                    .corruptData, file: path, entry: entry,
                    "the \(kind) ends at byte \(offset + done), before the end of bytes [\(offset), \(end)): "
                        + "it was truncated or rewritten after the checkpoint was opened (it had \(count) bytes)")
            } else if errno != EINTR {
                throw CheckpointError(.io, file: path, entry: entry, "cannot read the \(kind): \(Self.cause(errno))")
            }
        }
        try checkUnchanged(entry: entry)
    }

    /// Throws ``extentProblem(offset:count:entry:)``.
    func checkExtent(offset: Int, count byteCount: Int, entry: String? = nil) throws {
        if let problem = extentProblem(offset: offset, count: byteCount, entry: entry) { throw problem }
    }

    /// The error when bytes `[offset, offset + count)` lie past the end the
    /// file had when opened; nil when they lie within it.
    func extentProblem(offset: Int, count byteCount: Int, entry: String? = nil) -> CheckpointError? {
        let end = offset + byteCount
        guard end > count else { return nil }
        return CheckpointError(
            .corruptData, file: path, entry: entry,
            "bytes [\(offset), \(end)) lie past the end of the \(kind) (\(count) bytes; truncated?)")
    }

    /// The whole file, as it was when opened.
    func readAll() throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(at: 0, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Throws when the file's size or modification time is no longer the one
    /// it had when opened: a writer changed it in place.
    func checkUnchanged(entry: String? = nil) throws {
        guard let now = FileIdentity(descriptor: descriptor) else {
            throw CheckpointError(.io, file: path, entry: entry, "cannot read the \(kind)'s attributes: \(Self.cause(errno))")
        }
        guard now.isSameVersion(as: identity) else {
            let change = now.size != identity.size
                ? "its size went from \(identity.size) to \(now.size) bytes" : "its modification time changed"
            throw CheckpointError(
                .corruptData, file: path, entry: entry,
                "the \(kind) changed while it was being read (\(change)): it was rewritten after the checkpoint "
                    + "was opened; open the checkpoint again when the writer has finished")
        }
    }

    /// The cause of a failed system call, in words (`No such file or directory`).
    static func cause(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// What a file is: which file (device and inode), its type, size and
/// modification time.
struct FileIdentity {
    var device: UInt64
    var inode: UInt64
    var mode: UInt32
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        mode = UInt32(info.st_mode)
        size = Int(info.st_size)
        #if canImport(Darwin)
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }

    /// The same file (device, inode) with the same size and modification time.
    func isSameVersion(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode && size == other.size
            && modifiedSeconds == other.modifiedSeconds && modifiedNanoseconds == other.modifiedNanoseconds
    }

    var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }

    /// "a directory", "a FIFO", ... for messages.
    var typeDescription: String {
        switch mode & UInt32(S_IFMT) {
        case UInt32(S_IFDIR): "a directory"
        case UInt32(S_IFIFO): "a FIFO"
        case UInt32(S_IFCHR): "a character device"
        case UInt32(S_IFBLK): "a block device"
        case UInt32(S_IFSOCK): "a socket"
        case UInt32(S_IFREG): "a regular file"
        default: "not a file"
        }
    }
}
