import Foundation
import Testing
import TFNaming
@testable import ModelSpecRuntime

// Layers written the way generated code writes them, against the shim's API.

/// `CompatV1LayerModel` of the shim guide.
final class CompatModelByHand: ShimLayer {
    let shim = ShimStore()
    let units: Int
    init(units: Int = 10) { self.units = units }

    func callAsFunction(_ x: Tensor, training: Bool = false, substituting: [String: Tensor] = [:]) throws -> Tensor {
        try call(x, context: CallContext(training: training, substituting: substituting))
    }

    func call(_ x: Tensor, context: CallContext) throws -> Tensor {
        try shim.call(context: context) { tf in
            try tf.variableScope("model") {
                let h = try tf.conv2d(x, filters: 3, kernelSize: [3], kernelRegularizer: .l2(0.01))
                return try tf.dense(tf.flatten(h), units: units, kernelRegularizer: .l2(0.01))
            }
        }
    }
}

/// naming/two_instances_of_one_model's `InnerShim`.
final class InnerShim: ShimLayer {
    let shim = ShimStore()
    func call(_ x: Tensor, context: CallContext) throws -> Tensor {
        try shim.call(context: context) { tf in
            try tf.variableScope("inner") { try tf.dense(x, units: 2) }
        }
    }
}

/// naming/nested_shim_layer_continues_outer_counters's `InnerAutoDense`.
final class InnerAutoDense: ShimLayer {
    let shim = ShimStore()
    func call(_ x: Tensor, context: CallContext) throws -> Tensor {
        try shim.call(context: context) { tf in try tf.dense(x, units: 4) }
    }
}

/// A shim layer whose body is a closure, for small cases.
final class BodyLayer: ShimLayer {
    let shim = ShimStore()
    var sublayers: [any Layer]
    let body: (TF1, Tensor) throws -> Tensor
    init(sublayers: [any Layer] = [], _ body: @escaping (TF1, Tensor) throws -> Tensor) {
        self.sublayers = sublayers
        self.body = body
    }
    func callAsFunction(_ x: Tensor, training: Bool = false, substituting: [String: Tensor] = [:]) throws -> Tensor {
        try call(x, context: CallContext(training: training, substituting: substituting))
    }
    func call(_ x: Tensor, context: CallContext) throws -> Tensor {
        try shim.call(context: context) { tf in try body(tf, x) }
    }
}

struct NamingGolden {
    let json: [String: Any]
    init(_ name: String) throws {
        let url = Goldens.directory.deletingLastPathComponent().appendingPathComponent("naming/\(name).json")
        json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
    var created: [String] { (json["creation_order"] as! [[String: Any]]).map { $0["name"] as! String } }
    var weights: [String] { json["weights"] as! [String] }
}

func input(_ shape: [Int], seed: UInt64 = 7) throws -> Tensor {
    var g = SeededGenerator(seed: seed)
    return try Tensor(shape: shape) { p in for i in p.indices { p[i] = g.nextUniform() * 2 - 1 } }
}

@Suite("Variable-store shim")
struct ShimTests {
    @Test("a second call reuses every variable silently and gives the same output")
    func reuseAcrossCalls() throws {
        let model = CompatModelByHand()
        let x = try input([2, 5, 5, 5])
        let first = try model(x)
        let variables = model.shim.variables
        #expect(variables.map(\.name) == ["model/conv2d/kernel", "model/conv2d/bias", "model/dense/kernel", "model/dense/bias"])
        let second = try model(x)
        #expect(first == second)
        #expect(model.shim.variables.count == 4)
        #expect(zip(variables, model.shim.variables).allSatisfy { $0 === $1 })
        #expect(model.weights.map(\.name) == ["model/conv2d/bias", "model/conv2d/kernel", "model/dense/bias", "model/dense/kernel"])
        #expect(model.losses.count == 2)
    }

    @Test("two instances have the same names and independent variables")
    func twoInstances() throws {
        let a = CompatModelByHand(), b = CompatModelByHand()
        let x = try input([2, 5, 5, 5])
        let before = try b(x)
        _ = try a(x)
        #expect(a.weights.map(\.name) == b.weights.map(\.name))
        #expect(zip(a.weights, b.weights).allSatisfy { $0 !== $1 })
        let kernel = try #require(a.weight(named: "model/dense/kernel"))
        try kernel.assign(Tensor.zeros(kernel.shape))
        #expect(try b(x) == before)
        #expect(try a(x) != before)
    }

