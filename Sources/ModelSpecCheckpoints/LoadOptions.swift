import TensorBundle

/// How strictly a checkpoint must agree with a model to be loaded, and how the
/// model's variable names map to the checkpoint's keys.
///
/// The default is strict: every variable of the model is found (through
/// ``mapping``) with its shape and dtype, and every entry of the checkpoint is
/// used. The lenient options relax the first two rules one at a time; a shape
/// or dtype mismatch, and a damaged tensor, are always errors.
///
///     // A TF1 Saver checkpoint that also holds global_step and Adam's slots:
///     var options = LoadOptions(ignoring: ["global_step"])
///     options.allowUnusedEntries = true
public struct LoadOptions: Hashable, Sendable {
    /// How model variable names become checkpoint keys (prefixes, renames,
    /// TF2 object-based keys).
    public var mapping: NameMapping
    /// Load although the checkpoint has entries no variable maps to (optimizer
    /// slots, a training-only head). Off: every entry must be used.
    public var allowUnusedEntries: Bool
    /// Load although some variables are not in the checkpoint; they keep their
    /// initializers' values. Off: every variable must be found.
    public var allowMissingVariables: Bool
    /// Checkpoint keys never reported as unused (`global_step`), in strict mode too.
    public var ignoredKeys: Set<String>

    public init(mapping: NameMapping = NameMapping(), allowUnusedEntries: Bool = false,
                allowMissingVariables: Bool = false, ignoring ignoredKeys: Set<String> = []) {
        self.mapping = mapping
        self.allowUnusedEntries = allowUnusedEntries
        self.allowMissingVariables = allowMissingVariables
        self.ignoredKeys = ignoredKeys
    }

    /// Every variable found with its shape and dtype, every entry used.
    public static let strict = LoadOptions()

    /// Unused entries and missing variables allowed; mismatches still refused.
    public static let lenient = LoadOptions(allowUnusedEntries: true, allowMissingVariables: true)
}
