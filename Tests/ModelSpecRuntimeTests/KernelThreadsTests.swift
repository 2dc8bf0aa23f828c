import CConvolution
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ModelSpecRuntime

/// The pool the runtime's kernels split their work across (`KernelThreads`, `ckthreads_run`),
/// and the kernels split on it giving what one thread gives, bit for bit, on shapes that split
/// unevenly.
struct KernelThreadsTests {
    @Test func everyPartRunsOnceWithTheCallersInstructionLimit() {
        for parts in [1, 2, 3, 7, 64] {
            let seen = Mutex([Int](repeating: 0, count: parts))
            let limits = Mutex(Set<KernelInstructions>())
            KernelInstructions.portable.limiting {
                KernelThreads.run(parts: parts) { part in
                    seen.withLock { $0[part] += 1 }
                    limits.withLock { _ = $0.insert(KernelInstructions.inUse) }
                }
            }
            #expect(seen.withLock { $0 } == Array(repeating: 1, count: parts))
            #expect(limits.withLock { $0 } == [.portable])
        }
    }

    @Test func twoPartsRunAtOnceOnTwoThreads() throws {
        try #require(KernelThreads.count(limit: 2) == 2, "needs two CPUs")
        // Each part waits (up to 2 s) for the other to have started: only two threads at once
        // can both see it. Tried again while the pool is busy with another test's job (then the
        // caller runs both parts itself, one after the other).
        var attempts = 0, both = false
        while !both, attempts < 10 {
            attempts += 1
            let started = Atomic<Int>(0)
            let sawBoth = Mutex([Bool](repeating: false, count: 2))
            KernelThreads.run(parts: 2, threads: 2) { part in
                started.add(1, ordering: .sequentiallyConsistent)
                let deadline = Date().addingTimeInterval(2)
                while started.load(ordering: .sequentiallyConsistent) < 2, Date() < deadline {}
                sawBoth.withLock { $0[part] = started.load(ordering: .sequentiallyConsistent) == 2 }
            }
            both = sawBoth.withLock { $0 } == [true, true]
        }
        #expect(both)
    }

