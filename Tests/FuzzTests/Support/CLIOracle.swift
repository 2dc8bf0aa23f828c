import Foundation

/// Runs `modelspec` for a case and applies what every command owes any input:
/// no signal, no hang, an exit status the README promises (0, 1 or 2); and
/// `names --json`, a listing of variables that can be made (``ManifestOracle``).
struct CLIOracle {
    let log: FindingLog
    let fuzzCase: FuzzCase

    /// The result of `modelspec arguments` in the case's folder; a crash, hang or
    /// unexpected status is recorded in the log.
    @discardableResult
    func run(_ arguments: [String]) throws -> ProcessResult {
        let result = try Subprocess.run(Repo.modelspec, arguments, in: fuzzCase.folder)
        let command = "`\(arguments.first ?? "")`"
        var finding = Finding(kind: .crash, what: "", reproduction: Self.commandLine(arguments), detail: result.err)
        switch result.ending {
        case .signal:
            finding.what = "\(command) \(result.ending)" + (Self.crashSite(result.err).map { " at \($0)" } ?? "")
        case .timedOut:
            finding.kind = .hang
            finding.what = "\(command) \(result.ending)"
        case .exited(let status) where !(0...2).contains(status):
            finding.kind = .unexpectedExit
            finding.what = "\(command) \(result.ending)"
        case .exited(0) where arguments.first == "names" && arguments.contains("--json"):
            guard let problem = ManifestOracle.problem(inListing: result.out) else { return result }
            let parts = problem.split(separator: "|", maxSplits: 1).map(String.init)
            finding = Finding(kind: .silentAcceptance, what: parts[0], reproduction: finding.reproduction, detail: parts.last ?? "")
        case .exited:
            return result
        }
        log.record(finding, in: fuzzCase)
        return result
    }

    /// Runs the commands in turn while `goOn` says so of the last one's ending; never after a crash
    /// or a hang (one finding per case: the case's later commands would only repeat it).
    func runInTurn(_ commands: [[String]], while goOn: (Ending) -> Bool = { _ in true }) throws {
        for arguments in commands {
            let ending = try run(arguments).ending
            guard case .exited = ending, goOn(ending) else { return }
        }
    }

    /// `modelspec` and its arguments as a shell command line.
    static func commandLine(_ arguments: [String]) -> String {
        (["modelspec"] + arguments).map(shellQuoted).joined(separator: " ")
    }

    /// The first frame of the crash report in the project's sources with a line
    /// (`Sources/…/File.swift:123:4`; an inlined frame may have none), if any.
    static func crashSite(_ report: String) -> String? {
        let sites = report.split(separator: "\n").compactMap { line -> Substring? in
            guard let range = line.range(of: "/Sources/") else { return nil }
            let site = line[range.lowerBound...].dropFirst()
            return site.split(separator: " ").first ?? site
        }
        return (sites.first { $0.contains(".swift:") } ?? sites.first).map(String.init)
    }
}

func shellQuoted(_ word: String) -> String {
    word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:".contains($0) } ? word
        : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
