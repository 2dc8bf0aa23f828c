import Foundation
import ModelSpecCompiler
import Testing

/// Sizes that come from a parameter (`shape: [20, $units]`, `inputs: [batch, $n]`) or a large input,
/// which the checker cannot see: a negative dimension (TensorFlow: "Dimension -5 must be >= 0") or
/// a variable whose byte count overflows is an error at the step, naming the parameter.
@Suite struct ParameterSizeTests {
    /// The shipped `DenseLayer` (`variable: {shape: [20, $units]}`), with `--param units=...`.
    private func denseLayer(units: Int) throws -> [String] {
        let text = try String(contentsOfFile: PackagePaths.specs + "/DenseLayer.yaml", encoding: .utf8)
        return try MalformedSpec.diagnostics(["DenseLayer.yaml": text], main: "DenseLayer.yaml", params: ["units": .int(units)])
    }

    @Test func negativeVariableDimensionFromAParameter() throws {
        #expect(try denseLayer(units: -5) == [
            "DenseLayer.yaml:13:9: error: variable 'kernel' has $units = -5 as dimension 1 of its shape [20, $units]; a dimension cannot be negative (TensorFlow: \"Dimension -5 must be >= 0\")",
        ])
        #expect(try denseLayer(units: .min).first?.contains("$units = -9223372036854775808 as dimension 1") == true)
    }

    /// TensorFlow makes a variable with a dimension of 0 (`get_variable("w", shape=[20, 0])`).
    @Test func zeroVariableDimensionIsAccepted() throws {
        #expect(try denseLayer(units: 0).isEmpty)
    }

    @Test func variableWhoseByteCountOverflowsThroughAParameter() throws {
        #expect(try denseLayer(units: .max) == [
            "DenseLayer.yaml:13:9: error: the byte count of variable 'dense/kernel' of shape [20, 9223372036854775807]: the product of [20, 9223372036854775807, 4] does not fit in a 64-bit integer (at most 9223372036854775807)",
            "DenseLayer.yaml:14:9: error: the byte count of variable 'dense/bias' of shape [9223372036854775807]: the product of [9223372036854775807, 4] does not fit in a 64-bit integer (at most 9223372036854775807)",
        ])
        #expect(try denseLayer(units: 1 << 62).count == 2)
    }

    /// A `weights:` shape and an input shape from a parameter.
    @Test func negativeWeightAndInputDimensions() throws {
        let weight = """
            spec: 1
            model: A
            style: native
            params:
              n: {type: Int, default: 3}
            inputs:
              x: [batch, 3]
            weights:
              w: {shape: [$n], initializer: zeros}
            forward:
              - multiply: [x, w]
            """
        #expect(try MalformedSpec.diagnostics(weight).isEmpty)
        #expect(try MalformedSpec.diagnostics(weight, params: ["n": .int(-2)]) == [
            "A.yaml:9:3: error: variable 'w' has $n = -2 as dimension 0 of its shape [$n]; a dimension cannot be negative (TensorFlow: \"Dimension -2 must be >= 0\")",
        ])
        let input = weight.replacingOccurrences(of: "x: [batch, 3]", with: "x: [batch, $n]")
        #expect(try MalformedSpec.diagnostics(input).isEmpty)
        #expect(try MalformedSpec.diagnostics(input, params: ["n": .int(-2)]) == [
            "A.yaml:7:3: error: input 'x' has $n = -2 as a dimension of its shape [batch, $n]; a dimension cannot be negative",
        ])
    }

    /// Token mutations of shipped specs: an input dimension of `Int.max` reaches a `dense` kernel
    /// through the input (`WrappedDoubleDenseLayer` with `inputs: [batch, 9223372036854775807]`).
    @Test func variableFromAHugeInputDimension() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 9223372036854775807]
            forward:
              - scope: s
                do:
                  - dense: {units: 2}
            """)
        #expect(lines == ["A.yaml:8:9: error: the byte count of variable 's/dense/kernel' of shape [9223372036854775807, 2]: the product of [9223372036854775807, 2, 4] does not fit in a 64-bit integer (at most 9223372036854775807)"])
    }
}
