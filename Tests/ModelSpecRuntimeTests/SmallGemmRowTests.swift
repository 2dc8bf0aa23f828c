import CConvolution
import Testing
@testable import ModelSpecRuntime

/// `csgemm_run` sums every row the same way whatever rows it comes with: a row computed alone,
/// in batches of every size from 1 to 40 (so at every position of every tile, full or a
/// remainder), is the same bit for bit, on every instruction path. And so the kernels built on it
/// give the same bits however a job is split across threads on every path: a dense layer, and
/// convolutions (Winograd's kernel's blocks of tiles change size with each thread's images).
@Suite struct SmallGemmRowTests {
    static func values(_ count: Int, _ g: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in g.nextUniform() * 2 - 1 }
    }

    @Test(arguments: [(1, 16), (2, 45), (17, 33), (64, 64), (300, 20)])
    func aRowIsTheSameAloneAndInBatchesOfAnySize(_ kn: (Int, Int)) {
        let (k, n) = kn, m = 40
        var g = SeededGenerator(seed: 11)
        let a = Self.values(m * k, &g), b = Self.values(k * n, &g), bias = Self.values(n, &g)
        var packed = [Float](repeating: 0, count: csgemm_packed_count(Int32(k), Int32(n)))
        csgemm_pack(Int32(k), Int32(n), b, Int32(n), &packed)
        for instructions in KernelInstructions.allCases {
            for relu: Int32 in [0, 1] {
                // Each row alone.
                var alone = [Float](repeating: 0, count: m * n)
                instructions.limiting {
                    a.withUnsafeBufferPointer { a in
                        alone.withUnsafeMutableBufferPointer { c in
                            for row in 0..<m {
                                csgemm_run(1, Int32(n), Int32(k), a.baseAddress! + row * k, Int32(k), packed, bias, relu,
                                           c.baseAddress! + row * n, Int32(n))
                            }
                        }
                    }
                }
                for size in 2...m {
                    // The rows in consecutive batches of `size` (the last one what is left).
                    var batched = [Float](repeating: .nan, count: m * n)
                    instructions.limiting {
                        a.withUnsafeBufferPointer { a in
                            batched.withUnsafeMutableBufferPointer { c in
                                for first in stride(from: 0, to: m, by: size) {
                                    csgemm_run(Int32(min(size, m - first)), Int32(n), Int32(k), a.baseAddress! + first * k,
                                               Int32(k), packed, bias, relu, c.baseAddress! + first * n, Int32(n))
                                }
                            }
                        }
                    }
                    let differing = zip(alone, batched).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "k \(k), n \(n), \(instructions), relu \(relu), batches of \(size): \(differing) values differ")
                }
            }
        }
    }

    @Test func aDenseLayerIsTheSameOnOneTwoOrThreeThreads() throws {
        var g = SeededGenerator(seed: 7)
        let x = try Tensor(shape: [29, 70]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let w = try Tensor(shape: [70, 40]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        for instructions in KernelInstructions.allCases {
            // The task's own thread limit, so tests running at once keep theirs.
            let one = try instructions.limiting { try KernelThreads.$limit.withValue(1) { try dense(x, kernel: w, activation: .relu) } }
            for threads in [2, 3] {
                let split = try instructions.limiting { try KernelThreads.$limit.withValue(threads) { try dense(x, kernel: w, activation: .relu) } }
                #expect(one == split, "\(instructions), \(threads) threads")
            }
        }
    }

    /// Convolutions that split their images across threads: Winograd's kernel (5 images of 8 × 6
    /// tiles: blocks of other sizes on each thread's 96 or 144 tiles than on all 240), alone and
    /// with a max pooling fused, the direct kernel, and a 1 × 1 convolution.
    @Test func convolutionsAreTheSameOnOneTwoOrThreeThreads() throws {
        var g = SeededGenerator(seed: 3)
        func random(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        }
        let x = try random([5, 16, 12, 32]), f = try random([3, 3, 32, 48])
        let small = try random([7, 24, 18, 6]), smallFilter = try random([3, 3, 6, 20]), pointwise = try random([1, 1, 32, 40])
        let bias = try random([48])
        #expect(try ConvGeometry(input: x.shape, filter: f.shape, strides: (1, 1), padding: .same, dilations: (1, 1)).usesWinograd)
        #expect(try !ConvGeometry(input: small.shape, filter: smallFilter.shape, strides: (1, 1), padding: .same, dilations: (1, 1)).usesWinograd)
        let convolutions: [(String, () throws -> Tensor)] = [
            ("winograd", { try conv2d(x, filter: f, padding: .same, activation: .relu) }),
            ("winograd + pool", {
                try conv2dMaxPool2d(x, filter: f, padding: .same, bias: bias, activation: .relu, poolSize: (2, 2), poolStrides: (2, 2))
            }),
            ("direct", { try conv2d(small, filter: smallFilter, padding: .same, activation: .relu) }),
            ("1 × 1", { try conv2d(x, filter: pointwise, activation: .relu) }),
        ]
        for (name, convolution) in convolutions {
            for instructions in KernelInstructions.allCases {
                // The task's own thread limit, so tests running at once keep theirs.
                let one = try instructions.limiting { try KernelThreads.$limit.withValue(1) { try convolution() } }
                for threads in [2, 3] {
                    let split = try instructions.limiting { try KernelThreads.$limit.withValue(threads) { try convolution() } }
                    let differing = zip(one.scalars, split.scalars).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "\(name), \(instructions), \(threads) threads: \(differing) values differ")
                }
            }
        }
    }
}
