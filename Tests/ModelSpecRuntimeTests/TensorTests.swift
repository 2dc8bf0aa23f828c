import Foundation
import Testing
@testable import ModelSpecRuntime

@Suite struct TensorTests {
    @Test func construction() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.rank == 2 && x.scalarCount == 6)
        #expect(x[1, 2] == 6 && x[0, 1] == 2)
        #expect(try Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(try Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(try Tensor.filled([1, 2], with: 7).scalars == [7, 7])
        #expect(Tensor(3).shape == [] && Tensor(3).scalar == 3)
        #expect(Tensor([1, 2]).shape == [2])
        #expect(try Tensor.zeros([0, 4]).scalarCount == 0)
        #expect(throws: TensorError.self) { try Tensor.zeros([-1]) }
        let y = try Tensor(shape: [2]) { p in p[0] = 5; p[1] = 6 }
        #expect(y.scalars == [5, 6])
    }

    @Test func copyOnWrite() throws {
        let x = try Tensor(shape: [2], scalars: [1, 2])
        var y = x
        #expect(y.sharesStorage(with: x))
        y[0] = 10
        #expect(!y.sharesStorage(with: x))
        #expect(x.scalars == [1, 2] && y.scalars == [10, 2])
        // A unique tensor is written in place.
        var z = try Tensor(shape: [2], scalars: [1, 2])
        let before = z.withUnsafeBufferPointer { $0.baseAddress }
        z[1] = 3
        #expect(z.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test func viewsShareStorage() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let r = try reshape(x, [3, -1])
        #expect(r.shape == [3, 2] && r.sharesStorage(with: x))
        #expect(try flatten(x).shape == [2, 3])
        #expect(try flatten(Tensor([1, 2, 3])).shape == [3, 1])
        #expect(try expandDims(x, axis: -1).shape == [2, 3, 1])
        #expect(try expandDims(x, axis: 0).shape == [1, 2, 3])
        #expect(try squeeze(Tensor.zeros([1, 2, 1, 3])).shape == [2, 3])
        #expect(try squeeze(Tensor.zeros([1, 2, 1, 3]), axes: [-2]).shape == [1, 2, 3])
        #expect(try reshape(Tensor.zeros([0, 3]), [-1, 3]).shape == [0, 3])
    }

    @Test func inPlaceUpdates() throws {
        let v = TensorVariable(try Tensor(shape: [3], scalars: [1, 2, 3]))
        let snapshot = v.value
        try v.assignAdd(Tensor([1, 1, 1]))
        #expect(v.value.scalars == [2, 3, 4])
        #expect(snapshot.scalars == [1, 2, 3], "a copy taken before is not changed")
        try v.assignSub(Tensor([0.5, 0.5, 0.5]))
        #expect(v.value.scalars == [1.5, 2.5, 3.5])
        try v.assign(Tensor([0, 0, 0]))
        #expect(v.value.scalars == [0, 0, 0])
        #expect(throws: TensorError.self) { try v.assign(Tensor([1, 2])) }
        var t = Tensor([1, 2])
        t.scaleInPlace(by: 3)
        #expect(t.scalars == [3, 6])
        try t.addInPlace(t, scaledBy: 2)
        #expect(t.scalars == [9, 18])
    }

    @Test func matmulAgainstNaiveProduct() throws {
        let a = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) - 5 })
        let b = try Tensor(shape: [4, 2], scalars: (0..<8).map { Float($0) * 0.5 })
        let c = try matmul(a, b)
        for i in 0..<3 {
            for j in 0..<2 {
                let expected = (0..<4).reduce(Float(0)) { $0 + a[i, $1] * b[$1, j] }
                #expect(c[i, j] == expected)
            }
        }
        #expect(try matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3])) == Tensor.zeros([2, 3]))
        #expect(try matmul(transpose(a), b, transposeA: true) == c)
    }

    @Test func denseMatchesComposition() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, -2, 3, -4, 5, -6])
        let w = try Tensor(shape: [3, 2], scalars: [0.5, -1, 1, 0.25, -0.5, 2])
        let b = Tensor([0.1, -0.2])
        let fused = try dense(x, kernel: w, bias: b, activation: .relu6)
        #expect(fused == relu6(try biasAdd(matmul(x, w), b)))
    }

    @Test func softmaxOnHugeLogits() throws {
        let x = try Tensor(shape: [1, 3], scalars: [1e30, 1e30, -1e30])
        let y = try softmax(x)
        #expect(y.scalars == [0.5, 0.5, 0])
        let l = try logSoftmax(Tensor(shape: [1, 2], scalars: [1e4, 1e4]))
        #expect(Swift.abs(l.scalars[0] + 0.6931472) < 1e-6)
    }

    @Test func dropoutIsSeededAndScaled() throws {
        let x = try Tensor.ones([1000])
        var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7), g3 = SeededGenerator(seed: 8)
        let a = try dropout(x, rate: 0.5, generator: &g1)
        let b = try dropout(x, rate: 0.5, generator: &g2)
        let c = try dropout(x, rate: 0.5, generator: &g3)
        #expect(a == b)
        #expect(a != c)
        #expect(a.scalars.allSatisfy { $0 == 0 || $0 == 2 })
        #expect(try dropout(x, rate: 0, generator: &g1) == x)
        // A noise shape drops whole channels.
        let y = try Tensor.ones([4, 5, 6])
        let d = try dropout(y, rate: 0.5, noiseShape: [4, 1, 6], generator: &g1)
        for i in 0..<4 {
            for k in 0..<6 {
                let column = (0..<5).map { d[i, $0, k] }
                #expect(Set(column).count == 1)
            }
        }
    }

    @Test func moments() throws {
        let x = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 6])
        let (m, v) = try batchMoments(x)
        #expect(m.scalars == [2, 4] && v.scalars == [1, 4])
    }
}

