import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a `.npy` file's bytes, and checking a path to write one: regular
/// files only (a FIFO or device is refused, never waited on or replaced);
/// errors say the cause in words.
enum NpyFileAccess {
    static func contents(of path: String) throws -> Data {
        func failure(_ what: String, _ code: Int32) -> NpyError {
            NpyError(path: path, reason: "\(what): \(String(cString: strerror(code)))")
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot read", errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read its attributes", errno) }
        try requireRegular(info, path)
        var data = Data()
        data.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return data
            } else if errno != EINTR {
                throw failure("cannot read", errno)
            }
        }
    }

    /// Throws unless `path` is a regular file or does not exist.
    static func requireRegularOrAbsent(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        try requireRegular(info, path)
    }

    private static func requireRegular(_ info: stat, _ path: String) throws {
        guard info.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else {
            let type = info.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) ? "a directory" : "not a regular file"
            throw NpyError(path: path, reason: "is \(type); expected a .npy file")
        }
    }

    /// A Foundation file error's cause in words: the POSIX error under it
    /// (`No such file or directory`), not the Cocoa error's text.
    static func cause(of error: Error) -> String {
        let ns = error as NSError
        let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        for candidate in [ns, underlying].compactMap({ $0 }) where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
