import Foundation
import ModelSpecRuntime
import Testing

/// A steady-state call of a generated model: its layers write into the outputs they made on the
/// call before when no one holds them any more (docs/runtime.md, "Naming runs once"), never into a
/// tensor the caller still has, and it allocates little besides.
@Suite struct SteadyStateCallTests {
    static let childVariable = "MODELSPEC_STEADY_STATE_CHILD"
    static var isChild: Bool { ProcessInfo.processInfo.environment[childVariable] != nil }

    /// The benchmark's models, each with an input of batch 1 and one of batch 3.
    static func model(_ name: String) throws -> (call: (Tensor) throws -> Tensor, inputs: [Tensor]) {
        var generator = SystemRandomNumberGenerator()
        func input(_ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape, scalars: (0 ..< shape.reduce(1, *)).map { _ in Float.random(in: -1 ... 1, using: &generator) })
        }
        switch name {
        case "mlp":
            let model = BenchMLP()
            return ({ try model($0) }, [try input([1, 784]), try input([1, 784]), try input([3, 784])])
        case "cnn_small":
            let model = BenchCNNSmall()
            return ({ try model($0) }, [try input([1, 28, 28, 1]), try input([1, 28, 28, 1]), try input([3, 28, 28, 1])])
        default:
            let model = CompatV1LayerModel()
            return ({ try model($0) }, [try input([1, 5, 5, 5]), try input([1, 5, 5, 5]), try input([3, 5, 5, 5])])
        }
    }

    static func address(_ tensor: Tensor) -> UInt {
        tensor.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    /// Outputs the caller keeps are never written by later calls (same input, other input,
    /// other batch size), and every call's output is what a first call gives.
    @Test(arguments: ["mlp", "cnn_small", "compat_v1_layer"])
    func keptOutputsStayAsTheyWere(model name: String) throws {
        let (call, inputs) = try Self.model(name)
        let first = try call(inputs[0]), expected = first.scalars
        let other = try call(inputs[1]), otherExpected = other.scalars
        #expect(expected != otherExpected)
        for x in [inputs[0], inputs[1], inputs[2], inputs[0], inputs[1]] {
            let y = try call(x)
            #expect(Self.address(y) != Self.address(first) && Self.address(y) != Self.address(other))
            if x.shape == inputs[0].shape {
                #expect(y.scalars == (x.scalars == inputs[0].scalars ? expected : otherExpected))
            }
        }
        #expect(first.scalars == expected)
        #expect(other.scalars == otherExpected)
    }

    /// A dropped output is written again by the next call (its buffer is recycled), with the
    /// values a fresh buffer would get; a view of it that the caller keeps stops that.
    @Test func droppedOutputsAreRecycled() throws {
        let (call, inputs) = try Self.model("mlp")
        let expected = try call(inputs[0]).scalars, otherExpected = try call(inputs[1]).scalars
        var y = try call(inputs[0])
        let recycled = Self.address(y)
        y = try call(inputs[1])
        #expect(Self.address(y) != recycled, "the output held while the call ran was written")
        #expect(y.scalars == otherExpected)
        let kept = try reshape(y, [y.scalarCount])
        y = try call(inputs[0])
        #expect(Self.address(y) != Self.address(kept))
        #expect(kept.scalars == otherExpected)
        #expect(y.scalars == expected)
        let address = Self.address(y)
        y = Tensor(0)  // dropped: the next call may write into it
        y = try call(inputs[1])
        #expect(Self.address(y) == address)
        #expect(y.scalars == otherExpected)
    }

    /// Counts, in a child process of its own (the counter is the process's), the tensor buffers
    /// steady-state calls allocate (``TensorMemory/buffersAllocated``).
    @Test(.enabled(if: !isChild))
    func allocationsInAChildProcess() throws {
        let (succeeded, printed) = try runTestsInChildProcess(filter: "SteadyStateCallTests/countedCalls", variable: Self.childVariable)
        #expect(succeeded, "\(printed)")
        #expect(printed.components(separatedBy: "steady-state call of").count - 1 == 3, "\(printed)")
    }

    /// The most tensor buffers each model's steady-state call at batch 1 may allocate, outputs
    /// dropped: `mlp` none (its dense layers write into the last call's outputs); the others'
    /// convolutions and poolings still make theirs (outputs and padded inputs), their dense layers none.
    static let limits: [String: Int] = ["mlp": 0, "cnn_small": 6, "compat_v1_layer": 2]

    /// One test, the models one after another: the counter is the process's.
    @Test(.enabled(if: isChild))
    func countedCalls() throws {
        for name in ["mlp", "cnn_small", "compat_v1_layer"] { try countCalls(model: name) }
    }

    private func countCalls(model name: String) throws {
        let (call, inputs) = try Self.model(name)
        let x = inputs[0], calls = 20
        for _ in 0 ..< 3 { _ = try call(x) }
        let before = TensorMemory.buffersAllocated
        for _ in 0 ..< calls { _ = try call(x) }
        let buffersPerCall = Double(TensorMemory.buffersAllocated - before) / Double(calls)
        var kept: [Tensor] = []
        let keptBefore = TensorMemory.buffersAllocated
        for _ in 0 ..< calls { kept.append(try call(x)) }
        let keptPerCall = Double(TensorMemory.buffersAllocated - keptBefore) / Double(calls)
        print("steady-state call of \(name): \(buffersPerCall) tensor buffers (\(keptPerCall) with the outputs kept)")
        let limit = try #require(Self.limits[name])
        #expect(buffersPerCall <= Double(limit))
        // Keeping each output costs one buffer a call, the output itself.
        #expect(keptPerCall <= buffersPerCall + 1)
    }
}
