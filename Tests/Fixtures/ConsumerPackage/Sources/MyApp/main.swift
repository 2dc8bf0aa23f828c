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

// Integer inputs are IndexTensors; the nested Head block's layer is named by the caller's scope.
let tagger = TokenTagger()
let tags = try tagger(try IndexTensor(shape: [2, 3], scalars: [1, 2, 3, 9, 0, 4]))
check(tags.shape == [2, 2] && tags.scalars.allSatisfy { $0 == 4 }, "TokenTagger output \(tags)")
check(TokenTagger.manifest.map(\.name) == ["tagger/embeddings", "tagger/dense/kernel", "tagger/dense/bias"],
      "TokenTagger manifest \(TokenTagger.manifest.map(\.name))")
// An id outside the table and a wrong input shape are errors, not traps.
do {
    _ = try tagger(try IndexTensor(shape: [1, 3], scalars: [1, 2, 10]))
    check(false, "an id outside the table was accepted")
} catch {}
do {
    _ = try tagger(try IndexTensor(shape: [2, 4], scalars: [0, 0, 0, 0, 0, 0, 0, 0]))
    check(false, "a wrong input shape was accepted")
} catch {
    check("\(error)" == "TokenTagger: input 'ids' needs shape [batch, 3], but a tensor of shape [2, 4] is given", "\(error)")
}

// The README's data in/out example, as written there.
try readmeExample()

print(exitCode == 0 ? "consumer: all checks passed" : "consumer: checks failed")
exit(exitCode)

extension Float {
    var tanhValue: Float { Float(Foundation.tanh(Double(self))) }
}
