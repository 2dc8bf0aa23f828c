import ArgumentParser
import ModelSpecCompiler

/// `--param NAME=VALUE` and `--input NAME=DIMS`, shared by the commands that trace a spec.
struct SpecValueOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: ArgumentHelp("An input's shape, such as inputs=8,20 (? for an unknown size).", valueName: "name=dims"))
    var inputShapes: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter's value, such as units=10.", valueName: "name=value"))
    var paramValues: [String] = []

    func inputs() throws -> [String: [Int?]] {
        var result: [String: [Int?]] = [:]
        for text in inputShapes {
            let (name, value) = try split(text, option: "--input")
            let dims = value.isEmpty ? [] : value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            var shape: [Int?] = []
            for dim in dims {
                if dim == "?" || dim == "null" {
                    shape.append(nil)
                } else if let size = Int(dim), size >= 0 {
                    shape.append(size)
                } else {
                    throw ValidationError("--input \(text): '\(dim)' is not a size; write sizes such as 8,20 (? for unknown)")
                }
            }
            result[name] = shape
        }
        return result
    }

    func params() throws -> [String: Literal] {
        try Self.params(paramValues)
    }

    /// `NAME=VALUE` texts as parameter values: Int, then Float, then Bool, else String.
    static func params(_ texts: [String]) throws -> [String: Literal] {
        var result: [String: Literal] = [:]
        for text in texts {
            let (name, value) = try split(text, option: "--param")
            if let int = Int(value) {
                result[name] = .int(int)
            } else if let double = Double(value) {
                result[name] = .float(double)
            } else if value == "true" || value == "false" {
                result[name] = .bool(value == "true")
            } else {
                result[name] = .string(value)
            }
        }
        return result
    }

    private func split(_ text: String, option: String) throws -> (String, String) {
        try Self.split(text, option: option)
    }

    static func split(_ text: String, option: String) throws -> (String, String) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("\(option) \(text): expected NAME=VALUE")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
