import Foundation

/// Cases that run inside this test process's code (the checkpoint reader's API)
/// but must not take the test runner down when they crash: the test bundle runs
/// itself again as a child process that works through the cases, writing a
/// journal line before and after each. When the child dies of a signal or
/// hangs, the case it had started is the culprit; the next child starts after it.
enum ChildBatch {
    static let journalVariable = "MODELSPEC_FUZZ_CHILD_JOURNAL"
    static let firstCaseVariable = "MODELSPEC_FUZZ_CHILD_FROM"

    /// Whether this process is such a child.
    static var isChild: Bool { FuzzSettings.environment[journalVariable] != nil }

    /// In the child: the cases to run (from the first the parent asks for) and the journal to write.
    static var childRange: (first: Int, journal: FileHandle)? {
        guard let path = FuzzSettings.environment[journalVariable],
              let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        return (FuzzSettings.environment[firstCaseVariable].flatMap { Int($0) } ?? 0, handle)
    }

    /// A journal line, written at once (unbuffered) so that it survives a crash right after it.
    static func write(_ fields: [String], to journal: FileHandle) {
        let line = fields.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " | ") }
        journal.write(Data((line.joined(separator: "\t") + "\n").utf8))
    }

    /// A case as the journal tells it.
    struct Entry {
        var mutation = ""
        var ended = false
        var failures: [(kind: String, what: String, detail: String)] = []
    }

    /// In the parent: runs `test` (a swift-testing filter naming the child test) until
    /// all `count` cases ran; returns the journal of each case and the cases that crashed or hung
    /// (no new journal line within `timeout` seconds).
    static func run(test: String, count: Int, in folder: String, timeout: Double)
        throws -> (entries: [Int: Entry], killed: [(index: Int, ending: Ending, err: String)])
    {
        var entries: [Int: Entry] = [:]
        var killed: [(Int, Ending, String)] = []
        var first = 0
        while first < count {
            let journal = folder + "/journal-\(first)"
            _ = FileManager.default.createFile(atPath: journal, contents: nil)
            var journalSize = 0
            let result = try Subprocess.run(
                CommandLine.arguments[0], ["--testing-library", "swift-testing", "--filter", test], in: folder,
                timeout: timeout, environment: [journalVariable: journal, firstCaseVariable: String(first)],
                progressing: {
                    let size = ((try? FileManager.default.attributesOfItem(atPath: journal))?[.size] as? Int) ?? 0
                    defer { journalSize = size }
                    return size > journalSize
                })
            var lastStarted: Int?
            for line in (try String(contentsOfFile: journal, encoding: .utf8)).split(separator: "\n") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count >= 2, let index = Int(fields[1]) else { continue }
                switch fields[0] {
                case "start":
                    entries[index] = Entry(mutation: fields.count > 2 ? fields[2] : "")
                    lastStarted = index
                case "fail" where fields.count >= 5:
                    entries[index]?.failures.append((fields[2], fields[3], fields[4]))
                case "end":
                    entries[index]?.ended = true
                default: break
                }
            }
            guard result.ending != .exited(0) else { break }
            guard let culprit = lastStarted, entries[culprit]?.ended == false else {
                throw FuzzSetupError("the child test process ended with \(result.ending) outside any case:\n\(result.err)")
            }
            killed.append((culprit, result.ending, result.err))
            first = culprit + 1
        }
        return (entries, killed)
    }
}
