#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sizes a tensor may be allocated with: its byte count must fit in an
/// `Int` and in the machine's physical memory. The public initializers, which
/// can throw, refuse anything larger with a ``TensorError`` (the C allocator
/// would abort the process on a request it cannot serve, or the kernel kill it
/// later). The operations' outputs do not throw for their size; `modelspec run`
/// checks a model's variables and traced values against ``physicalMemory``
/// before it allocates anything.
public enum TensorAllocation {
    /// This machine's physical memory in bytes (`sysconf(_SC_PHYS_PAGES)` times
    /// the page size); `Int.max` when the system does not say.
    public static let physicalMemory: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return .max }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
        return overflow ? .max : bytes
    }()

    /// The bytes of a tensor of `shape` (non-negative dimensions) with scalars
    /// of `scalarBytes` bytes; throws when they do not fit in an `Int` or in
    /// `limit` (by default ``physicalMemory``).
    static func byteCount(of shape: [Int], scalarBytes: Int, op: String, limit: Int = physicalMemory) throws -> Int {
        var bytes = scalarBytes
        for size in shape {
            let (next, overflow) = bytes.multipliedReportingOverflow(by: size)
            if overflow {
                throw TensorError(op: op, shapes: [shape], reason: "has more elements than fit in a 64-bit byte count (\(scalarBytes) bytes each)")
            }
            bytes = next
        }
        guard bytes <= limit else {
            throw TensorError(op: op, shapes: [shape], reason: "needs \(bytes) bytes, more than this machine's \(limit) bytes of physical memory")
        }
        return bytes
    }
}