    @Test("two instances of a nested shim layer in one scope: same names, two variables each (naming/two_instances_of_one_model)")
    func twoNestedInstances() throws {
        let golden = try NamingGolden("two_instances_of_one_model")
        let first = InnerShim(), second = InnerShim()
        let outer = BodyLayer(sublayers: [first, second]) { tf, x in
            try tf.variableScope("model") {
                try first.call(x, context: tf.context) + second.call(x, context: tf.context)
            }
        }
        _ = try outer(try input([2, 3]))
        #expect((first.shim.variables + second.shim.variables).map(\.name) == golden.created)
        #expect(outer.weights.map(\.name) == golden.weights)
        #expect(Set(outer.weights.map(ObjectIdentifier.init)).count == 4)
    }

    @Test("a nested shim layer continues the caller's scope counters")
    func nestedContinuesCounters() throws {
        let golden = try NamingGolden("nested_shim_layer_continues_outer_counters")
        let inner = InnerAutoDense()
        let outer = BodyLayer(sublayers: [inner]) { tf, x in
            try tf.variableScope("outer") {
                try inner.call(tf.dense(x, units: 3), context: tf.context)
            }
        }
        _ = try outer(try input([2, 3]))
        #expect((outer.shim.variables + inner.shim.variables).map(\.name) == golden.created)
        #expect(outer.weights.map(\.name) == golden.weights)
    }

    @Test("a substituted variable is used for one call; the stored variable is untouched")
    func substitution() throws {
        let model = CompatModelByHand(units: 4)
        let x = try input([2, 5, 5, 5])
        let original = try model(x)
        let kernel = try #require(model.weight(named: "model/dense/kernel"))
        let stored = kernel.value
        let substitute = try Tensor.zeros(kernel.shape)
        let substituted = try model(x, substituting: ["model/dense/kernel": substitute])
        #expect(substituted == (try Tensor.zeros([2, 4])))     // zero kernel, zero bias
        #expect(kernel.value == stored)
        #expect(try model(x) == original)
        #expect(throws: TensorError.self) {
            try model(x, substituting: ["model/dense/kernel": try Tensor.zeros([1, 4])])
        }
        let context = CallContext(substituting: ["model/dense/kernal": substitute])
        _ = try model.call(x, context: context)
        #expect(context.unusedSubstitutions == ["model/dense/kernal"])
    }

    @Test("a template makes one variable in its first scope and reuses it (naming/template_in_two_scopes)")
    func templates() throws {
        let golden = try NamingGolden("template_in_two_scopes")
        let scale = Template("scale")
        let model = BodyLayer { tf, x in
            let a = try tf.variableScope("a") {
                try scale(tf) { tf in try x * tf.getVariable("w", shape: [3], initializer: .ones) }
            }
            return try tf.variableScope("b") {
                try scale(tf) { tf in try a * tf.getVariable("w", shape: [3], initializer: .ones) }
            }
        }
        let x = try input([2, 3])
        #expect(try model(x) == x)
        _ = try model(x)
        #expect(model.shim.variables.map(\.name) == golden.created)
        #expect(scale.scope?.name == "a/scale")
    }

    @Test("a compat layer object keeps the scope of its first call (naming/compat_layer_object_called_in_two_scopes)")
    func compatObjectScope() throws {
        let golden = try NamingGolden("compat_layer_object_called_in_two_scopes")
        let fc = v1.Dense(units: 3)
        let model = BodyLayer(sublayers: [fc]) { tf, x in
            let out = try tf.variableScope("a") { try fc(x, in: tf) }
            return try tf.variableScope("b") { try fc(out, in: tf) }
        }
        _ = try model(try input([2, 3]))
        _ = try model(try input([2, 3]))
        #expect(model.shim.variables.map(\.name) == golden.created)
        #expect(model.weights.map(\.name) == golden.weights)
        #expect(fc.ownWeights.map(\.name) == golden.created)
    }

    @Test("store variables are listed sorted by full name, as code points (naming/weights_sort_order)")
    func weightsSortOrder() throws {
        let golden = try NamingGolden("weights_sort_order")
        let model = BodyLayer { tf, x in
            var out = x
            try tf.variableScope("m") {
                for _ in 0..<11 { out = try tf.dense(out, units: 3, useBias: false) }
            }
            _ = try tf.variableScope("a_b") { try tf.getVariable("w", shape: [1]) }
            _ = try tf.variableScope("a") { try tf.variableScope("b") { try tf.getVariable("w", shape: [1]) } }
            _ = try tf.variableScope("B") { try tf.getVariable("w", shape: [1]) }
            return out
        }
        _ = try model(try input([2, 3]))
        #expect(model.shim.variables.map(\.name) == golden.created)
        #expect(model.weights.map(\.name) == golden.weights)
    }

