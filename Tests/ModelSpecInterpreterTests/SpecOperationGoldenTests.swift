import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/spec_ops/cases.json (oracle/spec_ops.py): spec steps
/// beside the TensorFlow call they stand for, its inputs and TensorFlow's output.
struct SpecOperationCase: Decodable, Sendable, CustomStringConvertible {
    struct Input: Decodable, Sendable {
        let name: String
        let file: String
        /// `int32` for an integer input (an `.npy` of int32), else float32.
        let dtype: String?
    }

    let name: String
    /// The forward steps, as YAML flow text; or
    let steps: [String]?
    /// a spec of specs/, by model name.
    let spec: String?
    let inputs: [Input]
    let output: String
    /// The output holds integers or booleans (an int32 `.npy`, bool as 0 and 1), compared exactly.
    let exact: Bool?

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/spec_ops")

    static let all: [SpecOperationCase] = {
        struct Index: Decodable { let cases: [SpecOperationCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }

    func indices(_ file: String) throws -> IndexTensor {
        try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }

    /// The float and integer inputs, by name.
    func inputValues() throws -> (floats: [String: Tensor], integers: [String: IndexTensor]) {
        var floats: [String: Tensor] = [:], integers: [String: IndexTensor] = [:]
        for input in inputs {
            if input.dtype == nil { floats[input.name] = try tensor(input.file) } else { integers[input.name] = try indices(input.file) }
        }
        return (floats, integers)
    }

    /// The spec: the one named, or the inputs with their golden shapes and the steps as given.
    func specText() throws -> String {
        if let spec {
            return try String(contentsOf: Repo.specs.appendingPathComponent(spec + ".yaml"), encoding: .utf8)
        }
        var lines = ["spec: 1", "model: OperationCase"]
        if !inputs.isEmpty {
            lines.append("inputs:")
            for input in inputs {
                let shape = try (input.dtype == nil ? tensor(input.file).shape : indices(input.file).shape)
                    .map(String.init).joined(separator: ", ")
                lines.append(input.dtype.map { "  \(input.name): {shape: [\(shape)], dtype: \($0)}" } ?? "  \(input.name): [\(shape)]")
            }
        }
        lines.append("forward:")
        lines += (steps ?? []).map { "  - " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Every declared operation through the checker, the tracer and the interpreter,
/// against TensorFlow's output for the same call.
@Suite struct SpecOperationGoldenTests {
    /// Checks the spec of a case from a temporary file.
    static func check(_ text: String) throws -> (ModelDescription, SpecCompiler) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("OperationCase.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let compiler = SpecCompiler(library: SpecLibrary(containing: path))
        let checked = compiler.check(file: path)
        guard let model = checked.model, !checked.hasErrors else {
            throw TestFailure("the spec does not check:\n\(text)\(checked.diagnostics.map(\.description).joined(separator: "\n"))")
        }
        return (model, compiler)
    }

    @Test("each case's spec gives TensorFlow's output, and the tracer its shape", arguments: SpecOperationCase.all)
    func matchesTensorFlow(_ golden: SpecOperationCase) throws {
        let (model, compiler) = try Self.check(try golden.specText())
        let (inputs, integers) = try golden.inputValues()
        let shapes = inputs.mapValues(\.shape).merging(integers.mapValues(\.shape)) { a, _ in a }
        let traced = compiler.manifest(of: model, inputs: shapes.mapValues { $0.map(Optional.some) })
        #expect(traced.diagnostics.isEmpty, "\(traced.diagnostics)")
        let outputs = try InterpretedModel(model)(inputs, indices: integers)
        if golden.exact == true {
            let expected = try golden.indices(golden.output)
            #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some), "traced shape \(traced.outputShapes)")
            #expect(outputs[0].shape == expected.shape)
            #expect(outputs[0].scalars == expected.scalars.map(Float.init), "\(golden.name): integers differ")
        } else {
            let expected = try golden.tensor(golden.output)
            #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some), "traced shape \(traced.outputShapes)")
            expectClose(outputs[0], expected, golden.name)
        }
    }

    @Test func everyDeclaredOperationHasACase() throws {
        #expect(SpecOperationCase.all.count > 50)
        var used = Set<String>()
        for golden in SpecOperationCase.all {
            let (model, _) = try Self.check(try golden.specText())
            used.formUnion(Self.operations(model.body))
        }
        let missing = Set(OperationDeclaration.all.map(\.name)).subtracting(used)
        #expect(missing.isEmpty, "declared operations without a TensorFlow golden: \(missing.sorted())")
    }

    /// specs/OperationCatalog.yaml, whose generated type GeneratedModelsTests compiles and
    /// runs against TensorFlow, uses every declared operation: each one's Swift call is compiled.
    @Test func catalogSpecUsesEveryDeclaredOperation() throws {
        let text = try String(contentsOf: Repo.specs.appendingPathComponent("OperationCatalog.yaml"), encoding: .utf8)
        let (model, _) = try Self.check(text)
        let missing = Set(OperationDeclaration.all.map(\.name)).subtracting(Self.operations(model.body))
        #expect(missing.isEmpty, "specs/OperationCatalog.yaml does not use \(missing.sorted())")
    }

    static func operations(_ steps: [Step]) -> Set<String> {
        var names = Set<String>()
        for step in steps {
            switch step.operation {
            case let .math(operation): names.insert(operation.name)
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): names.formUnion(operations(body))
            default: break
            }
        }
        return names
    }
}
