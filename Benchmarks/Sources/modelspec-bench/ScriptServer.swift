import Foundation

/// A Python side of the benchmark (Benchmarks/tf_bench.py or onnx_bench.py) run as a
/// server: the Swift side asks it to time one model at one batch size for a while,
/// so that the sides alternate in one run on a machine whose load changes.
///
/// Protocol: one JSON object a line each way. Requests
/// `{"cmd": "time", "model": "mlp", "batch": 16, "seconds": 0.3, "min_runs": 3}`,
/// answers `{"times": [seconds, ...]}`; `{"cmd": "info"}` answers the versions
/// and thread settings; an answer with `"error"` reports a failure. The ONNX side
/// also takes `"threads"` and a `{"cmd": "load", ...}` that builds its graph from
/// the Swift model's weights (Benchmarks/onnx_bench.py).
final class ScriptServer {
    /// The script's name, for messages.
    let name: String
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    init(python: String, script: String, log: String?) throws {
        name = URL(fileURLWithPath: script).lastPathComponent
        // A missing script made the Python side exit at once and the benchmark die of SIGPIPE on
        // its first request, printing nothing.
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("\(python): no such Python interpreter (make it with scripts/oracle or scripts/bench, or pass --no-tf / --no-onnx)")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchError("\(script): not found from \(FileManager.default.currentDirectoryPath); run modelspec-bench from the repository's root (as scripts/bench does) or pass --tf-script / --onnx-script")
        }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["TF_USE_LEGACY_KERAS"] = "1"
        environment["TF_CPP_MIN_LOG_LEVEL"] = environment["TF_CPP_MIN_LOG_LEVEL"] ?? "2"
        environment["OMP_NUM_THREADS"] = "1"
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    func request(_ object: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: object)
        line.append(UInt8(ascii: "\n"))
        try input.fileHandleForWriting.write(contentsOf: line)
        let reply = try readLine()
        guard let answer = try JSONSerialization.jsonObject(with: reply) as? [String: Any] else {
            throw BenchError("\(name) answered something that is not a JSON object")
        }
        if let error = answer["error"] as? String { throw BenchError("\(name): \(error)") }
        return answer
    }

    func info() throws -> [String: Any] { try request(["cmd": "info"]) }

    func time(model: String, batch: Int, threads: Int = 1, seconds: Double, minimumRuns: Int) throws -> [Double] {
        let answer = try request(["cmd": "time", "model": model, "batch": batch, "threads": threads,
                                  "seconds": seconds, "min_runs": minimumRuns])
        guard let times = answer["times"] as? [Double] else { throw BenchError("\(name) sent no times") }
        return times
    }

    private func readLine() throws -> Data {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                throw BenchError("\(name) exited (status \(process.isRunning ? "running" : String(process.terminationStatus)))")
            }
            buffer.append(chunk)
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