    @Test("regularization losses: own in creation order, then sublayers depth-first (naming/regularization_loss_order)")
    func lossOrder() throws {
        let golden = try NamingGolden("regularization_loss_order")
        let nativeA = keras.Dense(units: 3, kernelInitializer: .constant(2), kernelRegularizer: .l2(0.01), path: "native_a")
        let nativeC = keras.Dense(units: 2, kernelInitializer: .constant(3), kernelRegularizer: .l2(0.01), path: "nested_b/native_c")
        let nestedB = BodyLayer(sublayers: [nativeC]) { tf, x in
            let w = try tf.variableScope("inner") {
                try tf.getVariable("w_inner", shape: [3], initializer: .constant(4), regularizer: .l2(0.01))
            }
            return try nativeC(x * w, context: tf.context)
        }
        let model = BodyLayer(sublayers: [nativeA, nestedB]) { tf, x in
            try tf.variableScope("model") {
                let w1 = try tf.getVariable("w1", shape: [3], initializer: .constant(5), regularizer: .l2(0.01))
                let w0 = try tf.getVariable("w0", shape: [3], initializer: .constant(6), regularizer: .l2(0.01))
                var out = try nativeA(x * w1 * w0, context: tf.context)
                out = try nestedB.call(out, context: tf.context)
                return try tf.dense(out, units: 2, kernelInitializer: .constant(7), kernelRegularizer: .l2(0.01))
            }
        }
        _ = try model(try input([2, 3]))
        let expected = (golden.json["regularization_losses"] as! [[String: Any]]).map { Float($0["value"] as! Double) }
        let losses = model.losses.map { $0.scalar! }
        #expect(losses.count == expected.count)
        for (mine, theirs) in zip(losses, expected) { expectClose(Tensor(mine), Tensor(theirs), "loss") }
        // Attribute-path names for the native weights, TensorFlow's names for the rest.
        let renamed = golden.weights.map {
            $0.replacingOccurrences(of: "naming_layer/model/loss_inner/", with: "nested_b/")
                .replacingOccurrences(of: "naming_layer/model/", with: "")
        }
        #expect(model.weights.map(\.name) == renamed)
    }

    @Test("get_or_create_layer makes its layer once; its losses count as one scalar")
    func getOrCreateLayer() throws {
        var made = 0
        let model = BodyLayer { tf, x in
            let layer = try tf.getOrCreateLayer("dense_model") {
                made += 1
                return keras.Dense(units: 2, kernelInitializer: .ones, kernelRegularizer: .l2(0.01), path: "dense")
            }
            return try layer(x, context: tf.context)
        }
        let x = try input([2, 5])
        _ = try model(x)
        _ = try model(x)
        #expect(made == 1)
        #expect(model.weights.map(\.name) == ["dense/kernel", "dense/bias"])
        #expect(model.losses.count == 1)
        expectClose(model.losses[0], Tensor(0.1), "get_or_create_layer loss")
    }

    @Test("auto names count per scope; record_scope keeps a name taken; name scopes change nothing")
    func counters() throws {
        let model = BodyLayer { tf, x in
            try tf.variableScope("model") {
                var out = try tf.conv2d(x, filters: 2, kernelSize: [1])
                out = try tf.maxPooling2d(out, poolSize: [2], strides: [2])
                tf.recordScope("dense")
                out = try tf.nameScope("ignored") { try tf.dense(tf.flatten(out), units: 2) }
                out = try tf.dense(out, units: 2, name: "fc")
                return try tf.variableScope(defaultName: "block") { try tf.dense(out, units: 2) }
            }
        }
        _ = try model(try input([1, 4, 4, 2]))
        #expect(model.shim.variables.map(\.name) == [
            "model/conv2d/kernel", "model/conv2d/bias", "model/dense_1/kernel", "model/dense_1/bias",
            "model/fc/kernel", "model/fc/bias", "model/block/dense/kernel", "model/block/dense/bias",
        ])
    }

    @Test("a shape mismatch on sharing is refused as TensorFlow refuses it")
    func shapeMismatch() throws {
        let model = BodyLayer { tf, x in
            _ = try tf.variableScope("a") { try tf.getVariable("v", shape: [3]) }
            return try tf.variableScope("a") { try tf.getVariable("v", shape: [4]) }
        }
        #expect(throws: VariableStoreError.self) { try model(try input([1])) }
    }
}

@Suite("Layers and initializers")
struct LayerTests {
    static let batchNormCases = ["compat_batch_norm_2d", "compat_batch_norm_4d", "keras_batch_norm_2d", "keras_batch_norm_4d"]

