import LocatedYAML
import TFNaming

/// The values visible at a point of a forward pass: the call's inputs, bound
/// step results and variables, and the previous step's value (`_`). Names bound
/// inside a `scope` block stay visible after it, as in Python; names first bound
/// inside a `repeat` or `if` block do not (``hide(_:because:)``).
struct ValueEnvironment {
    struct Definition {
        var location: SourceLocation
        /// What made it, for warnings ("the output of dense").
        var origin: String
        /// Whether an unused value deserves a warning.
        var warnIfUnused: Bool
        /// Whether the name was given by the spec (`as:`) rather than generated.
        var isBound: Bool
        /// Its dtype; nil when an earlier error left it unknown.
        var dtype: DType? = .float32
    }

    private(set) var definitions: [String: Definition] = [:]
    private(set) var order: [String] = []
    private(set) var used: Set<String> = []
    /// The value `_` and implicit inputs refer to.
    private(set) var previous: String?
    private var generated = 0

    /// The value a spec name refers to now: a name bound again (`kernel` in two
    /// scopes, as Python rebinds it) refers to its latest definition, which gets
    /// its own internal name (`kernel#2`), so that every value has one definition.
    private var current: [String: String] = [:]
    private var rebindings: [String: Int] = [:]
    /// The values of a step bound to one name (`as: parts` for `split`), by that name: `parts[0]`, ...
    private(set) var groups: [String: (values: [String], origin: String)] = [:]

    func isDefined(_ name: String) -> Bool { current[name] != nil || groups[name] != nil }

    /// The internal name of the value a spec name refers to now.
    func resolve(_ name: String) -> String? { current[name] }

    /// Defines a spec name and returns the internal name of the new value.
    @discardableResult
    mutating func define(_ name: String, _ definition: Definition) -> String {
        var internalName = name
        hidden[name] = nil
        if current[name] != nil || definitions[name] != nil {
            let count = rebindings[name, default: 1] + 1
            rebindings[name] = count
            internalName = "\(name)#\(count)"
        }
        order.append(internalName)
        definitions[internalName] = definition
        current[name] = internalName
        groups[name] = nil
        return internalName
    }

    /// Binds `name` to the values `members` (internal names) of one step, picked as `name[i]`.
    mutating func defineGroup(_ name: String, _ members: [String], origin: String) {
        current[name] = nil
        groups[name] = (members, origin)
    }

    /// The spec name of an internalName name (`kernel#2` is `kernel`).
    static func specName(_ internalName: String) -> String {
        internalName.split(separator: "#").first.map(String.init) ?? internalName
    }

    /// Sets the dtype of a defined value (a conditional step's value, merged with its first operand).
    mutating func setType(_ internalName: String, _ dtype: DType?) {
        definitions[internalName]?.dtype = dtype
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

    var allNames: [String] { Set(current.keys).union(groups.keys).sorted() }

    /// Why a name bound inside a block is not visible after it, by spec name.
    private(set) var hidden: [String: String] = [:]

    /// Makes a name bound inside a block invisible after it; `reason` says why when it is used.
    mutating func hide(_ name: String, because reason: String) {
        current[name] = nil
        hidden[name] = reason
    }

    /// Values defined but never read, in definition order.
    func unused(excluding kept: Set<String>) -> [(String, Definition)] {
        order.compactMap { name in
            guard let definition = definitions[name], definition.warnIfUnused,
                  !used.contains(name), !kept.contains(name) else { return nil }
            return (Self.specName(name), definition)
        }
    }
}
