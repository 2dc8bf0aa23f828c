import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import TensorBundle

/// The digits demo: a TF1-style CNN trained in TensorFlow (oracle/digits.py),
/// compiled from specs/DigitsCNN.yaml by the build plugin into the `DigitsCNN`
/// type, loaded from TensorFlow's Saver checkpoint by variable name, and run on
/// the held-out test set. With `--from-scratch`, trains it in Swift from TensorFlow's starting
/// weights instead (``FromScratch``).
///
///     swift run DigitsDemo [DIGITS-DIRECTORY]
///     swift run -c release DigitsDemo --from-scratch
@main
struct DigitsDemo {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let flag = arguments.firstIndex(of: "--from-scratch") {
            arguments.remove(at: flag)
            let directory = URL(fileURLWithPath: arguments.first ?? defaultDirectory())
            try FromScratch.run(scratch: directory.deletingLastPathComponent().appendingPathComponent("digits_scratch"), test: directory)
            return
        }
        let directory = URL(fileURLWithPath: arguments.first ?? defaultDirectory())
        let checkpoint = try Checkpoint(path: directory.appendingPathComponent("checkpoint").path)

        // 1. The spec's variables against the checkpoint, before anything runs.
        let expected = DigitsCNN.manifest.map(ExpectedVariable.init)
        let match = CheckpointMatch(expected: expected, entries: checkpoint.entries)
        print("== \(DigitsCNN.manifest.count) variables of DigitsCNN against \(checkpoint.prefix)")
        for problem in match.missing { print("- \(problem.name) \(problem.shape): not in the checkpoint") }
        for entry in match.unused { print("+ \(entry.name) \(entry.shape): not made by the spec") }
        for mismatch in match.mismatched {
            print("! \(mismatch.variable.name): spec \(mismatch.variable.shape), checkpoint \(mismatch.checkpointShape)")
        }
        guard match.isExact else {
            print("The spec and the checkpoint differ; see modelspec diff.")
            exit(1)
        }
        print("clean: every variable found with its shape and dtype")
        match.report.forEach { print("   \($0)") }

        // 2. Load by name, then classify the test set.
        let model = DigitsCNN()
        try model.load(checkpoint)
        let images = try NumPy.readTensor(contentsOf: directory.appendingPathComponent("test_images.npy"))
        let labels = try NumPy.readIndexTensor(contentsOf: directory.appendingPathComponent("test_labels.npy")).scalars.map(Int.init)
        _ = try model(try slice(images, 0..<1))   // first call: creates the variables from the checkpoint's values
        let start = ContinuousClock.now
        var logits: [Tensor] = []
        for index in 0..<labels.count {
            logits.append(try model(try slice(images, index..<(index + 1))))
        }
        let perImage = (ContinuousClock.now - start) / labels.count
        let predictions = try logits.map { Int(try argmax($0, axis: -1).scalars[0]) }

        // 3. What it found.
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(labels.count)
        print("\n== accuracy on \(labels.count) held-out images: \(String(format: "%.2f", accuracy * 100))% (\(correct)/\(labels.count))")
        if let tf = tensorFlowAccuracy(directory) {
            print("   TensorFlow's accuracy on the same images: \(String(format: "%.2f", tf * 100))%")
        }
        print("   time per image (batch 1): \(perImage.formatted(.units(allowed: [.microseconds], fractionalPart: .show(length: 1))))")
        if let reference = try? NumPy.readTensor(contentsOf: directory.appendingPathComponent("test_logits.npy")) {
            let difference = zip(logits.flatMap(\.scalars), reference.scalars).map { abs($0 - $1) }.max() ?? 0
            print("   largest difference from TensorFlow's logits: \(difference)")
        }
        printConfusion(predictions: predictions, labels: labels)
        printExamples(images: images, predictions: predictions, labels: labels)
    }

    static func defaultDirectory() -> String {
        let local = "Tests/Goldens/digits"
        if FileManager.default.fileExists(atPath: local) { return local }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(local).path
    }

    static func tensorFlowAccuracy(_ directory: URL) -> Double? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("summary.json")),
              let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return summary["test_accuracy"] as? Double
    }

    static func printConfusion(predictions: [Int], labels: [Int]) {
        var matrix = Array(repeating: Array(repeating: 0, count: 10), count: 10)
        for (predicted, label) in zip(predictions, labels) { matrix[label][predicted] += 1 }
        print("\n== confusion (rows: true digit, columns: predicted)")
        print("      " + (0..<10).map { String(format: "%4d", $0) }.joined())
        for digit in 0..<10 {
            let row = matrix[digit].map { $0 == 0 ? "   ." : String(format: "%4d", $0) }.joined()
            let total = matrix[digit].reduce(0, +)
            print(String(format: "%4d  ", digit) + row + String(format: "   %3d/%-3d", matrix[digit][digit], total))
        }
    }

    static func printExamples(images: Tensor, predictions: [Int], labels: [Int]) {
        let wrong = zip(predictions, labels).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        let shown = Array(([0, 1, 2] + wrong.prefix(2)).prefix(5))
        print("\n== a few test images (8x8)")
        let shades = Array(" .:-=+*#%@")
        let rows = shown.map { index -> [String] in
            let pixels = Array(images.scalars[(index * 64)..<((index + 1) * 64)])
            var lines = (0..<8).map { y in
                String((0..<8).map { x in shades[min(9, Int(pixels[y * 8 + x] * 9.99))] }.flatMap { [$0, $0] }) + "  "
            }
            let verdict = predictions[index] == labels[index] ? "ok" : "wrong"
            lines.append("#\(index): \(predictions[index]) (\(labels[index])) \(verdict)".padding(toLength: 18, withPad: " ", startingAt: 0))
            return lines
        }
        for line in 0..<9 {
            print(rows.map { $0[line] }.joined(separator: "  "))
        }
        print("(predicted (true))")
    }
}
