import TensorBundle

/// Why a checkpoint was not loaded into a model: every problem found, at once.
/// Nothing is loaded when this is thrown.
///
/// ``description`` lists one problem a line, as `modelspec diff` does:
///
///     /ckpt/model.ckpt: 3 problems loading 4 variables:
///     - model/dense_1/kernel  float32 [8, 3]  (made by the model, not in the checkpoint)
///     + model/logits/kernel  float32 [8, 3]  (in the checkpoint, not made by the model)
///     ! model/dense/bias  model float32 [8], checkpoint float64 [8]
public struct CheckpointLoadError: Error, CustomStringConvertible, Sendable {
    /// One reason the checkpoint does not fit.
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The model makes the variable; no checkpoint entry maps to it (looked up under `key`).
        case missing(ExpectedVariable, key: String)
        /// The checkpoint has the entry; no model variable maps to it.
        case unused(CheckpointEntry)
        /// The variable's entry has another shape or dtype.
        case mismatched(ExpectedVariable, key: String, checkpointShape: [Int], checkpointDType: String)
        /// The variable's entry cannot be read: damaged bytes (checksum), a truncated
        /// shard, a dtype that cannot become the variable's.
        case unreadable(ExpectedVariable, key: String, error: CheckpointError)
        /// A lenient load (missing variables allowed) found too few of the model's
        /// variables to be loading its checkpoint (see `LoadOptions.allowMissingVariables`):
        /// `found` of `of`, with the checkpoint names closest to some missing variables.
        case tooFewFound(found: Int, of: Int, suggestions: [NameSuggestion])

        public var description: String {
            switch self {
            case let .missing(variable, key):
                let lookup = key == variable.name ? "" : ", looked up as '\(key)'"
                return "- \(variable.name)  \(variable.dtype) \(shapeText(variable.shape))  (made by the model, not in the checkpoint\(lookup))"
            case let .unused(entry):
                return "+ \(entry.name)  \(entry.dtype.name) \(shapeText(entry.shape))  (in the checkpoint, not made by the model)"
            case let .mismatched(variable, key, shape, dtype):
                let entry = key == variable.name ? "" : " ('\(key)')"
                return "! \(variable.name)  model \(variable.dtype) \(shapeText(variable.shape)), checkpoint\(entry) \(dtype) \(shapeText(shape))"
            case let .unreadable(variable, key, error):
                let entry = key == variable.name ? "" : " ('\(key)')"
                return "x \(variable.name)\(entry)  \(variable.dtype) \(shapeText(variable.shape))  cannot be read: \(error)"
            case let .tooFewFound(found, count, suggestions):
                var lines = ["? only \(found) of \(count) variables found: too few to load leniently (at least one, and a tenth of the variables or of their values); is it this model's checkpoint, or is a name mapping missing?"]
                for suggestion in suggestions {
                    let variable = suggestion.variable
                    let lookup = suggestion.key == variable.name ? "" : " (looked up as '\(suggestion.key)')"
                    let closest = suggestion.closest.isEmpty ? "no checkpoint entry left to suggest"
                        : "closest in the checkpoint: " + suggestion.closest.map { "\($0.name) \($0.dtype.name) \(shapeText($0.shape))" }.joined(separator: ", ")
                    lines.append("    \(variable.name)  \(variable.dtype) \(shapeText(variable.shape))\(lookup): \(closest)")
                }
                return lines.joined(separator: "\n")
            }
        }
    }

    /// The checkpoint prefix.
    public var checkpoint: String
    /// How many variables the model expected.
    public var variableCount: Int
    /// Every problem, in this order: missing variables (model order) or too few
    /// found, unused entries (by key), mismatches (model order), unreadable
    /// tensors (model order).
    public var problems: [Problem]

    public init(checkpoint: String, variableCount: Int, problems: [Problem]) {
        self.checkpoint = checkpoint
        self.variableCount = variableCount
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["\(checkpoint): \(count) loading \(variableCount) variables:"] + problems.map(\.description))
            .joined(separator: "\n")
    }
}

func shapeText(_ dims: [Int]) -> String {
    "[" + dims.map(String.init).joined(separator: ", ") + "]"
}
