/// Reading partitioned tensors: each slice is a stored entry of its own; the
/// full tensor is assembled from them.
extension Checkpoint {
    /// The full tensor's bytes, copied together from its slices.
    func assemble(_ entry: CheckpointEntry, elementSize: Int) throws -> [UInt8] {
        func bad(_ message: String) -> CheckpointError {
            CheckpointError(.corruptEntry, file: indexFile, entry: entry.name, message)
        }
        let shape = entry.shape
        // Every slice found, of its declared shape, within its shard and all
        // of them covering the tensor, before the tensor's memory is allocated.
        var parts: [(slice: CheckpointSlice, stored: CheckpointEntry, shape: [Int], file: CheckpointFile)] = []
        var covered = 0
        for slice in entry.slices {
            let (found, sliceShape, description) = storedSlice(slice, of: entry)
            guard let stored = found else {
                throw bad("slice [\(description)] is missing from the index")
            }
            guard stored.dtype == entry.dtype, stored.shape == sliceShape else {
                throw bad("slice [\(description)] is stored as \(stored.dtype) \(stored.shape), expected \(entry.dtype) \(sliceShape)")
            }
            parts.append((slice, stored, sliceShape, try shardHolding(stored)))
            covered += stored.elementCount
        }
        guard covered == entry.elementCount else {
            throw bad("its slices cover \(covered) of \(entry.elementCount) elements")
        }
        var out = [UInt8](repeating: 0, count: entry.elementCount * elementSize)
        for part in parts {
            try withCheckedBytes(of: part.stored, in: part.file) { source in
                out.withUnsafeMutableBytes { dest in
                    copySlice(
                        from: source, into: dest, fullShape: shape, starts: part.slice.starts,
                        sliceShape: part.shape, elementSize: elementSize)
                }
            }
        }
        return out
    }

    /// The stored entry of one slice of a partitioned tensor (nil when the
    /// index lacks it), named `NAME[start:end,...]`; the slice's shape; its
    /// `start:end,...` description.
    func storedSlice(
        _ slice: CheckpointSlice, of entry: CheckpointEntry
    ) -> (stored: CheckpointEntry?, shape: [Int], description: String) {
        let shape = entry.shape
        let sliceShape = zip(slice.lengths, shape.indices).map { length, d in length ?? shape[d] }
        let description = zip(slice.starts, sliceShape).map { "\($0):\($0 + $1)" }.joined(separator: ",")
        let key = SliceKey.encode(name: Array(entry.name.utf8), starts: slice.starts, lengths: slice.lengths)
        var stored = sliceEntries[key]
        stored?.name = "\(entry.name)[\(description)]"
        return (stored, sliceShape, description)
    }

    /// Copies a row-major slice into its place in a row-major full tensor,
    /// one contiguous innermost run at a time.
    private func copySlice(
        from source: UnsafeRawBufferPointer, into dest: UnsafeMutableRawBufferPointer,
        fullShape: [Int], starts: [Int], sliceShape: [Int], elementSize: Int
    ) {
        let rank = fullShape.count
        let sliceCount = sliceShape.reduce(1, *)
        guard sliceCount > 0, let src = source.baseAddress, let dst = dest.baseAddress else { return }
        if rank == 0 {
            dst.copyMemory(from: src, byteCount: elementSize)
            return
        }
        // Strides of the full tensor, in elements.
        var strides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * fullShape[d + 1] }
        let run = sliceShape[rank - 1] * elementSize
        var index = [Int](repeating: 0, count: rank)  // position within the slice; last stays 0
        var sourceOffset = 0
        while sourceOffset < source.count {
            var destElement = 0
            for d in 0..<rank { destElement += (starts[d] + index[d]) * strides[d] }
            (dst + destElement * elementSize).copyMemory(from: src + sourceOffset, byteCount: run)
            sourceOffset += run
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                if index[d] < sliceShape[d] { break }
                index[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
    }
}
