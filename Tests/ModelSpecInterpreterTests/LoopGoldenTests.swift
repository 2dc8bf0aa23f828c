import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/loops/cases.json (oracle/loops.py): specs with
/// `repeat:` and `if:` beside the TensorFlow 1 loop they stand for.
struct LoopCase: Decodable, Sendable, CustomStringConvertible {
    struct Input: Decodable, Sendable { let name: String; let file: String }
    struct Variable: Decodable, Sendable { let name: String; let shape: [Int]; let file: String }
    struct FormattedName: Decodable, Sendable {
        let format: String
        /// Whether TensorFlow 1 accepts the name formatted at index 0 for a scope, a layer, a variable.
        let accepted: Bool
        let layerAccepted: Bool
        let variableAccepted: Bool
        enum CodingKeys: String, CodingKey { case format, accepted, layerAccepted = "layer_accepted", variableAccepted = "variable_accepted" }
    }

    let name: String
    let model: String
    /// File name -> spec text.
    let specs: [String: String]
    let params: [String: Int]
    let paramFlags: [String: Bool]
    let inputs: [Input]
    let variables: [Variable]
    let output: String

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/loops")

    struct Index: Decodable {
        let cases: [LoopCase]
        let formattedNames: [FormattedName]
        enum CodingKeys: String, CodingKey { case cases, formattedNames = "formatted_names" }
    }

    static let index: Index? = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return nil }
        return try? JSONDecoder().decode(Index.self, from: data)
    }()

    enum CodingKeys: String, CodingKey { case name, model, specs, params, inputs, variables, output }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        model = try container.decode(String.self, forKey: .model)
        specs = try container.decode([String: String].self, forKey: .specs)
        // Parameters are integers (counts) or booleans (variants).
        let raw = try container.decode([String: IntOrBool].self, forKey: .params)
        params = raw.compactMapValues { if case let .int(value) = $0 { value } else { nil } }
        paramFlags = raw.compactMapValues { if case let .bool(value) = $0 { value } else { nil } }
        inputs = try container.decode([Input].self, forKey: .inputs)
        variables = try container.decode([Variable].self, forKey: .variables)
        output = try container.decode(String.self, forKey: .output)
    }

    enum IntOrBool: Decodable {
        case int(Int), bool(Bool)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) { self = .bool(flag) } else { self = .int(try container.decode(Int.self)) }
        }

        /// The parameter's value as a spec literal.
        var literal: Literal {
            switch self {
            case let .int(value): .int(value)
            case let .bool(flag): .bool(flag)
            }
        }
    }

    var literalParams: [String: Literal] {
        params.mapValues(Literal.int).merging(paramFlags.mapValues(Literal.bool)) { $1 }
    }

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }
}

/// Loops and variants through the checker, the tracer and the interpreter, against
/// the TensorFlow 1 loops they stand for: names and creation order, shapes, outputs.
@Suite struct LoopGoldenTests {
    /// Writes the case's specs to a folder and checks the model's spec.
    static func check(_ golden: LoopCase, in folder: URL) throws -> (ModelDescription, SpecCompiler, SpecLibrary) {
        for (file, text) in golden.specs {
            try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let path = folder.appendingPathComponent(golden.model + ".yaml").path
        let library = SpecLibrary(containing: path)
        let compiler = SpecCompiler(library: library)
        let checked = compiler.check(file: path)
        guard let model = checked.model, !checked.hasErrors else {
            throw TestFailure("\(golden.name) does not check: \(checked.diagnostics.map(\.description).joined(separator: "\n"))")
        }
        return (model, compiler, library)
    }

    static func diagnostics(of text: String) throws -> [Diagnostic] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-loops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Formatted.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let compiler = SpecCompiler(library: SpecLibrary(containing: path))
        return compiler.check(file: path).diagnostics
    }

    @Test func thereAreCases() {
        #expect((LoopCase.index?.cases.count ?? 0) >= 8)
    }

    @Test("names, creation order, shapes and outputs are TensorFlow's", arguments: LoopCase.index?.cases ?? [])
    func matchesTensorFlow(_ golden: LoopCase) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-loops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (model, compiler, library) = try Self.check(golden, in: folder)
        var inputs: [String: Tensor] = [:]
        for input in golden.inputs { inputs[input.name] = try golden.tensor(input.file) }
        let expected = try golden.tensor(golden.output)

        let traced = compiler.manifest(of: model, params: golden.literalParams, inputs: inputs.mapValues { $0.shape.map(Optional.some) })
        #expect(traced.diagnostics.isEmpty, "\(traced.diagnostics)")
        let manifest = traced.manifest?.variables ?? []
        #expect(manifest.map(\.name) == golden.variables.map(\.name))
        #expect(manifest.map(\.shape) == golden.variables.map(\.shape))
        #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some))

        let interpreted = try InterpretedModel(model, params: golden.literalParams, library: library)
        var values: [String: Tensor] = [:]
        for variable in golden.variables { values[variable.name] = try golden.tensor(variable.file) }
        try interpreted.load(values)
        let output = try interpreted(inputs)[0]
        #expect(interpreted.createdVariables.map(\.name) == golden.variables.map(\.name))
        expectClose(output, expected, golden.name)
    }

    /// A scope's, a layer's and a variable's name formatted from the index, inside a repeat: refused at the
    /// name where TensorFlow 1 refuses the name it gives.
    @Test func formattedNamesTensorFlowRefusesAreLocatedErrors() throws {
        let names = try #require(LoopCase.index?.formattedNames)
        #expect(names.contains { !$0.accepted } && names.contains { $0.accepted })
        for name in names {
            // Each step, whether TensorFlow accepts its name, and the column of the name.
            let steps = [("scope: \"\(name.format)\"\n            do:\n              - dense: {units: 3}", name.accepted, 20),
                         ("dense: {units: 3, name: \"\(name.format)\"}", name.layerAccepted, 37),
                         ("variable: {name: \"\(name.format)\", shape: [1]}", name.variableAccepted, 30)]
            for (step, accepted, column) in steps {
                let text = """
                spec: 1
                model: Formatted
                inputs:
                  x: [2, 3]
                forward:
                  - scope: outer
                    do:
                      - repeat: {count: 2, index: i}
                        do:
                          - \(step)
                """
                let errors = try Self.diagnostics(of: text).filter { $0.severity == .error }
                if accepted {
                    #expect(errors.isEmpty, "\(step): \(errors)")
                } else {
                    #expect(errors.count == 1 && errors[0].location.line == 10 && errors[0].location.column == column,
                            "\(step): \(errors)")
                }
            }
        }
        // An index that is not an enclosing repeat's, and braces outside any repeat, are refused.
        let outside = try Self.diagnostics(of: """
            spec: 1
            model: Formatted
            inputs:
              x: [2, 3]
            forward:
              - scope: outer
                do:
                  - repeat: {count: 2, index: i}
                    do:
                      - dense: {units: 3, name: "fc_{j}"}
                  - dense: {units: 3, name: "fc_{i}"}
            """).filter { $0.severity == .error }.map(\.message)
        #expect(outside.count == 2, "\(outside)")
        #expect(outside.first?.contains("'{j}' in the layer name 'fc_{j}' is not the index of an enclosing repeat") == true, "\(outside)")
    }
}
