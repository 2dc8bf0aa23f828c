import Foundation
import ModelSpecCompiler
import Testing

/// The operation reference of docs/spec-language.md against the declarations it
/// is rendered from. To write the document's table again after changing a declaration:
///
///     MODELSPEC_RECORD=1 swift test --filter OperationReferenceTests
@Suite struct OperationReferenceTests {
    static let document = PackagePaths.root + "/docs/spec-language.md"
    static let begin = "<!-- operations: rendered from the declarations (OperationReference); OperationReferenceTests compares -->\n"
    static let end = "<!-- end of operations -->"

    @Test func documentTableIsRenderedFromTheDeclarations() throws {
        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/spec-language.md has no '\(Self.begin)' marker")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let table = OperationReference.table
        if ProcessInfo.processInfo.environment["MODELSPEC_RECORD"] == "1" {
            try (text[..<start.upperBound] + table + text[stop.lowerBound...]).write(toFile: Self.document, atomically: true, encoding: .utf8)
            return
        }
        let documented = String(text[start.upperBound..<stop.lowerBound])
        #expect(documented == table, "the table differs from the declarations; record it again with MODELSPEC_RECORD=1")
    }

    @Test func everyOperationHasOneRowNamingIt() {
        let table = OperationReference.table
        for declaration in OperationDeclaration.all {
            let rows = table.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("`\(declaration.name)`") }
            #expect(!rows.isEmpty, "no row for \(declaration.name)")
            #expect(rows.contains { $0.contains("`\(declaration.tensorflow)`") }, "\(declaration.name): TensorFlow's function is not in its row")
        }
    }

    @Test func declarationsHaveDistinctNamesAndSwiftFunctions() {
        let names = OperationDeclaration.all.map(\.name)
        #expect(Set(names).count == names.count)
        let functions = OperationDeclaration.all.compactMap(\.swift.function)
        #expect(Set(functions).count == functions.count)
    }

    /// A layer's `activation:` is the operation of the same name (whose goldens check it).
    @Test func everyLayerActivationIsADeclaredOperation() {
        for activation in Activation.allCases where activation != .linear {
            let declaration = OperationDeclaration.named[activation.rawValue]
            #expect(declaration?.operands == .one, "activation \(activation.rawValue) is not a one-operand operation")
            #expect(declaration?.attributes.allSatisfy { !$0.isRequired } ?? false, "\(activation.rawValue) needs an attribute")
        }
    }
}
