/// A dimension as the tracer knows it before anything runs.
public enum TracedDim: Hashable, Sendable, CustomStringConvertible {
    case known(Int)
    /// A named size (`batch`): unknown, but equal wherever the symbol appears.
    case symbol(String)
    case unknown

    public var size: Int? {
        if case let .known(size) = self { return size }
        return nil
    }

    public var description: String {
        switch self {
        case let .known(size): String(size)
        case let .symbol(name): name
        case .unknown: "?"
        }
    }
}

/// A traced shape, printed as `[batch, 28, 28, 1]`.
public typealias TracedShape = [TracedDim]

extension Array where Element == TracedDim {
    var shapeDescription: String {
        "[" + map(\.description).joined(separator: ", ") + "]"
    }

    /// The shape as numbers, if every dimension is known.
    var knownSizes: [Int]? {
        let sizes = compactMap(\.size)
        return sizes.count == count ? sizes : nil
    }
}
