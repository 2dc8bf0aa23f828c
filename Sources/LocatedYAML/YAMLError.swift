/// An error in a YAML source, with the location it concerns.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
    /// Extra context, such as libyaml's "while parsing a block mapping" with
    /// the place where that mapping started.
    public struct Note: Sendable {
        public var location: SourceLocation
        public var message: String

        public init(location: SourceLocation, message: String) {
            self.location = location
            self.message = message
        }
    }

    public var location: SourceLocation
    public var message: String
    public var notes: [Note]
    /// Whether the file could not be read as text at all (missing, a directory,
    /// not a regular file, no permission, not UTF-8), rather than read and found wrong.
    public var unreadable: Bool

    public init(location: SourceLocation, message: String, notes: [Note] = [], unreadable: Bool = false) {
        self.location = location
        self.message = message
        self.notes = notes
        self.unreadable = unreadable
    }

    /// `file:line:column: error: message`. When the error has no position in
    /// the text (line 0, e.g. a file that cannot be read) the form is
    /// `file: error: message`, as compilers print it.
    public var description: String {
        "\(Self.prefix(location)) error: \(message)"
    }

    /// The description followed by one `file:line:column: note: …` line per note.
    public var fullDescription: String {
        ([description] + notes.map { "\(Self.prefix($0.location)) note: \($0.message)" })
            .joined(separator: "\n")
    }

    private static func prefix(_ location: SourceLocation) -> String {
        location.line > 0 ? "\(location):" : "\(location.file):"
    }
}
