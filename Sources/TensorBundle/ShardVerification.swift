/// Checking that the data shards can give every tensor's bytes, without
/// reading them: what `modelspec diff` and `inspect` check, so that "agree"
/// means the checkpoint can be loaded.
extension Checkpoint {
    /// One error per data shard that cannot give its entries' bytes: missing
    /// (or renamed), not a regular file, unreadable, or shorter than the
    /// entries' extents (empty, truncated, an offset past its end). Each names
    /// the shard file and the first entry (by name) that fails, and how many
    /// more do. Empty when every stored tensor lies within an existing shard.
    /// Only shards that entries use are checked; checksums are checked when
    /// tensors are read, not here.
    public func verifyShards() -> [CheckpointError] {
        var byShard: [Int: [CheckpointEntry]] = [:]
        for stored in storedEntries {
            byShard[stored.location.shard, default: []].append(stored)
        }
        var problems: [CheckpointError] = []
        for (shard, stored) in byShard.sorted(by: { $0.key < $1.key }) {
            let sorted = stored.sorted { $0.name < $1.name }
            let file: CheckpointFile
            do {
                file = try shards.file(shard, entry: sorted[0].name)
            } catch var error as CheckpointError {
                let others = sorted.count - 1
                error.message += "; it holds this entry" + (others == 0 ? "" : " and \(others) more")
                problems.append(error)
                continue
            } catch {
                continue  // shards.file throws CheckpointErrors only
            }
            let beyond = sorted.compactMap { file.extentProblem(offset: $0.location.offset, count: $0.location.size, entry: $0.name) }
            guard var first = beyond.first else { continue }
            if beyond.count > 1 { first.message += "; \(beyond.count - 1) more entries lie past its end too" }
            problems.append(first)
        }
        return problems
    }

    /// The entries whose bytes are stored: whole tensors, and the slices of
    /// partitioned ones (named `NAME[start:end,...]`).
    var storedEntries: [CheckpointEntry] {
        entries.flatMap { entry in
            entry.isPartitioned ? entry.slices.compactMap { storedSlice($0, of: entry).stored } : [entry]
        }
    }

    /// The index and the data shards that hold the tensors' bytes: the files
    /// reading this checkpoint's tensors reads.
    public var files: [String] {
        [indexFile] + Set(storedEntries.map(\.location.shard)).sorted().map(shards.path(of:))
    }
}
