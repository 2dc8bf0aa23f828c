import ArgumentParser
import Foundation
import TensorBundle

extension Checkpoint {
    /// Opens a checkpoint for a command; on failure prints `error: ...` and exits 2.
    static func openForCommand(_ path: String) throws -> Checkpoint {
        do {
            return try Checkpoint(path: path)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Prints each problem of ``verifyShards()`` on standard error as
    /// `LABEL: FILE: entry 'NAME': MESSAGE`.
    static func printShardProblems(_ problems: [CheckpointError], prefix label: String) {
        for problem in problems {
            FileHandle.standardError.write(Data("\(label): \(problem)\n".utf8))
        }
    }
}
