import Foundation

// The `tf.compat.v1.train` optimizers. Each update is written per element in the order
// TensorFlow's `Apply*` CPU kernel evaluates it, in float32, so that N steps agree with
// TensorFlow's within float rounding (oracle/training.py).

/// `tf.compat.v1.train.GradientDescentOptimizer`: `var −= g·lr`. No slots.
public final class GradientDescentOptimizer: Optimizer {
    public let name: String
    public var learningRate: Float
    public init(learningRate: Float, name: String = "GradientDescent") {
        self.learningRate = learningRate
        self.name = name
        self.slots = OptimizerSlots(optimizer: name)
    }
    public let slots: OptimizerSlots
    public var slotsPerVariable: Int { 0 }
    public var stateScalars: [String] { [] }
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        let lr = learningRate
        for (g, variable) in gradients {
            try checkShape(g, variable)
            g.withUnsafeBufferPointer { g in
                variable.updateInPlace { v in for i in v.indices { v[i] -= g[i] * lr } }
            }
        }
    }
}

/// `tf.compat.v1.train.MomentumOptimizer`: slot `Momentum` (zeros);
/// `accum = accum·momentum + g`, then `var −= accum·lr`, or with Nesterov
/// `var −= g·lr + accum·momentum·lr`.
public final class MomentumOptimizer: Optimizer {
    public let name: String
    public var learningRate: Float
    public let momentum: Float
    public let useNesterov: Bool
    public let slots: OptimizerSlots
    public init(learningRate: Float, momentum: Float, useNesterov: Bool = false, name: String = "Momentum") {
        self.learningRate = learningRate
        self.momentum = momentum
        self.useNesterov = useNesterov
        self.name = name
        self.slots = OptimizerSlots(optimizer: name)
    }
    public var slotsPerVariable: Int { 1 }
    public var stateScalars: [String] { [] }
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        let (lr, m, nesterov) = (learningRate, momentum, useNesterov)
        for (g, variable) in gradients {
            try checkShape(g, variable)
            let accum = try slots.slots(of: variable, initial: [0])[0]
            g.withUnsafeBufferPointer { g in
                accum.updateInPlace { a in
                    variable.updateInPlace { v in
                        for i in v.indices {
                            a[i] = a[i] * m + g[i]
                            v[i] -= nesterov ? g[i] * lr + a[i] * m * lr : a[i] * lr
                        }
                    }
                }
            }
        }
    }
}

