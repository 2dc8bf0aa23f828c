import Foundation
import ModelSpecRuntime
import SeedGoldens

/// One case of Tests/Goldens/recurrent (oracle/recurrent.py) as the generated models' tests
/// read it: its tensors, and TensorFlow's weights by object path (what `substituting:` takes).
struct RecurrentGoldenFiles {
    private struct Case: Decodable {
        struct Variable: Decodable { let file: String; let object_path: String }
        let variables: [Variable]
    }

    let directory: URL

    init(_ name: String) {
        directory = Repo.root.appendingPathComponent("Tests/Goldens/recurrent").appendingPathComponent(name)
    }

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: directory.appendingPathComponent(file))
    }

    func ids(_ file: String) throws -> IndexTensor {
        try NumPy.readIndexTensor(contentsOf: directory.appendingPathComponent(file))
    }

    func weights() throws -> [String: Tensor] {
        let golden = try JSONDecoder().decode(Case.self, from: Data(contentsOf: directory.appendingPathComponent("case.json")))
        var weights: [String: Tensor] = [:]
        for variable in golden.variables { weights[variable.object_path] = try tensor(variable.file) }
        return weights
    }
}
