import Testing
@testable import ModelSpecRuntime

/// Broadcasting corner cases, checked against a naive reference that indexes
/// every output element separately.
@Suite struct BroadcastingTests {
    /// A tensor with distinct, deterministic scalars.
    func ramp(_ shape: [Int], start: Float = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, scalars: (0..<n).map { start + Float($0) * 0.5 })
    }

    /// The reference: output index → each operand's index by NumPy rules.
    func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) throws -> Tensor {
        let shape = try broadcastShape(a.shape, b.shape)
        let n = shape.reduce(1, *)
        var out = [Float](repeating: 0, count: n)
        for flat in 0..<n {
            var index = [Int](repeating: 0, count: shape.count)
            var r = flat
            for d in stride(from: shape.count - 1, through: 0, by: -1) {
                index[d] = r % shape[d]
                r /= shape[d]
            }
            func pick(_ t: Tensor) -> Float {
                let offset = shape.count - t.rank
                let idx = (0..<t.rank).map { t.shape[$0] == 1 ? 0 : index[$0 + offset] }
                return t.scalar(at: idx)
            }
            out[flat] = f(pick(a), pick(b))
        }
        return try Tensor(shape: shape, scalars: out)
    }

    static let pairs: [([Int], [Int])] = [
        ([2, 3], [2, 3]), ([2, 3], [3]), ([2, 3], [2, 1]), ([3, 1], [1, 4]), ([1], [5]),
        ([], [2, 2]), ([2, 2], []), ([4, 1, 3], [5, 1]), ([2, 1, 3, 1], [1, 4, 1, 5]),
        ([1, 1], [1]), ([6, 1, 1], [1, 1, 7]), ([2, 3, 4], [1, 3, 1]), ([0, 3], [3]), ([2, 0], [1]),
    ]

    @Test(arguments: pairs)
    func matchesReference(a: [Int], b: [Int]) throws {
        let x = ramp(a), y = ramp(b, start: -2)
        #expect(try add(x, y) == reference(x, y, +))
        #expect(try subtract(x, y) == reference(x, y, -))
        #expect(try multiply(x, y) == reference(x, y, *))
        #expect(try divide(x, y) == reference(x, y, /))
        #expect(try maximum(x, y) == reference(x, y, { Swift.max($0, $1) }))
        // Swapped operands give the transposed broadcast.
        #expect(try subtract(y, x) == reference(y, x, -))
    }

    @Test func shapes() throws {
        #expect(try broadcastShape([8, 1, 6, 1], [7, 1, 5]) == [8, 7, 6, 5])
        #expect(try broadcastShape([], []) == [])
        #expect(try broadcastShape([0], [1]) == [0])
        #expect(throws: TensorError.self) { try broadcastShape([0], [2]) }
        #expect(throws: TensorError.self) { try broadcastShape([2, 1], [8, 4, 3]) }
    }

    @Test func scalarOperators() throws {
        let x = try Tensor(shape: [2], scalars: [1, 2])
        #expect((x * 2).scalars == [2, 4])
        #expect((10 - x).scalars == [9, 8])
        #expect((-x).scalars == [-1, -2])
        #expect((x / 4).scalars == [0.25, 0.5])
        #expect((1 + x).scalars == [2, 3])
    }

    @Test func nanPropagatesThroughMaximum() throws {
        let a = try Tensor(shape: [2], scalars: [.nan, 1])
        let b = try Tensor(shape: [2], scalars: [0, .nan])
        let m = try maximum(a, b)
        #expect(m.scalars[0].isNaN && m.scalars[1].isNaN)
        #expect(relu(a).scalars[0].isNaN)
    }
}
