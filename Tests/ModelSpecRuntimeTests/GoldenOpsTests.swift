import Foundation
import Testing
@testable import ModelSpecRuntime

/// Every op against TensorFlow's outputs in Tests/Goldens/ops (oracle/ops.py).
@Suite struct GoldenOpsTests {
    /// Runs one golden case through the Swift op; returns outputs by name.
    static func evaluate(_ c: GoldenCase) throws -> [String: Tensor] {
        func binary(_ f: (Tensor, Tensor) throws -> Tensor) throws -> [String: Tensor] {
            ["y": try f(c.input("a"), c.input("b"))]
        }
        func unary(_ f: (Tensor) throws -> Tensor) throws -> [String: Tensor] {
            ["y": try f(c.input("x"))]
        }
        switch c.op {
        case "matmul":
            return ["y": try matmul(c.input("a"), c.input("b"),
                                    transposeA: c.flag("transposeA"), transposeB: c.flag("transposeB"))]
        case "dense":
            return ["y": try dense(c.input("x"), kernel: c.input("kernel"), bias: c.optionalInput("bias"),
                                   activation: c.activation())]
        case "biasAdd": return ["y": try biasAdd(c.input("x"), c.input("bias"))]
        case "add": return try binary(+)
        case "subtract": return try binary(-)
        case "multiply": return try binary(*)
        case "divide": return try binary(/)
        case "maximum": return try binary(maximum)
        case "minimum": return try binary(minimum)
        case "squaredDifference": return try binary(squaredDifference)
        case "relu": return try unary(relu)
        case "relu6": return try unary(relu6)
        case "elu": return try unary(elu)
        case "tanh": return try unary(tanh)
        case "sigmoid": return try unary(sigmoid)
        case "leakyRelu": return try unary { leakyRelu($0, alpha: 0.2) }
        case "exp": return try unary(exp)
        case "log": return try unary(log)
        case "sqrt": return try unary(sqrt)
        case "rsqrt": return try unary(rsqrt)
        case "square": return try unary(square)
        case "abs": return try unary(abs)
        case "negate": return try unary { -$0 }
        default:
            return try evaluateMore(c)
        }
    }

    static let ops = [
        "matmul", "dense", "biasAdd",
        "add", "subtract", "multiply", "divide", "maximum", "minimum", "squaredDifference",
        "relu", "relu6", "elu", "tanh", "sigmoid", "leakyRelu", "exp", "log", "sqrt", "rsqrt",
        "square", "abs", "negate",
    ] + moreOps

    @Test("golden cases of each op match TensorFlow", arguments: ops)
    func matchesTensorFlow(op: String) throws {
        let cases = try Goldens.cases(op: op)
        #expect(!cases.isEmpty, "no golden case for \(op)")
        for c in cases {
            let outputs = try Self.evaluate(c)
            #expect(Set(outputs.keys) == Set(c.outputs.keys), "\(c.name): outputs differ")
            for (key, value) in outputs {
                expectClose(value, try c.output(key), "\(c.name).\(key)")
            }
        }
    }

    @Test func everyGoldenOpIsTested() throws {
        let index = try Goldens.index()
        #expect(index.cases.count > 100)
        let untested = Set(index.cases.map(\.op)).subtracting(Self.ops)
        #expect(untested.isEmpty, "golden ops without a test: \(untested.sorted())")
    }
}
