import Foundation

/// Runs the tests matching `filter` in a child process of this test bundle, alone (for counts and
/// measurements that belong to a whole process), with `variable` set so that they know they are the
/// child's, and one BLAS thread. Returns whether it exited with status 0, and what it printed.
func runTestsInChildProcess(filter: String, variable: String) throws -> (succeeded: Bool, printed: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--testing-library", "swift-testing", "--filter", filter]
    process.environment = ProcessInfo.processInfo.environment.merging([variable: "1", "OPENBLAS_NUM_THREADS": "1"]) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationReason == .exit && process.terminationStatus == 0, printed)
}
