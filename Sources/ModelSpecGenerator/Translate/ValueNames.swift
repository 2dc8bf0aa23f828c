import ModelSpecCompiler

/// Swift names for the values of a forward pass: bound names in lowerCamelCase,
/// unbound step results `x1`, `x2`, ... in order, never clashing with the
/// runtime functions the generated code calls or with each other.
struct ValueNames {
    /// The runtime functions of the declared operations.
    static let operationFunctions: Set<String> = Set(OperationDeclaration.all.compactMap(\.swift.function))
    /// The other names the generated code uses.
    static let unqualified: Set<String> = [
        "tf", "context", "training", "substitutions", "shim", "path", "keras", "v1", "checkInputShapes", "loan",
    ]
    /// Names no value of a forward pass, and no member of the model, takes.
    static let reserved: Set<String> = operationFunctions.union(unqualified)

    private var names: [String: String] = [:]
    private var taken: Set<String>
    private var unbound = 0
    private var nextSuffix: [String: Int] = [:]

    init(taken: Set<String>) {
        self.taken = taken.union(Self.reserved)
    }

    /// The Swift name of a spec value, made on first use.
    mutating func name(_ value: String) -> String {
        if let existing = names[value] { return existing }
        var candidate: String
        if value.hasPrefix("_"), Int(value.dropFirst()) != nil {
            repeat {
                unbound += 1
                candidate = "x\(unbound)"
            } while taken.contains(candidate)
        } else {
            // A spec name bound again (`kernel#2`) takes the next free Swift name (`kernel2`).
            candidate = SwiftName.lowerCamel(String(value.split(separator: "#").first ?? Substring(value)))
            if taken.contains(candidate) { candidate += "Value" }
            // The next suffix to try is remembered per base, so that a name bound
            // again thousands of times does not try every earlier suffix again.
            let base = candidate
            var suffix = nextSuffix[base, default: 2]
            while taken.contains(candidate) {
                candidate = base + String(suffix)
                suffix += 1
            }
            nextSuffix[base] = suffix
        }
        taken.insert(candidate)
        names[value] = candidate
        return candidate
    }

    /// A Swift name for a value the generated code makes itself (`x3Parts`): `base`, or `base2`, ... when taken.
    mutating func fresh(_ base: String) -> String {
        var candidate = base
        var suffix = 2
        while taken.contains(candidate) {
            candidate = base + String(suffix)
            suffix += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// Gives a spec value a fixed Swift name (inputs, parameters of a template).
    mutating func assign(_ value: String, to swiftName: String) {
        names[value] = swiftName
        taken.insert(swiftName)
    }
}
