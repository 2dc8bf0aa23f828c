/// Which spec values each step reads and defines: what a generated scope block returns, and
/// which values are read after a step (``LiveValues``).
public enum ValueUses {
    public static func reads(_ steps: [Step]) -> Set<String> {
        var result = Set<String>()
        for step in steps { result.formUnion(reads(step)) }
        return result
    }

    public static func reads(_ step: Step) -> Set<String> {
        var result = Set(step.inputs)
        switch step.operation {
        case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): result.formUnion(reads(body))
        default: break
        }
        return result
    }

    /// Values the steps read as tensors: operands, except the variable an `assign` changes.
    public static func valueReads(_ steps: [Step]) -> Set<String> {
        var result = Set<String>()
        for step in steps {
            switch step.operation {
            case .assign: result.formUnion(step.inputs.dropFirst())
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): result.formUnion(valueReads(body))
            default: result.formUnion(step.inputs)
            }
        }
        return result
    }

    /// Values defined by the steps, in order, including inside nested scopes.
    public static func defines(_ steps: [Step]) -> [String] {
        var result: [String] = []
        for step in steps {
            result += step.results
            switch step.operation {
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body): result += defines(body)
            default: break
            }
        }
        return result
    }
}
