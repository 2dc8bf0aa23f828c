// The located YAML tree: nodes that remember where in the source they start.

/// A position in a source file. `line` and `column` are 1-based; `column`
/// counts characters (Unicode scalars), as libyaml does. A location that does
/// not point into the text (a file that cannot be read, say) has line 0 and
/// column 0.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A scalar as written: its text after YAML unescaping/folding, and its style.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style
    /// True for an untagged plain `~`, `null`, `Null`, `NULL` or empty scalar
    /// (YAML 1.2 core schema), and for any scalar tagged `!!null`.
    public var isNull: Bool

    public init(text: String, style: Style, isNull: Bool) {
        self.text = text
        self.style = style
        self.isNull = isNull
    }

    /// Creates a scalar, computing `isNull` by the core schema (untagged).
    public init(text: String, style: Style = .plain) {
        self.init(text: text, style: style,
                  isNull: style == .plain && CoreSchema.isNull(text))
    }

    /// The integer value of a plain scalar (`[-+]?[0-9]+`, `0x…`, `0o…`);
    /// nil for quoted or block scalars, other text, or overflow.
    public var int: Int? { style == .plain ? CoreSchema.int(text) : nil }

    /// The floating-point value of a plain scalar: integer forms, decimals
    /// with optional exponent, `.inf`/`-.inf`/`.nan` (and their capitalised
    /// variants); nil for quoted or block scalars and other text.
    public var double: Double? { style == .plain ? CoreSchema.double(text) : nil }

    /// `true`/`True`/`TRUE` or `false`/`False`/`FALSE` of a plain scalar.
    public var bool: Bool? { style == .plain ? CoreSchema.bool(text) : nil }
}

/// One `key: value` pair of a mapping. Mapping entries keep source order.
public struct YAMLMappingEntry: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A node of the document with the location where it starts.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    public var content: Content
    /// Where the node starts (its anchor or tag if it has one). For an alias,
    /// the location of the `*alias` itself; the nodes inside keep the
    /// locations of the anchored text.
    public var location: SourceLocation
    /// The explicit tag, as resolved by libyaml (`!!str` is
    /// `tag:yaml.org,2002:str`, a bare `!` is `!`); nil when untagged.
    public var tag: String?

    public init(content: Content, location: SourceLocation, tag: String? = nil) {
        self.content = content
        self.location = location
        self.tag = tag
    }
}

// MARK: - Convenience accessors

extension YAMLNode {
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// True for a null scalar (see `YAMLScalar.isNull`).
    public var isNull: Bool { scalar?.isNull ?? false }

    /// The text of a scalar that is not null (any style; `3` gives "3").
    public var string: String? {
        guard let s = scalar, !s.isNull else { return nil }
        return s.text
    }

    /// The entry of a mapping whose key is a scalar with this text; nil if
    /// the node is not a mapping or has no such key.
    public func entry(_ key: String) -> YAMLMappingEntry? {
        mapping?.first { $0.key.scalar?.text == key }
    }

    /// The value for a scalar key with this text, when the node is a mapping.
    public subscript(key: String) -> YAMLNode? { entry(key)?.value }

    /// "a mapping", "a sequence", "a string" or "null", for messages such as
    /// "expected a mapping, found a sequence".
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar(let s): return s.isNull ? "null" : "a string"
        }
    }

    /// Integer value under the YAML 1.2 core schema: an untagged plain scalar,
    /// or any scalar tagged `!!int`. Quoted scalars are strings.
    public var int: Int? {
        guard let s = scalar else { return nil }
        switch tag {
        case nil: return s.int
        case CoreSchema.intTag: return CoreSchema.int(s.text)
        default: return nil
        }
    }

    /// Floating-point value under the core schema (integers included): an
    /// untagged plain scalar, or a scalar tagged `!!float` or `!!int`.
    public var double: Double? {
        guard let s = scalar else { return nil }
        switch tag {
        case nil: return s.double
        case CoreSchema.floatTag, CoreSchema.intTag: return CoreSchema.double(s.text)
        default: return nil
        }
    }

    /// Boolean value under the core schema: an untagged plain scalar, or a
    /// scalar tagged `!!bool`.
    public var bool: Bool? {
        guard let s = scalar else { return nil }
        switch tag {
        case nil: return s.bool
        case CoreSchema.boolTag: return CoreSchema.bool(s.text)
        default: return nil
        }
    }
}

// MARK: - YAML 1.2 core schema

enum CoreSchema {
    static let nullTag = "tag:yaml.org,2002:null"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"

    static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isOctal(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }
    private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
    static func int(_ text: String) -> Int? {
        let u = Array(text.utf8)
        if u.count > 2, u[0] == 0x30 {
            let digits = String(decoding: u[2...], as: UTF8.self)
            if u[1] == 0x78 /* x */ {
                return u[2...].allSatisfy(isHex) ? Int(digits, radix: 16) : nil
            }
            if u[1] == 0x6F /* o */ {
                return u[2...].allSatisfy(isOctal) ? Int(digits, radix: 8) : nil
            }
        }
        var body = u[...]
        if let first = body.first, first == 0x2B || first == 0x2D { body = body.dropFirst() }
        guard !body.isEmpty, body.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// Core-schema floats plus the integer forms.
    static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if let i = int(text) {
            // Hex and octal go through Int; decimal text converts directly so
            // that the nearest Double is chosen.
            return text.utf8.contains(where: { $0 == 0x78 || $0 == 0x6F }) ? Double(i) : Double(text)
        }
        // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?
        let u = Array(text.utf8)
        var i = 0
        var sign = ""
        if i < u.count, u[i] == 0x2B || u[i] == 0x2D { sign = u[i] == 0x2D ? "-" : ""; i += 1 }
        var intPart = ""
        while i < u.count, isDigit(u[i]) { intPart.append(Character(UnicodeScalar(u[i]))); i += 1 }
        var fracPart = ""
        var sawDot = false
        if i < u.count, u[i] == 0x2E {
            sawDot = true
            i += 1
            while i < u.count, isDigit(u[i]) { fracPart.append(Character(UnicodeScalar(u[i]))); i += 1 }
        }
        if intPart.isEmpty && (fracPart.isEmpty || !sawDot) { return nil }
        var exponent = ""
        if i < u.count, u[i] == 0x65 || u[i] == 0x45 {
            i += 1
            if i < u.count, u[i] == 0x2B || u[i] == 0x2D {
                if u[i] == 0x2D { exponent.append("-") }
                i += 1
            }
            let start = exponent.count
            while i < u.count, isDigit(u[i]) { exponent.append(Character(UnicodeScalar(u[i]))); i += 1 }
            if exponent.count == start { return nil }
        }
        guard i == u.count else { return nil }
        let normalized = sign + (intPart.isEmpty ? "0" : intPart) + "." + (fracPart.isEmpty ? "0" : fracPart)
            + (exponent.isEmpty ? "" : "e" + exponent)
        return Double(normalized)
    }
}
