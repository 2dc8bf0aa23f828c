import ModelSpecCompiler
import ModelSpecRuntime

/// Values of a model's parameters and the sizes its inputs bind, and the
/// evaluation of the spec's expressions against them.
struct Bindings {
    var params: [String: Literal]
    var symbols: [String: Int] = [:]

    func int(_ expr: Expr<Int>) throws -> Int { try expr.evaluated(params) }

    func ints(_ exprs: [Expr<Int>]) throws -> [Int] { try exprs.map(int) }

    /// A dimension of an input's declared shape, for `checkInputShapes` (parameters by their values).
    func inputDimension(_ dimension: Dimension) throws -> InputDimension {
        switch dimension {
        case let .known(size): .size(size)
        case let .param(name): .size(try int(.param(name)))
        case let .symbol(name): .symbol(name)
        case .unknown: .any
        }
    }

    func string(_ expr: Expr<String>) throws -> String {
        switch expr {
        case let .literal(value): return value
        case let .param(name):
            if let value = params[name] { return value.description }
            throw InterpreterError("parameter '$\(name)' has no value")
        }
    }

    /// An Int parameter may stand for a Float.
    func double(_ expr: Expr<Double>) throws -> Double { try expr.evaluated(params) }

    func literal(_ expr: Expr<Literal>) throws -> Literal {
        switch expr {
        case let .literal(value): return value
        case let .param(name):
            if let value = params[name] { return value }
            throw InterpreterError("parameter '$\(name)' has no value")
        }
    }

    /// A variable's shape as numbers: symbols take the sizes bound by the call's inputs.
    func shape(_ dimensions: [Dimension]) throws -> [Int] {
        try dimensions.map { dimension in
            switch dimension {
            case let .known(size): return size
            case let .param(name): return try int(.param(name))
            case let .symbol(name):
                guard let size = symbols[name] else {
                    throw InterpreterError("the size of '\(name)' is not known here")
                }
                return size
            case .unknown:
                throw InterpreterError("a variable's shape cannot have an unknown (null) dimension")
            }
        }
    }

    /// The runtime's configuration of a checked layer: its kernel from ``RuntimeLayers``.
    func configuration(_ config: LayerConfig) throws -> LayerConfiguration {
        guard let kernel = RuntimeLayers.kernels[config.kind.name] else {
            throw InterpreterError("the runtime has no layer \(config.kind.name)")
        }
        return LayerConfiguration(try kernel(try config.evaluated(params)), name: config.name, trainable: config.trainable)
    }
}

func activation(_ activation: ModelSpecCompiler.Activation) throws -> ModelSpecRuntime.Activation {
    switch activation {
    case .linear: .linear
    case .relu: .relu
    case .relu6: .relu6
    case .elu: .elu
    case .tanh: .tanh
    case .sigmoid: .sigmoid
    case .softmax: .softmax
    case .leakyRelu: .leakyRelu(alpha: 0.2)
    case .softplus: .softplus
    case .softsign: .softsign
    case .selu: .selu
    case .swish: .swish
    case .gelu: .gelu
    }
}

func initializer(_ initializer: ModelSpecCompiler.Initializer) -> ModelSpecRuntime.Initializer {
    switch initializer {
    case .zeros: .zeros
    case .ones: .ones
    case let .constant(value): .constant(Float(value))
    case let .randomNormal(mean, stddev, seed): .randomNormal(mean: Float(mean), stddev: Float(stddev), seed: seed)
    case let .truncatedNormal(mean, stddev, seed): .truncatedNormal(mean: Float(mean), stddev: Float(stddev), seed: seed)
    case let .randomUniform(minval, maxval, seed): .randomUniform(minval: Float(minval), maxval: Float(maxval), seed: seed)
    case let .glorotUniform(seed): .glorotUniform(seed: seed)
    case let .glorotNormal(seed): .glorotNormal(seed: seed)
    }
}

func regularizer(_ regularizer: ModelSpecCompiler.Regularizer) -> ModelSpecRuntime.Regularizer {
    switch regularizer {
    case let .l1(factor): .l1(Float(factor))
    case let .l2(factor): .l2(Float(factor))
    case let .l1l2(l1, l2): .l1l2(l1: Float(l1), l2: Float(l2))
    }
}
