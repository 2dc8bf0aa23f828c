import Foundation

/// One generated case: where it comes from (seed, family, number), what was
/// done to its inputs, and a temporary folder of its own for its files.
struct FuzzCase {
    let family: String
    let index: Int
    let folder: String
    var rng: SplitMix64
    /// What was done to the inputs, in words (printed with a failure).
    var mutation: String = "none"

    /// The case, in a new temporary folder, or in `folder` when given.
    init(family: String, index: Int, folder: String? = nil) throws {
        self.family = family
        self.index = index
        rng = SplitMix64(seed: FuzzSettings.seed, family: family, index: index)
        self.folder = folder ?? NSTemporaryDirectory() + "modelspec-fuzz-\(family)-\(index)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: self.folder, withIntermediateDirectories: true)
    }

    var id: String { "\(family) #\(index)" }

    /// Where the case's inputs are kept when it fails.
    var savedFolder: String { FuzzSettings.findings + "/seed-\(FuzzSettings.seed)/\(family)-\(index)" }

    /// A path inside the case's folder.
    func path(_ name: String) -> String { folder + "/" + name }

    /// Copies a file or folder into the case's folder; returns the copy's path.
    @discardableResult
    func copy(_ source: String, as name: String? = nil) throws -> String {
        let target = path(name ?? URL(fileURLWithPath: source).lastPathComponent)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

extension Data {
    init(file path: String) throws { try self.init(contentsOf: URL(fileURLWithPath: path)) }
    func write(file path: String) throws { try write(to: URL(fileURLWithPath: path)) }
}
