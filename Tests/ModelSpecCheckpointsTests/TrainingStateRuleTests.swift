import Foundation
import Testing

@testable import TensorBundle

/// The training-state rule and ignore patterns on made-up checkpoints, for the
/// TensorFlow namings the golden checkpoints do not all show (each checked in
/// TensorFlow 2.21: see oracle/README.md, "Training checkpoints").
@Suite struct TrainingStateRuleTests {
    static let variables = [
        ExpectedVariable(name: "model/dense/kernel", shape: [4, 3], dtype: "float32"),
        ExpectedVariable(name: "model/dense/bias", shape: [3], dtype: "float32"),
        ExpectedVariable(name: "model/bn/moving_mean", shape: [3], dtype: "float32", trainable: false),
    ]

    /// A checkpoint with the three variables and `extra` entries (float32 zeros, or int64 for scalars named `*step*`).
    static func match(_ extra: [(String, [Int])], expected: [ExpectedVariable] = variables, ignoring: Set<String> = [],
                      movingAverages: String? = nil, mapping: NameMapping = NameMapping()) throws -> CheckpointMatch {
        var writer = CheckpointWriter()
        for (name, shape) in expected.map({ ($0.name, $0.shape) }) + extra {
            if shape.isEmpty && (name.hasSuffix("step") || name.hasSuffix("steps")) {
                try writer.add(name: name, shape: [], int64s: [1])
            } else {
                try writer.add(name: name, shape: shape, floats: .init(repeating: 0, count: shape.reduce(1, *)))
            }
        }
        let prefix = try temporaryFolder("rule") + "/model.ckpt"
        try writer.write(prefix: prefix)
        return CheckpointMatch(expected: expected, entries: try Checkpoint(path: prefix).entries, mapping: mapping,
                               ignoring: ignoring, movingAverages: movingAverages)
    }

    @Test func optimizerNonSlotStateUnderScopesAndOwnNameScope() throws {
        // use_own_namescope_for_non_slot_vars=True puts Adam's powers under its name;
        // a mixed-precision loss scale optimizer adds current_loss_scale and good_steps.
        let match = try Self.match([("Adam/beta1_power", []), ("Adam/beta2_power", []), ("train/beta1_power_1", []),
                                    ("current_loss_scale", []), ("good_steps", []), ("global_step", [])])
        #expect(match.isExact)
        #expect(match.skippedSummary == "skipped Adam/beta1_power, Adam/beta2_power, current_loss_scale, global_step, good_steps, train/beta1_power_1")
    }

    @Test func nonSlotNamesMustBeScalarsOfTheirKind() throws {
        let match = try Self.match([("beta1_power", [2]), ("global_step", [3]), ("model/beta1_powers", [])])
        #expect(match.unused.map(\.name) == ["beta1_power", "global_step", "model/beta1_powers"])
    }

    @Test func knownSlotNamesWithSuffixesAndScopes() throws {
        let match = try Self.match([("model/dense/kernel/Adam_2", [4, 3]), ("model/dense/kernel/Adam_3", [4, 3]),
                                    ("train/model/dense/bias/Momentum", [3]), ("model/dense/bias/RMSProp_2", [3]),
                                    ("model/bn/moving_mean/ExponentialMovingAverage", [3])])
        #expect(match.isExact)
        #expect(match.skippedSummary == "skipped 4 optimizer slots (Adam, Momentum, RMSProp), 1 moving average (ExponentialMovingAverage)")
        #expect(match.skipped.contains { $0.reason == .slot(variable: "model/dense/bias", name: "RMSProp_2") })
    }

