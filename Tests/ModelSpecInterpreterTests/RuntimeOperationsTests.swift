import ModelSpecCompiler
@testable import ModelSpecInterpreter
import Testing

/// The interpreter's table of runtime functions against the declarations.
@Suite struct RuntimeOperationsTests {
    @Test func everyDeclaredOperationHasExactlyOneRuntimeFunction() {
        let declared = Set(OperationDeclaration.all.map(\.name))
        let bound = Set(RuntimeOperations.functions.keys).union(RuntimeOperations.severalResults.keys)
        #expect(Set(RuntimeOperations.functions.keys).isDisjoint(with: RuntimeOperations.severalResults.keys))
        let several = Set(OperationDeclaration.all.filter { $0.resultCount > 1 }.map(\.name))
        #expect(several == Set(RuntimeOperations.severalResults.keys), "operations of several results bound as one, or the reverse")
        #expect(declared.subtracting(bound).isEmpty, "declared without a runtime function: \(declared.subtracting(bound).sorted())")
        #expect(bound.subtracting(declared).isEmpty, "runtime functions without a declaration: \(bound.subtracting(declared).sorted())")
    }
}
