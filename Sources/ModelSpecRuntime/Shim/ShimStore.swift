import TFNaming

/// The variable store of one layer instance that runs TF1-style code, as
/// `track_tf1_style_variables` gives each decorated layer its own
/// `_EagerVariableStore`: variables by full name (``TFNaming/VariableStore``),
/// the regularizers to report as the layer's losses, and the layers made by
/// `get_or_create_layer`. Two instances have two stores: the same names, distinct
/// variables.
public final class ShimStore {
    /// The naming rules and the variables, in creation order.
    public internal(set) var store = VariableStore<Variable>()
    private enum RegularizerEntry {
        case variable(Variable)
        case layer(any Layer)
    }
    /// The regularized variables and `get_or_create_layer` layers, in insertion order.
    private var regularizers: [RegularizerEntry] = []
    /// `get_or_create_layer` layers by key (`scope/name`), and their keys in insertion order.
    private var layersByKey: [String: any Layer] = [:]
    private var layerKeys: [String] = []
    /// The variables sorted by full name, kept until the next creation.
    private var sortedCache: [Variable]?
    /// The naming decisions of the last call, replayed by the next (``CallPlan``).
    var plan: CallPlan?
    /// The outputs of the last call's layer steps, for the next call to write into (``RecycledOutputs``).
    let recycledOutputs = RecycledOutputs()

    /// Keras's names as constructing the model left them, for a call that starts at this
    /// layer: the model's Keras name and the layer-name counters (from the compiler; see
    /// ``TF1/kerasLayerPath(className:name:inModel:)``). A nested layer's calls continue the
    /// top-level model's instead.
    public let kerasNames: KerasModelNames

    public init(kerasNames: KerasModelNames = KerasModelNames(model: "", counts: [:])) {
        self.kerasNames = kerasNames
    }

    /// A store whose calls start Keras's names at `kerasModel` (the model's Keras name) and
    /// `kerasCounts` (how many layers took each name when the model was made).
    public convenience init(kerasModel: String, kerasCounts: [String: Int]) {
        self.init(kerasNames: KerasModelNames(model: kerasModel, counts: kerasCounts))
    }

    /// The variables in creation order.
    public var variables: [Variable] { store.variables.map(\.value) }

    /// The layers made by `get_or_create_layer`, sorted by key.
    public var layers: [any Layer] { layerKeys.sorted().compactMap { layersByKey[$0] } }

    /// Runs one call of the layer's TF1-style code: `body` gets the API that reads like
    /// `tf.compat.v1` (``TF1``). Variables made by earlier calls are reused silently.
    /// - Parameters:
    ///   - context: the top-level call's context, shared with nested shim layers.
    ///   - training: the flag of this call; the context's by default.
    ///
    /// The outermost shim call of a top-level call records its naming decisions
    /// on the first call and replays them on later ones (``CallPlan``).
    public func call<R>(context: CallContext, training: Bool? = nil, _ body: (TF1) throws -> R) throws -> R {
        store.beginCall()
        if context.liveKerasNames == nil { context.liveKerasNames = kerasNames }
        let tf = TF1(store: self, context: context, training: training ?? context.training)
        guard context.beginPlan(of: self) else { return try body(tf) }
        do {
            let result = try body(tf)
            if let recorded = context.endPlan() { plan = recorded }
            return result
        } catch {
            context.abandonPlan()
            throw error
        }
    }

    /// The store as a tracked child of the layer (`tf.Module._flatten`): its variables
    /// of the given trainability sorted by full name (code points), then the
    /// `get_or_create_layer` layers' weights.
    func trackedVariables(trainable: Bool) -> [Variable] {
        if sortedCache == nil {
            sortedCache = variables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        var result = sortedCache!.filter { $0.trainable == trainable }
        for layer in layers {
            result += trainable ? layer.trainableWeights : layer.nonTrainableWeights
        }
        return result
    }

    /// The shim's losses: each regularized variable's loss in creation order, and one
    /// scalar `reduce_sum(layer.losses)` per `get_or_create_layer` layer.
    public var losses: [Tensor] {
        regularizers.compactMap { entry in
            switch entry {
            case let .variable(variable):
                return variable.regularizationLoss
            case let .layer(layer):
                let total = layer.losses.reduce(Float(0)) { $0 + ($1.scalar ?? 0) }
                return Tensor(total)
            }
        }
    }

    func didCreate(_ variable: Variable) {
        sortedCache = nil
        if variable.regularizer != nil { regularizers.append(.variable(variable)) }
    }

    func layer(forKey key: String) -> (any Layer)? { layersByKey[key] }

    func add(_ layer: any Layer, forKey key: String) {
        layersByKey[key] = layer
        layerKeys.append(key)
        regularizers.append(.layer(layer))
    }
}

/// A layer that runs TF1-style code (`@track_tf1_style_variables`) through its
/// own ``ShimStore``; generated legacy models conform to it.
///
///     final class DenseLayer: ShimLayer {
///         let shim = ShimStore()
///         func call(_ inputs: Tensor, context: CallContext) throws -> Tensor {
///             try shim.call(context: context) { tf in
///                 try tf.variableScope("dense") {
///                     let kernel = try tf.getVariable("kernel", shape: [20, 10], initializer: .glorotNormal(), regularizer: .l2(0.01))
///                     let bias = try tf.getVariable("bias", shape: [10], initializer: .zeros)
///                     return try biasAdd(matmul(inputs, kernel), bias)
///                 }
///             }
///         }
///     }
public protocol ShimLayer: Layer {
    var shim: ShimStore { get }
}

extension ShimLayer {
    public var variableStore: ShimStore? { shim }
    public var ownWeights: [Variable] { [] }
    public var sublayers: [any Layer] { [] }
    /// Own weights' losses, then the shim's (regularized variables in creation order).
    public var ownLosses: [Tensor] { ownWeightLosses + shim.losses }
}
