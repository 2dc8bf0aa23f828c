@testable import ModelSpecRuntime
import Testing

/// Tensors no machine can hold are refused by the throwing initializers with a
/// `TensorError`, before the allocator is asked (it would abort the process).
@Suite struct TensorAllocationTests {
    @Test func byteCountThatOverflowsIsRefused() throws {
        #expect(throws: TensorError(op: "Tensor", shapes: [[1 << 32, 1 << 32]], reason: "has more elements than fit in a 64-bit byte count (4 bytes each)")) {
            try Tensor.zeros([1 << 32, 1 << 32])
        }
        #expect(throws: TensorError.self) { try IndexTensor(shape: [Int.max, 2]) { _ in } }
    }

    /// `--param units=100000000000`: 8 TB, more than any machine the tests run on.
    @Test func tensorLargerThanPhysicalMemoryIsRefused() throws {
        #expect(TensorAllocation.physicalMemory > 0)
        #expect(TensorAllocation.physicalMemory < 8_000_000_000_000)
        #expect(throws: TensorError(op: "Tensor", shapes: [[20, 100_000_000_000]], reason: "needs 8000000000000 bytes, more than this machine's \(TensorAllocation.physicalMemory) bytes of physical memory")) {
            try Tensor(shape: [20, 100_000_000_000], repeating: 1)
        }
        #expect(throws: TensorError.self) { try Tensor(shape: [20, 100_000_000_000]) { _ in } }
    }

    @Test func limitIsInclusive() throws {
        #expect(try TensorAllocation.byteCount(of: [2, 3], scalarBytes: 4, op: "t", limit: 24) == 24)
        #expect(throws: TensorError(op: "t", shapes: [[2, 3]], reason: "needs 24 bytes, more than this machine's 23 bytes of physical memory")) {
            try TensorAllocation.byteCount(of: [2, 3], scalarBytes: 4, op: "t", limit: 23)
        }
        #expect(try Tensor.zeros([0, 1 << 40]).scalarCount == 0)
    }
}
