import Foundation

/// How a child process ended.
enum Ending: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signal(Int32)
    /// Still running when its time was up (then killed).
    case timedOut(Double)

    var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signal(let number): "killed by signal \(number) (\(signalName(number)))"
        case .timedOut(let seconds): "no answer within \(Int(seconds)) s (hang)"
        }
    }
}

func signalName(_ number: Int32) -> String {
    switch number {
    case SIGILL: "SIGILL"
    case SIGTRAP: "SIGTRAP"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGFPE: "SIGFPE"
    case SIGSEGV: "SIGSEGV"
    case SIGKILL: "SIGKILL"
    default: "signal \(number)"
    }
}

/// A child process's ending and what it printed.
struct ProcessResult {
    var ending: Ending
    var out: String
    var err: String
}

/// Runs child processes with a time limit, so that a crash or a hang of the
/// child is a result for the test, not the end of the test runner.
enum Subprocess {
    /// Virtual memory a child may take (KiB): unbounded work ends as a failure, not as a swapping machine.
    static let memoryLimitKiB = 4 * 1024 * 1024

    /// Runs `executable` with `arguments` in `folder`; stdout and stderr go to files there
    /// (no pipe to fill up). Killed after `timeout` seconds, or, with `progressing`, after
    /// `timeout` seconds in which `progressing` saw no progress.
    static func run(
        _ executable: String, _ arguments: [String], in folder: String,
        timeout: Double = FuzzSettings.timeout, environment extra: [String: String] = [:],
        progressing: (() -> Bool)? = nil
    ) throws -> ProcessResult {
        let outPath = folder + "/.stdout", errPath = folder + "/.stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        // The shell sets the memory limit, then becomes the child (exec): its ending is the child's.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(memoryLimitKiB); exec \"$0\" \"$@\"", executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var ending: Ending
        var answered = done.wait(timeout: .now() + timeout) == .success
        while !answered, progressing?() == true {
            answered = done.wait(timeout: .now() + timeout) == .success
        }
        if !answered {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
            ending = .timedOut(timeout)
        } else if process.terminationReason == .uncaughtSignal {
            ending = .signal(process.terminationStatus)
        } else {
            ending = .exited(process.terminationStatus)
        }
        let printed = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let result = ProcessResult(ending: ending, out: printed(outPath), err: printed(errPath))
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return result
    }
}
