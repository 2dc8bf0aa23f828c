import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/initializers/cases.json (oracle/initializers.py): a spec
/// initializer and the statistics of TensorFlow's sample of it for a shape.
struct InitializerCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let spec: String
    let shape: [Int]
    let mean: Double
    let std: Double
    let min: Double
    let max: Double
    /// Whether the distribution is bounded (uniform, truncated normal), so that the extremes compare.
    let bounded: Bool
    let orthogonality_error: Double?
    let gram_diagonal: Double?
    let value: [[Double]]?

    var description: String { name }

    static let all: [InitializerCase] = {
        struct Index: Decodable { let cases: [InitializerCase] }
        let file = Repo.root.appendingPathComponent("Tests/Goldens/initializers/cases.json")
        guard let data = try? Data(contentsOf: file) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()
}

/// The initializers through the checker and the interpreter (a `variable` step with the
/// initializer), against the statistics of TensorFlow's sample: the random streams differ,
/// the distributions must not.
@Suite struct InitializerGoldenTests {
    static func sample(_ golden: InitializerCase) throws -> [Double] {
        let spec = """
            spec: 1
            model: InitializerCase
            forward:
              - variable: {name: w, shape: \(golden.shape), initializer: \(golden.spec)}
            """
        let (description, _) = try SpecOperationGoldenTests.check(spec)
        return try InterpretedModel(description)([:])[0].scalars.map(Double.init)
    }

    @Test func casesArePresent() {
        #expect(InitializerCase.all.count >= 20)
        // Every mode and distribution of variance_scaling.
        for mode in FanMode.allCases {
            for distribution in ScalingDistribution.allCases {
                #expect(InitializerCase.all.contains { $0.name == "variance_scaling_\(mode.rawValue)_\(distribution.rawValue)" })
            }
        }
    }

    @Test(arguments: InitializerCase.all)
    func matchesTensorFlowsStatistics(_ golden: InitializerCase) throws {
        let values = try Self.sample(golden)
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count).squareRoot()
        if let expected = golden.value {
            #expect(values == expected.flatMap { $0 }, "identity: \(values)")
            return
        }
        // Two sample means differ by about σ·√(2/n); six standard errors is a loose bound.
        #expect(Swift.abs(mean - golden.mean) <= 6 * golden.std / count.squareRoot(), "mean \(mean), TensorFlow \(golden.mean)")
        #expect(Swift.abs(std / golden.std - 1) <= 0.03, "standard deviation \(std), TensorFlow \(golden.std)")
        if golden.bounded {
            #expect(Swift.abs(values.max()! - golden.max) <= 0.02 * Swift.abs(golden.max), "largest \(values.max()!), TensorFlow \(golden.max)")
            #expect(Swift.abs(values.min()! - golden.min) <= 0.02 * Swift.abs(golden.min), "smallest \(values.min()!), TensorFlow \(golden.min)")
        }
        if let error = golden.orthogonality_error, let diagonal = golden.gram_diagonal {
            // Rows or columns (whichever are fewer) orthogonal, each of squared length gain².
            let columns = golden.shape.last!, rows = values.count / columns
            let (outer, inner) = rows >= columns ? (columns, rows) : (rows, columns)
            func element(_ i: Int, _ k: Int) -> Double { rows >= columns ? values[k * columns + i] : values[i * columns + k] }
            var worst = 0.0
            for i in 0..<outer {
                for j in i..<outer {
                    var dot = 0.0
                    for k in 0..<inner { dot += element(i, k) * element(j, k) }
                    worst = Swift.max(worst, Swift.abs(dot - (i == j ? diagonal : 0)))
                }
            }
            #expect(worst <= Swift.max(1e-4, 10 * error), "orthogonality error \(worst), TensorFlow \(error)")
        }
    }

    /// What TensorFlow refuses: identity of another rank, orthogonal of rank 1; an error of the check,
    /// located at the step, before anything runs.
    @Test func shapesTheyCannotFillAreErrors() throws {
        for (spec, shape) in [("identity", "[2, 2, 2]"), ("orthogonal", "[4]")] {
            let error = #expect(throws: (any Error).self) {
                try SpecOperationGoldenTests.check("""
                    spec: 1
                    model: InitializerCase
                    forward:
                      - variable: {name: w, shape: \(shape), initializer: \(spec)}
                    """)
            }
            #expect("\(error!)".contains(".yaml:4:5: error: variable 'w': the \(spec) initializer"), "\(error!)")
        }
    }
}
