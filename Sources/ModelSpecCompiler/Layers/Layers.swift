extension LayerKind {
    /// Every declared layer kind, in the reference's order.
    public static let allCases: [LayerKind] = [
        .dense, .conv1d, .conv2d, .conv3d, .conv2dTranspose, .separableConv2d, .depthwiseConv2d,
        .batchNormalization, .layerNormalization, .flatten, .dropout, .maxPooling2d, .averagePooling2d,
        .embedding, .simpleRNN, .gru, .lstm,
    ]

    /// TensorFlow's names of a layer that has all three forms: `tf.compat.v1.layers.conv2d`,
    /// `tf.compat.v1.layers.Conv2D`, `tf.keras.layers.Conv2D`.
    static func everyForm(_ function: String, _ className: String) -> [LayerForm: String] {
        [.functional: "tf.compat.v1.layers." + function, .legacyObject: "tf.compat.v1.layers." + className,
         .native: "tf.keras.layers." + className]
    }

    /// The arguments of a layer with a kernel and a bias, after its own: `activation`, `use_bias`,
    /// the initializers and the regularizers, with TensorFlow's defaults (the same in every API), and `activity_regularizer`.
    static let weightArguments: [LayerArgument] = [
        LayerArgument("activation", .activation, .value(.activation(.linear)), swift: "activation"),
        LayerArgument("use_bias", .bool, .value(.bool(true)), swift: "useBias"),
        LayerArgument("kernel_initializer", .initializer, .absent("glorot_uniform"), swift: "kernelInitializer"),
        LayerArgument("bias_initializer", .initializer, .value(.initializer(.zeros)), swift: "biasInitializer"),
        LayerArgument("kernel_regularizer", .regularizer, .absent("none"), swift: "kernelRegularizer"),
        LayerArgument("bias_regularizer", .regularizer, .absent("none"), swift: "biasRegularizer"),
        activityRegularizer,
    ]

    /// `activity_regularizer`: its loss, `regularizer(output) / batch size`, is in the `losses` of a
    /// Keras layer or a `v1.` object after each call, before its weights' losses; TensorFlow drops it
    /// for a functional step.
    static let activityRegularizer = LayerArgument("activity_regularizer", .regularizer, .absent("none"),
                                                   swift: "activityRegularizer")

    /// `kernel`, of the shape `rule` gives, initialized and regularized by the kernel arguments.
    static func kernel(_ shape: String,
                       _ rule: @escaping @Sendable (TracedShape, LayerArguments) throws -> [Int]) -> LayerVariable {
        LayerVariable("kernel", shape, initializer: .argument("kernel_initializer"), regularizer: "kernel_regularizer", rule: rule)
    }

    /// `bias` of `[size]` (the argument `size`, such as `units`), made when `use_bias`.
    static func bias(_ size: String) -> LayerVariable {
        LayerVariable("bias", "[\(size)]", if: "use_bias", initializer: .argument("bias_initializer"),
                      regularizer: "bias_regularizer") { _, arguments in [arguments.int(size)] }
    }
}

extension LayerDefault {
    /// A default of `count` ones, one per spatial axis (strides, dilation).
    static func ones(_ count: Int) -> LayerDefault {
        .value(.ints(Array(repeating: .literal(1), count: count)))
    }
}

extension TracedShape {
    /// The size of dimension `axis`, which a variable's shape needs known.
    func knownSize(_ axis: Int, _ message: @autoclosure () -> String) throws -> Int {
        guard let size = self[axis].size else { throw ShapeMismatch(message: message()) }
        return size
    }
}
