import LocatedYAML

/// The memory one call of a model needs, as its trace knows it before anything
/// runs: every variable, and the largest value a step makes (the runtime holds
/// each as 4-byte `Float`s). `modelspec run` compares it with the machine's
/// physical memory before it allocates anything, so that a size no machine can
/// hold (`--param units=100000000000`) is a located error, not an abort in the
/// allocator. Byte counts saturate at `Int.max`.
public struct MemoryNeed: Sendable {
    /// Something the call holds, and where the spec makes it.
    public struct Item: Sendable {
        /// The variable's full name, or nil for a step's value.
        public var name: String?
        public var shape: TracedShape
        public var bytes: Int
        public var location: SourceLocation
    }

    /// Every variable the call makes, in creation order.
    public private(set) var variables: [Item] = []
    /// The bytes of all variables.
    public private(set) var variableBytes = 0
    /// The step value with the most bytes (unknown sizes count 1); the first of equals.
    public private(set) var largestValue: Item?

    public init() {}

    /// Bytes of `shape` as `Float`s; unknown sizes count 1.
    static func bytes(of shape: TracedShape) -> Int {
        var bytes = MemoryLayout<Float>.size
        for dimension in shape {
            let (next, overflow) = bytes.multipliedReportingOverflow(by: max(dimension.size ?? 1, 0))
            if overflow { return .max }
            bytes = next
        }
        return bytes
    }

    mutating func addVariable(_ name: String, _ shape: [Int], at location: SourceLocation) {
        let item = Item(name: name, shape: shape.map(TracedDim.known), bytes: Self.bytes(of: shape.map(TracedDim.known)), location: location)
        variables.append(item)
        let (sum, overflow) = variableBytes.addingReportingOverflow(item.bytes)
        variableBytes = overflow ? .max : sum
    }

    mutating func addValue(_ shape: TracedShape, at location: SourceLocation) {
        let bytes = Self.bytes(of: shape)
        if bytes > largestValue?.bytes ?? -1 {
            largestValue = Item(name: nil, shape: shape, bytes: bytes, location: location)
        }
    }

    /// The error for a call that needs more than `physicalMemory` bytes: at the
    /// largest variable when the variables alone do not fit, else at the step
    /// that makes the largest value; nil when it fits.
    public func refusal(physicalMemory: Int) -> Diagnostic? {
        let memory = "this machine's \(physicalMemory) bytes of physical memory"
        if variableBytes > physicalMemory, let largest = variables.max(by: { $0.bytes < $1.bytes }) {
            let all = variables.count == 1 ? "" : " (the \(variables.count) variables need \(Self.describe(variableBytes)) bytes in all)"
            return Diagnostic(.error, at: largest.location, "variable '\(largest.name ?? "")' of shape \(largest.shape.shapeDescription) needs \(Self.describe(largest.bytes)) bytes\(all), more than \(memory); nothing was allocated")
        }
        if let value = largestValue {
            let (total, overflow) = variableBytes.addingReportingOverflow(value.bytes)
            if overflow || total > physicalMemory {
                let with = variableBytes == 0 ? "," : "; with the variables (\(variableBytes) bytes) that is"
                return Diagnostic(.error, at: value.location, "this step makes a value of shape \(value.shape.shapeDescription) (\(Self.describe(value.bytes)) bytes)\(with) more than \(memory); nothing was allocated")
            }
        }
        return nil
    }

    private static func describe(_ bytes: Int) -> String {
        bytes == .max ? "more than \(Int.max)" : String(bytes)
    }
}
