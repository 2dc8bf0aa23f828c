import LocatedYAML

/// A message about a spec, pointing at the place in the YAML it is about.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `path:line:column: error: message`, as compilers print them; `path: error: message`
    /// for what concerns the whole file (line 0: a file that cannot be read).
    public var description: String {
        let place = location.line > 0 ? location.description : location.file
        return "\(place): \(severity.rawValue): \(message)"
    }
}

/// An error that stops a stage; it carries every diagnostic found so far.
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects the diagnostics of one stage.
public struct Diagnostics: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    public mutating func error(_ location: SourceLocation, _ message: String) {
        all.append(Diagnostic(.error, at: location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        all.append(Diagnostic(.warning, at: location, message))
    }

    public mutating func note(_ location: SourceLocation, _ message: String) {
        all.append(Diagnostic(.note, at: location, message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        all.append(contentsOf: other)
    }
}
