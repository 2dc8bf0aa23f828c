// Parsing with libyaml's event API into located nodes.

import CYAML

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum YAMLParser {
    /// Nesting deeper than this is an error (the tree and its consumers are
    /// recursive; libyaml 0.2.5 sets no limit of its own).
    public static let maximumDepth = 512

    /// More nodes than this after expanding every alias is an error (guards
    /// consumers against "billion laughs" documents).
    public static let maximumExpandedNodes = 1_000_000

    /// Parses text holding exactly one YAML document. An empty stream (or one
    /// with only comments) gives a null scalar at line 1, column 1.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> YAMLNode {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Parses raw bytes (UTF-8, or UTF-16 with a byte order mark). Malformed
    /// UTF-8 is reported as an error at the offending character.
    public static func parse(bytes: [UInt8], file: String) throws(YAMLError) -> YAMLNode {
        try EventParser(bytes: bytes, file: file).run()
    }

    /// Reads and parses the file at `path`; locations name the file as `path`.
    /// A file that cannot be read (missing, a directory, a FIFO, no permission)
    /// gives an error at line 0, column 0 whose `unreadable` is true.
    public static func parse(contentsOf path: String) throws(YAMLError) -> YAMLNode {
        try parse(bytes: YAMLFile.contents(of: path), file: path)
    }
}

// MARK: - The event loop

