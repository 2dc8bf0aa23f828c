import CCRC32C

/// CRC-32C (Castagnoli), the checksum of TensorFlow's checkpoints and of
/// LevelDB tables: with the CPU's `crc32` instruction when it has one (x86-64
/// SSE4.2, AArch64 CRC; checked at run time, three interleaved streams, about
/// 10 GB/s), else with slicing-by-8 tables (about 2 GB/s).
///
/// TensorFlow stores checksums *masked* (``mask(_:)``): a rotated, offset form
/// that keeps a CRC of data that itself holds CRCs from being trivial.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// Eight tables of 256 entries, table `k` at `[k * 256 ..< (k + 1) * 256]`.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        extend(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        extend(0, bytes)
    }

    /// The CRC-32C of the concatenation of the data that gave `crc` and `bytes`.
    public static func extend<C: Collection>(_ crc: UInt32, _ bytes: C) -> UInt32
    where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ extend(crc, UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { extend(crc, $0) }
    }

    /// Whether the CPU's instruction computes the checksums.
    static let usesHardware = ccrc32c_hardware_available() != 0

    /// The CRC-32C of the concatenation of the data that gave `crc` and `bytes`.
    public static func extend(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard bytes.count > 0, let base = bytes.baseAddress else { return crc }
        if usesHardware { return ~ccrc32c_extend_hardware(~crc, base, bytes.count) }
        return extendPortable(crc, bytes)
    }

    /// ``extend(_:_:)`` with the tables only (the fallback, and the tests' reference).
    static func extendPortable(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { table -> UInt32 in
            guard let t = table.baseAddress else { return crc }
            var c = ~crc
            var count = bytes.count
            guard count > 0, var p = bytes.baseAddress else { return crc }
            // Single bytes until p is 8-byte aligned.
            while count > 0 && Int(bitPattern: p) & 7 != 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                count -= 1
            }
            // Eight bytes a step.
            while count >= 8 {
                let word = UInt64(littleEndian: p.load(as: UInt64.self))
                let lo = UInt32(truncatingIfNeeded: word) ^ c
                let hi = UInt32(truncatingIfNeeded: word >> 32)
                c = t[7 * 256 + Int(lo & 0xFF)]
                    ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)]
                    ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)]
                    ^ t[Int(hi >> 24)]
                p += 8
                count -= 8
            }
            while count > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                count -= 1
            }
            return ~c
        }
    }

    static let maskDelta: UInt32 = 0xA282_EAD8

    /// The masked form TensorFlow and LevelDB store.
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }

    /// The inverse of ``mask(_:)``.
    public static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- maskDelta
        return (rotated >> 17) | (rotated << 15)
    }
}
