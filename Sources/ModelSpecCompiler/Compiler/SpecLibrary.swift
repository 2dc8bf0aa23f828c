import Foundation
import LocatedYAML

/// The specs of one folder: a spec may use another's model as a layer by its
/// type name. Specs are parsed and checked on demand, once each.
public final class SpecLibrary {
    /// The folders searched for other specs.
    public let directories: [String]
    private var filesByModel: [String: String]?
    private var checked: [String: Result<ModelDescription, SpecError>] = [:]
    /// Models being checked now, to find a spec that uses itself.
    private var inProgress: [String] = []
    /// The spec files that could not be read as text (missing, not a regular file, no permission, not UTF-8).
    public private(set) var unreadableFiles: Set<String> = []
    /// How deep specs may use each other as layers while they are checked.
    public var maximumNestingDepth = ExpansionLimits().maximumNestingDepth

    public init(directories: [String]) {
        self.directories = directories
    }

    /// A library over the folder that holds `file`.
    public convenience init(containing file: String) {
        self.init(directories: [Self.folder(of: file)])
    }

    /// The folder part of a path: `specs` for `specs/A.yaml`, `.` for `A.yaml`, `/` for `/A.yaml`.
    /// (Foundation's `deletingLastPathComponent` traps on a one-character path such as `d`.)
    static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let folder = trimmed[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// Parses and checks one spec file.
    public func check(file: String) -> (model: ModelDescription?, diagnostics: [Diagnostic]) {
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(contentsOf: file)
        } catch {
            if error.unreadable { unreadableFiles.insert(file) }
            let notes = error.notes.map { Diagnostic(.note, at: $0.location, $0.message) }
            return (nil, [Diagnostic(.error, at: error.location, error.message)] + notes)
        }
        let modelName = root["model"]?.scalar?.text
        if let modelName { inProgress.append(modelName) }
        defer { if modelName != nil { inProgress.removeLast() } }
        var checker = SpecChecker(resolveModel: { [unowned self] name, location in
            self.resolve(name, from: location)
        })
        let model = checker.check(root)
        return (model, checker.reader.diagnostics.all)
    }

    /// The checked model of another spec in the library, by its type name.
    public func model(named name: String) -> ModelDescription? {
        if case let .success(model)? = checked[name] { return model }
        return nil
    }

    private func resolve(_ name: String, from location: SourceLocation) -> SpecChecker.ModelLookup {
        if inProgress.contains(name) {
            let chain = (inProgress.drop(while: { $0 != name }) + [name]).joined(separator: " -> ")
            reportLater(Diagnostic(.error, at: location, "spec '\(name)' uses itself (\(chain)); a model cannot contain itself"), for: location.file)
            return .failed
        }
        if let result = checked[name] {
            return (try? result.get()).map { .found($0) } ?? .failed
        }
        guard let file = index()[name] else { return .notFound }
        guard inProgress.count < maximumNestingDepth else {
            reportLater(Diagnostic(.error, at: location, "specs used as layers nest more than \(maximumNestingDepth) deep here (\(inProgress[0]) -> ... -> \(inProgress[inProgress.count - 1]) -> \(name)); nest them less deep"), for: location.file)
            return .failed
        }
        let (model, diagnostics) = check(file: file)
        if let model {
            checked[name] = .success(model)
        } else {
            checked[name] = .failure(SpecError(diagnostics))
            reportLater(Diagnostic(.error, at: location, "model '\(name)' (\(file)) has errors"), for: location.file)
            // Its errors, as notes, so that checking this spec alone shows what to fix there.
            for diagnostic in diagnostics where diagnostic.severity == .error {
                reportLater(Diagnostic(.note, at: diagnostic.location, diagnostic.message), for: location.file)
            }
        }
        return model.map { .found($0) } ?? .failed
    }

    /// Diagnostics found while resolving references, to be added to the referring file's.
    private var pending: [Diagnostic] = []

    private func reportLater(_ diagnostic: Diagnostic, for file: String) {
        pending.append(diagnostic)
    }

    /// Takes the diagnostics found while resolving references.
    func takePending() -> [Diagnostic] {
        defer { pending = [] }
        return pending
    }

    /// Model type name -> spec file, for every spec (`SpecFile`) in the folders.
    private func index() -> [String: String] {
        if let filesByModel { return filesByModel }
        var map: [String: String] = [:]
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = directory == "." ? name : directory + "/" + name
                // A FIFO or device named *.yaml would block the read or never end.
                guard YAMLFile.isRegularFile(path), SpecFile.isSpec(atPath: path) else { continue }
                guard let root = try? YAMLParser.parse(contentsOf: path),
                      let model = root["model"]?.scalar?.text, map[model] == nil else { continue }
                map[model] = path
            }
        }
        filesByModel = map
        return map
    }
}
