import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecRuntime
import TensorBundle
import Testing

/// TensorFlow's starting weights under `DeterministicRandomTestTool`
/// (`oracle/starting_weights.py`, `Tests/Goldens/starting_weights/`): the raw
/// random ops and the variables `get_variable` makes, in both of the tool's
/// modes, equal TensorFlow's within float32 rounding.
@Suite struct StartingWeightsTests {
    static let folder = Repo.root + "/Tests/Goldens/starting_weights"
    static let modes = DeterministicRandomTestTool.Mode.allCases

    struct Op: Decodable {
        var op: String
        var shape: [Int]
        var args: [String: Float]
    }

    struct Case: Decodable {
        struct Variable: Decodable {
            var name: String
            var shape: [Int]
            var deterministic: Bool
        }
        struct Mode: Decodable { var variables: [Variable] }
        var `case`: String
        var spec: String
        var input: [Int]
        var modes: [String: Mode]
    }

    static func decode<T: Decodable>(_ file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
    }

    /// Equal, or apart by float32 rounding (a few units in the last place).
    static func expectRounding(_ actual: Tensor, _ expected: Tensor, _ what: String) {
        #expect(actual.shape == expected.shape, "\(what)")
        var worst: Float = 0
        for (a, e) in zip(actual.scalars, expected.scalars) {
            worst = max(worst, abs(a - e) / max(e.ulp, Float.leastNormalMagnitude))
        }
        #expect(worst <= 4, "\(what): \(worst) ulps apart")
    }

