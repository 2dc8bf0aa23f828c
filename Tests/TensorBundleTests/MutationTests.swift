import Foundation
import Testing

@testable import TensorBundle

/// Seeded random mutations of good index files: the parser must never crash,
/// and must either refuse the file or return a listing that is valid (sorted,
/// non-negative shapes) and whose tensors read or fail cleanly.
@Suite struct MutationTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Recomputes the trailer CRC of every block the footer and index reach,
    /// where the handles still make sense, so that mutations get past the
    /// checksums to the block, entry and protobuf parsers.
    static func fixChecksums(_ bytes: inout [UInt8]) {
        guard bytes.count >= TableFormat.footerSize else { return }
        var handles: [BlockHandle] = []
        bytes.withUnsafeBytes { raw in
            var footer = ByteCursor(raw, position: raw.count - TableFormat.footerSize)
            guard let meta = BlockHandle.decode(&footer), let index = BlockHandle.decode(&footer) else { return }
            handles = [meta, index]
            let limit = raw.count - TableFormat.footerSize - TableFormat.blockTrailerSize
            guard index.offset >= 0, index.size >= 0, index.offset <= limit, index.size <= limit - index.offset else { return }
            let block = UnsafeRawBufferPointer(rebasing: raw[index.offset..<(index.offset + index.size)])
            guard let entries = try? BlockReader.entries(of: block, file: "", describe: "") else { return }
            for e in entries {
                e.value.withUnsafeBytes { v in
                    var c = ByteCursor(v)
                    if let h = BlockHandle.decode(&c) { handles.append(h) }
                }
            }
        }
        let limit = bytes.count - TableFormat.footerSize - TableFormat.blockTrailerSize
        for h in handles where h.offset >= 0 && h.size >= 0 && h.offset <= limit && h.size <= limit - h.offset {
            let end = h.offset + h.size
            let crc = CRC32C.extend(CRC32C.checksum(bytes[h.offset..<end]), [bytes[end]])
            var trailer: [UInt8] = []
            trailer.appendFixed32(CRC32C.mask(crc))
            bytes.replaceSubrange((end + 1)..<(end + 5), with: trailer)
        }
    }

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let edits = Int.random(in: 1...3, using: &rng)
        for _ in 0..<edits {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.removeSubrange(at...)  // truncation
            case 3: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            case 4: bytes.remove(at: at)
            default:
                let run = min(Int.random(in: 1...8, using: &rng), bytes.count - at)
                for i in at..<(at + run) { bytes[i] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &rng)] }
            }
        }
        // Most of the time, repair the checksums so deeper parsers are reached.
        if Int.random(in: 0..<4, using: &rng) != 0 { fixChecksums(&bytes) }
        return bytes
    }

    @Test(arguments: ["tf1_saver", "tf1_partitioned", "tf2_object", "writer_reference"])
    func randomMutationsNeverCrash(fixture: String) throws {
        let prefix = try Fixtures.prefix(fixture)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".index")))
        var rng = SplitMix64(state: 0x5EED_0000 &+ UInt64(fixture.utf8.count))
        var refused = 0
        var accepted = 0
        for _ in 0..<500 {
            let bytes = Self.mutate(original, &rng)
            let opened = bytes.withUnsafeBytes { try? Checkpoint(prefix: prefix, indexBytes: $0) }
            guard let checkpoint = opened else {
                refused += 1
                continue
            }
            accepted += 1
            let names = checkpoint.entries.map { Array($0.name.utf8) }
            for (a, b) in zip(names, names.dropFirst()) { #expect(a.lexicographicallyPrecedes(b)) }
            for entry in checkpoint.entries {
                #expect(entry.shape.allSatisfy { $0 >= 0 })
                // Reading must succeed or throw; never trap.
                if entry.dtype == .string {
                    _ = try? checkpoint.strings(named: entry.name)
                } else if entry.dtype.elementSize != nil {
                    _ = try? checkpoint.rawBytes(named: entry.name)
                    _ = try? checkpoint.floats(named: entry.name, converting: true)
                }
            }
        }
        #expect(refused + accepted == 500)
        #expect(refused > 0)
        print("mutations of \(fixture): \(refused) refused, \(accepted) accepted")
    }
}
