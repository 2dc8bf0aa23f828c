import ArgumentParser
import Foundation
import ModelSpecCompiler
import ModelSpecRuntime

/// The `--input NAME=FILE.npy` options of `run` and `train`.
enum SpecInputFiles {
    /// The files as tensors by input name (`NAME=` may be left out for a spec with one input);
    /// integer files (ids, labels) as their values in floats.
    static func read(_ texts: [String], for model: ModelDescription) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for text in texts {
            let name: String, file: String
            if let equals = text.firstIndex(of: "="), !text[..<equals].contains("/") {
                name = String(text[..<equals])
                file = String(text[text.index(after: equals)...])
            } else if model.inputs.count == 1 {
                name = model.inputs[0].name
                file = text
            } else {
                throw ValidationError("--input \(text): expected NAME=FILE.npy (\(model.name) has inputs \(model.inputs.map(\.name).joined(separator: ", ")))")
            }
            guard model.inputs.contains(where: { $0.name == name }) else {
                throw ValidationError("--input \(text): \(model.name) has no input '\(name)'; its inputs are \(model.inputs.map(\.name).joined(separator: ", "))")
            }
            guard result[name] == nil else { throw ValidationError("--input \(name) is given twice") }
            do {
                switch try NumPy.read(contentsOf: URL(fileURLWithPath: file)) {
                case .float32(let tensor): result[name] = tensor
                case .int32(let ids), .int64(let ids): result[name] = try Tensor(shape: ids.shape, scalars: ids.scalars.map(Float.init))
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                Foundation.exit(2)
            }
        }
        let missing = model.inputs.map(\.name).filter { result[$0] == nil }
        if !missing.isEmpty {
            throw ValidationError("missing --input for \(missing.joined(separator: ", ")) (\(model.name) takes \(model.inputs.map(\.name).joined(separator: ", ")))")
        }
        return result
    }
}