    /// Apart by float32 rounding of a decomposition: TensorFlow's orthogonal
    /// initializer takes the `Q` of a float32 QR decomposition (entries at most
    /// `gain` in size), ModelSpec's is computed in double; each entry within a few
    /// units of float32 rounding of `gain`.
    static func expectDecompositionRounding(_ actual: Tensor, _ expected: Tensor, gain: Float, _ what: String) {
        #expect(actual.shape == expected.shape, "\(what)")
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 8 * gain * Float.ulpOfOne, "\(what): \(worst / (gain * Float.ulpOfOne)) float32 epsilons (of gain) apart")
    }

    @Test("The tool's random ops are TensorFlow's", arguments: modes)
    func randomOps(_ mode: DeterministicRandomTestTool.Mode) throws {
        let ops: [Op] = try Self.decode("ops.json")
        var tool = DeterministicRandomTestTool(mode: mode)
        for (index, op) in ops.enumerated() {
            let value: Tensor
            switch op.op {
            case "normal": value = try tool.randomNormal(shape: op.shape, mean: op.args["mean"] ?? 0, stddev: op.args["stddev"] ?? 1)
            case "uniform": value = try tool.randomUniform(shape: op.shape, minval: op.args["minval"] ?? 0, maxval: op.args["maxval"] ?? 1)
            default: value = try tool.truncatedNormal(shape: op.shape, mean: op.args["mean"] ?? 0, stddev: op.args["stddev"] ?? 1)
            }
            Self.expectRounding(value, try tensor(Self.folder + "/ops/\(mode.rawValue)/\(index).npy"), "\(mode) op \(index) (\(op.op))")
        }
        #expect(tool.operationSeed == (mode == .constant ? 0 : ops.count))
    }

    @Test("get_variable's starting weights are TensorFlow's", arguments: ["StartingWeights", "DenseLayer", "NestedLayer", "WrappedDoubleDenseLayerGetVariable"], modes)
    func variables(_ name: String, _ mode: DeterministicRandomTestTool.Mode) throws {
        let cases: [Case] = try Self.decode("cases.json")
        let golden = try #require(cases.first { $0.case == name })
        let variables = try #require(golden.modes[mode.rawValue]).variables
        #expect(variables.allSatisfy { $0.deterministic })
        // As the guide does: the input drawn first, inside the tool's scope.
        var tool = DeterministicRandomTestTool(mode: mode)
        let inputs = try tool.randomNormal(shape: golden.input)
        Self.expectRounding(inputs, try tensor(Self.folder + "/\(name)/\(mode.rawValue)/inputs.npy"), "\(name) inputs")
        let prepared = try PreparedSpec(Repo.root + "/" + golden.spec, inputs: ["inputs": inputs])
        prepared.model.startingWeights = tool
        _ = try prepared.model(["inputs": inputs])
        #expect(prepared.model.notFromStartingWeights.isEmpty)
        let created = prepared.model.createdVariables
        #expect(created.map(\.name) == variables.map(\.name))
        for (index, variable) in created.enumerated() {
            let golden = try tensor(Self.folder + "/\(name)/\(mode.rawValue)/\(index).npy")
            if variable.name.contains("orthogonal") {
                let gain: Float = variable.name.hasSuffix("wide") ? 2 : 1
                Self.expectDecompositionRounding(variable.value, golden, gain: gain, "\(name) \(variable.name)")
            } else {
                Self.expectRounding(variable.value, golden, "\(name) \(variable.name)")
            }
        }
    }

    /// TensorFlow 2.21's tool does not seed Keras layers (their initializers draw
    /// their seeds from Python's `random`): the golden says so, and Swift names them.
    @Test("Keras layers' weights are named as not from the tool", arguments: ["CompatModel", "FullyNativeModel"])
    func kerasLayers(_ name: String) throws {
        let cases: [Case] = try Self.decode("cases.json")
        let golden = try #require(cases.first { $0.case == name })
        let kernels = try #require(golden.modes["num_random_ops"]).variables.filter { $0.name.hasSuffix("kernel") }
        #expect(!kernels.isEmpty && kernels.allSatisfy { !$0.deterministic })
        var tool = DeterministicRandomTestTool(mode: .numRandomOps)
        let inputs = try tool.randomNormal(shape: golden.input)
        let prepared = try PreparedSpec(Repo.root + "/" + golden.spec, inputs: ["inputs": inputs])
        prepared.model.startingWeights = tool
        _ = try prepared.model(["inputs": inputs])
        #expect(prepared.model.notFromStartingWeights == prepared.manifest.variables.map(\.name))
        #expect(prepared.model.startingWeights == tool)
        // Two fresh TensorFlow processes under the tool: the kernels differ, so there is no value to match.
        struct Run: Decodable { var same: Bool }
        let fresh: [String: [String: Run]] = try Self.decode("fresh_processes.json")
        let runs = try #require(fresh[name])
        #expect(runs.filter { $0.key.contains("kernel") }.count == 2)
        #expect(runs.allSatisfy { $0.key.contains("kernel") ? !$0.value.same : $0.value.same })
    }

    @Test func startingWeightsCommand() throws {
        guard CLI.available else { return }
        let dir = try temporaryFolder("starting-weights")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The guide's order: the input drawn first (operation seed 0), then the model.
        let written = try CLI.run(["starting-weights", Repo.specs + "/DenseLayer.yaml", "--mode", "num_random_ops",
                                   "--operation-seed", "1", "-o", dir + "/dense"])
        #expect(written.status == 0, "\(written.err)")
        let checkpoint = try Checkpoint(path: dir + "/dense")
        #expect(checkpoint.entries.map(\.name) == ["dense/bias", "dense/kernel"])
        let kernel = try Tensor(shape: [20, 10], scalars: checkpoint.floats(named: "dense/kernel"))
        Self.expectRounding(kernel, try tensor(Self.folder + "/DenseLayer/num_random_ops/0.npy"), "dense/kernel")
        // Keras layers' weights: TensorFlow does not take them from the tool; refused, nothing written.
        let refused = try CLI.run(["starting-weights", Repo.specs + "/CompatModel.yaml", "-o", dir + "/compat"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("model/conv2d/kernel"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/compat.index"))
    }
}
