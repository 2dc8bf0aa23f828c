import ModelSpecCompiler

/// The Swift names a spec's parameters, inputs, layers and weights take in the
/// generated type (`conv_layer` -> `convLayer`) share one namespace with the
/// members the generator writes (`shim`, `context`, ...) and the runtime
/// functions the generated code calls (`relu`, `matmul`, `checkInputShapes`): a
/// parameter named `shim` would be declared twice, an input named `relu` would
/// hide the function. Such a name is an error at its declaration, not Swift that
/// does not compile.
enum MemberNames {
    /// Members of the generated type and of the runtime's `Layer` protocols, and the call's own parameters.
    static let generated: Set<String> = [
        "shim", "pendingValues", "path", "context", "training", "substitutions", "manifest", "call", "callAsFunction",
        "ownWeights", "ownWeightLosses", "ownLosses", "sublayers", "weights", "losses", "trainableWeights",
        "nonTrainableWeights", "trainable", "variableStore", "createdVariables", "load", "apply", "self", "init",
    ]

    /// The first declaration whose Swift name is reserved or already taken by another.
    static func firstClash(in model: ModelDescription) -> Diagnostic? {
        // Each declaration with the error at its place.
        var declared: [(kind: String, name: String, error: (String) -> Diagnostic)] = []
        declared += model.params.map { param in ("parameter", param.name, { Diagnostic(.error, at: param.location, $0) }) }
        declared += model.inputs.map { input in ("input", input.name, { Diagnostic(.error, at: input.location, $0) }) }
        declared += model.layers.map { layer in ("layer", layer.name, { Diagnostic(.error, at: layer.location, $0) }) }
        declared += model.weights.map { weight in ("weight", weight.name, { Diagnostic(.error, at: weight.location, $0) }) }
        var taken: [String: String] = [:]
        for declaration in declared {
            let swift = SwiftName.lowerCamel(declaration.name).trimmingCharacters(in: ["`"])
            let what = "\(declaration.kind) '\(declaration.name)'"
            if generated.contains(swift) || ValueNames.reserved.contains(swift) {
                return declaration.error("\(what) would be '\(swift)' in Swift, a name the generated model uses itself; choose another name")
            }
            if let other = taken[swift] {
                return declaration.error("\(what) would be '\(swift)' in Swift, as \(other) is; choose another name")
            }
            taken[swift] = what
        }
        return nil
    }
}