    /// A name given with `name=` counts when it is a slot of every trainable variable found
    /// (the non-trainable moving mean has none), not when it is on some only.
    @Test func customNamesCountWhenTheyCoverTheTrainableVariables() throws {
        let everywhere = try Self.match([("model/dense/kernel/Gen", [4, 3]), ("model/dense/bias/Gen", [3]),
                                         ("model/dense/kernel/Gen_1", [4, 3]), ("model/dense/bias/Gen_1", [3])])
        #expect(everywhere.isExact)
        #expect(everywhere.skippedSummary == "skipped 4 slots (Gen)")

        let partly = try Self.match([("model/dense/kernel/Gen", [4, 3]), ("model/dense/kernel/Gen_1", [4, 3]),
                                     ("model/dense/bias/Gen", [3])])
        #expect(partly.unused.map(\.name) == ["model/dense/kernel/Gen_1"])

        // Under another scope prefix, a name is judged by its own variables.
        let scoped = try Self.match([("model/dense/kernel/Gen", [4, 3]), ("train/model/dense/bias/Gen", [3])])
        #expect(scoped.unused.map(\.name) == ["model/dense/kernel/Gen", "train/model/dense/bias/Gen"])
    }

    @Test func slotsNeedTheVariablesShapeAndDType() throws {
        var writer = CheckpointWriter()
        try writer.add(name: "model/dense/kernel", shape: [4, 3], floats: .init(repeating: 0, count: 12))
        try writer.add(name: "model/dense/kernel/Adam", shape: [3, 4], floats: .init(repeating: 0, count: 12))
        try writer.add(name: "model/dense/kernel/Adam_1", shape: [4, 3], doubles: .init(repeating: 0, count: 12))
        let prefix = try temporaryFolder("rule") + "/model.ckpt"
        try writer.write(prefix: prefix)
        let match = CheckpointMatch(expected: [Self.variables[0]], entries: try Checkpoint(path: prefix).entries)
        #expect(match.unused.map(\.name) == ["model/dense/kernel/Adam", "model/dense/kernel/Adam_1"])
    }

    /// A renamed or prefixed variable's slots are found under the key it is loaded from.
    @Test func slotsFollowTheMapping() throws {
        let expected = [ExpectedVariable(name: "net/dense/kernel", shape: [4, 3], dtype: "float32")]
        var writer = CheckpointWriter()
        for name in ["tower/dense/kernel", "tower/dense/kernel/Adam", "tower/dense/kernel/Adam_1"] {
            try writer.add(name: name, shape: [4, 3], floats: .init(repeating: 0, count: 12))
        }
        let prefix = try temporaryFolder("rule") + "/model.ckpt"
        try writer.write(prefix: prefix)
        let match = CheckpointMatch(expected: expected, entries: try Checkpoint(path: prefix).entries,
                                    mapping: NameMapping(stripPrefix: "net/", addPrefix: "tower/"))
        #expect(match.isExact)
        #expect(match.skipped.count == 2)
    }

    /// A moving average with its own `name=`: its shadows are loaded when asked for by that name.
    @Test func movingAveragesByName() throws {
        let shadows = [("model/dense/kernel/ema", [4, 3]), ("model/dense/bias/ema", [3])]
        let match = try Self.match(shadows, movingAverages: "ema")
        #expect(match.isExact)
        #expect(match.matched.map(\.key) == ["model/dense/kernel/ema", "model/dense/bias/ema", "model/bn/moving_mean"])
        #expect(match.skippedSummary == "skipped 2 raw values of averaged variables")
        #expect(match.movingAverages == "ema")
    }

