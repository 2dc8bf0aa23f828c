import LocatedYAML

/// The values visible at a point of a forward pass: the call's inputs, bound
/// step results and variables, and the previous step's value (`_`). Names bound
/// inside a `scope` block stay visible after it, as in Python.
struct ValueEnvironment {
    struct Definition {
        var location: SourceLocation
        /// What made it, for warnings ("the output of dense").
        var origin: String
        /// Whether an unused value deserves a warning.
        var warnIfUnused: Bool
        /// Whether the name was given by the spec (`as:`) rather than generated.
        var isBound: Bool
    }

    private(set) var definitions: [String: Definition] = [:]
    private(set) var order: [String] = []
    private(set) var used: Set<String> = []
    /// The value `_` and implicit inputs refer to.
    private(set) var previous: String?
    private var generated = 0

    func isDefined(_ name: String) -> Bool { definitions[name] != nil }

    mutating func define(_ name: String, _ definition: Definition) {
        if definitions[name] == nil { order.append(name) }
        definitions[name] = definition
    }

    mutating func setPrevious(_ name: String?) {
        previous = name
    }

    mutating func markUsed(_ name: String) {
        used.insert(name)
    }

    /// A fresh name for an unbound result.
    mutating func freshName() -> String {
        generated += 1
        return "_\(generated)"
    }

    var allNames: [String] { order }

    /// Values defined but never read, in definition order.
    func unused(excluding kept: Set<String>) -> [(String, Definition)] {
        order.compactMap { name in
            guard let definition = definitions[name], definition.warnIfUnused,
                  !used.contains(name), !kept.contains(name) else { return nil }
            return (name, definition)
        }
    }
}
