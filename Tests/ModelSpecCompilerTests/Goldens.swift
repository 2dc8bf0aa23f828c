import Foundation
import ModelSpecCompiler

/// Paths in the package, found from this file (`Tests/ModelSpecCompilerTests/Goldens.swift`).
enum PackagePaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let specs = root + "/specs"
    static let seedGoldens = root + "/Tests/Goldens/seeds"
    static let namingGoldens = root + "/Tests/Goldens/naming"
    static let namingCaseSpecs = root + "/Tests/ModelSpecCompilerTests/NamingCases"

    static func files(in directory: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}

/// One variable of a golden's `creation_order`.
struct GoldenVariable: Decodable, Hashable, Sendable {
    var name: String
    var shape: [Int]
    var dtype: String
    var trainable: Bool
    /// Seeds only: the TF2 object-based checkpoint path, null when only the shim store holds the variable.
    var object_path: String?
    /// Seeds only: the key below the model in a TF2 object-based checkpoint (shim store paths included).
    var checkpoint_key: String?
}

/// `Tests/Goldens/seeds/<Model>/manifest.json`.
struct SeedManifest: Decodable {
    var creation_order: [GoldenVariable]
    var weights: [String]
    var trainable_weights: [String]
    var non_trainable_weights: [String]
    var weights_index: [Int]
    var trainable_weights_index: [Int]
    var non_trainable_weights_index: [Int]
}

/// `Tests/Goldens/seeds/<Model>/case.json`, the parts the manifest needs.
struct SeedCase: Decodable {
    struct Input: Decodable {
        var name: String?
        var shape: [Int]
    }

    var model: String
    var params: [String: Int]
    var inputs: [Input]
}

/// `Tests/Goldens/naming/<case>.json`.
struct NamingGolden: Decodable {
    struct GraphMode: Decodable {
        var creation_order: [GoldenVariable]
        var error: String?
        var second_call_new_variables: [String]
        var second_call_error: String?
    }

    var description: String
    var python: String
    var input_shape: [Int]
    var creation_order: [GoldenVariable]
    var weights: [String]
    var error: String?
    var second_call_new_variables: [String]
    var second_call_error: String?
    var graph_mode: GraphMode?
}

func decodeJSON<T: Decodable>(_ type: T.Type, at path: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
}

extension Manifest.Entry {
    /// The shape/dtype/trainable part, which must always equal TensorFlow's.
    var signature: String { "\(shape) \(dtype) \(trainable ? "trainable" : "non-trainable")" }
}

extension GoldenVariable {
    var signature: String { "\(shape) \(dtype) \(trainable ? "trainable" : "non-trainable")" }
}
