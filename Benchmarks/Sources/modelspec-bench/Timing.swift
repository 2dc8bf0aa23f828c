import Foundation

/// Monotonic nanoseconds.
@inline(__always)
func nanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// Runs `body` repeatedly for about `seconds` (and at least `minimumRuns` times),
/// returning the duration of every run in seconds.
func timeRuns(seconds: Double, minimumRuns: Int, _ body: () throws -> Void) rethrows -> [Double] {
    var samples: [Double] = []
    samples.reserveCapacity(1024)
    let start = nanoseconds()
    let budget = UInt64(seconds * 1e9)
    while samples.count < minimumRuns || nanoseconds() - start < budget {
        let t0 = nanoseconds()
        try body()
        let t1 = nanoseconds()
        samples.append(Double(t1 - t0) / 1e9)
        if samples.count >= 100_000 { break }
    }
    return samples
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// Keeps results alive so that the optimizer cannot drop the work that made them.
nonisolated(unsafe) var blackHole: Float = 0

@inline(never)
func consume(_ value: Float) { blackHole += value }

/// Fixed pseudo-random floats in [-1, 1) (a 64-bit LCG): the same inputs every run.
func randomFloats(_ count: Int, seed: UInt64 = 0x5EED) -> [Float] {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    var out = [Float](repeating: 0, count: count)
    for i in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        out[i] = Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max)
    }
    return out
}

func formatted(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

func padded(_ s: String, _ width: Int, right: Bool = true) -> String {
    if s.count >= width { return s }
    let pad = String(repeating: " ", count: width - s.count)
    return right ? pad + s : s + pad
}
