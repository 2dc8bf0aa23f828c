import Testing
import TFNaming
@testable import ModelSpecRuntime

/// Two models of one body (each with its own layer objects, made by `body()`): one
/// replays its plan, the other's plan is dropped before each call, so that every call
/// runs TensorFlow's naming rules live, the reference the replaying twin is compared with.
private func twins(_ body: () -> (TF1, Tensor) throws -> Tensor) -> (replaying: BodyLayer, live: BodyLayer) {
    (BodyLayer(body()), BodyLayer(body()))
}

/// Calls a replaying model and its live twin `calls` times on `x`, each in a context of
/// its own, and expects the same variables (names, creation order, no new ones after
/// the first call), the same outputs, the same Keras layer names and the same scope store after every call.
/// Returns, for each call after the first, whether it replayed the whole plan.
@discardableResult
private func expectReplayMatchesLive(_ x: Tensor, _ body: () -> (TF1, Tensor) throws -> Tensor,
                                     calls: Int = 3) throws -> [Bool] {
    let (replaying, live) = twins(body)
    var replays: [Bool] = []
    for call in 0..<calls {
        live.shim.plan = nil
        let replayContext = CallContext(), liveContext = CallContext()
        let replayed = try replaying.call(x, context: replayContext)
        let replayedWholePlan = replayContext.replaying != nil && replayContext.replayIndex == replaying.shim.plan?.steps.count
        let expected = try live.call(x, context: liveContext)
        if call == 0 {
            // Same starting values, so that the outputs compare.
            for (a, b) in zip(replaying.weights, live.weights) { try b.assign(a.value) }
            _ = try live.call(x, context: CallContext())
            continue
        }
        #expect(replaying.shim.variables.map(\.name) == live.shim.variables.map(\.name))
        #expect(replayed == expected)
        // The Keras layer names the replayed functional layers took, counted when read.
        #expect(replayContext.kerasNames?.layers.counts == liveContext.kerasNames?.layers.counts)
        #expect(replayContext.scopes == liveContext.scopes)
        replays.append(replayedWholePlan)
    }
    return replays
}

@Suite("Call plans: naming recorded once, replayed")
struct CallPlanTests {
    @Test("scopes, default names, functional layers: replayed whole, same variables, outputs and scope store as the live rules")
    func replayMatchesLive() throws {
        let replays = try expectReplayMatchesLive(try input([2, 3])) { { tf, x in
            try tf.variableScope("model") {
                var h = try tf.dense(x, units: 4, activation: .relu)
                h = try tf.dense(h, units: 4, name: "named")
                for _ in 0..<2 {
                    h = try tf.variableScope(defaultName: "block") { try tf.dense(h, units: 4) }
                }
                tf.recordScope("removed")
                h = try tf.dense(h, units: 3)
                let w = try tf.variableScope("shared", reuse: .auto) { try tf.getVariable("w", shape: [3], initializer: .ones) }
                return try h * w
            }
        } }
        #expect(replays == [true, true])
    }

    @Test("a recurrent cell's scopes replay too")
    func recurrentReplays() throws {
        let replays = try expectReplayMatchesLive(try input([2, 3, 4])) { { tf, x in
            try tf.dynamicRNN(.multiRNNCell([.lstmCell(numUnits: 2), .gruCell(numUnits: 2)]), x).outputs
        } }
        #expect(replays == [true, true])
    }

    @Test("code the plan does not cover (a layer object, a template, get_or_create_layer) runs the live rules from there")
    func uncoveredCodeRunsLive() throws {
        let replays = try expectReplayMatchesLive(try input([2, 3])) {
            let fc = v1.Dense(units: 3)
            let scale = Template("scale")
            return { tf, x in try tf.variableScope("model") {
                let h = try tf.dense(x, units: 3)
                let a = try tf.variableScope("a") { try fc(h, in: tf) }
                let b = try scale(tf) { tf in try a * tf.getVariable("s", shape: [3], initializer: .ones) }
                let made = try tf.getOrCreateLayer("made") { keras.Dense(units: 3, path: "made") }
                return try tf.dense(made(b, context: tf.context), units: 2)
            } }
        }
        #expect(replays == [false, false])
    }

    @Test("a nested shim layer's variables are replayed from the outer layer's plan")
    func nestedShimLayer() throws {
        var inners: [InnerAutoDense] = []
        let replays = try expectReplayMatchesLive(try input([2, 3])) {
            let inner = InnerAutoDense()
            inners.append(inner)
            return { tf, x in try tf.variableScope("outer") { try inner.call(tf.dense(x, units: 3), context: tf.context) } }
        }
        #expect(replays == [true, true])
        #expect(inners.map(\.shim.variables.count) == [2, 2])
    }

    @Test("assigned and loaded values reach the next replayed call: the plan holds the variables, not their values")
    func assignmentsReachReplay() throws {
        let model = CompatModelByHand(units: 4)
        let x = try input([2, 5, 5, 5])
        _ = try model(x)
        _ = try model(x)
        #expect(model.shim.plan != nil)
        let kernel = try #require(model.weight(named: "model/dense/kernel"))
        try kernel.assign(Tensor.zeros(kernel.shape))
        #expect(try model(x) == (try Tensor.zeros([2, 4])))
        let bias = try #require(model.weight(named: "model/dense/bias"))
        try bias.assignAdd(Tensor([1, 2, 3, 4]))
        #expect(try model(x) == (try Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, 1, 2, 3, 4])))
    }

