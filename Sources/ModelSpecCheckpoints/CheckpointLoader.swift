import ModelSpecRuntime
import TensorBundle

/// Reads the values of a model's variables from a TensorFlow checkpoint, by
/// name, after checking that the two agree.
///
/// Each variable is looked up under the key ``LoadOptions/mapping`` gives its
/// full name. Every problem (missing variables, unused entries, shape or dtype
/// mismatches, tensors that cannot be read) is collected and thrown together
/// as one ``CheckpointLoadError``; nothing is returned, so nothing is loaded,
/// unless every check passes. Tensors are read through ``Checkpoint``'s checked
/// path: each tensor's CRC32C is verified against the index before its values
/// are used, so a damaged tensor is never loaded.
///
///     let loader = try CheckpointLoader(path: "train/model.ckpt-1350", options: .strict)
///     let values = try loader.values(for: expected)   // [variable name: Tensor]
public struct CheckpointLoader: Sendable {
    public let checkpoint: Checkpoint
    public var options: LoadOptions

    public init(_ checkpoint: Checkpoint, options: LoadOptions = .strict) {
        self.checkpoint = checkpoint
        self.options = options
    }

    /// Opens the checkpoint at `path` (a prefix, its `.index` file, or a
    /// directory with a `checkpoint` state file).
    public init(path: String, options: LoadOptions = .strict) throws {
        self.init(try Checkpoint(path: path), options: options)
    }

    /// How the variables and the checkpoint's entries agree (no values read).
    public func match(_ expected: [ExpectedVariable]) -> CheckpointMatch {
        CheckpointMatch(expected: expected, entries: checkpoint.entries, mapping: options.mapping,
                        ignoring: options.ignoredKeys,
                        movingAverages: options.movingAverages ? options.movingAverageName : nil)
    }

    /// The problems that stop loading, without reading values.
    public func problems(_ match: CheckpointMatch) -> [CheckpointLoadError.Problem] {
        var problems: [CheckpointLoadError.Problem] = []
        if !options.allowMissingVariables {
            problems += match.missing.map { .missing($0, key: match.lookupKey(for: $0.name) ?? $0.name) }
        } else if !Self.foundEnough(match) {
            problems.append(.tooFewFound(found: match.matched.count + match.mismatched.count,
                                         of: match.matched.count + match.mismatched.count + match.missing.count,
                                         suggestions: match.suggestions()))
        }
        if !options.allowUnusedEntries {
            problems += match.unused.map { .unused($0) }
        }
        problems += match.mismatched.map {
            .mismatched($0.variable, key: $0.key, checkpointShape: $0.checkpointShape, checkpointDType: $0.checkpointDType)
        }
        return problems
    }

    /// Whether a lenient load found enough of the model to be loading its
    /// checkpoint: at least one variable, and at least a tenth of the
    /// variables or a tenth of their values (elements). Fewer is the mark of
    /// another model's checkpoint, or of a name mapping still to write, whose
    /// load would leave the model at its random initial values. (Found with
    /// another shape or dtype counts as found: the names agree.)
    static func foundEnough(_ match: CheckpointMatch) -> Bool {
        let found = match.matched.map(\.variable) + match.mismatched.map(\.variable)
        let all = found + match.missing
        guard !all.isEmpty else { return true }
        guard !found.isEmpty else { return false }
        func size(_ variables: [ExpectedVariable]) -> Int { variables.reduce(0) { $0 + $1.shape.reduce(1, *) } }
        return found.count * 10 >= all.count || size(found) * 10 >= size(all)
    }

    /// The values of the variables the checkpoint has, by model variable name.
    ///
    /// float32 tensors are read as they are; a variable of another real or
    /// integer dtype (whose checkpoint entry has that same dtype) is converted
    /// to the runtime's Float.
    /// - Throws: ``CheckpointLoadError`` with every problem found (each tensor
    ///   is read, so damaged ones are reported alongside name problems).
    public func values(for expected: [ExpectedVariable]) throws -> [String: Tensor] {
        try checkedValues(for: expected).values
    }

    /// ``values(for:)`` and the match it was checked by.
    func checkedValues(for expected: [ExpectedVariable]) throws -> (values: [String: Tensor], match: CheckpointMatch) {
        let match = match(expected)
        var problems = problems(match)
        var values: [String: Tensor] = [:]
        for found in match.matched {
            do {
                values[found.variable.name] = try read(found.key, as: found.variable)
            } catch let error as CheckpointError {
                problems.append(.unreadable(found.variable, key: found.key, error: error))
            }
        }
        guard problems.isEmpty else {
            throw CheckpointLoadError(checkpoint: checkpoint.prefix, variableCount: expected.count, problems: problems)
        }
        return (values, match)
    }

    /// One tensor, CRC-checked, as a Float tensor of the variable's shape.
    func read(_ key: String, as variable: ExpectedVariable) throws -> Tensor {
        let scalars = try checkpoint.floats(named: key, converting: variable.dtype != "float32")
        do {
            return try Tensor(shape: variable.shape, scalars: scalars)
        } catch {
            throw CheckpointError(.corruptEntry, file: checkpoint.indexFile, entry: key,
                                  "holds \(scalars.count) values for shape \(shapeText(variable.shape))")
        }
    }
}

extension ExpectedVariable {
    /// What a variable that exists expects: its name and shape, float32 (the runtime's values).
    public init(_ variable: Variable) {
        self.init(name: variable.name, shape: variable.shape, dtype: "float32", trainable: variable.trainable)
    }
}
