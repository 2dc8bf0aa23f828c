import Synchronization

/// Where tensor buffers come from: large blocks are recycled instead of being
/// returned to the system.
///
/// Every operation writes a fresh output. For large tensors the C allocator
/// maps fresh pages each time, and faulting them in costs more than the
/// arithmetic of a cheap op (measured: an 8M-element `add` 24 ms with fresh
/// pages, 3 ms with recycled ones). So blocks of at least `minimumPooledBytes`
/// are kept, by exact size, up to `cacheLimit` bytes in all, and handed to the
/// next tensor of the same size: a model run repeatedly on same-shaped inputs
/// allocates from the system only on its first run.
public enum TensorMemory {
    /// Blocks smaller than this go straight to the C allocator.
    public static let minimumPooledBytes = 256 * 1024

    private struct Pool {
        // Addresses rather than pointers: plain integers cross the lock freely.
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
        var limit = 512 * 1024 * 1024
    }

    private static let pool = Mutex(Pool())

    /// The most bytes kept for reuse (default 512 MiB). Lowering it frees the excess.
    public static var cacheLimit: Int {
        get { pool.withLock { $0.limit } }
        set {
            pool.withLock { $0.limit = Swift.max(0, newValue) }
            trim()
        }
    }

    /// Bytes currently kept for reuse.
    public static var cachedBytes: Int { pool.withLock { $0.cachedBytes } }

    /// Returns every kept block to the system.
    public static func releaseCache() {
        let blocks = pool.withLock { p -> [UInt] in
            let all = p.free.values.flatMap { $0 }
            p.free = [:]
            p.cachedBytes = 0
            return all
        }
        for b in blocks { release(b) }
    }

    private static let allocations = Atomic<Int>(0)

    /// How many tensor buffers have been allocated in this process, from the kept blocks or the
    /// system (for tests and profiling: how many a steady-state call makes, docs/performance.md).
    public static var buffersAllocated: Int { allocations.load(ordering: .relaxed) }

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        allocations.add(1, ordering: .relaxed)
        if byteCount >= minimumPooledBytes {
            let reused = pool.withLock { p -> UInt? in
                guard let block = p.free[byteCount]?.popLast() else { return nil }
                p.cachedBytes -= byteCount
                return block
            }
            if let reused, let block = UnsafeMutableRawPointer(bitPattern: reused) { return block }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    static func deallocate(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= minimumPooledBytes {
            let address = UInt(bitPattern: block)
            let kept = pool.withLock { p -> Bool in
                guard p.cachedBytes + byteCount <= p.limit else { return false }
                p.free[byteCount, default: []].append(address)
                p.cachedBytes += byteCount
                return true
            }
            if kept { return }
        }
        block.deallocate()
    }

    private static func trim() {
        let excess = pool.withLock { p -> [UInt] in
            var out: [UInt] = []
            while p.cachedBytes > p.limit, let key = p.free.keys.first {
                let block = p.free[key]!.removeLast()
                if p.free[key]!.isEmpty { p.free[key] = nil }
                p.cachedBytes -= key
                out.append(block)
            }
            return out
        }
        for b in excess { release(b) }
    }

    private static func release(_ address: UInt) {
        UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
    }
}
