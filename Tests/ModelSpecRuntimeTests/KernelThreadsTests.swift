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
            #expect(KernelThreads.parts(work: 1 << 30, minimum: 1, limit: 3, perThread: 4) == Swift.min(3, 4 * KernelThreads.count(limit: 2)))
            #expect(KernelThreads.parts(work: 150, minimum: 100, perThread: 4) == 1)
        }
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
