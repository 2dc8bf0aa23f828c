import Foundation
import ModelSpecCompiler
import Testing

/// The layer reference of docs/spec-language.md against the declarations it is
/// rendered from. To write the document's table again after changing a declaration:
///
///     MODELSPEC_RECORD=1 swift test --filter LayerReferenceTests
@Suite struct LayerReferenceTests {
    static let document = PackagePaths.root + "/docs/spec-language.md"
    static let begin = "<!-- layers: rendered from the declarations (LayerReference); LayerReferenceTests compares -->\n"
    static let end = "<!-- end of layers -->"

    @Test func documentTableIsRenderedFromTheDeclarations() throws {
        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/spec-language.md has no '\(Self.begin)' marker")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let table = LayerReference.table
        if ProcessInfo.processInfo.environment["MODELSPEC_RECORD"] == "1" {
            try (text[..<start.upperBound] + table + text[stop.lowerBound...]).write(toFile: Self.document, atomically: true, encoding: .utf8)
            return
        }
        let documented = String(text[start.upperBound..<stop.lowerBound])
        #expect(documented == table, "the table differs from the declarations; record it again with MODELSPEC_RECORD=1")
    }

    @Test func everyLayerHasARowNamingItsFormsAndVariables() {
        let rows = LayerReference.table.split(separator: "\n").filter { $0.hasPrefix("| ") }
        for kind in LayerKind.allCases {
            let row = rows.first { $0.contains("`\(kind.className)`") }
            #expect(row != nil, "no row for \(kind.name)")
            for name in kind.tensorflow.values { #expect(row?.contains("`\(name)`") == true, "\(kind.name): \(name) is not in its row") }
            for variable in kind.variables { #expect(row?.contains("`\(variable.name)`") == true, "\(kind.name): \(variable.name)") }
        }
    }

    /// Names, classes and runtime functions are unique; every form has a TensorFlow name;
    /// every argument a variable names (condition, initializer, regularizer) is declared.
    @Test func declarationsAreConsistent() {
        let kinds = LayerKind.allCases
        #expect(Set(kinds.map(\.name)).count == kinds.count)
        #expect(Set(kinds.map(\.className)).count == kinds.count)
        #expect(Set(kinds.map(\.swiftFunction)).count == kinds.count)
        for kind in kinds {
            #expect(!kind.tensorflow.isEmpty, "\(kind.name) has no form")
            #expect(Set(kind.arguments.map(\.key)).count == kind.arguments.count, "\(kind.name) declares an argument twice")
            for variable in kind.variables {
                var keys = [variable.condition, variable.regularizer].compactMap { $0 }
                if case let .argument(key) = variable.initializer { keys.append(key) }
                for key in keys { #expect(kind.argument(named: key) != nil, "\(kind.name).\(variable.name) names '\(key)', not an argument") }
            }
            for argument in kind.arguments {
                #expect(!argument.defaults.isEmpty, "\(kind.name).\(argument.key) is in no form")
                for form in argument.defaults.keys { #expect(kind.tensorflow[form] != nil, "\(kind.name).\(argument.key): \(form) is not a form of the layer") }
            }
        }
    }
}
