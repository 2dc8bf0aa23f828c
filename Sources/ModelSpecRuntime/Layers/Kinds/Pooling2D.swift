import TFNaming

/// `MaxPooling2D` and `AveragePooling2D` (NHWC); `strides` nil means `poolSize`.
public struct Pooling2DKernel: LayerKernel {
    public enum Mode: Sendable { case max, average }

    public var mode: Mode
    public var poolSize: [Int]
    public var strides: [Int]?
    public var padding: Padding

    public init(mode: Mode, poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid) {
        self.mode = mode
        self.poolSize = poolSize
        self.strides = strides
        self.padding = padding
    }

    public var baseName: String { mode == .max ? "max_pooling2d" : "average_pooling2d" }
    public var makesVariables: Bool { false }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let s = strides ?? poolSize
        return mode == .max
            ? try maxPool2d(x, windowSize: (poolSize[0], poolSize[1]), strides: (s[0], s[1]), padding: padding)
            : try avgPool2d(x, windowSize: (poolSize[0], poolSize[1]), strides: (s[0], s[1]), padding: padding)
    }
}

extension LayerConfiguration {
    public static func maxPooling2d(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                    name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(Pooling2DKernel(mode: .max, poolSize: pair(poolSize), strides: strides.map(pair), padding: padding),
                           name: name)
    }

    public static func averagePooling2d(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                        name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(Pooling2DKernel(mode: .average, poolSize: pair(poolSize), strides: strides.map(pair), padding: padding),
                           name: name)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.max_pooling2d`.
    public func maxPooling2d(_ x: Tensor, poolSize: [Int], strides: [Int], padding: Padding = .valid,
                             name: String? = nil) throws -> Tensor {
        try layer(.maxPooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name), x)
    }

    /// `tf.compat.v1.layers.average_pooling2d`.
    public func averagePooling2d(_ x: Tensor, poolSize: [Int], strides: [Int], padding: Padding = .valid,
                                 name: String? = nil) throws -> Tensor {
        try layer(.averagePooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name), x)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.MaxPooling2D`: `poolSize` and `strides` are required, as TensorFlow's.
    public static func MaxPooling2D(poolSize: [Int], strides: [Int], padding: Padding = .valid,
                                    name: String? = nil) -> CompatLayer {
        CompatLayer(.maxPooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name))
    }

    /// `tf.compat.v1.layers.AveragePooling2D`: `poolSize` and `strides` are required, as TensorFlow's.
    public static func AveragePooling2D(poolSize: [Int], strides: [Int], padding: Padding = .valid,
                                        name: String? = nil) -> CompatLayer {
        CompatLayer(.averagePooling2d(poolSize: poolSize, strides: strides, padding: padding, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.MaxPooling2D`: `strides` defaults to `poolSize`.
    public static func MaxPooling2D(poolSize: [Int] = [2, 2], strides: [Int]? = nil, padding: Padding = .valid,
                                    path: String) -> KerasLayer {
        KerasLayer(.maxPooling2d(poolSize: poolSize, strides: strides, padding: padding), path: path)
    }

    /// `tf.keras.layers.AveragePooling2D`: `strides` defaults to `poolSize`.
    public static func AveragePooling2D(poolSize: [Int] = [2, 2], strides: [Int]? = nil, padding: Padding = .valid,
                                        path: String) -> KerasLayer {
        KerasLayer(.averagePooling2d(poolSize: poolSize, strides: strides, padding: padding), path: path)
    }
}
