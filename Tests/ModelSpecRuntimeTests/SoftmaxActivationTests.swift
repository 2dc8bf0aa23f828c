import Testing

@testable import ModelSpecRuntime

/// `activation: softmax` on dense and convolution layers: the softmax of each
/// output row (over the units or filters), as Keras computes it.
@Suite struct SoftmaxActivationTests {
    static func values(_ count: Int, scale: Float) -> [Float] {
        (0..<count).map { Float(($0 * 37) % 23) * scale - 3 }
    }

    @Test func denseSoftmaxIsSoftmaxOfTheLinearOutput() throws {
        let x = try Tensor(shape: [4, 5], scalars: Self.values(20, scale: 0.3))
        let kernel = try Tensor(shape: [5, 3], scalars: Self.values(15, scale: 0.7))
        let bias = try Tensor(shape: [3], scalars: [0.5, -1, 2])
        let fused = try dense(x, kernel: kernel, bias: bias, activation: .softmax)
        let reference = try softmax(try dense(x, kernel: kernel, bias: bias), axis: -1)
        #expect(fused.shape == [4, 3])
        for (a, b) in zip(fused.scalars, reference.scalars) { #expect(abs(a - b) < 1e-6) }
        let rowSums = try reduceSum(fused, axes: [1]).scalars
        #expect(rowSums.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func convolutionSoftmaxIsOverTheFilters() throws {
        let input = try Tensor(shape: [2, 5, 5, 3], scalars: Self.values(150, scale: 0.1))
        let filter = try Tensor(shape: [3, 3, 3, 4], scalars: Self.values(108, scale: 0.05))
        let fused = try conv2d(input, filter: filter, strides: (1, 1), padding: .same, activation: .softmax)
        let reference = try softmax(try conv2d(input, filter: filter, strides: (1, 1), padding: .same), axis: -1)
        #expect(fused.shape == [2, 5, 5, 4])
        for (a, b) in zip(fused.scalars, reference.scalars) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func activateAppliesSoftmaxOnTheLastAxis() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
        let y = activate(x, .softmax)
        let reference = try softmax(x)
        #expect(y.scalars == reference.scalars)
    }
}