    @Test("batch normalization in training: output and moving statistics (Tests/Goldens/runtime, oracle/runtime.py)",
          arguments: batchNormCases)
    func batchNorm(_ name: String) throws {
        let dir = Goldens.directory.deletingLastPathComponent().appendingPathComponent("runtime/\(name)")
        func load(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: dir.appendingPathComponent(file)) }
        let x = try load("x.npy")
        let y: Tensor
        let movingMean: Variable, movingVariance: Variable
        if name.hasPrefix("compat") {
            let model = BodyLayer { tf, x in
                try tf.variableScope("bn") { try tf.batchNormalization(x, training: true) }
            }
            y = try model(x)
            #expect(model.weights.map(\.name) == ["bn/batch_normalization/beta", "bn/batch_normalization/gamma",
                                                  "bn/batch_normalization/moving_mean", "bn/batch_normalization/moving_variance"])
            movingMean = try #require(model.weight(named: "bn/batch_normalization/moving_mean"))
            movingVariance = try #require(model.weight(named: "bn/batch_normalization/moving_variance"))
        } else {
            let layer = keras.BatchNormalization(path: "bn")
            y = try layer(x, training: true)
            #expect(layer.weights.map(\.name) == ["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"])
            movingMean = layer.ownWeights[2]
            movingVariance = layer.ownWeights[3]
        }
        expectClose(y, try load("y.npy"), "\(name) output")
        expectClose(movingMean.value, try load("moving_mean.npy"), "\(name) moving mean")
        expectClose(movingVariance.value, try load("moving_variance.npy"), "\(name) moving variance")
    }

    @Test("inference uses the moving statistics; dropout only in training")
    func inferenceAndDropout() throws {
        let x = try input([4, 3])
        let bn = keras.BatchNormalization(path: "bn")
        #expect(try bn(x, training: false).scalars.elementsEqual(x.scalars.map { $0 / (1.001 as Float).squareRoot() },
                                                                 by: { Swift.abs($0 - $1) < 1e-6 }))
        let dropout = keras.Dropout(rate: 0.5, path: "d")
        #expect(try dropout(x, training: false) == x)
        let dropped = try dropout(x, training: true, context: CallContext(training: true, seed: 3))
        #expect(dropped.scalars.allSatisfy { $0 == 0 } == false)
        #expect(zip(dropped.scalars, x.scalars).allSatisfy { $0 == 0 || Swift.abs($0 - 2 * $1) < 1e-6 })
    }

    @Test("glorot fans count the receptive field; initializers are reproducible and within their bounds")
    func initializers() throws {
        #expect(Initializer.fans([3, 3, 5, 8]) == (45, 72))
        #expect(Initializer.fans([20, 10]) == (20, 10))
        let limit = Float((6.0 / (45 + 72)).squareRoot())
        let u = try Initializer.glorotUniform(seed: 1).makeValue(shape: [3, 3, 5, 8], name: "k")
        #expect(u.scalars.allSatisfy { Swift.abs($0) <= limit })
        #expect(u == (try Initializer.glorotUniform(seed: 1).makeValue(shape: [3, 3, 5, 8], name: "other")))
        #expect(u != (try Initializer.glorotUniform(seed: nil).makeValue(shape: [3, 3, 5, 8], name: "k")))
        let stddev = (2.0 / 30).squareRoot() / 0.87962566103423978
        let n = try Initializer.glorotNormal(seed: nil).makeValue(shape: [200, 100], name: "k")
        #expect(n.scalars.allSatisfy { Double(Swift.abs($0)) <= 2 * stddev + 1e-6 })
        let s = try Initializer.truncatedNormal(mean: 0, stddev: 1, seed: 4).makeValue(shape: [20000], name: "t")
        let variance = s.scalars.reduce(0.0) { $0 + Double($1 * $1) } / 20000
        #expect(Swift.abs(variance - 0.7737) < 0.03)       // variance of a normal truncated at ±2σ
        let glorotVariance = n.scalars.reduce(0.0) { $0 + Double($1 * $1) } / 20000
        #expect(Swift.abs(glorotVariance - 2.0 / 300) < 0.0005) // the correction restores 2 / (fanIn + fanOut)
    }

    @Test("regularizers as Keras computes them")
    func regularizers() throws {
        let x = try Tensor(shape: [3], scalars: [1, -2, 3])
        #expect(Regularizer.l2(0.01).loss(x).scalar == 0.14)
        #expect(Regularizer.l1(0.5).loss(x).scalar == 3)
        #expect(Regularizer.l1l2(l1: 0.5, l2: 0.01).loss(x).scalar == 3.14)
    }

    @Test("a native layer names weights by attribute path, builds once, and keeps them")
    func nativeLayer() throws {
        let conv = keras.Conv2D(filters: 3, kernelSize: [3], kernelRegularizer: .l2(0.01), path: "conv_layer")
        let x = try input([1, 5, 5, 2])
        let y = try conv(x)
        #expect(y.shape == [1, 3, 3, 3])
        #expect(conv.weights.map(\.name) == ["conv_layer/kernel", "conv_layer/bias"])
        #expect(try conv(x) == y)
        #expect(conv.losses.count == 1)
        #expect(throws: TensorError.self) { try conv(try input([1, 5, 5, 4])) }
    }
}
