/// Why a checkpoint could not be read or written.
///
/// Every error names the file it concerns and, where one applies, the tensor
/// entry; ``description`` reads `FILE: entry 'NAME': MESSAGE`.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Kind: String, Sendable, Equatable {
        /// A file (index, data shard, `checkpoint` state file) is missing or unreadable.
        case fileNotFound
        /// Reading or writing a file failed.
        case io
        /// The `.index` table is damaged: magic, block checksums, truncation, bad encoding.
        case corruptIndex
        /// The index's header says the bundle is of a kind this reader does not read.
        case unsupportedBundle
        /// An entry's metadata does not decode or is inconsistent.
        case corruptEntry
        /// A tensor's bytes are damaged: checksum mismatch, out of its shard's bounds.
        case corruptData
        /// No tensor has the requested name.
        case noSuchEntry
        /// The tensor's dtype is not the one asked for, or cannot be read this way.
        case dtypeMismatch
        /// The caller's arguments are wrong (writer: duplicate name, count vs shape).
        case invalidArgument
    }

    public var kind: Kind
    /// The file the problem is in (or the path given, when no file was found).
    public var file: String
    /// The tensor entry concerned, when there is one.
    public var entry: String?
    /// What went wrong, in words.
    public var message: String

    public init(_ kind: Kind, file: String, entry: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.entry = entry
        self.message = message
    }

    public var description: String {
        if let entry {
            return "\(file): entry '\(entry)': \(message)"
        }
        return "\(file): \(message)"
    }
}
