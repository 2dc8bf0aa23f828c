import ModelSpecRuntime

/// The order in which `modelspec train` takes the examples: as stored, or, after each
/// `shuffle()`, a Fisher–Yates permutation (position `i` from the last down to 1 swapped with
/// position `next() % (i + 1)`) of the previous order, driven by one xoshiro256** generator
/// (`SeededGenerator`) seeded with `--seed` for the whole run. The same seed, data size and
/// epochs give the same orders on every platform.
struct ExampleOrder {
    private(set) var positions: [Int]
    private var generator: SeededGenerator
    private var inOrder = true

    init(count: Int, seed: UInt64) {
        positions = Array(0..<count)
        generator = SeededGenerator(seed: seed)
    }

    /// Draws the next epoch's order.
    mutating func shuffle() {
        inOrder = false
        guard positions.count > 1 else { return }
        for i in stride(from: positions.count - 1, to: 0, by: -1) {
            positions.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
    }

    /// The examples at `range` of the order, along the first axis of `data`.
    func batch(of data: Tensor, _ range: Range<Int>) throws -> Tensor {
        if inOrder { return try slice(data, range) }
        return try gather(data, indices: IndexTensor(positions[range].map { Int32($0) }))
    }
}
