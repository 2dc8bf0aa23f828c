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
        /// `int32`, `int64` or `bool` for an input of that dtype (an `.npy` of it), else float32.
        let dtype: String?
    }

    let name: String
    /// The forward steps, as YAML flow text; or
    let steps: [String]?
    /// a spec of specs/, by model name.
    let spec: String?
    let inputs: [Input]
    let output: String
    /// The output holds integers or booleans, compared exactly.
    let exact: Bool?
    /// TensorFlow's dtype of the output (`float32`, `int32`, `int64`, `bool`), which the interpreter's must be.
    let dtype: String?
    /// The further outputs of a spec of specs/, by name, with TensorFlow's dtypes.
    let moreOutputs: [Input]?

    enum CodingKeys: String, CodingKey {
        case name, steps, spec, inputs, output, exact, dtype
        case moreOutputs = "more_outputs"
    }

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

    /// An `.npy` file of the case, as it is.
    func array(_ file: String) throws -> NpyArray {
        try NumPy.read(contentsOf: Self.directory.appendingPathComponent(file))
    }

    /// Every input as the interpreter's value of its dtype, by name.
    func typedInputs() throws -> [String: InterpretedValue] {
        var values: [String: InterpretedValue] = [:]
        for input in inputs { values[input.name] = try array(input.file).value }
        return values
    }

    /// The float and int32 inputs, by name (the cases without int64 or bool inputs).
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
                let shape = try array(input.file).shape.map(String.init).joined(separator: ", ")
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
    /// Checks the spec of a case from a temporary file; the models it uses as layers are those of specs/.
    static func check(_ text: String) throws -> (ModelDescription, SpecCompiler) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("OperationCase.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let compiler = SpecCompiler(library: SpecLibrary(directories: [folder.path, Repo.specs.path]))
        let checked = compiler.check(file: path)
        guard let model = checked.model, !checked.hasErrors else {
            throw TestFailure("the spec does not check:\n\(text)\(checked.diagnostics.map(\.description).joined(separator: "\n"))")
        }
        return (model, compiler)
    }

    @Test("each case's spec gives TensorFlow's output, and the tracer its shape", arguments: SpecOperationCase.all)
    func matchesTensorFlow(_ golden: SpecOperationCase) throws {
        let (model, compiler) = try Self.check(try golden.specText())
        let inputs = try golden.typedInputs()
        let traced = compiler.manifest(of: model, inputs: inputs.mapValues { $0.shape.map(Optional.some) })
        #expect(traced.diagnostics.isEmpty, "\(traced.diagnostics)")
        let output = try #require(try InterpretedModel(model, library: compiler.library).call(values: inputs).first)
        if let dtype = golden.dtype {
            let expected: ValueKind = switch dtype {
            case "int32": .int32
            case "int64": .int64
            case "bool": .bool
            default: .float
            }
            #expect(output.kind == expected, "\(golden.name): \(output.kind), TensorFlow's is \(dtype)")
        }
        if golden.exact == true {
            let expected = try golden.array(golden.output)
            #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some), "traced shape \(traced.outputShapes)")
            #expect(output == expected.value, "\(golden.name): \(output) differs from TensorFlow's \(expected)")
        } else {
            let outputs = [output.floats]
            let expected = try golden.tensor(golden.output)
            #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some), "traced shape \(traced.outputShapes)")
            expectClose(outputs[0], expected, golden.name)
        }
    }

    /// specs/NestedIntegers.yaml (case nested_integers): the int32, int64 and bool outputs of a nested
    /// model computed with in the caller as TensorFlow computes them, every output of TensorFlow's dtype.
    @Test func nestedModelsIntegerOutputsMatchTensorFlow() throws {
        let golden = try #require(SpecOperationCase.all.first { $0.name == "nested_integers" })
        let (model, compiler) = try Self.check(try golden.specText())
        #expect(model.outputTypes == [.float32, .int32, .int64, .bool])
        let outputs = try InterpretedModel(model, library: compiler.library).call(values: golden.typedInputs())
        #expect(outputs.count == 4)
        #expect(outputs.first?.floats == (try golden.tensor(golden.output)))
        for (output, expected) in zip(outputs.dropFirst(), golden.moreOutputs ?? []) {
            #expect(output == (try golden.array(expected.file).value), "\(expected.name): \(output)")
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

extension NpyArray {
    /// The interpreter's value of the array's dtype.
    var value: InterpretedValue {
        switch self {
        case let .float32(x): .float(x)
        case let .int32(x): .int32(x)
        case let .int64(x): .int64(x)
        case let .bool(x): .bool(x)
        }
    }
}
