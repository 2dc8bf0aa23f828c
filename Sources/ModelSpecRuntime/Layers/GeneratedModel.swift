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
                pendingValues.hold(value, for: name)
            }
        }
    }
}

/// Values for variables not created yet, handed to the variables by the next call.
public final class PendingValues {
    public private(set) var values: [String: Tensor] = [:]
    /// TensorFlow's starting weights for the variables the next call makes
    /// (``CallContext/startingWeights``); set it before the first call.
    public var startingWeights: DeterministicRandomTestTool?
    /// The variables made with ``startingWeights`` set that did not take TensorFlow's values.
    public private(set) var notFromStartingWeights: [String] = []

    /// The context of the last top-level call, made again for the next (``context(training:substituting:)``).
    private var lastContext: CallContext?

    public init() {}

    /// Holds `value` for the variable of full name `name`, until a call creates it.
    public func hold(_ value: Tensor, for name: String) {
        values[name] = value
    }

    /// The context of a top-level call: it gives the pending values to the
    /// variables the call creates. Call ``keep(after:)`` when the call ends.
    public func context(training: Bool, substituting substitutions: [String: Tensor]) -> CallContext {
        let context: CallContext
        if isKnownUniquelyReferenced(&lastContext), let lastContext {
            // The last call's context, which no one holds any more: no allocation per call.
            lastContext.restart(training: training, substituting: substitutions, initialValues: values)
            context = lastContext
        } else {
            context = CallContext(training: training, substituting: substitutions, initialValues: values)
        }
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
        lastContext = context
        values = context.initialValues
        startingWeights = context.startingWeights
        notFromStartingWeights += context.notFromStartingWeights
    }

    /// What a call took from the pending values (``lend(to:)``), for ``settle(_:after:)``.
    public struct Loan: Sendable {
        fileprivate let names: [String]
        fileprivate let startingWeights: Bool
        fileprivate let notSeededBefore: Int
    }

    /// Opens a call of the model inside a call under way (a parent's, or a ``CallContext`` of the
    /// caller's own, as `call(_:context:training:)` is called): the context gets the pending values for
    /// the variables the call creates, and the starting weights, where it has none of its own (a
    /// top-level call's context, made by ``context(training:substituting:)``, has them all already).
    /// Call ``settle(_:after:)`` when the call ends.
    public func lend(to context: CallContext) -> Loan {
        let names = values.isEmpty ? [] : values.keys.filter { context.initialValues[$0] == nil }
        for name in names { context.initialValues[name] = values[name] }
        let lendsTool = startingWeights != nil && context.startingWeights == nil
        if lendsTool { context.startingWeights = startingWeights }
        return Loan(names: names, startingWeights: lendsTool, notSeededBefore: context.notFromStartingWeights.count)
    }

    /// Takes back what the call did not use (values for variables still to come) and the starting weights
    /// as the call advanced them, leaving the context as the caller gave it.
    public func settle(_ loan: Loan, after context: CallContext) {
        for name in loan.names { values[name] = context.initialValues.removeValue(forKey: name) }
        guard loan.startingWeights else { return }
        startingWeights = context.startingWeights
        context.startingWeights = nil
        notFromStartingWeights += context.notFromStartingWeights.dropFirst(loan.notSeededBefore)
    }
}
