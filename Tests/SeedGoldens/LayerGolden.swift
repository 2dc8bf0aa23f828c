import Foundation
import ModelSpecRuntime

/// One case of Tests/Goldens/layers/cases.json (oracle/layers.py): a spec beside
/// the TensorFlow model it mirrors, and what TensorFlow made of it.
public struct LayerGolden: Decodable, Sendable, CustomStringConvertible {
    public struct Variable: Decodable, Sendable {
        public let name: String
        public let shape: [Int]
        public let trainable: Bool
    }

    public struct After: Decodable, Sendable {
        public let index: Int
        public let file: String
    }

    public let name: String
    public let spec: String
    public let input: String
    /// In TensorFlow's creation order.
    public let variables: [Variable]
    /// The values set after the first call, by creation index.
    public let weights: [String]
    /// The output of an inference call with those values, and the losses after it.
    public let output: String
    public let losses: [Float]
    /// The output of a training call after it, and the non-trainable variables after that.
    public let trainingOutput: String?
    public let afterTraining: [After]?

    enum CodingKeys: String, CodingKey {
        case name, spec, input, variables, weights, output, losses
        case trainingOutput = "training_output", afterTraining = "after_training"
    }

    public var description: String { name }

    public static let directory = Repo.root.appendingPathComponent("Tests/Goldens/layers")

    public static let all: [LayerGolden] = {
        struct Index: Decodable { let cases: [LayerGolden] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    public static func named(_ name: String) -> LayerGolden? { all.first { $0.name == name } }

    public func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }
}
