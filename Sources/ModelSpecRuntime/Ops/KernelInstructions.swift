import CConvolution

/// The vector instructions of the `CConvolution` kernels (convolution, dense layers, max pooling):
/// the widest the CPU has, unless limited on a thread so that tests reach every path.
enum KernelInstructions: Int32, CaseIterable, Sendable {
    case portable = 0, avx2 = 1, avx512 = 2

    /// The widest the kernels use on the calling thread: what the CPU has, within the thread's limit.
    static var inUse: KernelInstructions { KernelInstructions(rawValue: ckernels_instructions_in_use()) ?? .portable }

    /// Runs `body` with the calling thread's kernels limited to these instructions.
    func limiting<R>(_ body: () throws -> R) rethrows -> R {
        let previous = ckernels_instruction_limit()
        ckernels_limit_instructions(rawValue)
        defer { ckernels_limit_instructions(previous) }
        return try body()
    }
}
