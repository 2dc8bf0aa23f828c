import Testing
@testable import ModelSpecRuntime

/// `dense` on the packed small-GEMM kernel against a plain loop, on shapes that
/// reach each of its paths (1 row on four panels at once with AVX-512 and the rest
/// one by one, on two at once with AVX2, 1 and 2 rows with split
/// accumulators, whole and partial tiles of 6 rows, AVX-512 tiles of up to 16, partial
/// panels of 16 columns, odd k, k = 0) with each instruction set, and
/// the packed kernel kept in step with the values of the weights.
@Suite struct DenseKernelTests {
    static let shapes: [(rows: Int, k: Int, n: Int)] = [
        (1, 784, 512), (2, 9, 17), (1, 1, 1), (3, 5, 16), (5, 13, 37), (6, 8, 32), (7, 3, 16),
        (13, 100, 33), (16, 31, 10), (64, 40, 70), (1, 0, 5), (1, 20, 40), (37, 11, 48),
        (1, 33, 100), (1, 257, 64), (1, 7, 150), (1, 2, 3),
    ]

    @Test(arguments: shapes.indices) func matchesPlainLoops(_ index: Int) throws {
        let (rows, k, n) = Self.shapes[index]
        var g = SeededGenerator(seed: UInt64(7 + index))
        func random(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
        }
        let x = try random([rows, k]), w = try random([k, n]), b = try random([n])
        let plain = try reference(x, w, b)
        // Every kernel the machine can run: AVX-512 (1 row, or 3 rows or more), AVX2, portable.
        for instructions in KernelInstructions.allCases {
            try instructions.limiting {
                #expect(maxDifference(try dense(x, kernel: w, bias: b), plain) < 1e-4)
                #expect(maxDifference(try dense(x, kernel: w, bias: b, activation: .relu), relu(plain)) < 1e-4)
                let unbiased = try dense(x, kernel: w)
                #expect(maxDifference(unbiased, try reference(x, w, .zeros([n]))) < 1e-4)
            }
        }
        // Leading dimensions of x are batch.
        let x3 = x.viewed(as: [1, rows, k])
        #expect(try dense(x3, kernel: w, bias: b).shape == [1, rows, n])
    }

    @Test func reluKeepsNaN() throws {
        let x = try Tensor(shape: [1, 2], scalars: [.nan, 1])
        let w = try Tensor(shape: [2, 3], scalars: [1, 1, 1, -1, -1, -1])
        let y = try dense(x, kernel: w, activation: .relu)
        #expect(y.scalars.allSatisfy { $0.isNaN })
    }

    @Test func rowsSplitAcrossThreadsGiveTheSameResult() throws {
        var g = SeededGenerator(seed: 5)
        let x = try Tensor(shape: [203, 300]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let w = try Tensor(shape: [300, 45]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        // The task's own thread limit, so tests running at once keep theirs.
        let one = try KernelThreads.$limit.withValue(1) { try dense(x, kernel: w, activation: .relu) }
        let three = try KernelThreads.$limit.withValue(3) { try dense(x, kernel: w, activation: .relu) }
        #expect(one == three)
    }

    @Test func packedWeightsFollowChangedVariables() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let variable = Variable(name: "dense/kernel", value: try Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1]))
        #expect(try dense(x, kernel: variable.value).scalars == [4, 5, 10, 11])
        // In place (the variable's buffer is its own): the packed copy is dropped.
        try variable.assignAdd(Tensor(shape: [3, 2], repeating: 1))
        #expect(try dense(x, kernel: variable.value).scalars == [10, 11, 25, 26])
        // A new value.
        try variable.assign(Tensor(shape: [3, 2], repeating: 0))
        #expect(try dense(x, kernel: variable.value).scalars == [0, 0, 0, 0])
        // Written through a tensor that shares the buffer: copy-on-write keeps the old packing valid.
        var kernel = variable.value
        kernel[0, 0] = 1
        #expect(try dense(x, kernel: kernel).scalars == [1, 0, 4, 0])
        #expect(try dense(x, kernel: variable.value).scalars == [0, 0, 0, 0])
        // The same buffer seen with another shape is packed for that shape.
        #expect(try dense(try Tensor(shape: [1, 2], scalars: [1, 1]), kernel: kernel.viewed(as: [2, 3])).scalars == [1, 0, 0])
    }

    @Test func packedFiltersFollowChangedVariables() throws {
        let x = try Tensor(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4])
        let variable = Variable(name: "conv2d/kernel", value: try Tensor(shape: [1, 1, 1, 1], scalars: [2]))
        #expect(try conv2d(x, filter: variable.value).scalars == [2, 4, 6, 8])
        try variable.assignAdd(Tensor(shape: [1, 1, 1, 1], scalars: [1]))
        #expect(try conv2d(x, filter: variable.value).scalars == [3, 6, 9, 12])
        try variable.assign(Tensor(shape: [1, 1, 1, 1], scalars: [-1]))
        #expect(try conv2d(x, filter: variable.value).scalars == [-1, -2, -3, -4])
    }

    /// Σ in Double, one output at a time.
    func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws -> Tensor {
        let (rows, k, n) = (x.shape[0], x.shape[1], w.shape[1])
        let xs = x.scalars, ws = w.scalars, bs = b.scalars
        var out = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows { for j in 0..<n {
            var sum = Double(bs[j])
            for t in 0..<k { sum += Double(xs[r * k + t]) * Double(ws[t * n + j]) }
            out[r * n + j] = Float(sum)
        } }
        return try Tensor(shape: [rows, n], scalars: out)
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }
}
