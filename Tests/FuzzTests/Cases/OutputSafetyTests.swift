import Foundation
import Testing

/// `run --output` pointed at what the user has: its own input, the spec, the
/// checkpoint's files, a link to the input, a FIFO, a folder, an existing
/// output when a later output fails. Every file the case had before is
/// unchanged afterwards (whatever the exit status), and nothing hangs.
@Suite struct OutputSafetyTests {
    /// The `--output` of each case, from the copied files.
    static var targets: [(name: String, output: (Subject.Copy, FuzzCase) throws -> [String])] { [
        ("the input .npy", { copy, _ in [copy.input] }),
        ("the spec", { copy, _ in [copy.spec] }),
        ("the checkpoint index", { copy, _ in [copy.index] }),
        ("the data shard", { copy, _ in [copy.shard] }),
        ("a symbolic link to the input", { copy, fuzzCase in
            try FileManager.default.createSymbolicLink(atPath: fuzzCase.path("link.npy"), withDestinationPath: copy.input)
            return [fuzzCase.path("link.npy")]
        }),
        ("a FIFO", { _, fuzzCase in
            guard mkfifo(fuzzCase.path("fifo.npy"), 0o644) == 0 else { throw FuzzSetupError("cannot make a FIFO") }
            return [fuzzCase.path("fifo.npy")]
        }),
        ("a folder", { _, fuzzCase in
            try FileManager.default.createDirectory(atPath: fuzzCase.path("folder.npy"), withIntermediateDirectories: false)
            return [fuzzCase.path("folder.npy")]
        }),
    ] }

    @Test(.enabled(if: Repo.modelspecBuilt))
    func outputsNeverReplaceInputs() throws {
        let log = FindingLog()
        for (index, target) in Self.targets.enumerated() {
            var fuzzCase = try FuzzCase(family: "run-output", index: index)
            defer { fuzzCase.remove() }
            fuzzCase.mutation = "--output is \(target.name)"
            let copy = try Subject.dense.copy(into: fuzzCase)
            let arguments = Subject.dense.runArguments(copy, outputs: try target.output(copy, fuzzCase))
            try Self.expectUnchanged(fuzzCase, log: log, arguments: arguments)
        }
        log.report()
    }

    /// A model with two outputs: the first to an existing file, the second where it cannot be written.
    @Test(.enabled(if: Repo.modelspecBuilt))
    func outputsAllOrNothing() throws {
        let log = FindingLog()
        var fuzzCase = try FuzzCase(family: "run-output-partial", index: 0)
        defer { fuzzCase.remove() }
        fuzzCase.mutation = "first --output an existing file, second in a missing folder"
        let model = "BahdanauAttention"
        try FileManager.default.createDirectory(atPath: fuzzCase.path("spec"), withIntermediateDirectories: true)
        let spec = try fuzzCase.copy(Repo.specs + "/\(model).yaml", as: "spec/\(model).yaml")
        let checkpoint = try fuzzCase.copy(Repo.seedCheckpoints + "/\(model)/checkpoint", as: "checkpoint")
        let query = try fuzzCase.copy(Repo.seeds + "/\(model)/input_0.npy", as: "query.npy")
        let values = try fuzzCase.copy(Repo.seeds + "/\(model)/input_1.npy", as: "values.npy")
        try Data("keep me".utf8).write(file: fuzzCase.path("existing.npy"))
        let arguments = ["run", spec, "--checkpoint", checkpoint, "--input", "query=\(query)", "--input", "values=\(values)",
                         "--output", fuzzCase.path("existing.npy"), "--output", fuzzCase.path("missing/second.npy")]
        try Self.expectUnchanged(fuzzCase, log: log, arguments: arguments)
        log.report()
    }

    /// Runs `modelspec` and records every regular file of the case's folder that it changed or removed.
    static func expectUnchanged(_ fuzzCase: FuzzCase, log: FindingLog, arguments: [String]) throws {
        let before = try snapshot(fuzzCase.folder)
        try CLIOracle(log: log, fuzzCase: fuzzCase).run(arguments)
        let after = try snapshot(fuzzCase.folder)
        for (path, bytes) in before.sorted(by: { $0.key < $1.key }) where after[path] != bytes {
            try? FileManager.default.removeItem(atPath: path)  // back as it was, to be saved with the finding
            try bytes.write(file: path)
            let name = String(path.dropFirst(fuzzCase.folder.count + 1))
            let what = after[path] == nil ? "removed" : "overwritten"
            log.record(Finding(kind: .destroyedInput, what: "`run` \(what) \(name) (\(fuzzCase.mutation))",
                               reproduction: CLIOracle.commandLine(arguments)), in: fuzzCase)
        }
    }

    /// The contents of the regular files under `folder`, by path.
    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let manager = FileManager.default
        for name in try manager.subpathsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            if (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeRegular {
                files[path] = try Data(file: path)
            }
        }
        return files
    }
}
