import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// Paths of the repository, from this file.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let specs = root + "/specs"
    static let seeds = root + "/Tests/Goldens/seeds"
    static let seedCheckpoints = root + "/Tests/Goldens/seeds_checkpoints"
    static let digits = root + "/Tests/Goldens/digits"

    /// Every spec with a seed checkpoint of the same model name.
    static var seedModels: [String] {
        let specs = (try? FileManager.default.contentsOfDirectory(atPath: Repo.specs)) ?? []
        return specs.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
            .filter { FileManager.default.fileExists(atPath: seedCheckpoints + "/" + $0 + "/checkpoint.json") }
            .sorted()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One seed's checkpoint fixture (oracle/seeds_checkpoints.py) and its goldens.
struct SeedCheckpoint {
    let model: String
    let json: [String: Any]
    let caseJSON: [String: Any]

    init(_ model: String) throws {
        self.model = model
        json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.seedCheckpoints + "/\(model)/checkpoint.json"))) as! [String: Any]
        caseJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.seeds + "/\(model)/case.json"))) as! [String: Any]
    }

    var prefix: String { Repo.seedCheckpoints + "/\(model)/" + (json["prefix"] as! String) }
    /// The checkpoint `Saver(var_list=layer.weights)` writes, keyed by TensorFlow's variable names (Keras names), where they differ from `prefix`'s keys.
    var tfNamePrefix: String? { (json["tf_name_prefix"] as? String).map { Repo.seedCheckpoints + "/\(model)/" + $0 } }
    var objectPrefix: String? { (json["object_prefix"] as? String).map { Repo.seedCheckpoints + "/\(model)/" + $0 } }
    var inputFiles: [String] { (json["inputs"] as! [String]).map { Repo.seeds + "/\(model)/" + $0 } }
    var outputFiles: [String] { (json["outputs"] as! [String]).map { Repo.seeds + "/\(model)/" + $0 } }
    var inputNames: [String?] { (caseJSON["inputs"] as! [[String: Any]]).map { $0["name"] as? String } }

    var params: [String: Literal] {
        var result: [String: Literal] = [:]
        for (key, value) in caseJSON["params"] as? [String: Any] ?? [:] {
            switch value {
            case let v as Int: result[key] = .int(v)
            case let v as Double: result[key] = .float(v)
            case let v as String: result[key] = .string(v)
            default: break
            }
        }
        return result
    }
}

func tensor(_ path: String) throws -> Tensor {
    try NumPy.readTensor(contentsOf: URL(fileURLWithPath: path))
}

/// Agreement within `tolerance`, absolute or relative.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String, tolerance: Float = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(what): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.scalars, e = expected.scalars
    for i in a.indices where Swift.abs(a[i] - e[i]) > Swift.max(tolerance, tolerance * Swift.abs(e[i])) {
        Issue.record("\(what): element \(i) is \(a[i]), expected \(e[i])", sourceLocation: sourceLocation)
        return
    }
}

/// A checked spec, its manifest for these input shapes, and a fresh model.
struct PreparedSpec {
    let description: ModelDescription
    let manifest: Manifest
    let expected: [ExpectedVariable]
    let model: InterpretedModel

    init(_ spec: String, params: [String: Literal] = [:], inputs: [String: Tensor]) throws {
        let library = SpecLibrary(containing: spec)
        let compiler = SpecCompiler(library: library)
        let shapes = inputs.mapValues { $0.shape.map(Optional.some) }
        let checked = compiler.check(file: spec, params: params, inputs: shapes)
        guard let description = checked.model else { throw TestFailure("\(spec): \(checked.diagnostics)") }
        let traced = compiler.manifest(of: description, params: params, inputs: shapes)
        guard let manifest = traced.manifest else { throw TestFailure("\(spec): \(traced.diagnostics)") }
        self.description = description
        self.manifest = manifest
        expected = manifest.variables.map { ExpectedVariable(name: $0.name, shape: $0.shape, dtype: $0.dtype, trainable: $0.trainable,
                                                             variableName: $0.variableName, objectPath: $0.storedLayer?.objectPath) }
        model = try InterpretedModel(description, params: params, library: library)
    }
}

/// The `modelspec` executable next to the test bundle (`swift build --build-tests`).
enum CLI {
    static let executable: String = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("modelspec").path
    }()

    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary folder.
func temporaryFolder(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "modelspec-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A copy of a checkpoint fixture folder in a temporary folder.
func copyFolder(_ source: String, label: String) throws -> String {
    let target = try temporaryFolder(label) + "/" + URL(fileURLWithPath: source).lastPathComponent
    try FileManager.default.copyItem(atPath: source, toPath: target)
    return target
}
