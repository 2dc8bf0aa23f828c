import TFNaming

/// What every model type generated from a spec offers beyond `Layer`: its
/// manifest, known before anything runs, and values for its variables given
/// before they exist (a checkpoint loaded right after `init`).
public protocol GeneratedModel: RestorableLayer {
    /// The variables the first call creates, in creation order, as TensorFlow names them.
    static var manifest: [ManifestEntry] { get }
    /// Values waiting for variables the next call creates.
    var pendingValues: PendingValues { get }
}

extension GeneratedModel {
    /// The variables made so far, in the manifest's (creation) order.
    public var createdVariables: [Variable] {
        let byName = Dictionary(weights.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return Self.manifest.compactMap { byName[$0.name] }
    }

    /// Gives variables the values of `tensors` by full name: the existing ones now
    /// (shapes must agree), the others when the next call creates them.
    public func load(_ tensors: [String: Tensor]) throws {
        let existing = Dictionary(weights.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, value) in tensors {
            if let variable = existing[name] {
                try variable.assign(value)
            } else {
                pendingValues.values[name] = value
            }
        }
    }
}

/// Values for variables not created yet, handed to the variables by the next call.
public final class PendingValues {
    public fileprivate(set) var values: [String: Tensor] = [:]
    /// TensorFlow's starting weights for the variables the next call makes
    /// (``CallContext/startingWeights``); set it before the first call.
    public var startingWeights: DeterministicRandomTestTool?
    /// The variables made with ``startingWeights`` set that did not take TensorFlow's values.
    public private(set) var notFromStartingWeights: [String] = []

    public init() {}

    /// The context of a top-level call: it gives the pending values to the
    /// variables the call creates. Call ``keep(after:)`` when the call ends.
    public func context(training: Bool, substituting substitutions: [String: Tensor]) -> CallContext {
        let context = CallContext(training: training, substituting: substitutions, initialValues: values)
        context.startingWeights = startingWeights
        return context
    }

    /// The context of a top-level call of a model without a shim store of its own whose
    /// nested shim layers make `get_or_create_layer` layers: they continue Keras's names
    /// as making this model left them (`kerasModel`, its Keras name; `kerasCounts`).
    public func context(training: Bool, substituting substitutions: [String: Tensor], kerasModel: String,
                        kerasCounts: [String: Int]) -> CallContext {
        let context = context(training: training, substituting: substitutions)
        context.kerasNames = KerasModelNames(model: kerasModel, counts: kerasCounts)
        return context
    }

    /// Keeps the values the call did not use (for variables still to come).
    public func keep(after context: CallContext) {
        values = context.initialValues
        startingWeights = context.startingWeights
        notFromStartingWeights += context.notFromStartingWeights
    }
}