    @Test("a replayed dense takes its weights from the plan's steps: assigned values, substitutions and the tape reach them")
    func replayedDenseWeights() throws {
        let model = BodyLayer { tf, x in
            try tf.variableScope("model") { try tf.dense(try tf.dense(x, units: 2, useBias: false), units: 2) }
        }
        let x = try Tensor(shape: [1, 2], scalars: [1, 2])
        _ = try model(x)
        _ = try model(x)
        let plan = try #require(model.shim.plan)
        #expect(model.shim.variables.map(\.name) == ["model/dense/kernel", "model/dense_1/kernel", "model/dense_1/bias"])
        for variable in model.shim.variables { try variable.assign(Tensor.ones(variable.shape)) }
        let context = CallContext()
        // [1, 2] · ones = [3, 3]; · ones + 1 = [7, 7].
        #expect(try model.call(x, context: context) == (try Tensor(shape: [1, 2], scalars: [7, 7])))
        #expect(context.replaying === plan && context.replayIndex == plan.steps.count)
        let substituted = CallContext(substituting: ["model/dense_1/kernel": try Tensor.zeros([2, 2])])
        #expect(try model.call(x, context: substituted) == (try Tensor(shape: [1, 2], scalars: [1, 1])))
        #expect(substituted.unusedSubstitutions.isEmpty)
        let tape = GradientTape()
        let loss = try tape.record { try reduceSum(model(x, training: true)) }
        let gradients = try tape.gradient(of: loss, withRespectTo: model.shim.variables)
        #expect(gradients.allSatisfy { $0 != nil })
        #expect(model.shim.plan === plan)
    }

    @Test("another input size: the replay stops where the variable's shape differs and TensorFlow's error is raised; the plan stays")
    func shapeMismatchRaisesAndKeepsPlan() throws {
        let model = BodyLayer { tf, x in try tf.variableScope("model") { try tf.dense(x, units: 2) } }
        let x = try input([2, 3])
        let first = try model(x)
        let plan = try #require(model.shim.plan)
        #expect {
            try model(try input([2, 5]))
        } throws: { error in
            (error as? VariableStoreError) == .shapeMismatch(name: "model/dense/kernel", requested: [5, 2], existing: [3, 2])
        }
        #expect(model.shim.plan === plan)
        #expect(try model(x) == first)
        #expect(try model(try input([7, 3])).shape == [7, 2])
        #expect(model.shim.variables.count == 2)
    }

    @Test("a call that takes another path records it: new variables named as the live rules name them, then replayed")
    func anotherPathIsRecorded() throws {
        var extra = false
        let body: (TF1, Tensor) throws -> Tensor = { tf, x in
            try tf.variableScope("model") {
                var h = try tf.dense(x, units: 3)
                if extra { h = try tf.variableScope(defaultName: "block") { try tf.dense(h, units: 3) } }
                return try tf.dense(h, units: 2)
            }
        }
        let (model, live) = twins { body }
        let x = try input([2, 3])
        _ = try model(x)
        _ = try live(x)
        extra = true
        live.shim.plan = nil
        _ = try model(x)
        _ = try live(x)
        #expect(model.shim.variables.map(\.name) == live.shim.variables.map(\.name))
        #expect(model.shim.variables.map(\.name).contains("model/block/dense/kernel"))
        let context = CallContext()
        _ = try model.call(x, context: context)
        #expect(context.replaying != nil && context.replayIndex == model.shim.plan?.steps.count)
        // Back to the first path: the replay stops where the block was, the rest is recorded.
        extra = false
        // 19 steps with the block: enter model; dense: Keras name, enter, kernel, bias, exit; enter block,
        // its dense (5), exit; dense_1 (5); exit. Without it, 12.
        #expect(model.shim.plan?.steps.count == 19)
        _ = try model.call(x, context: CallContext())
        #expect(model.shim.plan?.steps.count == 12)
        let again = CallContext()
        _ = try model.call(x, context: again)
        #expect(again.replaying != nil && again.replayIndex == 12)
        #expect(model.shim.variables.count == 6)
    }

    @Test("a second shim layer after a replayed one in the same context continues its scope counters")
    func siblingAfterReplay() throws {
        let first = InnerAutoDense(), second = InnerAutoDense()
        let x = try input([2, 3])
        for _ in 0..<3 {
            let context = CallContext()
            _ = try second.call(first.call(x, context: context), context: context)
        }
        #expect(first.shim.variables.map(\.name) == ["dense/kernel", "dense/bias"])
        #expect(second.shim.variables.map(\.name) == ["dense_1/kernel", "dense_1/bias"])
    }

    @Test("a call that throws keeps the plan; the next call replays it")
    func thrownCallKeepsPlan() throws {
        var fail = false
        let model = BodyLayer { tf, x in
            try tf.variableScope("model") {
                let h = try tf.dense(x, units: 2)
                if fail { throw TensorError(op: "test", shapes: [], reason: "fails") }
                return h
            }
        }
        let x = try input([2, 3])
        let first = try model(x)
        let plan = try #require(model.shim.plan)
        fail = true
        #expect(throws: TensorError.self) { try model(x) }
        #expect(model.shim.plan === plan)
        fail = false
        #expect(try model(x) == first)
    }
}
