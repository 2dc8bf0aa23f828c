/// A layer kind's computation in the runtime, one type per kind (`Layers/Kinds/`):
/// its arguments, the variables it asks for, its forward pass. The same kernel
/// drives the functional compat layers (`tf.dense(...)`), the compat layer objects
/// (`v1.Dense`) and the Keras-native layers (`keras.Dense`); only how the variables
/// are named and kept differs. Its compiler declaration is the `LayerKind` of the
/// same base name; the interpreter's `RuntimeLayers` binds the two.
///
/// Training (issue 18) adds the backward pass beside ``apply(_:training:context:weight:)``.
public protocol LayerKernel: Sendable {
    /// The snake-case base name TensorFlow derives from the class (`Dense` → `dense`), the base of auto-names.
    var baseName: String { get }
    /// Whether it asks for variables.
    var makesVariables: Bool { get }
    /// Runs the layer on `x`, asking `weight` for each variable in TensorFlow's
    /// creation order. A request's `trainable` is false for a variable that never
    /// trains (`moving_mean`), true for one that follows the layer's `trainable`.
    func apply(_ x: Tensor, training: Bool, context: CallContext,
               weight: (WeightRequest) throws -> Variable) throws -> Tensor
    /// `activity_regularizer`: a layer object (``KerasLayer``, ``CompatLayer``) adds
    /// `regularizer(output) / batch size` to its losses after each call, as Keras does;
    /// a functional call does not (TensorFlow drops it there).
    var activityRegularizer: Regularizer? { get }
    /// Whether the layer hands its input's Keras mask on to its output (Keras's
    /// `supports_masking`: `Dense`, `Dropout`, the normalizations); false for the others,
    /// whose output has none unless the kernel sets one itself.
    var supportsMasking: Bool { get }
    /// Runs a layer that takes more than its input or makes more than one value (a Keras
    /// recurrent layer: the initial state, the final state); by default, ``apply(_:training:context:weight:)``
    /// on the first input.
    func apply(_ inputs: [Tensor], training: Bool, context: CallContext,
               weight: (WeightRequest) throws -> Variable) throws -> [Tensor]
}

extension LayerKernel {
    public var activityRegularizer: Regularizer? { nil }
    public var supportsMasking: Bool { false }

    /// The activity loss of `output`: the regularizer's penalty divided by the batch size.
    func activityLoss(_ output: Tensor) -> Tensor? {
        guard let activityRegularizer else { return nil }
        let batch = Float(Swift.max(output.shape.first ?? 1, 1))
        return activityRegularizer.loss(output) / batch
    }

    public func apply(_ inputs: [Tensor], training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> [Tensor] {
        [try apply(inputs[0], training: training, context: context, weight: weight)]
    }
}

/// A layer whose input is integer ids (Keras's `Embedding`): given int32 or int64 ids
/// (an ``IntegerTensor``), it reads them as they are, never through floats.
public protocol IndexInputKernel: LayerKernel {
    /// Runs the layer on `ids`, asking `weight` for each variable as the float call does.
    func apply<S: TensorInteger>(ids: IntegerTensor<S>, training: Bool, context: CallContext,
                                 weight: (WeightRequest) throws -> Variable) throws -> Tensor
}

/// A layer kind's kernel, with the arguments every layer has: its `name` and `trainable`.
public struct LayerConfiguration: Sendable {
    public var kernel: any LayerKernel
    /// The explicit `name` argument.
    public var name: String?
    public var trainable: Bool

    public init(_ kernel: any LayerKernel, name: String? = nil, trainable: Bool = true) {
        self.kernel = kernel
        self.name = name
        self.trainable = trainable
    }

    /// The snake-case base name of auto-names.
    public var baseName: String { kernel.baseName }

    /// Runs the kernel on `x`; its variables are trainable when the layer is.
    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let output = try withoutActuallyEscaping(weight) { weight in
            try kernel.apply(x, training: training, context: context, weight: layerWeight(weight))
        }
        // Keras keeps a mask the layer made itself, else hands the input's on when it supports masking.
        return kernel.supportsMasking && output.kerasMask == nil ? output.masked(x.kerasMask) : output
    }

    /// Runs a kernel that takes integer ids on `ids` (``IndexInputKernel``).
    /// - Throws: `TensorError` when the kernel takes numbers, not ids.
    public func apply<S: TensorInteger>(ids: IntegerTensor<S>, training: Bool, context: CallContext,
                                        weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard let kernel = kernel as? any IndexInputKernel else {
            throw TensorError(op: baseName, shapes: [ids.shape], reason: "is integer ids, but the layer takes numbers")
        }
        return try withoutActuallyEscaping(weight) { weight in
            try kernel.apply(ids: ids, training: training, context: context, weight: layerWeight(weight))
        }
    }

