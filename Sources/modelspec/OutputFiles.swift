import Foundation
import TensorBundle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.npy` files `modelspec run --output` writes.
///
/// Checked before the run: an output path must not be a file the run reads
/// (compared by resolved path and by device and inode, so symbolic and hard
/// links are seen through), must be a regular file when it exists, and must
/// not be given twice. Written all or nothing: each output goes to a temporary
/// file in its directory; only when every one is written are they renamed
/// over their targets; on a failure the temporaries are removed and no output
/// file is touched (only a failing rename, after others succeeded, leaves
/// those; the error names them). An existing regular output file is replaced, as
/// `numpy.save` does (keeping its permissions); a symbolic link is written
/// through, to its target.
struct OutputFiles {
    struct Target {
        /// The path as given.
        var given: String
        /// Where the file is written: the path with links and `..` resolved.
        var resolved: String
        /// The permission bits of the file replaced, when one exists.
        var existingMode: mode_t?
    }

    /// A file the run reads, and what it is, for messages ("the spec").
    struct ReadFile {
        var path: String
        var role: String
    }

    let targets: [Target]

    /// Checks `paths` against the files the run reads; throws an
    /// ``OutputFileError`` naming the path and the reason.
    init(_ paths: [String], reading read: [ReadFile]) throws {
        let readFiles = read.compactMap { file in ResolvedFile(file.path).map { ($0, file) } }
        var targets: [Target] = []
        var seen: [ResolvedFile] = []
        for path in paths {
            let (target, resolved) = try Self.check(path)
            if let (_, file) = readFiles.first(where: { $0.0.isSameFile(as: resolved) }) {
                throw OutputFileError(path: path, "is \(file.role) \(file.path), which this run reads; give another output path")
            }
            if let index = seen.firstIndex(where: { $0.isSameFile(as: resolved) }) {
                throw OutputFileError(path: path, "is the same file as --output \(targets[index].given); give each output its own file")
            }
            seen.append(resolved)
            targets.append(target)
        }
        self.targets = targets
    }

    /// The target an output path names, checked to be a regular file or a new
    /// file in an existing directory.
    private static func check(_ path: String) throws -> (Target, ResolvedFile) {
        guard !path.isEmpty else { throw OutputFileError(path: path, "is empty; give a file name") }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else {
                let type = ResolvedFile.typeDescription(info.st_mode)
                throw OutputFileError(path: path, "is \(type), not a regular file; outputs are written only to regular files")
            }
            guard let real = realpath(path, nil) else {
                throw OutputFileError(path: path, "cannot be resolved: \(String(cString: strerror(errno)))")
            }
            defer { free(real) }
            let resolved = String(cString: real)
            return (Target(given: path, resolved: resolved, existingMode: info.st_mode & 0o7777),
                    ResolvedFile(path: resolved, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        }
        let cause = errno
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & mode_t(S_IFMT) == mode_t(S_IFLNK) {
            throw OutputFileError(path: path, "is a symbolic link to a file that does not exist; give the file's path")
        }
        guard cause == ENOENT else {
            throw OutputFileError(path: path, "cannot be checked: \(String(cString: strerror(cause)))")
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        guard let real = realpath(directory, nil) else {
            let cause = errno
            throw OutputFileError(
                path: path,
                "cannot be written: its directory \(directory) "
                    + (cause == ENOENT ? "does not exist" : "cannot be used: \(String(cString: strerror(cause)))"))
        }
        defer { free(real) }
        let resolved = (String(cString: real) as NSString).appendingPathComponent(url.lastPathComponent)
        return (Target(given: path, resolved: resolved, existingMode: nil), ResolvedFile(path: resolved, device: nil, inode: nil))
    }

    /// Writes `contents[i]` to target `i`: all to temporary files, then all
    /// renamed; on a failure no target is touched and the temporaries are removed.
    func write(_ contents: [Data]) throws {
        precondition(contents.count == targets.count)
        var temporaries: [String] = []
        do {
            for (target, data) in zip(targets, contents) {
                temporaries.append(try Self.writeTemporary(data, for: target))
            }
        } catch {
            for temporary in temporaries { unlink(temporary) }
            throw error
        }
        for (index, (temporary, target)) in zip(temporaries, targets).enumerated() where rename(temporary, target.resolved) != 0 {
            let cause = String(cString: strerror(errno))
            for later in temporaries[index...] { unlink(later) }
            let written = targets[..<index].map(\.given)
            throw OutputFileError(
                path: target.given,
                "cannot be replaced: \(cause)" + (written.isEmpty ? "" : " (already written: \(written.joined(separator: ", ")))"))
        }
    }

    /// A new file beside the target holding `data`; its path.
    private static func writeTemporary(_ data: Data, for target: Target) throws -> String {
        let directory = (target.resolved as NSString).deletingLastPathComponent
        let name = (target.resolved as NSString).lastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\(name).\(getpid())-\(UUID().uuidString.prefix(8)).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw OutputFileError(path: target.given, "cannot be written: cannot create a file in \(directory): \(String(cString: strerror(errno)))")
        }
        var failure: Int32 = 0
        if let mode = target.existingMode, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0 { failure = writeAll(data, to: fd) }
        if close(fd) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw OutputFileError(path: target.given, "cannot be written: \(String(cString: strerror(failure)))")
        }
        return temporary
    }

    /// The outputs of `modelspec run`, checked against what it reads: the
    /// spec, the `--input` files, the checkpoint's index, data shards and
    /// `checkpoint` state file.
    static func forRun(
        _ paths: [String], spec: String, inputs: [String], checkpointArgument: String, checkpoint: Checkpoint
    ) throws -> OutputFiles {
        var read = [ReadFile(path: spec, role: "the spec")] + inputFiles(inputs)
        read += checkpoint.files.map { ReadFile(path: $0, role: "a file of the checkpoint,") }
        if let stateFile = CheckpointPath.stateFile(of: checkpointArgument) {
            read.append(ReadFile(path: stateFile, role: "the checkpoint state file"))
        }
        return try OutputFiles(paths, reading: read)
    }

    /// The files of `--input NAME=FILE` values: the text after the first `=`
    /// and the whole text (a path may hold `=`); those that exist are compared.
    static func inputFiles(_ values: [String]) -> [ReadFile] {
        values.flatMap { value -> [ReadFile] in
            let file = value.firstIndex(of: "=").map { String(value[value.index(after: $0)...]) }
            return ([value] + (file.map { [$0] } ?? [])).map { ReadFile(path: $0, role: "the input") }
        }
    }
}

/// Writes all of `data` to `fd`; 0, or the `errno` of the failure.
private func writeAll(_ data: Data, to fd: Int32) -> Int32 {
    data.withUnsafeBytes { bytes in
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 {
                done += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return n < 0 ? errno : EIO
            }
        }
        return 0
    }
}

/// A file by its resolved path and, when it exists, its device and inode.
private struct ResolvedFile {
    var path: String
    var device: UInt64?
    var inode: UInt64?

    init(path: String, device: UInt64?, inode: UInt64?) {
        self.path = path
        self.device = device
        self.inode = inode
    }

    /// An existing file, resolved; nil when it does not exist.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        self.init(path: String(cString: real), device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    func isSameFile(as other: ResolvedFile) -> Bool {
        if path == other.path { return true }
        guard let device, let inode else { return false }
        return device == other.device && inode == other.inode
    }

    static func typeDescription(_ mode: mode_t) -> String {
        switch mode & mode_t(S_IFMT) {
        case mode_t(S_IFDIR): "a directory"
        case mode_t(S_IFIFO): "a FIFO"
        case mode_t(S_IFCHR): "a character device"
        case mode_t(S_IFBLK): "a block device"
        case mode_t(S_IFSOCK): "a socket"
        default: "not a regular file"
        }
    }
}

/// Why an output file cannot be written: `--output PATH MESSAGE`.
struct OutputFileError: Error, CustomStringConvertible {
    var path: String
    var message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    var description: String { "--output \(path) \(message)" }
}

extension OutputFiles {
    /// Writes `writer`'s checkpoint at `prefix` (`PREFIX.data-00000-of-00001`,
    /// `PREFIX.index`) all or nothing, never over an existing file, and never
    /// over a file in `reading` (what the command reads); the prefix's folder is
    /// made when missing, as TensorFlow's savers make it.
    static func writeNewCheckpoint(_ writer: CheckpointWriter, prefix: String, reading: [ReadFile]) throws {
        let (index, data) = try writer.serialized()
        let folder = (prefix as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OutputFileError(path: prefix, "cannot be written: its folder cannot be made: \(error.localizedDescription)")
            }
        }
        let files = [CheckpointPath.dataFile(prefix: prefix, shard: 0, of: 1), CheckpointPath.indexFile(prefix: prefix)]
        for file in files where FileManager.default.fileExists(atPath: file) {
            throw OutputFileError(path: file, "exists; a checkpoint is never written over a file (choose another prefix)")
        }
        try OutputFiles(files, reading: reading).write([Data(data), Data(index)])
    }
}