    /// A TF2 object-based checkpoint of a model and a slot-keeping optimizer (as TensorFlow 2.21
    /// writes with Keras' legacy Adam): slots below the variables, the rest under `optimizer/`.
    @Test func objectBasedOptimizerSlots() throws {
        let suffix = "/.ATTRIBUTES/VARIABLE_VALUE"
        var writer = CheckpointWriter()
        let store = "model/_tf1_style_var_store/_vars/model.Sdense.Skernel"
        for name in ["model/d/kernel", "model/d/kernel/.OPTIMIZER_SLOT/optimizer/m", "model/d/kernel/.OPTIMIZER_SLOT/optimizer/v",
                     store, store + "/.OPTIMIZER_SLOT/optimizer/m"] {
            try writer.add(name: name + suffix, shape: [4, 2], floats: .init(repeating: 0, count: 8))
        }
        try writer.add(name: "model/d/kernel/.OPTIMIZER_SLOT/optimizer/x" + suffix, shape: [2], floats: [0, 0])
        try writer.add(name: "optimizer/iter" + suffix, shape: [], int64s: [1])
        let prefix = try temporaryFolder("rule") + "/model.ckpt"
        try writer.write(prefix: prefix)
        let expected = [ExpectedVariable(name: "d/kernel", shape: [4, 2], dtype: "float32"),
                        ExpectedVariable(name: "model/dense/kernel", shape: [4, 2], dtype: "float32")]
        let match = CheckpointMatch(expected: expected, entries: try Checkpoint(path: prefix).entries,
                                    mapping: NameMapping(objectRoot: "model/"))
        #expect(Set(match.skipped.map(\.reason)) == [
            .slot(variable: "model/dense/kernel", name: "optimizer/m"),
            .slot(variable: "d/kernel", name: "optimizer/m"), .slot(variable: "d/kernel", name: "optimizer/v"),
        ])
        #expect(match.skipped.count == 3)
        #expect(match.unused.map(\.name) == ["model/d/kernel/.OPTIMIZER_SLOT/optimizer/x" + suffix])
        #expect(match.skippedSummary == "skipped 3 optimizer slots (optimizer/m, optimizer/v)")
    }

    @Test func ignorePatternsAndTheirWarnings() throws {
        let match = try Self.match([("head/w", [2]), ("head/b", [2]), ("model/dense/kernel/Adam", [4, 3])],
                                   ignoring: ["head/?", "nothing", "model/*/Adam*"])
        #expect(match.isExact)
        // The user's patterns come first: the Adam slot is ignored, not recognised.
        #expect(match.skipped.map(\.reason) == [.ignored(pattern: "head/?"), .ignored(pattern: "head/?"), .ignored(pattern: "model/*/Adam*")])
        #expect(match.unmatchedIgnorePatterns == ["nothing"])
        #expect(match.ignoreWarnings.map(\.description) == ["warning: ignore pattern 'nothing' matches no checkpoint entry left unused by the model"])
        // A pattern matching only variables the model loads ignores nothing.
        #expect(try Self.match([], ignoring: ["model/dense/*"]).unmatchedIgnorePatterns == ["model/dense/*"])
    }

    @Test func globPatterns() {
        let cases: [(String, String, Bool)] = [
            ("*/Adam*", "model/dense/kernel/Adam_1", true),
            ("*/Adam*", "Adam", false),
            ("global_step", "global_step", true),
            ("global_step", "global_steps", false),
            ("model/dense_?/kernel", "model/dense_1/kernel", true),
            ("model/dense_?/kernel", "model/dense_12/kernel", false),
            ("model/dense_[0-3]/*", "model/dense_2/bias", true),
            ("model/dense_[!0-3]/*", "model/dense_2/bias", false),
            ("model/dense_[^0-3]/*", "model/dense_7/bias", true),
            ("*", "", true),
            ("a*b*c", "a/x/b/y/c", true),
            ("a*b*c", "a/x/b/y/cd", false),
            ("\\*", "*", true),
            ("\\*", "x", false),
            ("[abc", "[abc", true),
        ]
        for (pattern, name, expected) in cases {
            #expect(GlobPattern(pattern).matches(name) == expected, "\(pattern) ~ \(name)")
        }
        #expect(GlobPattern("global_step").isLiteral)
        #expect(!GlobPattern("*/Adam").isLiteral)
    }

    @Test func editDistances() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(editDistance("", "abc") == 3)
        #expect(editDistance("model/dense/kernel", "model/dense/kernel") == 0)
    }
}
