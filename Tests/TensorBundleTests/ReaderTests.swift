import Foundation
import Testing

@testable import TensorBundle

@Suite struct ReaderTests {
    @Test(arguments: Fixtures.readable)
    func listingMatchesTensorFlow(fixture: String) throws {
        let expected = try Fixtures.expected(fixture)
        let checkpoint = try Checkpoint(path: try Fixtures.prefix(fixture))
        let listed = checkpoint.entries.map { Fixtures.Variable(name: $0.name, dtype: $0.dtype.name, shape: $0.shape) }
        #expect(listed == expected.variables)
    }

    @Test(arguments: Fixtures.readable)
    func floatValuesMatchTensorFlow(fixture: String) throws {
        let expected = try Fixtures.expected(fixture)
        let checkpoint = try Checkpoint(path: try Fixtures.prefix(fixture))
        for (name, file) in expected.values {
            let (shape, want) = try Fixtures.npyFloats(Fixtures.folder(fixture) + "/values/" + file)
            #expect(checkpoint.entry(named: name)?.shape == shape, "\(name)")
            let got = try checkpoint.floats(named: name)
            #expect(got == want, "\(fixture): \(name)")
        }
    }

    @Test(arguments: Fixtures.readable)
    func otherValuesMatchTensorFlow(fixture: String) throws {
        let expected = try Fixtures.expected(fixture)
        let checkpoint = try Checkpoint(path: try Fixtures.prefix(fixture))
        for (name, value) in expected.other_values {
            let entry = try #require(checkpoint.entry(named: name))
            let leaves = value.flattened
            switch entry.dtype {
            case .int64:
                #expect(try checkpoint.int64s(named: name).map { JSONValue.number(Double($0)) } == leaves, "\(name)")
            case .int32:
                #expect(try checkpoint.int32s(named: name).map { JSONValue.number(Double($0)) } == leaves, "\(name)")
            case .float64:
                #expect(try checkpoint.doubles(named: name).map { JSONValue.number($0) } == leaves, "\(name)")
            case .bool:
                #expect(try checkpoint.bools(named: name).map { JSONValue.bool($0) } == leaves, "\(name)")
            case .string:
                let strings = try checkpoint.strings(named: name)
                if case .object(let o) = value, case .number(let count)? = o["byte_count"] {
                    #expect(strings.count == 1 && strings[0].count == Int(count), "\(name)")
                } else {
                    #expect(strings.map { JSONValue.string(latin1($0)) } == leaves, "\(name)")
                }
            default:
                Issue.record("unexpected dtype \(entry.dtype) for \(name)")
            }
        }
    }

    @Test func directoryWithStateFileResolvesToLatestPrefix() throws {
        let checkpoint = try Checkpoint(path: Fixtures.folder("tf1_saver"))
        #expect(checkpoint.prefix.hasSuffix("tf1_saver/model.ckpt-42"))
        #expect(try checkpoint.int64s(named: "global_step") == [42])
        // The .index file and a data shard name the same prefix.
        let viaIndex = try Checkpoint(path: Fixtures.folder("tf1_saver") + "/model.ckpt-42.index")
        #expect(viaIndex.prefix == checkpoint.prefix)
        #expect(try CheckpointPath.resolvePrefix("a/b.ckpt.data-00000-of-00001") == "a/b.ckpt")
    }

    @Test func shardedCheckpointHasSeveralShards() throws {
        let checkpoint = try Checkpoint(path: try Fixtures.prefix("tf1_sharded"))
        #expect(checkpoint.shardCount == 2)
        let shardsUsed = Set(checkpoint.entries.map(\.location.shard))
        #expect(shardsUsed == [0, 1])
    }

    @Test func partitionedVariablesAreListedWholeAndAssembled() throws {
        let checkpoint = try Checkpoint(path: try Fixtures.prefix("tf1_partitioned"))
        let table = try #require(checkpoint.entry(named: "embed/table"))
        #expect(table.isPartitioned && table.slices.count == 3)
        #expect(table.slices.map { $0.starts } == [[0, 0], [4, 0], [7, 0]])
        #expect(try checkpoint.rawBytes(named: "embed/table").count == 10 * 4 * 4)
        #expect(!checkpoint.sliceEntries.isEmpty)
        #expect(checkpoint.entries.allSatisfy { $0.name.utf8.first != 0 })
        // Zero-copy access is for whole tensors only.
        #expect(throws: CheckpointError.self) { try checkpoint.withUnsafeTensorBytes(named: "embed/table") { _ in } }
    }

    @Test func conversionsAndTypeMismatches() throws {
        let checkpoint = try Checkpoint(path: try Fixtures.prefix("tf1_saver"))
        // float64 is not float32 unless asked to convert.
        let error = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "model/scale_f64") }
        #expect(error?.kind == .dtypeMismatch)
        #expect(error?.entry == "model/scale_f64")
        #expect(try checkpoint.floats(named: "model/scale_f64", converting: true) == [1.25, 1.25, 1.25, 1.25])
        #expect(try checkpoint.floats(named: "model/counts", converting: true) == [1, -2, 3])
        #expect(try checkpoint.int64s(named: "model/counts", converting: true) == [1, -2, 3])
        #expect(try checkpoint.doubles(named: "global_step", converting: true) == [42])
        #expect(throws: CheckpointError.self) { try checkpoint.strings(named: "global_step") }
        #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "model/vocab", converting: true) }
        #expect(try checkpoint.floats(named: "model/empty") == [])
        let missing = #expect(throws: CheckpointError.self) { try checkpoint.floats(named: "nope") }
        #expect(missing?.kind == .noSuchEntry)
        #expect(missing?.description.contains("model.ckpt-42.index") == true)
    }

    @Test func zeroCopyBytesMatchTypedRead() throws {
        let checkpoint = try Checkpoint(path: try Fixtures.prefix("tf1_saver"))
        let floats = try checkpoint.floats(named: "model/dense/kernel")
        let viaBytes = try checkpoint.withUnsafeTensorBytes(named: "model/dense/kernel") { raw in
            (0..<(raw.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
        #expect(floats == viaBytes)
    }

    @Test func dtypeNames() {
        #expect(CheckpointDType.float32.name == "float32")
        #expect(CheckpointDType(rawValue: 19).name == "float16")
        #expect(CheckpointDType(rawValue: 101) == .float32)  // DT_FLOAT_REF
        #expect(CheckpointDType(rawValue: 999).name == "dtype(999)")
        #expect(CheckpointDType(name: "bfloat16")?.rawValue == 14)
        #expect(NumericConversion.halfToFloat(0x3C00) == 1)
        #expect(NumericConversion.halfToFloat(0xC000) == -2)
        #expect(NumericConversion.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
    }
}
