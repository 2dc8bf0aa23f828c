import Foundation
import TFNaming
import Testing

// Replays of naming cases recorded from TensorFlow (Tests/Goldens/naming/<case>.json)
// through TFNaming's ScopeStore, VariableStore, LegacyLayerNaming and
// TemplateNaming, one call after another: the cases (or parts of cases) a spec
// cannot express, and the second calls a static manifest does not cover. Each
// test follows the case's Python body step by step.

private enum Golden {
    struct Variable: Decodable {
        var name: String
        var shape: [Int]
    }

    struct Case: Decodable {
        var creation_order: [Variable]
        var second_call_new_variables: [String]
        var graph_mode: GraphMode?
        var top_level_instances_creation_order: [Variable]?
    }

    struct GraphMode: Decodable {
        var error: String?
    }

    static func load(_ name: String) throws -> Case {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        url.appendPathComponent("Goldens/naming/\(name).json")
        return try JSONDecoder().decode(Case.self, from: Data(contentsOf: url))
    }
}

/// One shim layer instance: its own variable store, and the names it created in order.
private struct Shim {
    var store = VariableStore<Void>()
    var created: [String] = []
    var lookups: [String: VariableLookup] = [:]

    mutating func beginCall() { store.beginCall() }

    /// `get_variable(name, shape)` in the current scope.
    @discardableResult
    mutating func getVariable(_ name: String, _ shape: [Int], _ scopes: ScopeStore, dtype: DType = .float32) throws -> VariableLookup {
        let result = try store.getVariable(name, in: scopes.current, VariableRequest(shape: shape, dtype: dtype)) { _ in }
        if result.lookup == .created || result.lookup == .createdDespiteReuse {
            created.append(result.description.name)
        }
        lookups[result.description.name] = result.lookup
        return result.lookup
    }

    /// A functional `tf.compat.v1.layers.dense(x, units, name:)` on an input of width `inputs`.
    @discardableResult
    mutating func dense(_ inputs: Int, _ units: Int, name: String? = nil, reuse: Reuse = .inherit,
                        skipKernel: Bool = false, _ scopes: inout ScopeStore) throws -> [VariableLookup] {
        var naming = LegacyLayerNaming(className: "dense", name: name, functional: true, reuse: reuse, scopes: &scopes)
        return try dense(inputs, units, &naming, skipKernel: skipKernel, &scopes)
    }

    /// A call of a dense layer object.
    @discardableResult
    mutating func dense(_ inputs: Int, _ units: Int, _ naming: inout LegacyLayerNaming,
                        skipKernel: Bool = false, _ scopes: inout ScopeStore) throws -> [VariableLookup] {
        naming.enterCall(&scopes)
        defer { scopes.exit() }
        var lookups: [VariableLookup] = []
        if !skipKernel { lookups.append(try getVariable("kernel", [inputs, units], scopes)) }
        lookups.append(try getVariable("bias", [units], scopes))
        return lookups
    }
}

@Suite struct NamingCaseReplayTests {
    // MARK: Second calls: the scope counters are process-wide, the stores per instance.

    @Test func autoNamedLayerOutsideScope() throws {
        let golden = try Golden.load("auto_named_layer_outside_scope")
        var scopes = ScopeStore()
        var shim = Shim()
        for _ in 0..<2 {
            shim.beginCall()
            try shim.dense(3, 2, &scopes)
        }
        #expect(Array(shim.created.prefix(2)) == golden.creation_order.map(\.name))
        #expect(Array(shim.created.dropFirst(2)) == golden.second_call_new_variables)
        #expect(scopes.depth == 0)
    }

    @Test func defaultNameTwice() throws {
        let golden = try Golden.load("default_name_twice")
        var scopes = ScopeStore()
        var shim = Shim()
        for _ in 0..<2 {
            shim.beginCall()
            for _ in 0..<2 {
                scopes.enter(defaultName: "block")
                try shim.getVariable("w", [1], scopes)
                scopes.exit()
            }
        }
        #expect(Array(shim.created.prefix(2)) == golden.creation_order.map(\.name))
        #expect(Array(shim.created.dropFirst(2)) == golden.second_call_new_variables)
    }

