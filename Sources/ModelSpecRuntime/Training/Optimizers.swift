import CConvolution
import Foundation

// The `tf.compat.v1.train` optimizers. Each update is written per element in the order
// TensorFlow's `Apply*` CPU kernel evaluates it, in float32, so that N steps agree with
// TensorFlow's within float rounding (oracle/training.py). A gradient given as
// `IndexedSlices` (a table read by row lookups) goes through the optimizer's sparse path, as
// TF1's `_apply_sparse_duplicate_indices` (oracle/training_sparse.py).

/// `tf.compat.v1.train.GradientDescentOptimizer`: `var −= g·lr`. No slots. Looked-up rows are
/// subtracted one by one, duplicates unsummed (`scatter_sub`).
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
    public func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws {
        let lr = learningRate
        for (gradient, variable) in gradients {
            try checkShape(gradient, variable)
            switch gradient {
            case let .dense(g):
                g.withUnsafeBufferPointer { g in
                    variable.updateInPlace { v in for i in v.indices { v[i] -= g[i] * lr } }
                }
            case let .indexedSlices(slices):
                let n = slices.rowLength
                slices.values.withUnsafeBufferPointer { g in
                    variable.updateInPlace { v in
                        for (k, row) in slices.indices.enumerated() {
                            for j in 0..<n { v[row * n + j] -= g[k * n + j] * lr }
                        }
                    }
                }
            }
        }
    }
}

/// `tf.compat.v1.train.MomentumOptimizer`: slot `Momentum` (zeros);
/// `accum = accum·momentum + g`, then `var −= accum·lr`, or with Nesterov
/// `var −= g·lr + accum·momentum·lr`. Looked-up rows: only those rows (duplicates summed).
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
    public func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws {
        let (lr, m, nesterov) = (learningRate, momentum, useNesterov)
        for (gradient, variable) in gradients {
            try checkShape(gradient, variable)
            let accum = try slots.slots(of: variable, initial: [0])[0]
            accum.updateInPlace { a in
                variable.updateInPlace { v in
                    forEachElement(of: gradient) { i, g in
                        a[i] = a[i] * m + g
                        v[i] -= nesterov ? g * lr + a[i] * m * lr : a[i] * lr
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
/// Looked-up rows (TF1's `_apply_sparse`): `m ← m·β₁` and `v ← v·β₂` for every row, then
/// `g·(1 − β₁)` and `g²·(1 − β₂)` added to the rows looked up (duplicates summed), and
/// `var −= α·m / (√v + ε)` for every row.
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
    public func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws {
        let beta1Power = slots.scalar("beta1_power", initial: beta1)
        let beta2Power = slots.scalar("beta2_power", initial: beta2)
        let (b1p, b2p) = (beta1Power.value.scalar ?? beta1, beta2Power.value.scalar ?? beta2)
        let alpha = learningRate * (1 - b2p).squareRoot() / (1 - b1p)
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for (gradient, variable) in gradients {
            try checkShape(gradient, variable)
            let state = try slots.slots(of: variable, initial: [0, 0])
            state[0].updateInPlace { m in
                state[1].updateInPlace { v in
                    variable.updateInPlace { x in
                        if case let .dense(g) = gradient {
                            // m += (g − m)(1 − β1), v += (g² − v)(1 − β2), x −= m·α/(√v + ε), vectorized.
                            g.withUnsafeBufferPointer { g in
                                coptimizer_adam(x.count, g.baseAddress, m.baseAddress, v.baseAddress, x.baseAddress,
                                                b1, b2, alpha, eps)
                            }
                        } else {
                            for i in x.indices { m[i] = m[i] * b1 }
                            for i in x.indices { v[i] = v[i] * b2 }
                            forEachElement(of: gradient) { i, g in
                                m[i] += g * (1 - b1)
                                v[i] += (g * g) * (1 - b2)
                            }
                            for i in x.indices { x[i] -= (alpha * m[i]) / (v[i].squareRoot() + eps) }
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
/// `mg += (g − mg)(1 − decay)` and `√(ms − mg² + ε)`), `var −= mom`. Looked-up rows: only those
/// rows (duplicates summed), with the sparse kernel's `ms·decay + g²·(1 − decay)` (and
/// `mg·decay + g·(1 − decay)`).
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
    public func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws {
        let (lr, rho, mu, eps, centered) = (learningRate, decay, momentum, epsilon, centered)
        for (gradient, variable) in gradients {
            try checkShape(gradient, variable)
            let state = try slots.slots(of: variable, initial: centered ? [1, 0, 0] : [1, 0])
            let meanSquare = state[0], meanGradient = centered ? state[1] : nil, moment = state[centered ? 2 : 1]
            var mg = meanGradient?.value ?? Tensor(0)
            let sparse = if case .indexedSlices = gradient { true } else { false }
            meanSquare.updateInPlace { ms in
                moment.updateInPlace { mom in
                    variable.updateInPlace { x in
                        mg.withUnsafeMutableBufferPointer { mg in
                            forEachElement(of: gradient) { i, g in
                                ms[i] = sparse ? ms[i] * rho + g * g * (1 - rho) : ms[i] + (g * g - ms[i]) * (1 - rho)
                                var denominator = ms[i] + eps
                                if centered {
                                    mg[i] = sparse ? mg[i] * rho + g * (1 - rho) : mg[i] + (g - mg[i]) * (1 - rho)
                                    denominator = (ms[i] - mg[i] * mg[i]) + eps
                                }
                                mom[i] = mom[i] * mu + (g * lr) / denominator.squareRoot()
                                x[i] -= mom[i]
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
/// `accum += g²`, `var −= g·lr/√accum`. Looked-up rows: only those rows (duplicates summed).
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
    public func apply(_ gradients: [(gradient: VariableGradient, variable: Variable)]) throws {
        let lr = learningRate
        for (gradient, variable) in gradients {
            try checkShape(gradient, variable)
            let accum = try slots.slots(of: variable, initial: [initialAccumulatorValue])[0]
            // TensorFlow's sparse kernel divides for a table of scalar rows.
            let divides = if case let .indexedSlices(slices) = gradient { slices.rowLength == 1 } else { false }
            accum.updateInPlace { a in
                variable.updateInPlace { v in
                    forEachElement(of: gradient) { i, g in
                        a[i] += g * g
                        v[i] -= divides ? lr * g / a[i].squareRoot() : g * lr * (1 / a[i].squareRoot())
                    }
                }
            }
        }
    }
}

/// Calls `body(i, g)` for each element a gradient updates, `i` its position in the variable:
/// every element with a dense gradient; the elements of each distinct row looked up, with the
/// sum of that row's gradients, for `IndexedSlices` (what TF1's sparse kernels are given).
@inline(__always)
private func forEachElement(of gradient: VariableGradient, _ body: (Int, Float) -> Void) {
    switch gradient {
    case let .dense(g):
        g.withUnsafeBufferPointer { g in for i in g.indices { body(i, g[i]) } }
    case let .indexedSlices(slices):
        let rows = slices.deduplicated(), n = rows.rowLength
        rows.values.withUnsafeBufferPointer { g in
            for (k, row) in rows.indices.enumerated() {
                for j in 0..<n { body(row * n + j, g[k * n + j]) }
            }
        }
    }
}

/// A gradient must have its variable's shape.
private func checkShape(_ gradient: VariableGradient, _ variable: Variable) throws {
    guard gradient.shape == variable.shape else {
        throw TensorError(op: "apply_gradients", shapes: [variable.shape, gradient.shape],
                          reason: "do not fit: the gradient of '\(variable.name)' must have its shape")
    }
}