/// Owns one libyaml parser and the tree under construction.
private struct EventParser {
    let bytes: [UInt8]
    let file: String

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var location: SourceLocation
        var tag: String?
        var anchor: String?
        /// `expanded` when the collection started (to weigh anchored nodes).
        var expandedAtStart: Int
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var pendingKey: YAMLNode?
        /// Scalar-text (or structural) identity of each key seen, with its location.
        var seenKeys: [KeyIdentity: SourceLocation] = [:]
    }

    private struct Anchored {
        var node: YAMLNode
        var weight: Int
    }

    func run() throws(YAMLError) -> YAMLNode {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(location: location(line: 0, column: 0),
                            message: "out of memory while creating the YAML parser")
        }
        defer { yaml_parser_delete(parser) }

        // libyaml reads from this buffer lazily, so it must outlive the loop.
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer { input.deallocate() }
        _ = input.initialize(from: bytes)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)

        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }

        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var inProgressAnchors: Set<String> = []
        var expanded = 0
        var root: YAMLNode?
        var documents = 0

        // Hands a finished node to its parent (or makes it the root).
        func emit(_ node: YAMLNode) throws(YAMLError) {
            guard !stack.isEmpty else {
                root = node
                return
            }
            let top = stack.count - 1
            switch stack[top].kind {
            case .sequence:
                stack[top].items.append(node)
            case .mapping:
                if let key = stack[top].pendingKey {
                    stack[top].entries.append(YAMLMappingEntry(key: key, value: node))
                    stack[top].pendingKey = nil
                } else {
                    let identity = KeyIdentity(node)
                    if let first = stack[top].seenKeys[identity] {
                        throw YAMLError(
                            location: node.location,
                            message: "duplicate key \(KeyIdentity.display(node)) (first at line \(first.line))",
                            notes: [YAMLError.Note(location: first, message: "first occurrence is here")])
                    }
                    stack[top].seenKeys[identity] = node.location
                    stack[top].pendingKey = node
                }
            }
        }

        func count(_ weight: Int, at site: SourceLocation) throws(YAMLError) {
            expanded += weight
            if expanded > YAMLParser.maximumExpandedNodes {
                throw YAMLError(
                    location: site,
                    message: "too many nodes after expanding aliases (more than \(YAMLParser.maximumExpandedNodes))")
            }
        }

        func remember(_ anchor: String?, _ node: YAMLNode, weight: Int) {
            guard let anchor else { return }
            inProgressAnchors.remove(anchor)
            anchors[anchor] = Anchored(node: node, weight: weight)
        }

        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                throw parserError(parser.pointee)
            }
            defer { yaml_event_delete(event) }
            let e = event.pointee
            let start = location(e.start_mark)

            switch e.type {
            case YAML_STREAM_START_EVENT:
                break

            case YAML_STREAM_END_EVENT:
                return root ?? YAMLNode(
                    content: .scalar(YAMLScalar(text: "", style: .plain, isNull: true)),
                    location: location(line: 1, column: 1))

            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLError(
                        location: start,
                        message: "expected a single YAML document, found another document",
                        notes: root.map { [YAMLError.Note(location: $0.location, message: "the first document starts here")] } ?? [])
                }
                anchors = [:]

            case YAML_DOCUMENT_END_EVENT:
                break

            case YAML_ALIAS_EVENT:
                let name = Self.string(e.data.alias.anchor)
                if inProgressAnchors.contains(name) {
                    throw YAMLError(location: start,
                                    message: "alias '*\(name)' refers to a node that contains it (recursive aliases are not supported)")
                }
                guard let target = anchors[name] else {
                    throw YAMLError(location: start, message: "undefined alias '*\(name)'")
                }
                try count(target.weight, at: start)
                var node = target.node
                node.location = start
                try emit(node)

            case YAML_SCALAR_EVENT:
                let s = e.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let tag = s.tag.map { Self.string($0) }
                let style: YAMLScalar.Style
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                let isNull: Bool
                switch tag {
                case nil: isNull = style == .plain && CoreSchema.isNull(text)
                case CoreSchema.nullTag: isNull = true
                default: isNull = false
                }
                let node = YAMLNode(content: .scalar(YAMLScalar(text: text, style: style, isNull: isNull)),
                                    location: start, tag: tag)
                try count(1, at: start)
                remember(s.anchor.map { Self.string($0) }, node, weight: 1)
                try emit(node)

            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = e.type == YAML_MAPPING_START_EVENT
                let anchorPointer = isMapping ? e.data.mapping_start.anchor : e.data.sequence_start.anchor
                let tagPointer = isMapping ? e.data.mapping_start.tag : e.data.sequence_start.tag
                if stack.count >= YAMLParser.maximumDepth {
                    throw YAMLError(location: start,
                                    message: "nesting too deep (more than \(YAMLParser.maximumDepth) levels)")
                }
                try count(1, at: start)
                let anchor = anchorPointer.map { Self.string($0) }
                if let anchor { inProgressAnchors.insert(anchor) }
                stack.append(Frame(kind: isMapping ? .mapping : .sequence,
                                   location: start,
                                   tag: tagPointer.map { Self.string($0) },
                                   anchor: anchor,
                                   expandedAtStart: expanded - 1))

            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                let content: YAMLNode.Content = frame.kind == .mapping
                    ? .mapping(frame.entries) : .sequence(frame.items)
                let node = YAMLNode(content: content, location: frame.location, tag: frame.tag)
                remember(frame.anchor, node, weight: expanded - frame.expandedAtStart)
                try emit(node)

            default:
                break
            }
        }
    }

    // MARK: Helpers

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private func parserError(_ p: yaml_parser_t) -> YAMLError {
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        switch p.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(location: location(line: 0, column: 0), message: "out of memory while parsing YAML")
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset, not a mark.
            var message = problem
            if p.problem_value != -1 {
                let value = UInt32(bitPattern: p.problem_value)
                message += problem.contains("octet")
                    ? " (byte 0x\(Self.hex(value, digits: 2)))"
                    : " (U+\(Self.hex(value, digits: 4)))"
            }
            // Bytes that are not UTF-8 (or UTF-16): the file cannot be read as text at all.
            let encoding = ["UTF-8", "UTF-16", "octet", "surrogate"].contains { problem.contains($0) }
            return YAMLError(location: locationOfByte(Int(p.problem_offset)),
                             message: encoding ? "the file is not UTF-8 (or UTF-16) text: \(message)" : message,
                             unreadable: encoding)
        default:
            var notes: [YAMLError.Note] = []
            if let context = p.context {
                notes.append(YAMLError.Note(location: location(p.context_mark), message: String(cString: context)))
            }
            return YAMLError(location: location(p.problem_mark), message: problem, notes: notes)
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let s = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// Line and column (in characters, as libyaml counts) of a byte offset
    /// into UTF-8 input. A leading byte order mark is not counted.
    private func locationOfByte(_ offset: Int) -> SourceLocation {
        var line = 1
        var column = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 && b != 0x0D {
                column += 1
            }
            i += 1
        }
        return location(line: line, column: column)
    }
}

// MARK: - Key identity for duplicate detection

/// Keys are compared by scalar text (so `units`, `'units'` and `"units"` are
/// the same key) and, for collection keys, structurally. All null keys are equal.
private indirect enum KeyIdentity: Hashable {
    case null
    case scalar(String)
    case sequence([KeyIdentity])
    case mapping([KeyIdentity])

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let s):
            self = s.isNull ? .null : .scalar(s.text)
        case .sequence(let items):
            self = .sequence(items.map(KeyIdentity.init))
        case .mapping(let entries):
            self = .mapping(entries.flatMap { [KeyIdentity($0.key), KeyIdentity($0.value)] })
        }
    }

    static func display(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let s): return s.isNull ? "null" : "'\(s.text)'"
        case .sequence: return "(a sequence)"
        case .mapping: return "(a mapping)"
        }
    }
}
