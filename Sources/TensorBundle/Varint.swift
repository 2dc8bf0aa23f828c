/// Little-endian fixed-width integers and LevelDB/protobuf varints, read with
/// bounds checks (a read past the end returns nil, never traps) and written
/// into byte arrays.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    /// A varint of at most 10 bytes that fits in 64 bits.
    mutating func varint64() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while shift <= 63 {
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { return nil }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }

    /// A varint of at most 5 bytes that fits in 32 bits.
    mutating func varint32() -> UInt32? {
        let start = position
        guard let v = varint64(), v <= UInt64(UInt32.max), position - start <= 5 else {
            return nil
        }
        return UInt32(v)
    }

    /// A varint that fits in a non-negative `Int`.
    mutating func varintInt() -> Int? {
        guard let v = varint64(), v <= UInt64(Int.max) else { return nil }
        return Int(v)
    }

    mutating func fixed32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        let v = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    mutating func fixed64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        let v = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: v)
    }

    /// The next `count` bytes, or nil when fewer remain.
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        position += count
        return slice
    }
}

extension Array where Element == UInt8 {
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    mutating func appendVarint(_ value: Int) {
        appendVarint(UInt64(value))
    }

    mutating func appendFixed32(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendFixed64(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
