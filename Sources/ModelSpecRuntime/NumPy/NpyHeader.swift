/// The header of a `.npy` file (format version 1.0, 2.0 or 3.0 on reading,
/// 1.0 on writing): the dtype, the order and the shape.
///
/// The header is a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NpyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Parses the header at the start of `bytes`; returns it and the offset of the data.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> (NpyHeader, Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NpyError(reason: "not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6], minor = bytes[7]
        let headerLength: Int, start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NpyError(reason: "truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            start = 12
        default:
            throw NpyError(reason: "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        guard minor == 0 else {
            throw NpyError(reason: "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        guard bytes.count >= start + headerLength else { throw NpyError(reason: "truncated .npy header") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + headerLength)]),
                          as: UTF8.self)
        return (try parseDict(text), start + headerLength)
    }

    /// Parses the dict literal (keys in any order, trailing comma and spaces allowed).
    static func parseDict(_ text: String) throws -> NpyHeader {
        var scanner = Scanner(Array(text.utf8))
        func bad(_ what: String) -> NpyError { NpyError(reason: "malformed .npy header (\(what)): \(text)") }
        var descr: String?, fortran: Bool?, shape: [Int]?
        scanner.skipSpaces()
        guard scanner.eat("{") else { throw bad("expected '{'") }
        while true {
            scanner.skipSpaces()
            if scanner.eat("}") { break }
            guard let key = scanner.quoted() else { throw bad("expected a quoted key") }
            scanner.skipSpaces()
            guard scanner.eat(":") else { throw bad("expected ':'") }
            scanner.skipSpaces()
            switch key {
            case "descr":
                guard let d = scanner.quoted() else { throw bad("descr is not a string") }
                descr = d
            case "fortran_order":
                if scanner.eatWord("True") { fortran = true } else if scanner.eatWord("False") { fortran = false } else {
                    throw bad("fortran_order is not True or False")
                }
            case "shape":
                guard scanner.eat("(") else { throw bad("shape is not a tuple") }
                var dims: [Int] = []
                while true {
                    scanner.skipSpaces()
                    if scanner.eat(")") { break }
                    guard let d = scanner.integer() else {
                        throw bad(scanner.atDigit ? "a shape entry is larger than \(Int.max)" : "shape has a non-integer entry")
                    }
                    dims.append(d)
                    scanner.skipSpaces()
                    if scanner.eat(",") { continue }
                    guard scanner.eat(")") else { throw bad("expected ',' or ')' in shape") }
                    break
                }
                shape = dims
            default:
                throw bad("unknown key '\(key)'")
            }
            scanner.skipSpaces()
            if scanner.eat(",") { continue }
            scanner.skipSpaces()
            guard scanner.eat("}") else { throw bad("expected ',' or '}'") }
            break
        }
        guard let descr, let fortran, let shape else { throw bad("descr, fortran_order and shape are required") }
        return NpyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    /// The complete version 1.0 preamble: magic, version, length and the dict
    /// padded with spaces and a newline to a multiple of 64 bytes.
    func encoded() throws -> [UInt8] {
        let dims = shape.map(String.init)
        let tuple = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(tuple), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dict.utf8.count
        guard length <= Int(UInt16.max) else {
            throw NpyError(reason: "header too long for .npy format 1.0 (\(length) bytes)")
        }
        return NpyHeader.magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }
}

/// A tiny scanner over the header's bytes.
private struct Scanner {
    let bytes: [UInt8]
    var i = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpaces() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 { i += 1 }
    }
    mutating func eat(_ c: Character) -> Bool {
        guard i < bytes.count, bytes[i] == c.asciiValue! else { return false }
        i += 1
        return true
    }
    mutating func eatWord(_ w: String) -> Bool {
        let u = Array(w.utf8)
        guard i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u else { return false }
        i += u.count
        return true
    }
    mutating func quoted() -> String? {
        guard i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 else { return nil }
        let q = bytes[i]
        var j = i + 1
        while j < bytes.count, bytes[j] != q { j += 1 }
        guard j < bytes.count else { return nil }
        let s = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
        i = j + 1
        return s
    }
    var atDigit: Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
    mutating func integer() -> Int? {
        var j = i
        while j < bytes.count, bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
        // Python 2 era files may write long integers as `3L`.
        guard j > i, let v = Int(String(decoding: bytes[i..<j], as: UTF8.self)) else { return nil }
        i = j
        if i < bytes.count, bytes[i] == 0x4C { i += 1 }
        return v
    }
}
