import Foundation
import ModelSpecRuntime

// modelspec-bench: the generated models timed side by side with TensorFlow and ONNX Runtime.
// See docs/performance.md; `scripts/bench` runs it as the project measures it.

struct Options {
    var models = BenchModel.all.map(\.key)
    var batches = [1, 16, 256]
    var rounds = 3
    var seconds = 0.25
    var threads = 1
    var tfPython: String? = FileManager.default.isExecutableFile(atPath: ".venv-tf/bin/python") ? ".venv-tf/bin/python" : nil
    var tfScript = "Benchmarks/tf_bench.py"
    var tfLog: String?
    var onnxPython: String? = FileManager.default.isExecutableFile(atPath: ".venv-onnx/bin/python") ? ".venv-onnx/bin/python" : nil
    var onnxScript = "Benchmarks/onnx_bench.py"
    var onnxLog: String?
    /// Thread counts of the extra section at the largest batch size (Swift and ONNX Runtime).
    var moreThreads = [2]
    var json: String?
    var extras = true
    var checkpointMegabytes = 256
    var generationLayers = 1000
    /// The batch size of the training-step rows; 0 leaves them out.
    var trainingBatch = 32
    /// Whether the inference rows run (`--no-inference`: only the training rows and the extras).
    var inference = true

    static let usage = """
    usage: modelspec-bench [--models mlp,cnn_small,cnn_bn,compat_v1_layer] [--batches 1,16,256]
                           [--rounds N] [--seconds S] [--threads N] [--tf-python PATH | --no-tf]
                           [--tf-script PATH] [--tf-log PATH] [--onnx-python PATH | --no-onnx]
                           [--onnx-script PATH] [--onnx-log PATH] [--more-threads 2,... | --no-more-threads]
                           [--json PATH] [--no-extras] [--checkpoint-mb N] [--layers N]
                           [--train-batch N | --no-train] [--no-inference] [--quick]
    Times the generated models (inference) at each batch size, alternating with
    Benchmarks/tf_bench.py and Benchmarks/onnx_bench.py in rounds of about S seconds a side,
    then Swift and ONNX Runtime with more threads at the largest batch size, then a training
    step (forward, loss, backward, Adam) beside TensorFlow's tf.function step, then dense
    layers against cblas_sgemm, spec-to-Swift generation and checkpoint loading.
    """

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value\n" + Self.usage) }
            return arguments[i]
        }
        func ints(_ s: String) throws -> [Int] {
            try s.split(separator: ",").map { guard let v = Int($0) else { throw BenchError("not a number: \($0)") }; return v }
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--models": models = try value().split(separator: ",").map(String.init)
            case "--batches": batches = try ints(value())
            case "--rounds": rounds = try ints(value())[0]
            case "--seconds": seconds = Double(try value()) ?? seconds
            case "--threads": threads = try ints(value())[0]
            case "--tf-python": tfPython = try value()
            case "--no-tf": tfPython = nil
            case "--tf-script": tfScript = try value()
            case "--tf-log": tfLog = try value()
            case "--onnx-python": onnxPython = try value()
            case "--no-onnx": onnxPython = nil
            case "--onnx-script": onnxScript = try value()
            case "--onnx-log": onnxLog = try value()
            case "--more-threads": moreThreads = try ints(value())
            case "--no-more-threads": moreThreads = []
            case "--json": json = try value()
            case "--no-extras": extras = false
            case "--checkpoint-mb": checkpointMegabytes = try ints(value())[0]
            case "--layers": generationLayers = try ints(value())[0]
            case "--train-batch": trainingBatch = try ints(value())[0]
            case "--no-train": trainingBatch = 0
            case "--no-inference": inference = false
            case "--quick": rounds = 1; seconds = 0.1; checkpointMegabytes = 64
            case "-h", "--help": print(Self.usage); exit(0)
            default: throw BenchError("unknown argument \(arguments[i])\n" + Self.usage)
            }
            i += 1
        }
        for key in models where !BenchModel.all.contains(where: { $0.key == key }) {
            throw BenchError("unknown model \(key); models: \(BenchModel.all.map(\.key).joined(separator: ", "))")
        }
    }
}

func machineDescription() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
        .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "?"
    let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
    let memKB = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal") }
        .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(model ?? "?"), \(memKB / 1024 / 1024) GiB"
}

struct Row {
    var model: String
    var batch: Int
    var threads: Int
    var swift: [Double] = []
    var tf: [Double] = []
    var onnx: [Double] = []
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    BLASThreads.setCount(options.threads)
    print("modelspec-bench: \(machineDescription()); OpenBLAS threads \(BLASThreads.count)")

