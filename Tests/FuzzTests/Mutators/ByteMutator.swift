/// Random edits of a file's bytes: bit flips, values at the edges of their
/// range, insertions, deletions, truncation.
enum ByteMutator {
    /// 1 to 3 random edits of `bytes`, and what they were.
    static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> (bytes: [UInt8], description: String) {
        var bytes = bytes
        var done: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                let bit = Int.random(in: 0..<8, using: &rng)
                bytes[at] ^= UInt8(1 << bit)
                done.append("flip bit \(bit) of byte \(at)")
            case 1:
                let value = UInt8.random(in: 0...255, using: &rng)
                bytes[at] = value
                done.append("byte \(at) = \(value)")
            case 2:
                bytes.removeSubrange(at...)
                done.append("truncate to \(at) bytes")
            case 3:
                let value = UInt8.random(in: 0...255, using: &rng)
                bytes.insert(value, at: at)
                done.append("insert \(value) at \(at)")
            case 4:
                bytes.remove(at: at)
                done.append("delete byte \(at)")
            default:
                let run = min(Int.random(in: 1...8, using: &rng), bytes.count - at)
                let value: UInt8 = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &rng)]
                for i in at..<(at + run) { bytes[i] = value }
                done.append("bytes \(at)..<\(at + run) = \(value)")
            }
        }
        return (bytes, done.joined(separator: ", "))
    }

    /// One bit flipped at a random position of `range`.
    static func flipBit(in range: Range<Int>, of bytes: [UInt8], using rng: inout SplitMix64) -> (bytes: [UInt8], description: String) {
        var bytes = bytes
        let at = Int.random(in: range, using: &rng), bit = Int.random(in: 0..<8, using: &rng)
        bytes[at] ^= UInt8(1 << bit)
        return (bytes, "flip bit \(bit) of byte \(at)")
    }
}
