/// Why a `.npy` file could not be read or written.
public struct NpyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file, when known.
    public let path: String?
    /// What is wrong.
    public let reason: String

    public init(path: String? = nil, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        if let path { return "\(path): \(reason)" }
        return reason
    }

    func at(_ path: String) -> NpyError { NpyError(path: path, reason: reason) }
}
