import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// specs/IntegerLoop.yaml: int32 values carried through a `repeat:` and merged after an `if:` keep
/// their dtype, and their arithmetic is TensorFlow's int32 arithmetic (checked in TensorFlow 2.21 with the
/// Python loop the spec stands for: ids [7, -2] and x's argmax [1, 0] give ids [10, 1] and best [56, 0]).
@Suite struct IntegerLoopTests {
    private func model(params: [String: Literal] = [:]) throws -> InterpretedModel {
        let spec = Repo.specs.appendingPathComponent("IntegerLoop.yaml").path
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let checked = compiler.check(file: spec, params: params)
        let description = try #require(checked.model, "\(checked.diagnostics)")
        #expect(description.outputTypes == [.int32, .int32])
        return try InterpretedModel(description, params: params, library: compiler.library)
    }

    private let inputs: [String: InterpretedValue] = [
        "x": .float(try! Tensor(shape: [2, 4], scalars: [0, 3, 1, 2, 5, 1, 2, 0])),
        "ids": .int32(IndexTensor([7, -2])),
    ]

    @Test func int32ValuesThroughALoopAndAConditionalStayInt32() throws {
        let outputs = try model().call(values: inputs)
        #expect(outputs == [.int32(IndexTensor([10, 1])), .int32(IndexTensor([56, 0]))])
    }

    @Test func theConditionalNotRunHandsOnTheLoopsInt32Value() throws {
        let outputs = try model(params: ["steps": .int(2), "double": .bool(false)]).call(values: inputs)
        #expect(outputs == [.int32(IndexTensor([9, 0])), .int32(IndexTensor([18, -1]))])
    }
}