/// `tf.compat.v1.train.AdamOptimizer` (TF1's form): slots `Adam` (m) and `Adam_1` (v), zeros;
/// `beta1_power` and `beta2_power` (starting at β₁, β₂, multiplied by them after each step);
/// `α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)`, `m += (g − m)(1 − β₁)`, `v += (g² − v)(1 − β₂)`,
/// `var −= m·α / (√v + ε)` — ε outside the square root, as TensorFlow's `ApplyAdam`.
public final class AdamOptimizer: Optimizer {
    public let name: String
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let slots: OptimizerSlots
    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                name: String = "Adam") {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.name = name
        self.slots = OptimizerSlots(optimizer: name)
    }
    public var slotsPerVariable: Int { 2 }
    public var stateScalars: [String] { ["beta1_power", "beta2_power"] }
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        let beta1Power = slots.scalar("beta1_power", initial: beta1)
        let beta2Power = slots.scalar("beta2_power", initial: beta2)
        let (b1p, b2p) = (beta1Power.value.scalar ?? beta1, beta2Power.value.scalar ?? beta2)
        let alpha = learningRate * (1 - b2p).squareRoot() / (1 - b1p)
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for (g, variable) in gradients {
            try checkShape(g, variable)
            let state = try slots.slots(of: variable, initial: [0, 0])
            g.withUnsafeBufferPointer { g in
                state[0].updateInPlace { m in
                    state[1].updateInPlace { v in
                        variable.updateInPlace { x in
                            for i in x.indices {
                                m[i] += (g[i] - m[i]) * (1 - b1)
                                v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
                                x[i] -= (m[i] * alpha) / (v[i].squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
        try beta1Power.assign(Tensor(b1p * b1))
        try beta2Power.assign(Tensor(b2p * b2))
    }
}

/// `tf.compat.v1.train.RMSPropOptimizer`: slots `RMSProp` (mean square, ones), then `RMSProp_1`
/// (the mean gradient, zeros) when centered, then the momentum (zeros);
/// `ms += (g² − ms)(1 − decay)`, `mom = mom·momentum + g·lr/√(ms + ε)` (centered:
/// `mg += (g − mg)(1 − decay)` and `√(ms − mg² + ε)`), `var −= mom`.
public final class RMSPropOptimizer: Optimizer {
    public let name: String
    public var learningRate: Float
    public let decay: Float, momentum: Float, epsilon: Float
    public let centered: Bool
    public let slots: OptimizerSlots
    public init(learningRate: Float, decay: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-10,
                centered: Bool = false, name: String = "RMSProp") {
        self.learningRate = learningRate
        self.decay = decay
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        self.name = name
        self.slots = OptimizerSlots(optimizer: name)
    }
    public var slotsPerVariable: Int { centered ? 3 : 2 }
    public var stateScalars: [String] { [] }
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        let (lr, rho, mu, eps, centered) = (learningRate, decay, momentum, epsilon, centered)
        for (g, variable) in gradients {
            try checkShape(g, variable)
            let state = try slots.slots(of: variable, initial: centered ? [1, 0, 0] : [1, 0])
            let meanSquare = state[0], meanGradient = centered ? state[1] : nil, moment = state[centered ? 2 : 1]
            var mg = meanGradient?.value ?? Tensor(0)
            g.withUnsafeBufferPointer { g in
                meanSquare.updateInPlace { ms in
                    moment.updateInPlace { mom in
                        variable.updateInPlace { x in
                            mg.withUnsafeMutableBufferPointer { mg in
                                for i in x.indices {
                                    ms[i] += (g[i] * g[i] - ms[i]) * (1 - rho)
                                    var denominator = ms[i] + eps
                                    if centered {
                                        mg[i] += (g[i] - mg[i]) * (1 - rho)
                                        denominator = (ms[i] - mg[i] * mg[i]) + eps
                                    }
                                    mom[i] = mom[i] * mu + (g[i] * lr) / denominator.squareRoot()
                                    x[i] -= mom[i]
                                }
                            }
                        }
                    }
                }
            }
            try meanGradient?.assign(mg)
        }
    }
}

/// `tf.compat.v1.train.AdagradOptimizer`: slot `Adagrad` (`initial_accumulator_value`, 0.1);
/// `accum += g²`, `var −= g·lr/√accum`.
public final class AdagradOptimizer: Optimizer {
    public let name: String
    public var learningRate: Float
    public let initialAccumulatorValue: Float
    public let slots: OptimizerSlots
    public init(learningRate: Float, initialAccumulatorValue: Float = 0.1, name: String = "Adagrad") {
        self.learningRate = learningRate
        self.initialAccumulatorValue = initialAccumulatorValue
        self.name = name
        self.slots = OptimizerSlots(optimizer: name)
    }
    public var slotsPerVariable: Int { 1 }
    public var stateScalars: [String] { [] }
    public func apply(_ gradients: [(gradient: Tensor, variable: Variable)]) throws {
        let lr = learningRate
        for (g, variable) in gradients {
            try checkShape(g, variable)
            let accum = try slots.slots(of: variable, initial: [initialAccumulatorValue])[0]
            g.withUnsafeBufferPointer { g in
                accum.updateInPlace { a in
                    variable.updateInPlace { v in
                        for i in v.indices {
                            a[i] += g[i] * g[i]
                            v[i] -= g[i] * lr * (1 / a[i].squareRoot())
                        }
                    }
                }
            }
        }
    }
}

/// A gradient must have its variable's shape.
private func checkShape(_ gradient: Tensor, _ variable: Variable) throws {
    guard gradient.shape == variable.shape else {
        throw TensorError(op: "apply_gradients", shapes: [variable.shape, gradient.shape],
                          reason: "do not fit: the gradient of '\(variable.name)' must have its shape")
    }
}