    @Test func oneThreadRunsEveryPartOnTheCaller() {
        let caller = pthread_self()
        let onCaller = Mutex([Bool](repeating: false, count: 8))
        KernelThreads.run(parts: 8, threads: 1) { part in
            let here = pthread_equal(pthread_self(), caller) != 0
            onCaller.withLock { $0[part] = here }
        }
        #expect(onCaller.withLock { $0 } == Array(repeating: true, count: 8))
        // And a kernel on one thread is not split at all.
        KernelThreads.$limit.withValue(1) {
            #expect(KernelThreads.parts(work: 1 << 30, minimum: 1, perThread: 4) == 1)
        }
        KernelThreads.$limit.withValue(2) {
            #expect(KernelThreads.parts(work: 1 << 30, minimum: 1, perThread: 4) == 4 * KernelThreads.count(limit: 2))
            // Three parts on two threads would take two parts' time: two.
            #expect(KernelThreads.parts(work: 1 << 30, minimum: 1, limit: 3, perThread: 4) == Swift.min(3, KernelThreads.count(limit: 2)))
            // Too little work for two parts while the pool sleeps (whether a thread is awake depends
            // on the tests running beside this one: said explicitly).
            #expect(KernelThreads.parts(work: 150, minimum: 100, limit: .max, perThread: 4,
                                        threads: KernelThreads.count(limit: 2), awake: false) == 1)
        }
    }

    @Test func partsAreWholeRoundsAndSmallJobsSplitWhileAThreadIsAwake() {
        func parts(_ work: Int, limit: Int = .max, perThread: Int = 4, threads: Int = 2, awake: Bool) -> Int {
            KernelThreads.parts(work: work, minimum: 100_000, limit: limit, perThread: perThread,
                                threads: threads, awake: awake)
        }
        // compat_v1_layer at batch 256: its convolution (311,040 multiply-adds, 256 images) in
        // two parts (not three), awake or not; its dense layer (69,120, 21 blocks of rows) in
        // two only while a thread of the pool is awake.
        #expect(parts(311_040, limit: 256, awake: false) == 2)
        #expect(parts(311_040, limit: 256, awake: true) == 2)
        #expect(parts(69_120, limit: 21, perThread: 1, awake: false) == 1)
        #expect(parts(69_120, limit: 21, perThread: 1, awake: true) == 2)
        // Too small even for an awake thread (a quarter of the minimum a part), or for one item;
        // never more than one part a thread below the minimum.
        #expect(parts(40_000, awake: true) == 1)
        #expect(parts(1 << 30, limit: 1, awake: true) == 1)
        #expect(parts(99_999, threads: 3, awake: true) == 3)
        // Multiples of the threads: 5 parts on 2 threads → 4, 7 on 3 → 6; as asked when even.
        #expect(parts(1 << 30, limit: 5, awake: false) == 4)
        #expect(parts(1 << 30, limit: 7, threads: 3, awake: false) == 6)
        #expect(parts(1 << 30, awake: false) == 8)
        #expect(parts(1 << 30, awake: true) == 8)
        // Big jobs keep four parts a thread awake or not; one thread never splits.
        #expect(parts(3_000_000, limit: 256, awake: true) == 8)
        #expect(parts(1 << 30, threads: 1, awake: true) == 1)
    }

    @Test func thePoolSleepsAfterItsSpin() throws {
        try #require(KernelThreads.count(limit: 2) == 2, "needs two CPUs")
        KernelThreads.run(parts: 2, threads: 2) { _ in }
        var workers: Int32 = 0, sleeping: Int32 = 0
        ckthreads_state(&workers, &sleeping)
        #expect(workers >= 1)
        // Each thread spins `ckthreads_spin_nanoseconds` (0.2 ms) after its last part, then
        // sleeps on the futex: all of them are seen asleep once no job has come for that long.
        // Other tests' kernels running beside this one wake them meanwhile, so the test waits
        // (up to a minute) for a moment without jobs rather than for a fixed time.
        #expect(ckthreads_spin_nanoseconds() <= 1_000_000)
        let deadline = Date().addingTimeInterval(60)
        var asleep = false
        while !asleep, Date() < deadline {
            ckthreads_state(&workers, &sleeping)
            asleep = workers == sleeping
            if !asleep { usleep(500) }
        }
        #expect(asleep, "\(sleeping) of \(workers) threads asleep")
    }

    @Test func aPartThatSplitsAgainRunsTheInnerPartsItself() {
        let seen = Mutex([Int](repeating: 0, count: 3 * 5))
        KernelThreads.run(parts: 3) { outer in
            KernelThreads.run(parts: 5) { inner in seen.withLock { $0[outer * 5 + inner] += 1 } }
        }
        #expect(seen.withLock { $0 } == Array(repeating: 1, count: 15))
    }

    @Test func callersOnSeveralThreadsEachGetAllTheirParts() {
        let totals = Mutex([Int](repeating: 0, count: 4))
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for _ in 0..<200 {
                let counts = Mutex([Int](repeating: 0, count: 5))
                KernelThreads.run(parts: 5) { part in counts.withLock { $0[part] += 1 } }
                let all = counts.withLock { $0 } == Array(repeating: 1, count: 5)
                totals.withLock { $0[caller] += all ? 1 : 0 }
            }
        }
        #expect(totals.withLock { $0 } == [200, 200, 200, 200])
    }

    @Test func sharesCoverTheItemsInOrder() {
        for (count, parts) in [(7, 2), (5, 3), (256, 2), (2, 2), (3, 5)] {
            let shares = (0..<parts).map { KernelThreads.share($0, of: parts, count: count) }
            #expect(shares.first?.lowerBound == 0)
            #expect(shares.last?.upperBound == count)
            #expect(zip(shares, shares.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(shares.allSatisfy { $0.count >= count / parts && $0.count <= count / parts + 1 })
        }
    }

    /// `body` on one thread and on two (where the machine has two CPUs).
    func oneAndTwoThreads(_ body: () throws -> Tensor) throws -> (Tensor, Tensor) {
        let one = try KernelThreads.$limit.withValue(1) { try body() }
        let two = try KernelThreads.$limit.withValue(2) { try body() }
        return (one, two)
    }

    @Test func convolutionSplitByImagesGivesOneThreadsValues() throws {
        var g = SeededGenerator(seed: 11)
        // 11 images in 8 parts (four a thread) of 1 or 2; 1.7 million multiply-adds.
        let x = try Tensor(shape: [11, 13, 11, 5]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let f = try Tensor(shape: [3, 3, 5, 24]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let scale = try Tensor(shape: [24]) { p in for i in p.indices { p[i] = g.nextUniform() + 0.5 } }
        let shift = try Tensor(shape: [24]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        for instructions in KernelInstructions.allCases {
            let (one, two) = try instructions.limiting {
                try oneAndTwoThreads { try conv2d(x, filter: f, padding: .same, scale: scale, shift: shift, activation: .relu) }
            }
            #expect(one == two, "\(instructions)")
        }
    }

    @Test func denseSplitByRowsGivesOneThreadsValues() throws {
        var g = SeededGenerator(seed: 12)
        // 29 rows (whole tiles of 6: 12 and 17 a part), 40 columns (a partial panel); 232,000
        // multiply-adds.
        let x = try Tensor(shape: [29, 200]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let w = try Tensor(shape: [200, 40]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let b = try Tensor(shape: [40]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        for instructions in KernelInstructions.allCases {
            let (one, two) = try instructions.limiting {
                try oneAndTwoThreads { try dense(x, kernel: w, bias: b, activation: .relu) }
            }
            #expect(one == two, "\(instructions)")
        }
    }

    @Test func smallModelsLayersSplitBackToBackGiveOneThreadsValues() throws {
        var g = SeededGenerator(seed: 15)
        // compat_v1_layer at batch 256: a 3×3 VALID convolution of 5×5×5 images to 3 channels
        // (two parts), flattened, a dense layer 27 → 10 (two parts while the pool's thread is
        // awake, as it is after the convolution before it). Called back to back, as a benchmark
        // or a serving loop calls it.
        let x = try Tensor(shape: [256, 5, 5, 5]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let f = try Tensor(shape: [3, 3, 5, 3]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let b = try Tensor(shape: [3]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let w = try Tensor(shape: [27, 10]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let c = try Tensor(shape: [10]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        func model() throws -> Tensor {
            try dense(flatten(conv2d(x, filter: f, bias: b, activation: .relu)), kernel: w, bias: c)
        }
        let one = try KernelThreads.$limit.withValue(1) { try model() }
        let twos = try KernelThreads.$limit.withValue(2) { try (0..<20).map { _ in try model() } }
        #expect(twos.allSatisfy { $0 == one })
    }

    @Test func maxPoolingSplitByImagesGivesOneThreadsValues() throws {
        var g = SeededGenerator(seed: 13)
        // 5 images (2 and 3 a part) of 43×41×17: 149,855 values; odd sizes leave partial windows
        // (SAME), 17 channels a partial vector.
        let x = try Tensor(shape: [5, 43, 41, 17]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        for padding in [Padding.valid, .same] {
            let (one, two) = try oneAndTwoThreads { try maxPool2d(x, windowSize: (2, 2), strides: (2, 2), padding: padding) }
            #expect(one == two, "\(padding)")
        }
    }

    @Test func meanOverHeightAndWidthSplitByImagesGivesOneThreadsValues() throws {
        var g = SeededGenerator(seed: 14)
        // 5 images (2 and 3 a part) of 60×60×9: 162,000 values.
        let x = try Tensor(shape: [5, 60, 60, 9]) { p in for i in p.indices { p[i] = g.nextUniform() - 0.5 } }
        let (one, two) = try oneAndTwoThreads { try reduceMean(x, axes: [1, 2]) }
        #expect(one == two)
        let (oneMax, twoMax) = try oneAndTwoThreads { try reduceMax(x, axes: [1]) }
        #expect(oneMax == twoMax)
    }
}