    var tfServer: ScriptServer?
    if let python = options.tfPython {
        tfServer = try ScriptServer(python: python, script: options.tfScript, log: options.tfLog)
        let info = try tfServer!.info()
        print("TensorFlow \(info["tf_version"] ?? "?"), intra/inter-op threads \(info["intra_op_threads"] ?? "?")/\(info["inter_op_threads"] ?? "?"), tf.function over a track_tf1_style_variables layer")
    } else {
        print("TensorFlow side skipped (no .venv-tf/bin/python; pass --tf-python PATH)")
    }
    var onnxServer: ScriptServer?
    if let python = options.onnxPython {
        onnxServer = try ScriptServer(python: python, script: options.onnxScript, log: options.onnxLog)
        let info = try onnxServer!.info()
        print("ONNX Runtime \(info["onnxruntime_version"] ?? "?") (onnx \(info["onnx_version"] ?? "?"), opset \(info["opset"] ?? "?")), intra-op threads as Swift's, inter-op 1, \(info["graph_optimization"] ?? "?"); graphs built from the Swift models' weights, outputs checked")
    } else {
        print("ONNX Runtime side skipped (no .venv-onnx/bin/python; pass --onnx-python PATH)")
    }
    print("rounds \(options.rounds), about \(options.seconds) s a side per model and batch per round; median of every call")
    print("")

    // Models: one instance per model, batch size and thread count, built by a first call,
    // given fresh values and, when ONNX Runtime runs, checked against its graph.
    var rows: [Row] = []
    var instances: [BenchInstance] = []
    var inputs: [Tensor] = []
    let largest = options.batches.max() ?? 1
    let configurations = options.batches.map { ($0, options.threads) }
        + options.moreThreads.filter { $0 != options.threads }.map { (largest, $0) }
    for key in options.models where options.inference {
        let model = BenchModel.all.first { $0.key == key }!
        let modelConfigurations = model.batches.map { batches in
            batches.map { ($0, options.threads) } + options.moreThreads.filter { $0 != options.threads }.map { (batches.max() ?? 1, $0) }
        } ?? configurations
        for (batch, threads) in modelConfigurations {
            let instance = model.make()
            let x = try randomTensor(model.inputShape(batch))
            _ = try instance.call(x)
            try perturbVariables(instance.variables())
            if let onnxServer {
                try loadONNX(onnxServer, model: key, batch: batch, threads: threads, instance: instance, input: x)
            }
            rows.append(Row(model: key, batch: batch, threads: threads))
            instances.append(instance)
            inputs.append(x)
        }
    }
    for round in 0..<options.rounds {
        for index in rows.indices {
            let row = rows[index]
            let minimumRuns = row.batch >= 256 ? 3 : 10
            var sides: [() throws -> Void] = [{
                BLASThreads.setCount(row.threads)
                rows[index].swift += try timeRuns(seconds: options.seconds, minimumRuns: minimumRuns) {
                    let y = try instances[index].call(inputs[index])
                    consume(y.withUnsafeBufferPointer { $0[0] })
                }
            }]
            if let tfServer, row.threads == 1 {
                sides.append {
                    rows[index].tf += try tfServer.time(model: row.model, batch: row.batch,
                                                        seconds: options.seconds, minimumRuns: minimumRuns)
                }
            }
            if let onnxServer {
                sides.append {
                    rows[index].onnx += try onnxServer.time(model: row.model, batch: row.batch, threads: row.threads,
                                                            seconds: options.seconds, minimumRuns: minimumRuns)
                }
            }
            // Rotate which side goes first. With more threads, each side starts after the other's
            // threads have gone idle: ONNX Runtime's keep spinning for tens of milliseconds after
            // its last run (measured: about 30 ms of CPU), at the same real-time priority, and
            // would hold a core the next side's threads need.
            let first = (round + index) % sides.count
            for side in sides[first...] + sides[..<first] {
                if row.threads > 1 { usleep(100_000) }
                try side()
            }
        }
        FileHandle.standardError.write("round \(round + 1)/\(options.rounds) done\n".data(using: .utf8)!)
    }
    BLASThreads.setCount(options.threads)

    var jsonRows: [[String: Any]] = []
    for (title, selected) in [("one run, \(options.threads) thread\(options.threads == 1 ? "" : "s") each (TensorFlow: 1)",
                               rows.filter { $0.threads == options.threads }),
                              ("more threads at batch \(largest) (Swift and ONNX Runtime; TensorFlow not run)",
                               rows.filter { $0.threads != options.threads })] where !selected.isEmpty {
        print(title + ":")
        printTable(selected, oneThread: rows)
        jsonRows += selected.map(jsonRow)
    }

    if options.trainingBatch > 0 {
        jsonRows += try runTrainingRows(options, tfServer: tfServer)
    }

