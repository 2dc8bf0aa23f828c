import Foundation
import Testing

/// What an oracle found wrong with one case.
struct Finding {
    enum Kind: String {
        case crash = "crash"
        case hang = "hang"
        case unexpectedExit = "unexpected exit status"
        case silentAcceptance = "bad or damaged input accepted"
        case wrongResult = "wrong result without an error"
        case destroyedInput = "user file destroyed"
        case uncompilableSwift = "generated Swift does not compile"
        case harness = "the case could not be set up"
    }

    var kind: Kind
    /// What failed, in words that group equal failures (`names`: killed by signal 4).
    var what: String
    /// The command or call that shows it, with the case's paths.
    var reproduction: String
    /// More: the child's error output, a differing value.
    var detail: String = ""
}

/// The failures of one fuzz test: each case's inputs saved, one issue per kind
/// of failure (with its count and first case) so that a defect hit by many
/// cases is reported once.
final class FindingLog: @unchecked Sendable {
    // @unchecked: `groups` is only touched under `lock`.
    private let lock = NSLock()
    private var groups: [(key: String, count: Int, first: String)] = []

    /// Records `finding` on `fuzzCase`: saves its folder under the findings folder.
    func record(_ finding: Finding, in fuzzCase: FuzzCase) {
        let saved = fuzzCase.savedFolder
        try? FileManager.default.removeItem(atPath: saved)
        try? FileManager.default.createDirectory(
            atPath: (saved as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        Self.copyFiles(from: fuzzCase.folder, to: saved)
        let detail = finding.detail.split(separator: "\n").prefix(6).joined(separator: "\n    ")
        let message = """
            \(finding.kind.rawValue): \(finding.what)
              case \(fuzzCase.id) (\(FuzzSettings.reproduction)); mutation: \(fuzzCase.mutation)
              reproduce: \(finding.reproduction.replacingOccurrences(of: fuzzCase.folder, with: saved))
              inputs saved in \(saved)\(detail.isEmpty ? "" : "\n    " + detail)
            """
        let key = "\(fuzzCase.family): \(finding.kind.rawValue): \(finding.what)"
        lock.lock()
        defer { lock.unlock() }
        if let i = groups.firstIndex(where: { $0.key == key }) {
            groups[i].count += 1
        } else {
            groups.append((key, 1, message))
        }
    }

    /// Copies the regular files and folders under `source` (a FIFO would block a copy).
    static func copyFiles(from source: String, to target: String) {
        let manager = FileManager.default
        try? manager.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in (try? manager.contentsOfDirectory(atPath: source)) ?? [] {
            let from = source + "/" + name, to = target + "/" + name
            switch (try? manager.attributesOfItem(atPath: from))?[.type] as? FileAttributeType {
            case .typeDirectory?: copyFiles(from: from, to: to)
            case .typeRegular?: try? manager.copyItem(atPath: from, toPath: to)
            default: break
            }
        }
    }

    /// One issue per kind of failure found.
    func report(sourceLocation: SourceLocation = #_sourceLocation) {
        lock.lock()
        defer { lock.unlock() }
        for group in groups {
            Issue.record("\(group.count) case(s): \(group.key)\nfirst:\n\(group.first)", sourceLocation: sourceLocation)
        }
    }

    var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return groups.isEmpty
    }
}
