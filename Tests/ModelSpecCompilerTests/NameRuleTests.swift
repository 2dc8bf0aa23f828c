import Foundation
@testable import ModelSpecCompiler
import Testing

/// The checker refuses exactly the scope, variable and layer names TensorFlow 1
/// refuses (Tests/Goldens/names/names.json, written by oracle/names.py), so that
/// a spec that checks builds in TensorFlow and generates Swift that compiles;
/// and a model's type name cannot be one Swift or the generated code reserves.
@Suite struct NameRuleTests {
    struct Case: Decodable {
        var name: String
        var scope: Bool
        var scope_nested: Bool
        var variable: Bool
        var variable_nested: Bool
        var layer: Bool
        var layer_nested: Bool
    }

    struct Golden: Decodable {
        var cases: [Case]
    }

    static let cases: [Case] = {
        let path = PackagePaths.root + "/Tests/Goldens/names/names.json"
        guard let data = FileManager.default.contents(atPath: path),
              let golden = try? JSONDecoder().decode(Golden.self, from: data) else { return [] }
        return golden.cases
    }()

    /// The name as a YAML double-quoted scalar.
    private func quoted(_ name: String) -> String {
        var out = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.properties.generalCategory == .lineSeparator {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A spec that uses `name` one way, at the top level or inside `scope: outer`.
    private func spec(_ use: String, _ name: String, nested: Bool) -> String {
        let step = switch use {
        case "scope": "- scope: \(quoted(name))\n  do:\n    - variable: {name: v, shape: [1]}\n    - multiply: [x, v]"
        case "variable": "- variable: {name: \(quoted(name)), shape: [1]}\n- multiply: [x, _]"
        default: "- dense: {units: 1, name: \(quoted(name))}"
        }
        let body = nested ? "- scope: outer\n  do:\n" + step.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") : step
        return "spec: 1\nmodel: A\ninputs:\n  x: [1, 2]\nforward:\n" + body.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    @Test func goldenIsPresent() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func checkerAgreesWithTensorFlow(_ golden: Case) throws {
        let uses: [(String, Bool, Bool)] = [
            ("scope", false, golden.scope), ("scope", true, golden.scope_nested),
            ("variable", false, golden.variable), ("variable", true, golden.variable_nested),
            ("layer", false, golden.layer), ("layer", true, golden.layer_nested),
        ]
        for (use, nested, accepted) in uses {
            let errors = try MalformedSpec.diagnostics(spec(use, golden.name, nested: nested)).filter { $0.contains(": error: ") }
            // ModelSpec's own rule: scopes are nested with steps, not with '/' in a scope or variable name.
            let ownRule = use != "layer" && golden.name.contains("/")
            let expected = ownRule ? "'/'" : "which TensorFlow 1 refuses"
            let what = "\(use)\(nested ? " in a scope" : "") \(golden.name.debugDescription): \(errors)"
            if accepted && !ownRule {
                #expect(errors.isEmpty, "\(what)")
            } else {
                #expect(errors.count == 1 && errors[0].contains(expected), "\(what)")
            }
        }
    }

    @Test func messagesSayWhy() throws {
        #expect(try MalformedSpec.diagnostics(spec("scope", "a\nb", nested: false)) == [
            "A.yaml:6:12: error: scope name 'a\\nb' has a newline, which TensorFlow 1 refuses in a name; a name may use only letters A-Z and a-z, digits, and _ . - / \\ >",
        ])
        #expect(try MalformedSpec.diagnostics(spec("layer", "_a", nested: false)) == [
            "A.yaml:6:5: error: layer name '_a' starts with '_', which TensorFlow 1 refuses at the top level of the graph (\"not a valid root scope name\"); start it with a letter, a digit or '.', or put it inside a scope",
        ])
    }

    /// A scope name given by a parameter is checked when the model is traced.
    @Test func parameterNamesAreCheckedWhenTraced() throws {
        let text = """
            spec: 1
            model: A
            params:
              name: {type: String, default: "block 1"}
            inputs:
              x: [1, 2]
            forward:
              - scope: $name
                do:
                  - dense: {units: 1}
            """
        #expect(try MalformedSpec.diagnostics(text) == [
            "A.yaml:8:5: error: scope name 'block 1' has a space, which TensorFlow 1 refuses in a name; a name may use only letters A-Z and a-z, digits, and _ . - / \\ >",
        ])
        #expect(try MalformedSpec.diagnostics(text, params: ["name": .string("block_1")]).isEmpty)
    }

    // MARK: Model type names

    @Test(arguments: ["Self", "Any", "Type", "Protocol", "Tensor", "Layer", "Variable", "String", "Float"])
    func reservedModelNamesAreRefused(_ name: String) throws {
        let lines = try MalformedSpec.diagnostics("spec: 1\nmodel: \(name)\ninputs:\n  x: [1, 2]\nforward:\n  - relu\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("A.yaml:2:8: error: model '\(name)' "), "\(lines)")
    }

    /// Every public type of ModelSpecRuntime is in the checker's list of names a model cannot take.
    @Test func reservedRuntimeTypesAreInStepWithTheRuntime() throws {
        let folder = PackagePaths.root + "/Sources/ModelSpecRuntime"
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
        let declaration = try NSRegularExpression(pattern: #"^public (?:final )?(?:class|struct|enum|protocol|typealias|actor) ([A-Z][A-Za-z0-9_]*)"#, options: .anchorsMatchLines)
        var types = Set<String>()
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                types.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(types.count > 20)
        #expect(types.subtracting(ReservedTypeName.runtimeTypes).sorted() == [])
    }
}
