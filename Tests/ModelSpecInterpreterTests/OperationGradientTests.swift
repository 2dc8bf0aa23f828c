import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import Testing

/// Every declared operation's gradient, through the interpreter (the runtime functions
/// generated code calls), against finite differences at the inputs of its TensorFlow
/// golden cases (Tests/Goldens/spec_ops). An operation declared differentiable whose
/// kernel records no backward rule, or a wrong one, fails here.
@Suite struct OperationGradientTests {
    struct Outcome {
        var checkedOperations = Set<String>()
        var failures: [String] = []
    }

    /// The value names a case's steps read as indices, or pass only where the declaration's gradient
    /// rule sends no gradient (TensorFlow's stop_gradient); a name also given to a differentiable
    /// operand (`x` in `greater: [x, 0]` then `where: [c, x, y]`) is differentiated.
    static func indexNames(_ steps: [Step]) -> Set<String> {
        var blocked = Set<String>(), differentiated = Set<String>()
        func visit(_ steps: [Step]) {
            for step in steps {
                switch step.operation {
                case let .math(operation):
                    let none = operation.declaration.nonDifferentiableOperands(count: operation.operands.count)
                    for (position, operand) in operation.operands.enumerated() {
                        guard let name = operand.valueName else { continue }
                        if none.contains(position) { blocked.insert(name) } else { differentiated.insert(name) }
                    }
                case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body):
                    visit(body)
                default: break
                }
            }
        }
        visit(steps)
        return blocked.subtracting(differentiated)
    }

    static let outcome: Outcome = {
        var outcome = Outcome()
        // Cases of float and int32 inputs (int64 and bool inputs have no gradient to check).
        for golden in SpecOperationCase.all where golden.steps != nil && !golden.inputs.isEmpty
            && golden.inputs.allSatisfy({ $0.dtype == nil || $0.dtype == "int32" }) {
            do {
                let (model, _) = try SpecOperationGoldenTests.check(try golden.specText())
                // Integer inputs (labels, ids) are given as IndexTensors, as SpecOperationGoldenTests does,
                // and not differentiated; the float ones are.
                let (_, integers) = try golden.inputValues()
                let floatInputs = golden.inputs.filter { $0.dtype == nil }
                let inputs = try floatInputs.map { try golden.tensor($0.file) }
                guard inputs.allSatisfy({ $0.scalars.allSatisfy(\.isFinite) }) else { continue }
                let indices = indexNames(model.body)
                let skipped = Set(floatInputs.indices.filter { indices.contains(floatInputs[$0].name) })
                let interpreted = try InterpretedModel(model)
                // Kinks counted from 5% apart: a maximum whose runner-up lies within the step
                // (nn_max_pool_explicit's element 136, 0.009 below) bends the central difference by ~5%.
                let report = try GradientCheck.compare(at: inputs, skipping: skipped, kinkTolerance: 0.05) { values in
                    var named: [String: Tensor] = [:]
                    for (input, value) in zip(floatInputs, values) { named[input.name] = value }
                    return try interpreted(named, indices: integers)
                }
                if !report.mismatches.isEmpty || !report.missing.isEmpty {
                    outcome.failures.append("\(golden.name): \(report)")
                } else if report.checked > 0 {
                    outcome.checkedOperations.formUnion(SpecOperationGoldenTests.operations(model.body))
                }
            } catch {
                outcome.failures.append("\(golden.name): \(error)")
            }
        }
        return outcome
    }()

    @Test func gradientsMatchFiniteDifferences() {
        #expect(Self.outcome.failures.isEmpty, "\(Self.outcome.failures.joined(separator: "\n"))")
    }

    @Test func everyDifferentiableOperationIsChecked() {
        let differentiable = OperationDeclaration.all.filter {
            if case .none = $0.gradient { return false }
            return true
        }.map(\.name)
        let unchecked = Set(differentiable).subtracting(Self.outcome.checkedOperations)
        #expect(unchecked.isEmpty, "operations declared differentiable whose gradient no case checked: \(unchecked.sorted())")
    }
}
