import Testing

@testable import TensorBundle

@Suite struct CRC32CTests {
    @Test func knownValues() {
        // RFC 3720 (iSCSI) test vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32) as [UInt8]) == 0x46DD_794E)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func extendEqualsWhole() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let a = CRC32C.checksum(data[..<split])
            #expect(CRC32C.extend(a, data[split...]) == whole)
        }
        // Unaligned starts take the byte-at-a-time head.
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                let part = UnsafeRawBufferPointer(rebasing: raw[start...])
                #expect(CRC32C.checksum(part) == CRC32C.checksum(Array(data[start...])))
            }
        }
    }

    /// The CPU's instruction (three interleaved streams over blocks of 8,184
    /// bytes) gives the tables' checksum at every length, start and initial CRC.
    @Test func hardwareMatchesTables() {
        var state: UInt64 = 12345
        let data = (0..<50_000).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        data.withUnsafeBytes { raw in
            for start in [0, 1, 3, 8] {
                for length in [0, 1, 7, 8, 63, 1000, 8183, 8184, 8185, 16_368, 24_555, 49_000] {
                    let part = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    for initial: UInt32 in [0, 0xE306_9283] {
                        #expect(CRC32C.extend(initial, part) == CRC32C.extendPortable(initial, part),
                                "start \(start), length \(length), hardware \(CRC32C.usesHardware)")
                    }
                }
            }
        }
    }

    @Test func maskRoundTrips() {
        for v: UInt32 in [0, 1, 0xDEAD_BEEF, 0xFFFF_FFFF] {
            #expect(CRC32C.unmask(CRC32C.mask(v)) == v)
            #expect(CRC32C.mask(v) != v)
        }
    }
}
