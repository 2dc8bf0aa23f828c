import ModelSpecCompiler
import ModelSpecRuntime
@testable import ModelSpecInterpreter
import Testing

/// The interpreter's table of runtime layer kernels against the layer declarations.
@Suite struct RuntimeLayersTests {
    @Test func everyDeclaredLayerHasExactlyOneRuntimeKernel() {
        let declared = Set(LayerKind.allCases.map(\.name))
        let bound = Set(RuntimeLayers.kernels.keys)
        #expect(declared.subtracting(bound).isEmpty, "declared without a runtime kernel: \(declared.subtracting(bound).sorted())")
        #expect(bound.subtracting(declared).isEmpty, "runtime kernels without a declaration: \(bound.subtracting(declared).sorted())")
    }

    /// Each kernel, made from the declaration's defaults (and the smallest required values), has the
    /// declaration's base name and asks for variables exactly when the declaration makes some.
    @Test(arguments: LayerKind.allCases.map(\.name))
    func kernelsAgreeWithTheirDeclarations(_ name: String) throws {
        let kind = try #require(LayerKind(rawValue: name))
        for form in LayerForm.allCases where kind.tensorflow[form] != nil {
            var config = LayerConfig(kind: kind, form: form)
            for argument in kind.arguments(in: form) where argument.defaults[form] == .required {
                switch argument.type {
                case .size, .int: config.arguments[argument.key] = .int(.literal(1))
                case let .sizes(rank): config.arguments[argument.key] = .ints(Array(repeating: .literal(1), count: rank))
                case .rate, .float: config.arguments[argument.key] = .float(.literal(0.5))
                default: Issue.record("\(name): no sample value for required \(argument.key)")
                }
            }
            let make = try #require(RuntimeLayers.kernels[name])
            let arguments = try config.evaluated([:])
            let kernel = try make(arguments)
            #expect(kernel.baseName == kind.name)
            #expect(kernel.makesVariables == kind.hasVariables)
        }
    }
}
