/// Names that can be spec value names and Swift identifiers.
enum Identifier {
    /// Letters, digits and underscores, not starting with a digit.
    static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !text.isEmpty else { return false }
        guard first == "_" || first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}

/// "did you mean" hints for misspelled keys, ops and names.
enum Suggestion {
    /// `; did you mean 'units'?` when a candidate is close enough; else, when the word is a
    /// candidate short of some of its words (`peepholes` for `use_peepholes`), those
    /// candidates (`; did you mean 'kernel_initializer' or 'bias_initializer'?`); else "".
    static func didYouMean(_ word: String, among candidates: [String]) -> String {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
        // One edit in three letters, but never every letter: 'g' does not suggest 'x'.
        let limit = min(max(1, word.count / 3), word.count - 1)
        if best.1 <= limit { return "; did you mean '\(best.0)'?" }
        let extended = scored.filter { containsWords(word, of: $0.0) }
            .enumerated().sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }
            .prefix(3).map { "'\($0.element.0)'" }
        return extended.isEmpty ? "" : "; did you mean \(extended.joined(separator: " or "))?"
    }

    /// Whether `word`'s `_`-separated words (three letters or more in all) run whole
    /// inside `candidate`'s, which has more: `peepholes` in `use_peepholes`.
    static func containsWords(_ word: String, of candidate: String) -> Bool {
        let part = word.lowercased().split(separator: "_"), whole = candidate.lowercased().split(separator: "_")
        guard word.count >= 3, !part.isEmpty, whole.count > part.count else { return false }
        return (0...(whole.count - part.count)).contains { Array(whole[$0..<($0 + part.count)]) == part }
    }

    /// For an unknown operation: `; did you mean 'dense'?` when one is close
    /// enough, else the three closest and where every operation is listed.
    static func closeOperations(_ word: String, among operations: [String]) -> String {
        let close = didYouMean(word, among: operations)
        if !close.isEmpty { return close }
        let closest = operations.enumerated()
            .map { (name: $0.element, distance: distance(word.lowercased(), $0.element.lowercased()), order: $0.offset) }
            .sorted { ($0.distance, $0.order) < ($1.distance, $1.order) }
            .prefix(3).map { "'\($0.name)'" }
        return "; the closest operations are \(closest.joined(separator: ", ")); every operation is in the operation reference, docs/spec-language.md#operation-reference"
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap
    /// of two neighbours as one edit (optimal string alignment), so that
    /// `desne` is one edit from `dense`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            before = previous
            previous = current
        }
        return previous[b.count]
    }
}

/// Names a model cannot take as its Swift type: the generated file declares
/// `final class NAME` beside the code that calls the runtime, so a name that is
/// a Swift keyword or that hides a type that code names would not compile.
enum ReservedTypeName {
    /// Capitalized words Swift reserves (`Self`, `Any`) or gives a meaning after a type (`X.Type`, `X.Protocol`).
    static let swiftKeywords: Set<String> = ["Self", "Any", "Type", "Protocol"]
    /// Standard-library types the generated code names.
    static let standardLibraryTypes: Set<String> = [
        "String", "Int", "Float", "Double", "Bool", "Array", "Dictionary", "Set", "Optional", "Error", "Never", "Void",
        "Sendable", "Swift",
    ]
    /// The public types of ModelSpecRuntime, which the generated file imports (a test keeps this list in step).
    static let runtimeTypes: Set<String> = [
        "ModelSpecRuntime", "Activation", "BLASThreads", "BoolTensor", "CallContext", "CompatLayer", "DeterministicRandomTestTool", "GeneratedModel", "GradientCheck", "GradientTape", "IndexedSlices", "VariableGradient", "Optimizer", "OptimizerSlots", "GlobalStep", "Losses", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer", "RMSPropOptimizer", "AdagradOptimizer", "IndexTensor", "IntegerTensor", "Int64Tensor", "TensorInteger", "ElementTensor", "InputDimension", "InputShapeError",
        "Initializer", "KerasLayer", "KerasMask", "KeptState", "Layer", "LayerConfiguration", "LayerKernel", "ManifestEntry", "NpyArray", "NpyError",
        "BatchNormalizationKernel", "Conv2DTransposeKernel", "ConvolutionKernel", "DenseKernel", "DepthwiseArguments",
        "DepthwiseConv2DKernel", "DropoutKernel", "FlattenKernel", "LayerNormalizationKernel", "Pooling2DKernel",
        "SeparableConv2DKernel", "WeightArguments",
        "NpyIntegerType", "NumPy", "PadMode", "Padding", "PendingValues", "Philox", "RNNCell", "RecurrentCell", "RecurrentDropoutMasks", "RecurrentKernel", "EmbeddingKernel", "IndexInputKernel", "Regularizer", "RestorableLayer", "ScopeDefaults", "SeededGenerator", "Slim", "SlimBatchNormKernel", "SlimLayerKernel", "SlimLayerNormKernel",
        "ShimLayer", "ShimStore", "TF1", "Template", "Tensor", "TensorAllocation", "TensorError", "TensorFlowRandomOps", "TensorMemory", "TensorVariable",
        "Variable", "WeightRequest",
    ]

    /// Why `name` cannot be a model's type name, or nil.
    static func refusal(_ name: String) -> String? {
        if swiftKeywords.contains(name) {
            return "model '\(name)' cannot be a type name: Swift reserves '\(name)'; choose another name"
        }
        if standardLibraryTypes.contains(name) || runtimeTypes.contains(name) {
            let owner = runtimeTypes.contains(name) ? "ModelSpecRuntime" : "the Swift standard library"
            return "model '\(name)' would hide the type '\(name)' of \(owner) that the generated code uses; choose another name"
        }
        return nil
    }
}
