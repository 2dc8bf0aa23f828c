import TensorBundle

/// How strictly a checkpoint must agree with a model to be loaded, and how the
/// model's variable names map to the checkpoint's keys.
///
/// The default is strict: every variable of the model is found (through
/// ``mapping``) with its shape and dtype, and every entry of the checkpoint is
/// used, or is the training state a TF1 training loop saves beside the model
/// (optimizer slots, `beta1_power`, `global_step`, moving averages: see
/// `CheckpointMatch.skipped`), or matches ``ignoredKeys``. The lenient options
/// relax the first two rules one at a time; a shape or dtype mismatch, and a
/// damaged tensor, are always errors.
///
///     // A TF1 training checkpoint (Adam's slots, global_step) loads as it is:
///     try model.load(Checkpoint(path: "train/model.ckpt-1350"))
///     // Its moving averages instead of the raw values, as ema.variables_to_restore():
///     try model.load(Checkpoint(path: "train/model.ckpt-1350"), options: LoadOptions(movingAverages: true))
public struct LoadOptions: Hashable, Sendable {
    /// How model variable names become checkpoint keys (prefixes, renames,
    /// TF2 object-based keys).
    public var mapping: NameMapping
    /// Load although the checkpoint has entries no variable maps to (optimizer
    /// slots, a training-only head). Off: every entry must be used.
    public var allowUnusedEntries: Bool
    /// Load although some variables are not in the checkpoint; they keep their
    /// initializers' values (the returned match's `report` names them). Off:
    /// every variable must be found. Even when on, a checkpoint in which fewer
    /// than one variable, or than a tenth of the variables and a tenth of their
    /// values, are found is refused as another model's
    /// (``CheckpointLoadError/Problem/tooFewFound(found:of:suggestions:)``).
    public var allowMissingVariables: Bool
    /// Glob patterns of checkpoint keys never reported as unused, in strict mode
    /// too (`*/Adam*`; a plain key matches itself). A pattern that matches no
    /// entry left unused is reported in the match's `unmatchedIgnorePatterns`.
    public var ignoredKeys: Set<String>
    /// Load trainable variables from their moving averages, as
    /// `ExponentialMovingAverage.variables_to_restore()` does for inference: a
    /// trainable variable from `<key>/<movingAverageName>`, every other variable
    /// (batch normalization's moving statistics) from its own key.
    public var movingAverages: Bool
    /// The `ExponentialMovingAverage`'s `name=` (its default, `ExponentialMovingAverage`).
    public var movingAverageName: String

    public init(mapping: NameMapping = NameMapping(), allowUnusedEntries: Bool = false,
                allowMissingVariables: Bool = false, ignoring ignoredKeys: Set<String> = [],
                movingAverages: Bool = false, movingAverageName: String = "ExponentialMovingAverage") {
        self.mapping = mapping
        self.allowUnusedEntries = allowUnusedEntries
        self.allowMissingVariables = allowMissingVariables
        self.ignoredKeys = ignoredKeys
        self.movingAverages = movingAverages
        self.movingAverageName = movingAverageName
    }

    /// Every variable found with its shape and dtype, every entry used.
    public static let strict = LoadOptions()

    /// Unused entries and missing variables allowed; mismatches still refused.
    public static let lenient = LoadOptions(allowUnusedEntries: true, allowMissingVariables: true)
}
