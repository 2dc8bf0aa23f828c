import Foundation
import ModelSpecRuntime

// The ONNX Runtime side is built from the Swift model's own weights, and its
// output compared with the Swift model's before anything is timed.

/// Gives every variable of a model fresh pseudo-random values, so that biases,
/// the normalization's statistics and scales all matter to the comparison (their
/// initial values are zeros and ones): kernels keep their initializer's values,
/// scales and variances become 0.5 + |r|, the others 0.1·r, r in [-1, 1).
/// Assigned after the first call, so the model must notice changed variables.
func perturbVariables(_ variables: [Variable]) throws {
    for (index, variable) in variables.enumerated() where !variable.name.hasSuffix("/kernel") {
        let r = randomFloats(variable.value.scalarCount, seed: 0xA11 + UInt64(index))
        let positive = variable.name.hasSuffix("/gamma") || variable.name.hasSuffix("/moving_variance")
        try variable.assign(Tensor(shape: variable.shape, scalars: r.map { positive ? 0.5 + abs($0) : 0.1 * $0 }))
    }
}

/// Writes the weights and the input where onnx_bench.py reads them, has it build its
/// graph and session, and checks its output against the Swift model's.
func loadONNX(_ server: ScriptServer, model: String, batch: Int, threads: Int,
              instance: BenchInstance, input: Tensor) throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("modelspec-bench-onnx-\(getpid())-\(model)-\(batch)-\(threads)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    var index: [String: Any] = [:]
    for (i, variable) in instance.variables().enumerated() {
        let file = "w\(i).bin"
        try floatData(variable.value).write(to: directory.appendingPathComponent(file))
        index[variable.name] = ["file": file, "shape": variable.shape]
    }
    try JSONSerialization.data(withJSONObject: index).write(to: directory.appendingPathComponent("weights.json"))
    try floatData(input).write(to: directory.appendingPathComponent("input.bin"))
    try JSONSerialization.data(withJSONObject: ["shape": input.shape])
        .write(to: directory.appendingPathComponent("input.json"))

    let answer = try server.request(["cmd": "load", "model": model, "batch": batch, "threads": threads,
                                     "dir": directory.path])
    let expected = try instance.call(input)
    guard let shape = answer["shape"] as? [Int], shape == expected.shape, let path = answer["path"] as? String else {
        throw BenchError("\(model) at batch \(batch): ONNX Runtime's output has shape \(answer["shape"] ?? "?"), Swift's \(expected.shape)")
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let got = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    let want = expected.scalars
    let scale = max(1, want.map(abs).max() ?? 0)
    let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
    guard got.count == want.count, worst <= 1e-4 * scale else {
        throw BenchError("\(model) at batch \(batch): ONNX Runtime and Swift differ by up to \(worst) (outputs up to \(scale))")
    }
}

private func floatData(_ tensor: Tensor) -> Data {
    tensor.withUnsafeBufferPointer { Data(buffer: $0) }
}
