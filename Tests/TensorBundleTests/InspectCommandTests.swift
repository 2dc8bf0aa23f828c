import Foundation
import Testing

/// `modelspec inspect` end to end: runs the built `modelspec` executable (built
/// by `swift build --build-tests`, next to the test bundle); skipped when absent.
@Suite struct InspectCommandTests {
    static let executable: String = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return dir.appendingPathComponent("modelspec").path
    }()

    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test(.enabled(if: available), arguments: Fixtures.readable)
    func jsonMatchesTensorFlowListing(fixture: String) throws {
        let result = try Self.run(["inspect", try Fixtures.prefix(fixture), "--json"])
        #expect(result.status == 0)
        let listed = try JSONDecoder().decode([Fixtures.Variable].self, from: Data(result.out.utf8))
        #expect(listed == (try Fixtures.expected(fixture)).variables)
    }

    @Test(.enabled(if: available))
    func textListingOfADirectory() throws {
        let result = try Self.run(["inspect", Fixtures.folder("tf1_saver")])
        #expect(result.status == 0)
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["global_step", "int64", "[]"])
        #expect(lines.contains { $0.hasPrefix("model/dense/kernel ") && $0.hasSuffix("float32  [4, 8]") })
    }

    @Test(.enabled(if: available))
    func errorsExitTwoNamingTheFile() throws {
        let copy = try Fixtures.copy("tf1_saver")
        defer { Fixtures.remove(copy) }
        let index = copy + "/model.ckpt-42.index"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
        bytes[5] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: index))
        let damaged = try Self.run(["inspect", copy])
        #expect(damaged.status == 2)
        #expect(damaged.err.contains(index))
        #expect(damaged.out.isEmpty)
        let missing = try Self.run(["inspect", copy + "/nothing"])
        #expect(missing.status == 2)
        #expect(missing.err.contains(copy + "/nothing.index"))
    }

    @Test(.enabled(if: available))
    func missingShardIsNotedAndTheListingStays() throws {
        let copy = try Fixtures.copy("tf1_saver")
        defer { Fixtures.remove(copy) }
        let shard = copy + "/model.ckpt-42.data-00000-of-00001"
        try FileManager.default.removeItem(atPath: shard)
        let result = try Self.run(["inspect", copy, "--json"])
        #expect(result.status == 0)
        let listed = try JSONDecoder().decode([Fixtures.Variable].self, from: Data(result.out.utf8))
        #expect(listed == (try Fixtures.expected("tf1_saver")).variables)
        #expect(result.err.contains("note: \(shard): entry 'global_step': data shard 0 of 1 is missing"))
        #expect(result.err.contains("note: \(copy)/model.ckpt-42 cannot be loaded: its data shards do not hold every tensor"))
        let intact = try Self.run(["inspect", Fixtures.folder("tf1_saver")])
        #expect(intact.err.isEmpty)
    }
}