    /// Runs the kernel on several inputs, making several values (``LayerKernel/apply(_:training:context:weight:)-([Tensor])``).
    public func apply(_ inputs: [Tensor], training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> [Tensor] {
        try withoutActuallyEscaping(weight) { weight in
            try kernel.apply(inputs, training: training, context: context, weight: layerWeight(weight))
        }
    }

    /// `weight`, with each request's `trainable` and-ed with the layer's.
    public func layerWeight(_ weight: @escaping (WeightRequest) throws -> Variable) -> (WeightRequest) throws -> Variable {
        // A trainable layer asks as its kernel asks: no wrapper to allocate and call on every call.
        if trainable { return weight }
        return { request in
            var request = request
            request.trainable = false
            return try weight(request)
        }
    }

    /// `3` means `(3, 3)`, as in TensorFlow: one size for every spatial axis.
    public static func pair(_ values: [Int]) -> [Int] {
        spatial(values, rank: 2)
    }

    /// One size for each of `rank` spatial axes: a single size is repeated.
    public static func spatial(_ values: [Int], rank: Int) -> [Int] {
        values.count == 1 ? Array(repeating: values[0], count: rank) : values
    }
}

/// What a layer asks of whoever keeps its variables: a variable by relative name.
public struct WeightRequest {
    public var name: String
    public var shape: [Int]
    /// nil: `get_variable`'s default, the enclosing variable scope's initializer if it
    /// has one (a `tf.compat.v1.layers` kernel without `kernel_initializer`), else glorot uniform.
    public var initializer: Initializer?
    public var regularizer: Regularizer?
    public var trainable: Bool

    public init(name: String, shape: [Int], initializer: Initializer?, regularizer: Regularizer? = nil, trainable: Bool = true) {
        self.name = name
        self.shape = shape
        self.initializer = initializer
        self.regularizer = regularizer
        self.trainable = trainable
    }
}

/// The arguments of a layer with a kernel and a bias (`Dense`, `Conv2D`), with TensorFlow's defaults.
public struct WeightArguments: Sendable, Equatable {
    public var activation: Activation = .linear
    public var useBias = true
    /// nil: `glorot_uniform`, the default of `get_variable` and of Keras layers.
    public var kernelInitializer: Initializer?
    public var biasInitializer: Initializer = .zeros
    public var kernelRegularizer: Regularizer?
    public var biasRegularizer: Regularizer?
    /// Its loss on the layer's output; see ``LayerKernel/activityRegularizer``.
    public var activityRegularizer: Regularizer?

    public init(activation: Activation = .linear, useBias: Bool = true, kernelInitializer: Initializer? = nil,
                biasInitializer: Initializer = .zeros, kernelRegularizer: Regularizer? = nil,
                biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil) {
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        self.kernelRegularizer = kernelRegularizer
        self.biasRegularizer = biasRegularizer
        self.activityRegularizer = activityRegularizer
    }

    /// The variables, in creation order: `kernel` of `kernelShape`, then `bias` `[size]` when `useBias`.
    public func kernelAndBias(_ kernelShape: [Int], bias size: Int,
                              weight: (WeightRequest) throws -> Variable) throws -> (kernel: Variable, bias: Variable?) {
        let kernel = try weight(WeightRequest(name: "kernel", shape: kernelShape, initializer: kernelInitializer,
                                              regularizer: kernelRegularizer))
        return (kernel, try bias(size, weight: weight))
    }

    /// ``kernelAndBias(_:bias:weight:)`` for a kernel `[inputs, units]` and a bias `[units]` (`Dense`):
    /// on a replayed call plan of a functional layer, the plan's variables, with no request built.
    func kernelAndBias(inputs: Int, units: Int, context: CallContext,
                       weight: (WeightRequest) throws -> Variable) throws -> (kernel: Variable, bias: Variable?) {
        guard let kernel = context.replayedLayerWeight("kernel", inputs, units) else {
            return try kernelAndBias([inputs, units], bias: units, weight: weight)
        }
        guard useBias else { return (kernel, nil) }
        return (kernel, try context.replayedLayerWeight("bias", units) ?? bias(units, weight: weight))
    }

    /// `bias` `[size]` when `useBias`.
    public func bias(_ size: Int, weight: (WeightRequest) throws -> Variable) throws -> Variable? {
        try useBias ? weight(WeightRequest(name: "bias", shape: [size], initializer: biasInitializer, regularizer: biasRegularizer)) : nil
    }
}
