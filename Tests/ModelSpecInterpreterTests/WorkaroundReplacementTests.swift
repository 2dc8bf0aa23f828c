import Foundation
import ModelSpecCompiler
import Testing

/// The three workarounds of issue 13, each replaced by the spec TensorFlow 1 code reads as: a
/// constant scale (not a non-trainable variable the checkpoint lacks), `abs` of a difference (not
/// two relus), and `matmul` with `transpose_b` (not a separate transpose). Each is a case of
/// Tests/Goldens/spec_ops, run against TensorFlow by SpecOperationGoldenTests; here each is
/// checked to be written directly and to make no variable.
@Suite struct WorkaroundReplacementTests {
    static let cases: [(name: String, uses: Set<String>, avoids: Set<String>)] = [
        ("scaled_dot_product_constant", ["constant", "matmul", "multiply"], ["transpose"]),
        ("abs_difference", ["abs", "subtract"], ["relu"]),
        ("matmul_transpose_b", ["matmul"], ["transpose"]),
    ]

    @Test(arguments: cases.map(\.name))
    func writtenDirectlyWithoutVariables(_ name: String) throws {
        let golden = try #require(SpecOperationCase.all.first { $0.name == name }, "no golden case \(name)")
        let expected = try #require(Self.cases.first { $0.name == name })
        let (model, compiler) = try SpecOperationGoldenTests.check(try golden.specText())
        let operations = SpecOperationGoldenTests.operations(model.body)
        #expect(expected.uses.isSubset(of: operations), "\(name) uses \(operations.sorted())")
        #expect(expected.avoids.isDisjoint(with: operations), "\(name) still uses \(expected.avoids.intersection(operations).sorted())")
        let (inputs, _) = try golden.inputValues()
        let traced = compiler.manifest(of: model, inputs: inputs.mapValues { $0.shape.map(Optional.some) })
        #expect(traced.diagnostics.isEmpty, "\(traced.diagnostics)")
        #expect(traced.manifest?.variables.isEmpty == true, "\(name) makes variables: \(traced.manifest?.variables.map(\.name) ?? [])")
    }
}
