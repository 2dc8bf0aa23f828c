/// The table key under which TensorFlow stores one slice of a partitioned
/// tensor (`checkpoint::EncodeTensorNameSlice`): an order-preserving
/// ("OrderedCode") encoding of 0, the tensor's name, the number of
/// dimensions, then each dimension's start and length (-1: the whole
/// dimension). Every such key begins with byte 0, so slice keys sort before
/// tensor names and never show up in a listing.
enum SliceKey {
    static func encode(name: [UInt8], starts: [Int], lengths: [Int?]) -> [UInt8] {
        var out: [UInt8] = []
        appendNumIncreasing(&out, 0)
        appendString(&out, name)
        appendNumIncreasing(&out, UInt64(starts.count))
        for (start, length) in zip(starts, lengths) {
            appendSignedNumIncreasing(&out, Int64(start))
            appendSignedNumIncreasing(&out, Int64(length ?? -1))
        }
        return out
    }

    /// A length byte, then the value's big-endian bytes without leading zeros.
    static func appendNumIncreasing(_ out: inout [UInt8], _ value: UInt64) {
        var bytes: [UInt8] = []
        var v = value
        while v > 0 {
            bytes.insert(UInt8(truncatingIfNeeded: v), at: 0)
            v >>= 8
        }
        out.append(UInt8(bytes.count))
        out.append(contentsOf: bytes)
    }

    /// The bytes with 0x00 and 0xFF escaped, then the terminator 0x00 0x01.
    static func appendString(_ out: inout [UInt8], _ bytes: [UInt8]) {
        for b in bytes {
            switch b {
            case 0x00: out.append(contentsOf: [0x00, 0xFF])
            case 0xFF: out.append(contentsOf: [0xFF, 0x00])
            default: out.append(b)
            }
        }
        out.append(contentsOf: [0x00, 0x01])
    }

    /// High bits of the first two bytes that give the encoding's length.
    private static let lengthHeader: [(UInt8, UInt8)] = [
        (0, 0), (0x80, 0), (0xC0, 0), (0xE0, 0), (0xF0, 0), (0xF8, 0),
        (0xFC, 0), (0xFE, 0), (0xFF, 0), (0xFF, 0x80), (0xFF, 0xC0),
    ]

    /// Sign-extended big-endian bytes, as few as hold the value with a unary
    /// length header in the top bits (7 value bits per byte).
    static func appendSignedNumIncreasing(_ out: inout [UInt8], _ value: Int64) {
        let x = UInt64(bitPattern: value < 0 ? ~value : value)
        if x < 64 {
            out.append(0x80 ^ UInt8(truncatingIfNeeded: value))
            return
        }
        let bits = 64 - x.leadingZeroBitCount
        // 1..7 bits take 1 byte, 8..14 take 2, ..., each byte gives 7 bits.
        let length = min((bits + 7) / 7, 10)
        let sign: UInt8 = value < 0 ? 0xFF : 0x00
        var buffer: [UInt8] = [sign, sign]
        for shift in stride(from: 56, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> UInt64(shift)))
        }
        var encoded = Array(buffer[(10 - length)...])
        encoded[0] ^= lengthHeader[length].0
        encoded[1] ^= lengthHeader[length].1
        out.append(contentsOf: encoded)
    }
}
