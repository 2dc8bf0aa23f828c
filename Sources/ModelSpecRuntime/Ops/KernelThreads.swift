import CConvolution

/// The threads the runtime's own kernels (convolution, dense layers, pooling, reductions) split
/// their work across: a pool kept between calls (`ckthreads_run` in `CConvolution`), as many
/// threads as ``BLASThreads/count`` allows and the process may run on.
///
/// A job is split into parts that write disjoint parts of the output, each computed exactly as
/// one thread computes it, so the result does not depend on the number of threads.
enum KernelThreads {
    /// The threads a job may use: ``BLASThreads/count`` (or the task's ``limit``), at most the
    /// CPUs the process may run on.
    static var count: Int { count(limit: limit ?? BLASThreads.count) }

    /// At most `limit` threads, at most the CPUs the process may run on.
    static func count(limit: Int) -> Int { Swift.max(1, Swift.min(limit, Int(ckthreads_cpus()))) }

    /// The most threads the calling task's kernels use instead of ``BLASThreads/count`` (nil: that
    /// count), so that tests running at once can each compare one thread with two.
    @TaskLocal static var limit: Int?

    /// How many parts to split `work` units into: `perThread` a thread (more parts than threads
    /// even out threads that run at different speeds; they take parts as they finish), each at
    /// least `minimum` units, at most `limit` parts, a multiple of the threads when there are more
    /// parts than threads; one on one thread. A job too small for one part a thread is still
    /// split into one part a thread while a thread of the pool is awake, each part at least
    /// ``awakeShare`` of `minimum`.
    static func parts(work: Int, minimum: Int, limit: Int = .max, perThread: Int = 1) -> Int {
        parts(work: work, minimum: minimum, limit: limit, perThread: perThread,
              threads: count, awake: ckthreads_awake() > 0)
    }

    /// `parts(work:minimum:limit:perThread:)` for `threads` threads, with a thread of the pool
    /// `awake` or not.
    static func parts(work: Int, minimum: Int, limit: Int, perThread: Int, threads: Int, awake: Bool) -> Int {
        guard threads > 1 else { return 1 }
        var parts = Swift.min(threads * perThread, limit, work / Swift.max(minimum, 1))
        if awake, parts < threads {
            // One part a thread, no more: each part costs a hand-over between the cores, which on
            // this job's few microseconds is measurable (eight parts of `compat_v1_layer`'s
            // convolution instead of two: 26.9–29.7 against 26.0 µs, and 43–46 against 32 µs
            // while the machine's cores hand over slowly).
            parts = Swift.min(threads, limit, work / Swift.max(minimum / awakeShare, 1))
        }
        // Whole rounds: 3 parts on 2 threads take two parts' time, 2 parts one (of 1.5 times
        // the size).
        return Swift.max(1, parts > threads ? parts - parts % threads : parts)
    }

    /// How much smaller a part may be while a thread of the pool is awake (spinning after its
    /// last part, `ckthreads_awake`): it takes the part within a microsecond, where a sleeping
    /// thread first needs the OS to wake it (tens of microseconds on a virtual machine). Back to
    /// back calls of a small model keep a thread awake, and their layers split.
    static let awakeShare = 4

    /// Part `part`'s share of `count` items split into `parts` nearly equal runs:
    /// `count·part/parts ..< count·(part+1)/parts`.
    static func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        count * part / parts ..< count * (part + 1) / parts
    }

    /// Runs `body(part)` once for every part in `0 ..< parts` on the calling thread and up to
    /// `threads − 1` of the pool's (each part with the caller's instruction limit), and returns
    /// when all have run. The parts must not write the same memory.
    static func run(parts: Int, threads: Int = count, _ body: (Int) -> Void) {
        guard parts > 1 else {
            if parts == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in
                ckthreads_run(Int32(parts), Int32(Swift.min(threads, parts)), { context, part, _ in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, UnsafeMutableRawPointer(mutating: pointer))
            }
        }
    }
}
