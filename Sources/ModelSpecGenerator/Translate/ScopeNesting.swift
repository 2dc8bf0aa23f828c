import ModelSpecCompiler

/// Scopes become nested closures in the generated Swift (`tf.variableScope("a") { ... }`),
/// and the Swift parser refuses structures nested 256 deep ("structure nesting
/// level exceeded maximum of 256"). The generated code around the scopes (the
/// type, `call`, `shim.call`, a statement) takes a few levels, so scopes may
/// nest at most ``maximumDepth`` deep; deeper is an error at the scope, not
/// Swift that does not compile.
enum ScopeNesting {
    static let maximumDepth = 240

    /// The first scope nested deeper than ``maximumDepth`` in the model's forward pass or templates.
    static func firstTooDeep(in model: ModelDescription) -> Step? {
        firstTooDeep(model.body, depth: 0) ?? model.templates.lazy.compactMap { firstTooDeep($0.body, depth: 0) }.first
    }

    private static func firstTooDeep(_ steps: [Step], depth: Int) -> Step? {
        for step in steps {
            switch step.operation {
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body):
                if depth + 1 > maximumDepth { return step }
                if let found = firstTooDeep(body, depth: depth + 1) { return found }
            default:
                break
            }
        }
        return nil
    }

    /// The error for that scope.
    static func diagnostic(_ step: Step) -> Diagnostic {
        Diagnostic(.error, at: step.location, "scopes nest more than \(maximumDepth) deep here; the generated Swift would nest its closures deeper than the Swift compiler allows (256 levels); nest them less deep")
    }
}