    @Test func defaultNameTwiceInNamedScope() throws {
        let golden = try Golden.load("default_name_twice_in_named_scope")
        var scopes = ScopeStore()
        var shim = Shim()
        for _ in 0..<2 {
            shim.beginCall()
            scopes.enter("outer")
            for _ in 0..<2 {
                scopes.enter(defaultName: "block")
                try shim.getVariable("w", [1], scopes)
                scopes.exit()
            }
            scopes.exit()
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(golden.second_call_new_variables.isEmpty)
    }

    /// name_scope changes nothing: its body runs at the top level of variable scopes.
    @Test func nameScopeSecondCall() throws {
        let golden = try Golden.load("name_scope")
        var scopes = ScopeStore()
        var shim = Shim()
        for _ in 0..<2 {
            shim.beginCall()
            try shim.getVariable("v", [3], scopes)
            try shim.dense(3, 2, &scopes)
            scopes.enter("vs")
            try shim.getVariable("w", [2], scopes)
            try shim.dense(2, 2, &scopes)
            scopes.exit()
        }
        #expect(Array(shim.created.prefix(6)) == golden.creation_order.map(\.name))
        #expect(Array(shim.created.dropFirst(6)) == golden.second_call_new_variables)
    }

    @Test func shimLayerCalledTwice() throws {
        let golden = try Golden.load("shim_layer_called_twice")
        var scopes = ScopeStore()
        var shim = Shim()
        for call in 0..<2 {
            shim.beginCall()
            scopes.enter("model")
            let lookup = try shim.getVariable("scale", [3], scopes)
            #expect(lookup == (call == 0 ? .created : .reused))
            try shim.dense(3, 2, &scopes)
            try shim.dense(2, 2, &scopes)
            scopes.exit()
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(golden.second_call_new_variables.isEmpty)
    }

    @Test func templateInTwoScopesAndTwoCalls() throws {
        let golden = try Golden.load("template_in_two_scopes")
        var scopes = ScopeStore()
        var shim = Shim()
        var template = TemplateNaming(name: "scale")
        for _ in 0..<2 {
            shim.beginCall()
            for scope in ["a", "b"] {
                scopes.enter(scope)
                template.enterCall(&scopes)
                try shim.getVariable("w", [3], scopes)
                scopes.exit()
                scopes.exit()
            }
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(shim.lookups["a/scale/w"] == .reused)
    }

    @Test func compatLayerObjectCalledInTwoScopes() throws {
        let golden = try Golden.load("compat_layer_object_called_in_two_scopes")
        var scopes = ScopeStore()
        var shim = Shim()
        var fc = LegacyLayerNaming(className: "dense", name: nil, functional: false, scopes: &scopes)
        for _ in 0..<2 {
            shim.beginCall()
            for scope in ["a", "b"] {
                scopes.enter(scope)
                try shim.dense(3, 3, &fc, &scopes)
                scopes.exit()
            }
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(golden.second_call_new_variables.isEmpty)
    }

    // MARK: Cases a spec cannot express

    /// A custom getter returns a tensor for model/dense/kernel: that get_variable never reaches the store.
    @Test func customGetterSubstitute() throws {
        let golden = try Golden.load("custom_getter_substitute")
        var scopes = ScopeStore()
        var shim = Shim()
        for _ in 0..<2 {
            shim.beginCall()
            scopes.enter("model")
            try shim.dense(3, 2, skipKernel: true, &scopes)
            scopes.exit()
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(golden.second_call_new_variables.isEmpty)
    }

    /// `with variable_scope('a') as s`, re-entered at the top and from inside 'b'.
    @Test func variableScopeObjectReentry() throws {
        let golden = try Golden.load("variable_scope_object_reentry")
        var scopes = ScopeStore()
        var shim = Shim()
        shim.beginCall()
        let s = scopes.enter("a")
        let first = try shim.dense(3, 3, &scopes)
        scopes.exit()
        scopes.enter(s)
        let second = try shim.dense(3, 3, &scopes)
        scopes.exit()
        scopes.enter("b")
        scopes.enter(s)
        #expect(scopes.current.name == "a")
        try shim.getVariable("w", [3], scopes)
        scopes.exit()
        scopes.exit()
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(first == [.created, .created])
        // The shim shares a/dense silently; TF1 refuses, as the golden's graph mode says.
        #expect(second == [.sharedWithoutReuse, .sharedWithoutReuse])
        #expect(golden.graph_mode?.error?.contains("Variable a/dense/kernel already exists") == true)
    }

    /// Re-entering a captured scope restores the counters on exit: the same names both times.
    @Test func variableScopeObjectReentryCounters() throws {
        let golden = try Golden.load("variable_scope_object_reentry_counters")
        var scopes = ScopeStore()
        var shim = Shim()
        for call in 0..<2 {
            shim.beginCall()
            let s = scopes.enter("a")
            scopes.exit()
            var lookups: [VariableLookup] = []
            for _ in 0..<2 {
                scopes.enter(s)
                lookups += try shim.dense(3, 3, &scopes)
                lookups += try shim.dense(3, 3, &scopes)
                scopes.enter(defaultName: "blk")
                lookups.append(try shim.getVariable("w", [1], scopes))
                scopes.exit()
                scopes.exit()
            }
            // The second re-entry in one call shares a/dense silently (TF1: "already exists").
            #expect(lookups.contains(.sharedWithoutReuse) == (call == 0))
        }
        #expect(shim.created == golden.creation_order.map(\.name))
        #expect(golden.second_call_new_variables.isEmpty)
    }

    /// Two top-level instances of InnerShim (scope 'inner', auto-named dense): two stores, same names.
    @Test func twoTopLevelInstances() throws {
        let golden = try Golden.load("two_instances_of_one_model")
        var scopes = ScopeStore()
        var first = Shim()
        var second = Shim()
        for shim in [0, 1] {
            if shim == 0 { first.beginCall() } else { second.beginCall() }
            scopes.enter("inner")
            if shim == 0 { try first.dense(3, 2, &scopes) } else { try second.dense(3, 2, &scopes) }
            scopes.exit()
        }
        #expect(first.created + second.created == golden.top_level_instances_creation_order?.map(\.name))
    }

    /// A shape mismatch on sharing is refused by the store with both shapes.
    @Test func explicitLayerNameTwiceShapeMismatch() throws {
        var scopes = ScopeStore()
        var shim = Shim()
        shim.beginCall()
        scopes.enter("model")
        try shim.dense(3, 4, name: "fc", &scopes)
        #expect(throws: VariableStoreError.shapeMismatch(name: "model/fc/kernel", requested: [4, 4], existing: [3, 4])) {
            try shim.dense(4, 4, name: "fc", &scopes)
        }
    }
}
