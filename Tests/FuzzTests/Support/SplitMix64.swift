/// A small deterministic random number generator (SplitMix64): a case made
/// from a seed is made the same way on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    /// The generator of one case: the run's seed, the family of cases, the case's number.
    init(seed: UInt64, family: String, index: Int) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the family's name
        for byte in family.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = seed ^ h ^ (UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
