extension ModelDescription {
    /// Whether a call of the model makes `get_or_create_layer` layers: in its steps and
    /// templates, or in a spec it uses as a layer (to `depth` specs down). Such a model's
    /// calls name those layers with Keras's counters, which its construction starts.
    public func makesStoredLayers(resolve: (String) -> ModelDescription?, depth: Int = 8) -> Bool {
        func inSteps(_ steps: [Step]) -> Bool {
            steps.contains { step in
                switch step.operation {
                case .getOrCreateLayer: true
                case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body):
                    inSteps(body)
                default: false
                }
            }
        }
        if inSteps(body) || templates.contains(where: { inSteps($0.body) }) { return true }
        guard depth > 0 else { return false }
        return layers.contains { layer in
            guard case let .model(name, _) = layer.kind, let nested = resolve(name) else { return false }
            return nested.makesStoredLayers(resolve: resolve, depth: depth - 1)
        }
    }
}
