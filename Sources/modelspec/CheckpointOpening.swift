import ArgumentParser
import Foundation
import TensorBundle

extension Checkpoint {
    /// Opens a checkpoint for a command; on failure prints `error: ...` and
    /// exits 2. Its data shards are checked too (``verifyShards()``): a data
    /// shard missing or too short for its entries is an error (the checkpoint
    /// cannot be loaded, so `diff` does not say it agrees), or, with
    /// `notingShardProblems` (`inspect`, which lists the index), a note.
    static func openForCommand(_ path: String, notingShardProblems: Bool = false) throws -> Checkpoint {
        let opened: Checkpoint
        do {
            opened = try Checkpoint(path: path)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let problems = opened.verifyShards()
        guard !problems.isEmpty else { return opened }
        let label = notingShardProblems ? "note" : "error"
        for problem in problems {
            FileHandle.standardError.write(Data("\(label): \(problem)\n".utf8))
        }
        FileHandle.standardError.write(Data("\(label): \(opened.prefix) cannot be loaded: its data shards do not hold every tensor the index lists\n".utf8))
        if notingShardProblems { return opened }
        throw ExitCode(2)
    }
}
