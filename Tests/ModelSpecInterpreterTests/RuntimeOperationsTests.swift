import ModelSpecCompiler
@testable import ModelSpecInterpreter
import Testing

/// The interpreter's table of runtime functions against the declarations.
@Suite struct RuntimeOperationsTests {
    @Test func everyDeclaredOperationHasExactlyOneRuntimeFunction() {
        let declared = Set(OperationDeclaration.all.map(\.name))
        let bound = Set(RuntimeOperations.functions.keys)
        #expect(declared.subtracting(bound).isEmpty, "declared without a runtime function: \(declared.subtracting(bound).sorted())")
        #expect(bound.subtracting(declared).isEmpty, "runtime functions without a declaration: \(bound.subtracting(declared).sorted())")
    }
}
