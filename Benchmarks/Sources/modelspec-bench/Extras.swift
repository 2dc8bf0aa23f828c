import COpenBLAS
import Foundation
import ModelSpecCompiler
import ModelSpecGenerator
import ModelSpecRuntime
import TensorBundle

// MARK: Dense layers against cblas_sgemm

struct GemmResult {
    var m: Int, k: Int, n: Int
    var denseSeconds: Double
    var sgemmSeconds: Double
    var flops: Double { 2 * Double(m) * Double(k) * Double(n) }
    var denseGFlops: Double { flops / denseSeconds / 1e9 }
    var sgemmGFlops: Double { flops / sgemmSeconds / 1e9 }
}

/// The runtime's `dense` (bias and ReLU fused) on the MLP's shapes, against a bare
/// `cblas_sgemm` of the same shape into a preallocated output.
func benchGemm(m: Int, k: Int, n: Int, seconds: Double, rounds: Int) throws -> GemmResult {
    let x = try randomTensor([m, k], seed: 1)
    let kernel = try randomTensor([k, n], seed: 2)
    let bias = try randomTensor([n], seed: 3)
    let a = randomFloats(m * k, seed: 1), b = randomFloats(k * n, seed: 2)
    var c = [Float](repeating: 0, count: m * n)
    var denseTimes: [Double] = [], gemmTimes: [Double] = []
    for _ in 0..<rounds {
        denseTimes += try timeRuns(seconds: seconds / Double(rounds), minimumRuns: 5) {
            let y = try dense(x, kernel: kernel, bias: bias, activation: .relu)
            consume(y.withUnsafeBufferPointer { $0[0] })
        }
        gemmTimes += timeRuns(seconds: seconds / Double(rounds), minimumRuns: 5) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                                    1, ap.baseAddress, Int32(k), bp.baseAddress, Int32(n), 0, cp.baseAddress, Int32(n))
                    }
                }
            }
            consume(c[0])
        }
    }
    return GemmResult(m: m, k: k, n: n, denseSeconds: median(denseTimes), sgemmSeconds: median(gemmTimes))
}

// MARK: Batch-1 floors

/// Read bandwidth from the last-level cache: a sum over a warm buffer of
/// `bytes` (larger than L2, smaller than L3) in four independent 8-float
/// vector accumulators; the fastest run (a floor is a best case), in bytes per second.
func benchReadBandwidth(bytes: Int, seconds: Double) -> Double {
    let count = bytes / 4 / 32 * 32
    let values = randomFloats(count, seed: 11)
    let times = values.withUnsafeBytes { raw in
        timeRuns(seconds: seconds, minimumRuns: 20) {
            var a = SIMD8<Float>(), b = a, c = a, d = a
            var offset = 0
            while offset < count * 4 {
                a += raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                b += raw.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self)
                c += raw.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self)
                d += raw.loadUnaligned(fromByteOffset: offset + 96, as: SIMD8<Float>.self)
                offset += 128
            }
            consume((a + b + c + d).sum())
        }
    }
    return Double(count * 4) / times.min()!
}

/// The least time one sample can take on this core: its arithmetic at the
/// GEMM peak, or reading its weights once at the cache bandwidth, whichever
/// is longer.
func floorSeconds(flops: Double, weightBytes: Int, peakFlops: Double, bandwidth: Double) -> Double {
    max(flops / peakFlops, Double(weightBytes) / bandwidth)
}

// MARK: Spec to Swift

struct GenerationResult {
    var layers: Int
    var seconds: Double
    var lines: Int
}

/// The text of a legacy spec with `layers` dense layers in one scope.
func deepSpec(layers: Int) -> String {
    var text = """
    spec: 1
    model: Deep\(layers)
    style: legacy
    doc: A generated spec of \(layers) dense layers, for timing the generator.
    inputs:
      inputs: [batch, 32]
    forward:
      - scope: model
        do:

    """
    let activations = ["relu", "tanh", "sigmoid", "linear"]
    for i in 0..<layers {
        text += "      - dense: {units: \(16 + (i % 4) * 8), activation: \(activations[i % 4])}\n"
    }
    return text
}

/// Parse, check, trace and generate (SpecCompiler + SwiftGenerator) a spec of
/// `layers` layers written to a temporary folder; the median of `runs` runs.
func benchGeneration(layers: Int, runs: Int) throws -> GenerationResult {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-bench-\(getpid())-gen")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("Deep\(layers).yaml").path
    try deepSpec(layers: layers).write(toFile: path, atomically: true, encoding: .utf8)
    var times: [Double] = []
    var lines = 0
    for _ in 0..<runs {
        let t0 = nanoseconds()
        let compiler = SpecCompiler(library: SpecLibrary(containing: path))
        let checked = compiler.check(file: path)
        guard let model = checked.model else {
            throw BenchError("the generated spec has errors: \(checked.diagnostics.map { "\($0)" })")
        }
        let source = try SwiftGenerator(compiler: compiler, access: .public).generate(model)
        times.append(Double(nanoseconds() - t0) / 1e9)
        lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
    }
    return GenerationResult(layers: layers, seconds: median(times), lines: lines)
}

// MARK: Checkpoint loading

struct CheckpointResult {
    var bytes: Int
    var tensors: Int
    var writeSeconds: Double
    var readSeconds: Double
    var gigabytesPerSecond: Double { Double(bytes) / readSeconds / 1e9 }
}

/// Writes a checkpoint of `megabytes` MiB (tensors of 4 MiB) with CheckpointWriter,
/// then opens it and reads every tensor straight into a runtime `Tensor`, CRC32C
/// checked there; the median of `runs` reads (each opens the files anew).
func benchCheckpoint(megabytes: Int, runs: Int) throws -> CheckpointResult {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelspec-bench-\(getpid())-ckpt")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let prefix = folder.appendingPathComponent("model.ckpt").path
    let elementsPerTensor = 1 << 20
    let count = megabytes / 4
    let values = randomFloats(elementsPerTensor, seed: 7)
    let t0 = nanoseconds()
    do {
        var writer = CheckpointWriter()
        for i in 0..<count {
            try writer.add(name: "model/block_\(i)/dense/kernel", shape: [1024, 1024], floats: values)
        }
        try writer.write(prefix: prefix)
    }
    let writeSeconds = Double(nanoseconds() - t0) / 1e9
    var times: [Double] = []
    var total = 0
    for _ in 0..<runs {
        let start = nanoseconds()
        let checkpoint = try Checkpoint(path: prefix)
        total = 0
        for entry in checkpoint.entries {
            let tensor = try Tensor(shape: entry.shape) { out in
                try checkpoint.readTensorBytes(named: entry.name, into: UnsafeMutableRawBufferPointer(out))
            }
            total += tensor.scalarCount * 4
            consume(tensor.withUnsafeBufferPointer { $0[$0.count - 1] })
        }
        times.append(Double(nanoseconds() - start) / 1e9)
    }
    return CheckpointResult(bytes: total, tensors: count, writeSeconds: writeSeconds, readSeconds: median(times))
}
