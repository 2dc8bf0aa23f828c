import ModelSpecCompiler
import ModelSpecRuntime
@testable import ModelSpecInterpreter
import Testing

/// The interpreter's table of runtime functions against the declarations.
@Suite struct RuntimeOperationsTests {
    @Test func everyDeclaredOperationHasExactlyOneRuntimeFunction() {
        let declared = Set(OperationDeclaration.all.map(\.name))
        let tables = [Set(RuntimeOperations.functions.keys), Set(RuntimeOperations.typedFunctions.keys), Set(RuntimeOperations.severalResults.keys)]
        let bound = tables.reduce(Set<String>()) { $0.union($1) }
        #expect(tables.map(\.count).reduce(0, +) == bound.count, "an operation bound in two tables")
        let several = Set(OperationDeclaration.all.filter { $0.resultCount > 1 || $0.makesCountedResults }.map(\.name))
        #expect(several == Set(RuntimeOperations.severalResults.keys), "operations of several results bound as one, or the reverse")
        #expect(declared.subtracting(bound).isEmpty, "declared without a runtime function: \(declared.subtracting(bound).sorted())")
        #expect(bound.subtracting(declared).isEmpty, "runtime functions without a declaration: \(bound.subtracting(declared).sorted())")
    }
}

extension RuntimeOperationsTests {
    /// Every operation whose declaration computes in its operands' dtype has integer (or element) functions,
    /// and none more: the checker lets integers reach exactly these.
    @Test func everyOperationTakingIntegersHasIntegerFunctions() {
        // Those computing in their operands' dtype, unless they refuse integers (divide: TensorFlow makes float64;
        // image.resize takes them with method nearest).
        let takingIntegers = Set(OperationDeclaration.all.filter { declaration in
            declaration.operands == .none || declaration.types.operands.contains { $0 == .numbers || $0 == .any }
                && (try? declaration.resultTypes(.int32, ["method": .name("nearest")], count: 1)) != nil
        }.map(\.name))
        let bound = TypedOperations.integerOperations.union(TypedOperations.elementOperations)
        #expect(takingIntegers.subtracting(bound).isEmpty, "no integer function: \(takingIntegers.subtracting(bound).sorted())")
        #expect(bound.subtracting(takingIntegers).isEmpty, "integer functions of operations that refuse integers: \(bound.subtracting(takingIntegers).sorted())")
    }

    /// An operand read as indices takes the integer tensor given for it, not its float copy.
    @Test func indexOperandsTakeTheIntegerTensorsGiven() throws {
        let (model, _) = try SpecOperationGoldenTests.check("""
            spec: 1
            model: Lookup
            inputs:
              table: [4, 2]
              ids: [2]
            forward:
              - embedding_lookup: [table, ids]
            """)
        guard case let .math(operation) = try #require(model.body.first).operation else {
            Issue.record("embedding_lookup is not an operation step")
            return
        }
        #expect(operation.declaration.indexOperands == [1])
        let table = try Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        let values = ["table": table, "ids": Tensor([0, 0])]
        let truncated = try RuntimeOperations.run(operation, values, params: [:]).map(\.floats)
        #expect(truncated[0].scalars == [0, 1, 0, 1])
        let given = try RuntimeOperations.run(operation, values, typed: ["ids": .int32(IndexTensor([3, 1]))], params: [:]).map(\.floats)
        #expect(given[0].scalars == [30, 31, 10, 11])
    }
}
