import Foundation
import SwiftProtobuf

@testable import TensorBundle

/// A checkpoint index decoded into its header and entries, changed, and
/// written back as a well-formed table: hostile contents behind valid checksums.
struct IndexRewriter {
    var header: Tensorflow_BundleHeaderProto
    var entries: [(key: [UInt8], proto: Tensorflow_BundleEntryProto)]

    init(file: String) throws {
        let bytes = try Data(file: file)
        let pairs = try bytes.withUnsafeBytes { try TableReader.entries(of: $0, file: file) }
        header = try Tensorflow_BundleHeaderProto(serializedBytes: pairs[0].value)
        entries = try pairs.dropFirst().map { ($0.key, try Tensorflow_BundleEntryProto(serializedBytes: $0.value)) }
    }

    /// The index file's bytes.
    func encoded() throws -> [UInt8] {
        var table = TableBuilder()
        table.add(key: [], value: try header.serializedBytes())
        for entry in entries { table.add(key: entry.key, value: try entry.proto.serializedBytes()) }
        return table.finish()
    }

    /// One hostile change to the header or an entry stored whole, chosen at random;
    /// returns what it was and whether it leaves an entry's bytes outside its data
    /// shards (which `diff` must notice: the checkpoint cannot be loaded).
    mutating func applyHostileEdit(shardSize: Int, using rng: inout SplitMix64) -> (description: String, unloadable: Bool) {
        let whole = entries.indices.filter { entries[$0].proto.slices.isEmpty && entries[$0].proto.size > 0 }
        guard let at = whole.randomElement(using: &rng) else { return ("no entry stored whole", false) }
        let name = String(decoding: entries[at].key, as: UTF8.self)
        var entry = entries[at].proto
        defer { entries[at].proto = entry }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0:
            entry.offset = Int64(shardSize) + Int64.random(in: 0...64, using: &rng)
            return ("\(name): offset \(entry.offset), past the shard's \(shardSize) bytes", true)
        case 1:
            entry.offset = Int64(shardSize) - entry.size + Int64.random(in: 1...entry.size, using: &rng)
            return ("\(name): offset \(entry.offset), its \(entry.size) bytes end past the shard's \(shardSize)", true)
        case 2:
            entry.offset = Int64.max - Int64.random(in: 0...8, using: &rng)
            return ("\(name): offset \(entry.offset)", true)
        case 3:
            entry.size = Int64.max
            return ("\(name): size \(entry.size)", true)
        case 4:
            entry.shardID = [1, 7, -1, Int32.max].randomElement(using: &rng)!
            return ("\(name): shard id \(entry.shardID)", true)
        case 5:
            let dims: [Int64] = [[4_294_967_296, 4_294_967_296], [Int64.max, 2], [-1, entry.size / 4], [0]].randomElement(using: &rng)!
            entry.shape.dim = dims.map { size in
                var d = Tensorflow_TensorShapeProto.Dim()
                d.size = size
                return d
            }
            return ("\(name): shape \(dims)", false)
        case 6:
            var slice = Tensorflow_TensorSliceProto()
            slice.extent = entry.shape.dim.map { dim in
                var extent = Tensorflow_TensorSliceProto.Extent()
                extent.start = dim.size
                extent.length = Int64.max
                return extent
            }
            entry.slices = [slice]
            return ("\(name): a slice past its tensor", false)
        case 7:
            header.numShards = [0, 2, 1000, Int32.max].randomElement(using: &rng)!
            return ("header: \(header.numShards) data shards", header.numShards != 0)
        case 8:
            entry.dtype = [.dtString, .dtDouble, .dtInt8, .dtBfloat16, .dtResource].randomElement(using: &rng)!
            return ("\(name): dtype \(entry.dtype)", false)
        default:
            entry.crc32C = UInt32.random(in: 0...UInt32.max, using: &rng)
            return ("\(name): checksum \(entry.crc32C)", false)
        }
    }
}
