/// TensorFlow's counter-based generator, Philox-4x32-10
/// (`tsl/lib/random/philox_random.h`): a 64-bit key and a 128-bit counter;
/// each call gives four 32-bit values and advances the counter by one.
public struct Philox: Sendable, Equatable {
    public var key: (UInt32, UInt32)
    public var counter: (UInt32, UInt32, UInt32, UInt32)

    /// `PhiloxRandom(seed_lo, seed_hi)`: the key from `seed`, the counter's
    /// high half from `seed2` (how TensorFlow's stateful random ops seed it).
    public init(seed: UInt64, seed2: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        counter = (0, 0, UInt32(truncatingIfNeeded: seed2), UInt32(truncatingIfNeeded: seed2 >> 32))
    }

    public static func == (a: Philox, b: Philox) -> Bool {
        a.key == b.key && a.counter == b.counter
    }

    /// The next four values.
    public mutating func next() -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= 0x9E37_79B9
                k.1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
            c = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k.0, UInt32(truncatingIfNeeded: p1),
                 UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k.1, UInt32(truncatingIfNeeded: p0))
        }
        skip(1)
        return c
    }

    /// Advances the 128-bit counter by `count` (`PhiloxRandom::Skip`).
    public mutating func skip(_ count: UInt64) {
        let low = UInt32(truncatingIfNeeded: count)
        var high = UInt32(truncatingIfNeeded: count >> 32)
        let (c0, carry0) = counter.0.addingReportingOverflow(low)
        counter.0 = c0
        if carry0 { high &+= 1 }
        let (c1, carry1) = counter.1.addingReportingOverflow(high)
        counter.1 = c1
        if carry1 {
            counter.2 &+= 1
            if counter.2 == 0 { counter.3 &+= 1 }
        }
    }
}
