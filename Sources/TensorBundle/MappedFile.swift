#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when released, so
/// that a multi-GB data shard is never copied to be read.
final class MappedFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only and immutable for the object's life.
    let path: String
    private let base: UnsafeMutableRawPointer?
    let count: Int

    /// Maps `path`; `kind` names the file's role in errors ("index", "data shard").
    init(path: String, kind: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            let kindOfError: CheckpointError.Kind = code == ENOENT ? .fileNotFound : .io
            throw CheckpointError(kindOfError, file: path, "cannot open \(kind): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CheckpointError(.io, file: path, "cannot stat \(kind): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CheckpointError(.io, file: path, "\(kind) is not a regular file")
        }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw CheckpointError(.io, file: path, "cannot map \(kind) into memory: \(String(cString: strerror(errno)))")
        }
        base = mapped
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// The file's bytes, valid while this object lives.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
