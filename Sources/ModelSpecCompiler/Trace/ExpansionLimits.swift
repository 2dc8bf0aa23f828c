/// Bounds on the work of checking a spec that uses other specs as layers, as
/// the YAML layer bounds nesting and alias expansion. A spec used twice is
/// traced twice (each use makes its own variables), so specs that use each
/// other can expand exponentially: a chain of 40 specs each using the next
/// twice is 2^40 calls. Crossing a bound is an error at the spec's step.
public struct ExpansionLimits: Sendable, Hashable {
    /// Specs used as layers may nest this deep (a spec using itself through others is refused apart).
    public var maximumNestingDepth: Int
    /// The steps one trace of a model may run, counting each step of every nested spec each time it runs.
    public var maximumExpandedSteps: Int
    /// The layers making a model may make: every spec declared as a layer is made, called or not,
    /// and makes the layers it declares again for each declaration.
    public var maximumLayersMade: Int

    public init(maximumNestingDepth: Int = 100, maximumExpandedSteps: Int = 1_000_000, maximumLayersMade: Int = 1_000_000) {
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumExpandedSteps = maximumExpandedSteps
        self.maximumLayersMade = maximumLayersMade
    }
}