@Suite(.serialized) struct TensorMemoryTests {
    @Test func largeBuffersAreRecycled() throws {
        let shape = [511, 1031]   // about 2 MiB: pooled; a size no other test uses
        var address: UnsafeRawPointer?
        do {
            let t = try Tensor.zeros(shape)
            address = t.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        // Values written by a recycled block's previous owner never show through.
        let u = try Tensor.ones(shape)
        #expect(u.scalars.allSatisfy { $0 == 1 })
        let reusedAddress = u.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        #expect(reusedAddress == address)
        TensorMemory.releaseCache()
        #expect(TensorMemory.cachedBytes == 0)
        let limit = TensorMemory.cacheLimit
        TensorMemory.cacheLimit = 0
        _ = try Tensor.zeros(shape)
        #expect(TensorMemory.cachedBytes == 0)
        TensorMemory.cacheLimit = limit
    }
}

@Suite struct VectorMathTests {
    /// The vectorised exp against libm's, across its whole range.
    @Test func expMatchesLibm() throws {
        var xs: [Float] = stride(from: -110, through: 90, by: 0.0137).map { Float($0) }
        xs += [0, -0, 1e-8, -1e-8, 88.72, 88.73, -87.3, -103.9, .infinity, -.infinity, .nan, 1e30, -1e30]
        let ys = exp(Tensor(xs)).scalars
        for (x, y) in zip(xs, ys) {
            let expected = Foundation.expf(x)
            if expected.isNaN { #expect(y.isNaN); continue }
            if expected.isInfinite || expected == 0 { #expect(y == expected, "exp(\(x))"); continue }
            if expected < Float.leastNormalMagnitude {
                #expect(Swift.abs(y - expected) <= 4 * Float.leastNonzeroMagnitude, "exp(\(x))")
                continue
            }
            #expect(Swift.abs(y - expected) <= 2 * expected.ulp, "exp(\(x)) = \(y), libm \(expected)")
        }
    }

    @Test func sigmoidAndEluAtExtremes() throws {
        let x = Tensor([-1000, -90, -20, 0, 20, 90, 1000, .nan])
        let s = sigmoid(x).scalars
        #expect(s[0] == 0 && s[3] == 0.5 && s[6] == 1 && s[7].isNaN)
        let e = elu(x).scalars
        #expect(e[0] == -1 && e[3] == 0 && e[6] == 1000 && e[7].isNaN)
    }
}

@Suite struct ConversionTests {
    @Test func castsBetweenFloatAndIndexTensors() throws {
        let i = try IndexTensor(shape: [3], scalars: [-2, 0, 7])
        #expect(Tensor(i).scalars == [-2, 0, 7])
        #expect(try IndexTensor(truncating: Tensor([-2.7, 0.5, 7.9])) == i)
        #expect(throws: TensorError.self) { try IndexTensor(truncating: Tensor([.nan])) }
        #expect(Padding(parsing: "same") == .same && Padding(parsing: "VALID") == .valid && Padding(parsing: "full") == nil)
    }

    @Test func blasThreadCountCanBeSet() {
        let before = BLASThreads.count
        BLASThreads.setCount(1)
        #expect(BLASThreads.count == 1)
        BLASThreads.setCount(before)
    }
}
