import Foundation
import Testing

/// `modelspec run --output`: never replaces a file the run reads, writes only
/// regular files, all outputs or none; an existing output file is replaced.
@Suite("modelspec run --output", .enabled(if: CLI.available))
struct RunOutputTests {
    /// A folder with a copy of the digits spec, its input and its checkpoint folder.
    struct Workspace {
        let folder: String
        var spec: String { folder + "/DigitsCNN.yaml" }
        var images: String { folder + "/test_images.npy" }
        var checkpoint: String { folder + "/checkpoint" }

        init() throws {
            folder = try temporaryFolder("run-output")
            try FileManager.default.copyItem(atPath: DigitsTests.spec, toPath: spec)
            try FileManager.default.copyItem(atPath: Repo.digits + "/test_images.npy", toPath: images)
            try FileManager.default.copyItem(atPath: DigitsTests.checkpoint, toPath: checkpoint)
        }

        func run(_ outputs: [String]) throws -> (status: Int32, out: String, err: String) {
            try CLI.run(["run", spec, "--checkpoint", checkpoint, "--input", "images=\(images)", "--ignore", "global_step"]
                        + outputs.flatMap { ["--output", $0] })
        }

        /// Every file below the folder with its bytes.
        func snapshot() throws -> [String: Data] {
            var result: [String: Data] = [:]
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let relative = enumerator?.nextObject() as? String {
                let path = folder + "/" + relative
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   let data = FileManager.default.contents(atPath: path) {
                    result[relative] = data
                }
            }
            return result
        }
    }

    @Test func filesTheRunReadsAreNeverOutputs() throws {
        let w = try Workspace()
        defer { try? FileManager.default.removeItem(atPath: w.folder) }
        let data = w.checkpoint + "/model.ckpt-1350.data-00000-of-00001"
        try FileManager.default.createSymbolicLink(atPath: w.folder + "/index-link.npy", withDestinationPath: w.checkpoint + "/model.ckpt-1350.index")
        #expect(link(data, w.folder + "/data-hardlink.npy") == 0)
        try FileManager.default.createDirectory(atPath: w.folder + "/sub", withIntermediateDirectories: false)
        let cases: [(String, String)] = [
            (w.images, "the input"),
            (w.spec, "the spec"),
            (w.folder + "/sub/../test_images.npy", "the input"),
            (w.folder + "/index-link.npy", "a file of the checkpoint"),
            (w.folder + "/data-hardlink.npy", "a file of the checkpoint"),
            (w.checkpoint + "/checkpoint", "the checkpoint state file"),
        ]
        let before = try w.snapshot()
        for (output, role) in cases {
            let result = try w.run([output])
            #expect(result.status == 2, "\(output): \(result.err)")
            #expect(result.err.contains("error: --output \(output) is \(role)"), "\(output): \(result.err)")
            #expect(result.err.contains("which this run reads"), "\(output): \(result.err)")
        }
        #expect(try w.snapshot() == before)
    }

