import ModelSpecRuntime
import Testing

/// Values loaded into a generated model before its variables exist are taken by the call that creates
/// them, whichever way the model is called first: `callAsFunction`, or `call(_:context:training:)` with a
/// context of the caller's own (a training loop or a model written by hand around it).
@Suite struct PendingValuesTests {
    static let kernel = try! Tensor(shape: [20, 3], scalars: (0..<60).map { Float($0) / 100 - 0.3 })
    static let bias = try! Tensor(shape: [3], scalars: [0.5, -1, 2])
    static let x = try! Tensor(shape: [2, 20], scalars: (0..<40).map { Float($0 % 7) - 3 })

    @Test func callWithAContextOfItsOwnTakesTheLoadedValues() throws {
        let model = DenseLayer(units: 3)
        try model.load(["dense/kernel": Self.kernel, "dense/bias": Self.bias, "elsewhere/w": Self.bias])
        let context = CallContext()
        let output = try model.call(Self.x, context: context, training: false)
        let expected = try biasAdd(matmul(Self.x, Self.kernel), Self.bias)
        #expect(output == expected)
        #expect(model.createdVariables.map(\.value) == [Self.kernel, Self.bias])
        // A value no variable of the call took stays pending, and the caller's context is left as it was given.
        #expect(model.pendingValues.values.keys.sorted() == ["elsewhere/w"])
        #expect(context.initialValues.isEmpty)
        #expect(try model(Self.x) == expected)
    }

    /// A value the caller's context holds for a variable is the one the call gives it.
    @Test func theContextsOwnValuesComeFirst() throws {
        let model = DenseLayer(units: 3)
        try model.load(["dense/kernel": Self.kernel, "dense/bias": Self.bias])
        let other = try Tensor(shape: [3], scalars: [1, 2, 3])
        let context = CallContext(initialValues: ["dense/bias": other])
        let output = try model.call(Self.x, context: context, training: false)
        #expect(output == (try biasAdd(matmul(Self.x, Self.kernel), other)))
        #expect(model.pendingValues.values.keys.sorted() == ["dense/bias"])
    }
}
