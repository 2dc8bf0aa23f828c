import Foundation
import Testing

@testable import TensorBundle

/// Matching a model's expected variables against a checkpoint's entries.
@Suite struct CheckpointMatchTests {
    static func saver() throws -> Checkpoint {
        try Checkpoint(path: Fixtures.folder("tf1_saver"))
    }

    @Test func exactMatchWithIgnoredExtras() throws {
        let checkpoint = try Self.saver()
        let expected = [
            ExpectedVariable(name: "model/dense/kernel", shape: [4, 8], dtype: "float32"),
            ExpectedVariable(name: "model/dense/bias", shape: [8], dtype: "float32"),
            ExpectedVariable(name: "model/logits/kernel", shape: [8, 3], dtype: "float32"),
            ExpectedVariable(name: "model/logits/bias", shape: [3], dtype: "float32"),
        ]
        let others = checkpoint.entries.map(\.name).filter { !expected.map(\.name).contains($0) }
        let match = CheckpointMatch(expected: expected, entries: checkpoint.entries, ignoring: Set(others))
        #expect(match.isExact)
        #expect(match.matched.map(\.key) == expected.map(\.name))
    }

    @Test func missingUnusedAndMismatched() throws {
        let checkpoint = try Self.saver()
        let expected = [
            ExpectedVariable(name: "model/dense/kernel", shape: [5, 8], dtype: "float32"),
            ExpectedVariable(name: "model/dense/bias", shape: [8], dtype: "float64"),
            ExpectedVariable(name: "model/dense_1/kernel", shape: [8, 3], dtype: "float32"),
        ]
        let match = CheckpointMatch(expected: expected, entries: checkpoint.entries)
        #expect(!match.isExact)
        #expect(match.missing.map(\.name) == ["model/dense_1/kernel"])
        #expect(match.mismatched.map(\.variable.name) == ["model/dense/kernel", "model/dense/bias"])
        #expect(match.mismatched.first?.checkpointShape == [4, 8])
        #expect(match.mismatched.last?.checkpointDType == "float32")
        #expect(match.unused.map(\.name).contains("model/logits/kernel"))
        #expect(match.unused.map(\.name) == match.unused.map(\.name).sorted())
    }

    @Test func prefixesAndRenames() {
        let mapping = NameMapping(renames: ["a/x": "b/y"], stripPrefix: "new/", addPrefix: "old/")
        #expect(mapping.checkpointName(for: "a/x") == "b/y")
        #expect(mapping.checkpointName(for: "new/dense/kernel") == "old/dense/kernel")
        #expect(mapping.checkpointName(for: "dense/kernel") == "old/dense/kernel")
    }

    @Test func objectBasedKeys() throws {
        let checkpoint = try Checkpoint(path: Fixtures.prefix("tf2_object"))
        let mapping = NameMapping()
        let keys = checkpoint.entries.compactMap { mapping.variableKey(for: $0.name) }
        #expect(!keys.contains { $0.contains(".ATTRIBUTES") })
        #expect(!keys.contains("_CHECKPOINTABLE_OBJECT_GRAPH"))
        #expect(!keys.contains("save_counter"))
        #expect(!keys.isEmpty)
    }
}
