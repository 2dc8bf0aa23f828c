import ModelSpecRuntime
import TensorBundle

extension RestorableLayer {
    /// Loads a checkpoint into the model by variable name, before or after its
    /// first call: `expected` lists every variable the model makes (the
    /// compiler's manifest: names, shapes, dtypes), so the checkpoint is checked
    /// against all of them even when none exists yet. Existing variables are
    /// assigned now; the others get their values when the first call creates them.
    ///
    ///     let model = try InterpretedModel(description, library: library)
    ///     try model.load(Checkpoint(path: "model.ckpt"), expecting: manifest, options: .strict)
    ///     let logits = try model(["images": images])
    ///
    /// - Returns: how names matched: the variables loaded, the training state
    ///   skipped, and what lenient options let pass (its `report` says it in lines).
    /// - Throws: ``CheckpointLoadError`` with every problem; then nothing is loaded.
    @discardableResult
    public func load(_ checkpoint: Checkpoint, expecting expected: [ExpectedVariable],
                     options: LoadOptions = .strict) throws -> CheckpointMatch {
        let (values, match) = try CheckpointLoader(checkpoint, options: options).checkedValues(for: expected)
        try load(values)
        return match
    }
}

extension Layer {
    /// Loads a checkpoint into the variables the layer has now (`weights`: a
    /// model that has been called once, or whose variables are all made at
    /// `init`), by variable name. Each is expected as float32 with its current
    /// shape. For a model whose variables are not created yet, use
    /// ``RestorableLayer/load(_:expecting:options:)`` with its manifest.
    ///
    /// - Throws: ``CheckpointLoadError`` with every problem; then nothing is loaded.
    @discardableResult
    public func load(_ checkpoint: Checkpoint, options: LoadOptions = .strict) throws -> CheckpointMatch {
        let variables = weights
        let expected = variables.map(ExpectedVariable.init)
        let (values, match) = try CheckpointLoader(checkpoint, options: options).checkedValues(for: expected)
        for variable in variables {
            if let value = values[variable.name] { try variable.assign(value) }
        }
        return match
    }
}

extension GeneratedModel {
    /// Loads a checkpoint into a generated model by variable name, right after
    /// `init` or later: every variable of the model's manifest is checked
    /// against the checkpoint before anything is loaded.
    ///
    ///     let model = DigitsCNN()
    ///     let match = try model.load(Checkpoint(path: "model.ckpt"))
    ///     match.report.forEach { print($0) }   // skipped training state, variables left at their initial values
    ///
    /// - Throws: ``CheckpointLoadError`` with every problem; then nothing is loaded.
    @discardableResult
    public func load(_ checkpoint: Checkpoint, options: LoadOptions = .strict) throws -> CheckpointMatch {
        try load(checkpoint, expecting: Self.manifest.map(ExpectedVariable.init), options: options)
    }
}

extension ExpectedVariable {
    /// A generated model's manifest entry, as a checkpoint should hold it.
    public init(_ entry: ManifestEntry) {
        self.init(name: entry.name, shape: entry.shape, dtype: entry.dtype, trainable: entry.trainable, variableName: entry.variableName,
                  objectPath: entry.objectPath)
    }
}
