import Foundation
import ModelSpecRuntime
import Testing

/// `modelspec run` reads inputs of every dtype and writes each output with its own: an int64 output
/// beyond float32's integers exact, a bool input a bool, an int32 result int32.
@Suite("modelspec run dtypes", .enabled(if: CLI.available))
struct RunDtypeTests {
    static let spec = """
        spec: 1
        model: TypedValues
        inputs:
          big: {shape: [3], dtype: int64}
          mask: {shape: [3], dtype: bool}
          ids: {shape: [3], dtype: int32}
        forward:
          - add: [big, 1]
            as: next
          - logical_not: mask
            as: flipped
          - reduce_sum: ids
            as: total
        outputs: [next, flipped, total]
        """

    @Test func integerAndBoolValuesKeepTheirDtypes() throws {
        let folder = try temporaryFolder("run-dtypes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/TypedValues.yaml"
        try Self.spec.write(toFile: spec, atomically: true, encoding: .utf8)
        try NumPy.encode(Int64Tensor([1 << 40, -7, 16_777_217])).write(to: URL(fileURLWithPath: folder + "/big.npy"))
        try NumPy.encode(BoolTensor([true, false, true])).write(to: URL(fileURLWithPath: folder + "/mask.npy"))
        try NumPy.encode(IndexTensor([2_000_000_000, 2, 3])).write(to: URL(fileURLWithPath: folder + "/ids.npy"))
        let result = try CLI.run(["run", spec, "--checkpoint", DigitsTests.checkpoint, "--allow-unused",
                                  "--input", "big=\(folder)/big.npy", "--input", "mask=\(folder)/mask.npy",
                                  "--input", "ids=\(folder)/ids.npy", "--output", folder + "/out.npy"])
        #expect(result.status == 0, "\(result.err)")
        #expect(try NumPy.read(contentsOf: URL(fileURLWithPath: folder + "/out_0.npy")) == .int64(Int64Tensor([(1 << 40) + 1, -6, 16_777_218])))
        #expect(try NumPy.read(contentsOf: URL(fileURLWithPath: folder + "/out_1.npy")) == .bool(BoolTensor([false, true, false])))
        // int32 wraps around as TensorFlow's reduce_sum does: 2e9 + 5 is past int32's largest.
        #expect(try NumPy.read(contentsOf: URL(fileURLWithPath: folder + "/out_2.npy"))
                == .int32(IndexTensor(Int32(truncatingIfNeeded: 2_000_000_005))))
        #expect(result.out.contains("out_0.npy  [3]  int64"))
    }

    /// A nested model's integer outputs reach the caller as integers: int64 past float32's exact integers
    /// stays exact through the nested call and the caller's arithmetic, and `run` writes int32 as int32.
    @Test func nestedModelsIntegerOutputsKeepTheirDtypes() throws {
        let folder = try temporaryFolder("run-nested-dtypes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            spec: 1
            model: Offsets
            inputs:
              big: {shape: [3], dtype: int64}
            forward:
              - add: [big, 1]
                as: next
              - cast: {input: big, dtype: int32}
                as: low
            outputs: [next, low]
            """.write(toFile: folder + "/Offsets.yaml", atomically: true, encoding: .utf8)
        let spec = folder + "/Caller.yaml"
        try """
            spec: 1
            model: Caller
            inputs:
              big: {shape: [3], dtype: int64}
            layers:
              offsets: Offsets
            forward:
              - offsets: big
                as: [next, low]
              - multiply: [next, 2]
                as: doubled
              - add: [low, 1]
                as: low_next
            outputs: [doubled, low_next]
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        try NumPy.encode(Int64Tensor([1 << 40, -7, 16_777_217])).write(to: URL(fileURLWithPath: folder + "/big.npy"))
        let result = try CLI.run(["run", spec, "--checkpoint", DigitsTests.checkpoint, "--allow-unused",
                                  "--input", "big=\(folder)/big.npy", "--output", folder + "/out.npy"])
        #expect(result.status == 0, "\(result.err)")
        #expect(try NumPy.read(contentsOf: URL(fileURLWithPath: folder + "/out_0.npy"))
                == .int64(Int64Tensor([((1 << 40) + 1) * 2, -12, 33_554_436])))
        #expect(try NumPy.read(contentsOf: URL(fileURLWithPath: folder + "/out_1.npy")) == .int32(IndexTensor([1, -6, 16_777_218])))
        #expect(result.out.contains("out_1.npy  [3]  int32"))
    }
}
