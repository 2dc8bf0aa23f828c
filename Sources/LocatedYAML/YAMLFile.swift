// Reading a YAML file from disk without blocking on what is not a regular file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum YAMLFile {
    /// Whether `path` names a regular file (following symbolic links); false
    /// for a directory, a FIFO, a socket, a device or a missing file.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The bytes of the regular file at `path`. A file that cannot be read is
    /// an error at line 0 that says why in a sentence (`cannot read the file:
    /// permission denied`); a FIFO or device is refused without being waited on.
    static func contents(of path: String) throws(YAMLError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw failure(path, cause(errno)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(path, cause(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure(path, "it is a directory")
        case S_IFIFO: throw failure(path, "it is a FIFO (named pipe), not a regular file")
        case S_IFSOCK: throw failure(path, "it is a socket, not a regular file")
        case S_IFCHR, S_IFBLK: throw failure(path, "it is a device, not a regular file")
        default: throw failure(path, "it is not a regular file")
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, cause(errno))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    private static func failure(_ path: String, _ cause: String) -> YAMLError {
        YAMLError(location: SourceLocation(file: path, line: 0, column: 0), message: "cannot read the file: \(cause)", unreadable: true)
    }

    /// The C library's text for an error code, as the end of a sentence.
    private static func cause(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "it does not exist"
        case EACCES: return "permission denied"
        case EISDIR: return "it is a directory"
        case ENOTDIR: return "a part of its path is not a directory"
        default:
            var reason = String(cString: strerror(code))
            if let first = reason.first, reason.dropFirst().first?.isLowercase ?? true {
                reason = first.lowercased() + reason.dropFirst()
            }
            return reason
        }
    }
}