    @Test func outputsThatAreNotRegularFilesAreRefused() throws {
        let w = try Workspace()
        defer { try? FileManager.default.removeItem(atPath: w.folder) }
        let fifo = w.folder + "/fifo.npy"
        #expect(mkfifo(fifo, 0o600) == 0)
        let directory = w.folder + "/dir.npy"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let dangling = w.folder + "/dangling.npy"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: w.folder + "/nowhere/x.npy")
        let cases = [
            (fifo, "is a FIFO, not a regular file"),
            (directory, "is a directory, not a regular file"),
            (dangling, "is a symbolic link to a file that does not exist"),
            (w.folder + "/missing/out.npy", "cannot be written: its directory \(w.folder)/missing does not exist"),
        ]
        for (output, message) in cases {
            let result = try w.run([output])
            #expect(result.status == 2, "\(output): \(result.err)")
            #expect(result.err.contains("--output \(output) \(message)"), "\(output): \(result.err)")
        }
        var info = stat()
        #expect(stat(fifo, &info) == 0 && info.st_mode & mode_t(S_IFMT) == mode_t(S_IFIFO))
    }

    /// Inputs that cannot be read: a sentence naming the path and the cause,
    /// exit 2; a FIFO is not waited on.
    @Test func unreadableInputsAreSentences() throws {
        let w = try Workspace()
        defer { try? FileManager.default.removeItem(atPath: w.folder) }
        try FileManager.default.removeItem(atPath: w.images)
        #expect(mkfifo(w.images, 0o600) == 0)
        let fifo = try w.run([w.folder + "/out.npy"])
        #expect(fifo.status == 2)
        #expect(fifo.err == "error: \(w.images): is not a regular file; expected a .npy file\n")
        try FileManager.default.removeItem(atPath: w.images)
        try FileManager.default.createDirectory(atPath: w.images, withIntermediateDirectories: false)
        let directory = try w.run([w.folder + "/out.npy"])
        #expect(directory.status == 2)
        #expect(directory.err == "error: \(w.images): is a directory; expected a .npy file\n")
        try FileManager.default.removeItem(atPath: w.images)
        let missing = try w.run([w.folder + "/out.npy"])
        #expect(missing.err == "error: \(w.images): cannot read: No such file or directory\n")
    }

    @Test func existingOutputIsReplacedKeepingItsPermissions() throws {
        let w = try Workspace()
        defer { try? FileManager.default.removeItem(atPath: w.folder) }
        let output = w.folder + "/logits.npy"
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        #expect(chmod(output, 0o640) == 0)
        let result = try w.run([output])
        #expect(result.status == 0, "\(result.err)")
        expectClose(try tensor(output), try tensor(Repo.digits + "/test_logits.npy"), "logits", tolerance: 1e-4)
        var info = stat()
        #expect(stat(output, &info) == 0 && info.st_mode & 0o777 == 0o640)
        // Through a symbolic link: the target is written, the link stays.
        let link = w.folder + "/link.npy"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: output)
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        #expect(try w.run([link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == output)
        expectClose(try tensor(output), try tensor(Repo.digits + "/test_logits.npy"), "logits", tolerance: 1e-4)
        // No temporary left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.folder).filter { $0.hasSuffix(".tmp") } == [])
    }

    /// The second output cannot be created: the first is not written either,
    /// an existing first output keeps its bytes, no temporary is left.
    @Test func allOrNothing() throws {
        let seed = try SeedCheckpoint("BahdanauAttention")
        let folder = try temporaryFolder("all-or-nothing")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = folder + "/first.npy"
        try Data("earlier".utf8).write(to: URL(fileURLWithPath: first))
        let unwritable = "/proc/self/modelspec-\(UUID().uuidString).npy"  // its directory takes no new files
        let result = try CLI.run(["run", Repo.specs + "/BahdanauAttention.yaml", "--checkpoint", seed.prefix,
                                  "--input", "query=\(seed.inputFiles[0])", "--input", "values=\(seed.inputFiles[1])",
                                  "--output", first, "--output", unwritable])
        #expect(result.status == 2)
        #expect(result.err.contains("error: --output \(unwritable) cannot be written:"), "\(result.err)")
        #expect(FileManager.default.contents(atPath: first) == Data("earlier".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["first.npy"])
        #expect(result.out.isEmpty)
    }

    @Test func theSameFileTwiceIsRefused() throws {
        let seed = try SeedCheckpoint("BahdanauAttention")
        let folder = try temporaryFolder("twice")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try CLI.run(["run", Repo.specs + "/BahdanauAttention.yaml", "--checkpoint", seed.prefix,
                                  "--input", "query=\(seed.inputFiles[0])", "--input", "values=\(seed.inputFiles[1])",
                                  "--output", folder + "/a.npy", "--output", folder + "/./a.npy"])
        #expect(result.status == 2)
        #expect(result.err.contains("is the same file as --output \(folder)/a.npy"), "\(result.err)")
    }

    /// A checkpoint rewritten in place (truncated, then written, as `cp` does)
    /// while `run` reads it: TensorFlow's outputs or a clear error, never a
    /// mix, never a signal.
    @Test func checkpointRewrittenWhileRunning() async throws {
        let w = try Workspace()
        defer { try? FileManager.default.removeItem(atPath: w.folder) }
        let shard = w.checkpoint + "/model.ckpt-1350.data-00000-of-00001"
        let original = try Data(contentsOf: URL(fileURLWithPath: shard))
        var other = original
        for k in stride(from: 3, to: other.count, by: 97) { other[k] ^= 0x5A }  // other weights, same layout
        let writing = Task.detached {
            var round = 0
            while !Task.isCancelled {
                guard let handle = FileHandle(forWritingAtPath: shard) else { return }
                try? handle.truncate(atOffset: 0)
                try? handle.write(contentsOf: round % 2 == 0 ? other : original)
                try? handle.close()
                round += 1
            }
        }
        let golden = try tensor(Repo.digits + "/test_logits.npy")
        var statuses: [Int32] = []
        for attempt in 0..<6 {
            let output = w.folder + "/logits\(attempt).npy"
            let result = try w.run([output])
            statuses.append(result.status)
            if result.status == 0 {
                expectClose(try tensor(output), golden, "logits of run \(attempt)", tolerance: 1e-4)
            } else {
                #expect(result.status == 2, "\(result.err)")
                #expect(result.err.contains(shard), "\(result.err)")
                #expect(!FileManager.default.fileExists(atPath: output))
            }
        }
        writing.cancel()
        await writing.value
        #expect(statuses.allSatisfy { $0 == 0 || $0 == 2 }, "\(statuses)")
    }
}
