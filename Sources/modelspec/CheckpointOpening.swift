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
}
