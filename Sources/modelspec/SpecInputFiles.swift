import ArgumentParser
import Foundation
import ModelSpecCompiler
import ModelSpecRuntime

/// The `--input NAME=FILE.npy` options of `run` and `train`.
enum SpecInputFiles {
    /// The files as tensors by input name (`NAME=` may be left out for a spec with one input);
    /// integer and bool files (ids, labels, masks) as their values in floats.
    static func read(_ texts: [String], for model: ModelDescription) throws -> [String: Tensor] {
        try readArrays(texts, for: model).mapValues { array in
            switch array {
            case let .float32(tensor): tensor
            case let .int32(ids): Tensor(ids)
            case let .int64(ids): Tensor(ids)
            case let .bool(mask): Tensor(mask)
            }
        }
    }

    /// The files as they are (float32, int32, int64 or bool), by input name.
    static func readArrays(_ texts: [String], for model: ModelDescription) throws -> [String: NpyArray] {
        var result: [String: NpyArray] = [:]
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
                result[name] = try NumPy.read(contentsOf: URL(fileURLWithPath: file))
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
