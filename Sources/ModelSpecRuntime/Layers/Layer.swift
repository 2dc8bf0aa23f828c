/// A layer as Keras sees it: weights it owns, tracked sublayers, and (for a
/// layer decorated with `track_tf1_style_variables`) the shim's variable
/// store. `weights`, `trainableWeights`, `nonTrainableWeights` and `losses`
/// follow from these with TensorFlow's rules (oracle/README.md §6, §7):
///
/// - `weights = trainableWeights + nonTrainableWeights`;
/// - each list is the layer's own weights in creation order, then every
///   tracked sublayer's (attribute order, recursively), then the shim store's
///   variables sorted by full name, then the `get_or_create_layer` layers'
///   weights — without repeats (by identity: a compat layer object's variables
///   sit in the store too and keep their attribute position);
/// - a layer that is not trainable lists all its weights as non-trainable;
/// - `losses` visits the layer, then its sublayers depth-first in pre-order,
///   and takes each one's `ownLosses`.
public protocol Layer: AnyObject {
    /// Weights the layer made itself (`add_weight`, `tf.Variable` attributes), in creation order.
    var ownWeights: [Variable] { get }
    /// Tracked sublayers in the order they were assigned as attributes.
    var sublayers: [any Layer] { get }
    /// The shim's variable store, for a layer that runs TF1-style code.
    var variableStore: ShimStore? { get }
    /// Keras' `layer.trainable`.
    var trainable: Bool { get }
    /// The layer's own regularization losses (not its sublayers'), evaluated now.
    var ownLosses: [Tensor] { get }
}

extension Layer {
    public var variableStore: ShimStore? { nil }
    public var trainable: Bool { true }

    /// Own weights' regularization losses, in creation order (Keras' `add_weight(regularizer:)`).
    public var ownWeightLosses: [Tensor] {
        ownWeights.compactMap(\.regularizationLoss)
    }

    /// `layer.trainable_weights`.
    public var trainableWeights: [Variable] {
        guard trainable else { return [] }
        var list = WeightList()
        list.append(ownWeights.lazy.filter(\.trainable))
        for child in sublayers { list.append(child.trainableWeights) }
        if let store = variableStore { list.append(store.trackedVariables(trainable: true)) }
        return list.items
    }

    /// `layer.non_trainable_weights`.
    public var nonTrainableWeights: [Variable] {
        var list = WeightList()
        if trainable {
            list.append(ownWeights.lazy.filter { !$0.trainable })
            for child in sublayers { list.append(child.nonTrainableWeights) }
            if let store = variableStore { list.append(store.trackedVariables(trainable: false)) }
        } else {
            list.append(ownWeights.lazy.filter(\.trainable))
            list.append(ownWeights.lazy.filter { !$0.trainable })
            for child in sublayers { list.append(child.weights) }
            if let store = variableStore {
                list.append(store.trackedVariables(trainable: true))
                list.append(store.trackedVariables(trainable: false))
            }
        }
        return list.items
    }

    /// `layer.weights`: trainable, then non-trainable.
    public var weights: [Variable] {
        trainableWeights + nonTrainableWeights
    }

    /// `layer.losses`: this layer's, then each sublayer's depth-first, evaluated
    /// from the variables' current values.
    public var losses: [Tensor] {
        var result: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ layer: any Layer) {
            guard seen.insert(ObjectIdentifier(layer)).inserted else { return }
            result += layer.ownLosses
            for child in layer.sublayers { visit(child) }
        }
        visit(self)
        return result
    }

    /// The weight with this full name, if the layer or a sublayer has it.
    public func weight(named name: String) -> Variable? {
        weights.first { $0.name == name }
    }
}

/// A list of variables without repeats, by identity (TensorFlow's `dedup`).
struct WeightList {
    private(set) var items: [Variable] = []
    private var seen = Set<ObjectIdentifier>()

    mutating func append<S: Sequence>(_ variables: S) where S.Element == Variable {
        for v in variables where seen.insert(ObjectIdentifier(v)).inserted {
            items.append(v)
        }
    }
}
