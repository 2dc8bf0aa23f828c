import ModelSpecCompiler

/// The runtime type of each output of a generated model: an int32, int64 or bool output is returned
/// as the `IndexTensor`, `Int64Tensor` or `BoolTensor` it is (as the interpreter returns it), a float
/// output (and a variable) as a `Tensor`. A nested model's outputs keep their types in the caller.
enum OutputKinds {
    static func of(_ model: ModelDescription, resolve: (String) -> ModelDescription?) -> [ValueKind] {
        of(model, resolve: resolve, visiting: [])
    }

    private static func of(_ model: ModelDescription, resolve: (String) -> ModelDescription?,
                           visiting: Set<String>) -> [ValueKind] {
        guard !visiting.contains(model.name) else { return model.outputs.map { _ in .float } }
        var kinds = Dictionary(model.inputs.map { ($0.name, ValueKind($0.dtype)) }, uniquingKeysWith: { first, _ in first })
        func walk(_ steps: [Step]) {
            for step in steps {
                switch step.operation {
                case .math:
                    for (position, name) in step.results.enumerated() { kinds[name] = ValueKind(step.type(position)) }
                case let .callLayer(name, _):
                    guard case let .model(nestedName, _)? = model.layer(named: name)?.kind, let nested = resolve(nestedName) else { break }
                    let nestedKinds = of(nested, resolve: resolve, visiting: visiting.union([model.name]))
                    for (name, kind) in zip(step.results, nestedKinds) { kinds[name] = kind }
                case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body):
                    walk(body)
                default:
                    break
                }
            }
        }
        walk(model.body)
        return model.outputs.map { name in
            model.weights.contains { $0.name == name } ? .float : kinds[name] ?? .float
        }
    }

    /// `Tensor`, or `(total: Tensor, positive: BoolTensor)` for several outputs.
    static func returnType(_ model: ModelDescription, resolve: (String) -> ModelDescription?) -> String {
        let types = of(model, resolve: resolve).map(\.swiftType)
        if model.outputs.count == 1 { return types[0] }
        return "(" + zip(model.outputs, types).map { "\(label($0)): \($1)" }.joined(separator: ", ") + ")"
    }

    /// The tuple label of an output (`output` for an unnamed one).
    static func label(_ output: String) -> String {
        SwiftName.lowerCamel(output.hasPrefix("_") ? "output" : output)
    }
}
