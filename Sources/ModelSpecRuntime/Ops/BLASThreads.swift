import COpenBLAS

/// The threads OpenBLAS uses for matrix products (matmul, dense, conv2d).
///
/// OpenBLAS starts with one thread per core, or `OPENBLAS_NUM_THREADS` from
/// the environment. The setting is process-wide.
public enum BLASThreads {
    /// The number of threads OpenBLAS currently uses.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (at least 1).
    public static func setCount(_ count: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, Swift.min(count, Int(Int32.max)))))
    }
}
