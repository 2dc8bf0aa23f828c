/// Gradients from a tape compared with central finite differences, as
/// `tf.test.compute_gradient` does: for checking a backward rule, an
/// operation's or a whole model's.
///
///     let report = try GradientCheck.compare(at: [x, w]) { t in [try matmul(t[0], t[1])] }
///     #expect(report.mismatches.isEmpty)
///
/// The function's outputs are reduced to one number with fixed weights
/// (`Σ out · w`, `w` spread in [0.5, 1.5]), so that each output element counts
/// differently. Elements where the two one-sided differences disagree (a kink
/// within `delta`: ReLU at 0, a maximum's tie) are skipped, not compared.
public enum GradientCheck {
    public struct Report: Sendable, CustomStringConvertible {
        /// Elements compared.
        public var checked = 0
        /// Elements skipped at a kink.
        public var skipped = 0
        /// One line per element whose gradient differs from the finite difference.
        public var mismatches: [String] = []
        /// The inputs whose gradient was nil although the differences are not zero.
        public var missing: [Int] = []

        public var description: String {
            "checked \(checked), skipped \(skipped) at kinks; "
                + (mismatches.isEmpty && missing.isEmpty ? "all agree"
                   : "inputs without a gradient \(missing), mismatches:\n" + mismatches.joined(separator: "\n"))
        }
    }

    /// Compares the tape's gradients of `function` at `inputs` with central differences of
    /// step `delta` (times the input's largest magnitude when that is below 1), at up to `samples` elements of each input (spread evenly).
    /// `indices`: positions of inputs not to differentiate (integer ids given as floats).
    /// `kinkTolerance`: how far apart (relative) the one-sided differences may be before the
    /// element counts as sitting at a kink (deep ReLU and max-pooling models: lower it).
    public static func compare(at inputs: [Tensor], delta: Float = 1e-2, samples: Int = 12,
                               absoluteTolerance: Double = 5e-3, relativeTolerance: Double = 1e-2,
                               skipping indices: Set<Int> = [], kinkTolerance: Double = 0.1,
                               _ function: ([Tensor]) throws -> [Tensor]) throws -> Report {
        // Private copies: inputs that share storage would share one gradient.
        let inputs = try inputs.map { try Tensor(shape: $0.shape, scalars: $0.scalars) }
        let tape = GradientTape()
        for (i, input) in inputs.enumerated() where !indices.contains(i) { tape.watch(input) }
        let target = try tape.record { () throws -> Tensor in
            var total = Tensor(0)
            for (k, output) in try function(inputs).enumerated() {
                total = try add(total, reduceSum(multiply(output, weights(output.shape, salt: k))))
            }
            return total
        }
        let analytic = try tape.gradient(of: target, withRespectTo: inputs)
        func value(_ values: [Tensor]) throws -> Double {
            var total = 0.0
            for (k, output) in try function(values).enumerated() {
                let w = try weights(output.shape, salt: k).scalars
                for (o, weight) in zip(output.scalars, w) { total += Double(o) * Double(weight) }
            }
            return total
        }
        let center = try value(inputs)
        var report = Report()
        for (i, input) in inputs.enumerated() where !indices.contains(i) && input.scalarCount > 0 {
            let count = input.scalarCount
            // Steps no larger than the input's values, so that tiny inputs stay in their regime.
            let largest = input.scalars.map { Swift.abs($0) }.max() ?? 0
            let delta = largest > 0 ? delta * Swift.min(1, largest) : delta
            let picked = count <= samples ? Array(0..<count) : (0..<samples).map { $0 * (count - 1) / (samples - 1) }
            var anyNonZero = false
            for element in Set(picked).sorted() {
                var shifted = inputs
                func at(_ offset: Float) throws -> Double {
                    var scalars = input.scalars
                    scalars[element] += offset
                    shifted[i] = try Tensor(shape: input.shape, scalars: scalars)
                    return try value(shifted)
                }
                let plus = try at(delta), minus = try at(-delta)
                let step = Double(delta)
                let right = (plus - center) / step, left = (center - minus) / step, central = (plus - minus) / (2 * step)
                guard central.isFinite, left.isFinite, right.isFinite else { continue }
                if Swift.abs(left - right) > kinkTolerance * Swift.max(Swift.abs(left), Swift.abs(right)) + absoluteTolerance * 4 {
                    report.skipped += 1
                    continue
                }
                report.checked += 1
                if Swift.abs(central) > absoluteTolerance { anyNonZero = true }
                let got = Double(analytic[i]?.scalars[element] ?? 0)
                if Swift.abs(got - central) > absoluteTolerance + relativeTolerance * Swift.max(Swift.abs(got), Swift.abs(central)) {
                    report.mismatches.append("input \(i) element \(element): gradient \(got), finite difference \(central)")
                }
            }
            if analytic[i] == nil && anyNonZero { report.missing.append(i) }
        }
        return report
    }

    /// Fixed weights in [0.5, 1.5] for an output's elements.
    static func weights(_ shape: [Int], salt: Int) throws -> Tensor {
        try Tensor(shape: shape, initializingWith: { p in
            for i in p.indices { p[i] = 0.5 + Float((i * 7919 + salt * 104_729) % 1000) / 1000 }
        })
    }
}
