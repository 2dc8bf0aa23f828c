import Foundation
import ModelSpecRuntime

// The types below were generated at build time from Specs/*.yaml by ModelSpec's plugin.

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        print("FAILED: \(message())")
        exitCode = 1
    }
}

nonisolated(unsafe) var exitCode: Int32 = 0

let pipeline = Pipeline()
let x = try Tensor(shape: [2, 4], scalars: [0, 0, 0, 0, 1, 0, 0, 0])
let y = try pipeline(x)
// Encoder: tanh(x . ones + 0.5); Pipeline: its sum over 6 units (ones kernel, zero bias) in each of 2 outputs.
let expectedFirst = 6 * Float(0.5).tanhValue
let expectedSecond = 6 * Float(1.5).tanhValue
check(y.shape == [2, 2], "Pipeline output shape \(y.shape)")
check(abs(y[0, 0] - expectedFirst) < 1e-5 && abs(y[1, 1] - expectedSecond) < 1e-5, "Pipeline output \(y.scalars)")
let names = pipeline.weights.map(\.name)
check(Set(names) == Set(Pipeline.manifest.map(\.name)), "Pipeline weights \(names) vs manifest \(Pipeline.manifest.map(\.name))")
print("Pipeline manifest:")
for entry in Pipeline.manifest { print("  \(entry)") }

let classifier = TinyClassifier(classes: 3)
let probabilities = try classifier(try Tensor(shape: [5, 4], repeating: 0.25))
check(probabilities.shape == [5, 3], "TinyClassifier output shape \(probabilities.shape)")
let rowSums = try reduceSum(probabilities, axes: [1]).scalars
check(rowSums.allSatisfy { abs($0 - 1) < 1e-5 }, "softmax rows sum to \(rowSums)")
print("TinyClassifier manifest:")
for entry in TinyClassifier.manifest { print("  \(entry)") }

print(exitCode == 0 ? "consumer: all checks passed" : "consumer: checks failed")
exit(exitCode)

extension Float {
    var tanhValue: Float { Float(Foundation.tanh(Double(self))) }
}
