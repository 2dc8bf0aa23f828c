import Foundation
import ModelSpecCompiler
import ModelSpecRuntime

/// Paths of the repository, from this file.
public enum Repo {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let specs = root.appendingPathComponent("specs")
    public static let seeds = root.appendingPathComponent("Tests/Goldens/seeds")

    /// Every spec with a golden of the same model name.
    public static var seedModels: [String] {
        let specs = (try? FileManager.default.contentsOfDirectory(atPath: Repo.specs.path)) ?? []
        return specs.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
            .filter { FileManager.default.fileExists(atPath: seeds.appendingPathComponent($0).appendingPathComponent("case.json").path) }
            .sorted()
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One seed model's golden files, written by oracle/make_goldens.py from TensorFlow.
public struct SeedGolden {
    public let name: String
    public let directory: URL
    public let caseJSON: [String: Any]
    public let manifest: [String: Any]

    public init(_ name: String) throws {
        self.name = name
        directory = Repo.seeds.appendingPathComponent(name)
        caseJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("case.json"))) as! [String: Any]
        manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("manifest.json"))) as! [String: Any]
    }

    public func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: directory.appendingPathComponent(file))
    }

    public var params: [String: Literal] {
        var result: [String: Literal] = [:]
        for (key, value) in caseJSON["params"] as? [String: Any] ?? [:] {
            switch value {
            case let v as Bool: result[key] = .bool(v)
            case let v as Int: result[key] = .int(v)
            case let v as Double: result[key] = .float(v)
            case let v as String: result[key] = .string(v)
            default: break
            }
        }
        return result
    }

    /// Input tensors in call order.
    public func inputs() throws -> [Tensor] {
        try (caseJSON["inputs"] as! [[String: Any]]).map { try tensor($0["file"] as! String) }
    }

    public var creationOrder: [(name: String, shape: [Int], trainable: Bool)] {
        (manifest["creation_order"] as! [[String: Any]]).map {
            ($0["name"] as! String, $0["shape"] as! [Int], $0["trainable"] as! Bool)
        }
    }

    public func indices(_ key: String) -> [Int] { manifest[key] as! [Int] }

    public var weightFiles: [(index: Int, file: String)] {
        (caseJSON["weights"] as! [[String: Any]]).map { ($0["index"] as! Int, $0["file"] as! String) }
    }

    public var outputFiles: [String] { (caseJSON["outputs"] as! [[String: Any]]).map { $0["file"] as! String } }
    public var losses: [Float] { (caseJSON["regularization_losses"] as! [Double]).map(Float.init) }
    public var training: [String: Any]? { caseJSON["training"] as? [String: Any] }
    public var secondCallOutputFiles: [String]? {
        (caseJSON["second_call_outputs"] as? [[String: Any]])?.map { $0["file"] as! String }
    }
}

/// Why `actual` is not `expected` within `tolerance` (absolute or relative), or nil when it is.
public func mismatch(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5) -> String? {
    guard actual.shape == expected.shape else {
        return "shape \(actual.shape), expected \(expected.shape)"
    }
    let a = actual.scalars, e = expected.scalars
    var worst = 0, worstError: Float = 0
    for i in a.indices {
        let error = Swift.abs(a[i] - e[i])
        let allowed = Swift.max(tolerance, tolerance * Swift.abs(e[i]))
        if error > allowed, error - allowed > worstError { worst = i; worstError = error - allowed }
    }
    return worstError > 0 ? "element \(worst) is \(a[worst]), expected \(e[worst])" : nil
}