    var extras: [String: Any] = [:]
    if options.extras {
        print("dense layers (runtime dense: bias + ReLU fused) against cblas_sgemm, MLP shapes:")
        var gemmJSON: [[String: Any]] = []
        for (m, k, n) in [(256, 784, 512), (256, 512, 512), (256, 512, 10), (16, 784, 512), (1, 784, 512)] {
            let r = try benchGemm(m: m, k: k, n: n, seconds: 3 * options.seconds, rounds: options.rounds)
            print("  [\(m)x\(k)]·[\(k)x\(n)]: dense \(formatted(r.denseGFlops, 1)) GFLOP/s, sgemm \(formatted(r.sgemmGFlops, 1)) GFLOP/s, \(formatted(100 * r.denseGFlops / r.sgemmGFlops, 1))% of sgemm")
            gemmJSON.append(["m": m, "k": k, "n": n, "dense_gflops": r.denseGFlops, "sgemm_gflops": r.sgemmGFlops])
        }
        if let i = rows.firstIndex(where: { $0.model == "mlp" && $0.batch == 256 && $0.threads == options.threads }) {
            let flops = BenchModel.all[0].flopsPerSample * 256
            print("  whole mlp at batch 256: \(formatted(flops / median(rows[i].swift) / 1e9, 1)) GFLOP/s")
        }
        extras["gemm"] = gemmJSON

        // What batch 1 cannot go below here, next to what 10x TensorFlow would need.
        // The fastest matrix product measured, sgemm's or the dense kernel's.
        let peak = gemmJSON.flatMap { [$0["sgemm_gflops"], $0["dense_gflops"]].compactMap { $0 as? Double } }.max()! * 1e9
        let bandwidth = benchReadBandwidth(bytes: 4 << 20, seconds: options.seconds)
        print("batch-1 floors (arithmetic at the best matrix-product rate above, \(formatted(peak / 1e9, 1)) GFLOP/s, or the weights read once at \(formatted(bandwidth / 1e9, 1)) GB/s, a vector sum over 4 MiB in L3):")
        var floorJSON: [[String: Any]] = []
        for row in rows where row.batch == 1 && row.threads == options.threads {
            let model = BenchModel.all.first { $0.key == row.model }!
            let floor = floorSeconds(flops: model.flopsPerSample, weightBytes: model.weightBytes,
                                     peakFlops: peak, bandwidth: bandwidth)
            var line = "  \(padded(row.model, 16, right: false)) \(formatted(model.flopsPerSample / 1e6, 2)) MFLOP, \(formatted(Double(model.weightBytes) / 1e6, 2)) MB of weights: floor \(formatted(floor * 1e6, 1)) µs, Swift \(formatted(median(row.swift) * 1e6, 1)) µs"
            if !row.onnx.isEmpty {
                line += " (\(formatted(median(row.swift) / floor, 2))x the floor), ONNX Runtime \(formatted(median(row.onnx) * 1e6, 1)) µs"
            }
            if !row.tf.isEmpty {
                let tf = median(row.tf)
                line += "; 10x TensorFlow needs ≤ \(formatted(tf / 10 * 1e6, 1)) µs, the floor allows \(formatted(tf / floor, 1))x"
            }
            print(line)
            floorJSON.append(["model": row.model, "floor_us": floor * 1e6, "flops": model.flopsPerSample, "weight_bytes": model.weightBytes])
        }
        extras["batch1_floors"] = ["peak_gflops": peak / 1e9, "read_gb_per_s": bandwidth / 1e9, "models": floorJSON]

        let g = try benchGeneration(layers: options.generationLayers, runs: 3)
        print("spec-to-Swift generation, \(g.layers)-layer spec (parse, check, trace, generate; \(g.lines) lines of Swift): \(formatted(g.seconds * 1e3, 1)) ms")
        extras["generation"] = ["layers": g.layers, "seconds": g.seconds, "lines": g.lines]

        let c = try benchCheckpoint(megabytes: options.checkpointMegabytes, runs: 3)
        print("checkpoint loading, \(c.bytes >> 20) MiB in \(c.tensors) tensors (open, read every tensor into a Tensor and CRC32C-check it there): \(formatted(c.readSeconds * 1e3, 1)) ms, \(formatted(c.gigabytesPerSecond, 2)) GB/s (writing it took \(formatted(c.writeSeconds, 2)) s)")
        extras["checkpoint"] = ["bytes": c.bytes, "seconds": c.readSeconds, "gb_per_s": c.gigabytesPerSecond]
    }

    if let path = options.json {
        let object: [String: Any] = ["machine": machineDescription(), "rows": jsonRows, "extras": extras]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
    if blackHole == .infinity { print("") }
}

do {
    try run()
} catch {
    FileHandle.standardError.write("modelspec-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
