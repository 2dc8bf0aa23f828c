import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// 10,000 calls of a generated model leave its process's resident memory
/// where it was after a warm-up: nothing a call makes outlives it (tensors,
/// call contexts, scope records). Resident memory belongs to the whole process
/// and the other tests run in parallel in this one, so the calls run in a child
/// process of the test bundle, alone.
@Suite(.serialized) struct ResidentMemoryTests {
    static let childVariable = "MODELSPEC_RESIDENT_MEMORY_CHILD"
    static var isChild: Bool { ProcessInfo.processInfo.environment[childVariable] != nil }

    /// Calls after the warm-up, and the growth allowed over them (allocator noise, not a leak per call:
    /// 10,000 leaked objects of 200 bytes would be 2 MB).
    static let calls = 10_000
    static let warmUpCalls = 1_000
    static let allowedGrowth = 1 << 20

    @Test(.enabled(if: !isChild && FileManager.default.fileExists(atPath: "/proc/self/statm")))
    func callsInAChildProcess() throws {
        let (succeeded, printed) = try runTestsInChildProcess(filter: "ResidentMemoryTests/tenThousandCalls", variable: Self.childVariable)
        #expect(succeeded, "\(printed)")
        // The child measured both models (and did not, say, match no test).
        #expect(printed.components(separatedBy: "resident memory of").count - 1 == 2, "\(printed)")
    }

    @Test(.enabled(if: isChild), arguments: ["DenseLayer", "CompatV1LayerModel"])
    func tenThousandCalls(model name: String) throws {
        let model = try GeneratedSeed.make(name)
        let inputs = try SeedGolden(name).inputs()
        for _ in 0..<Self.warmUpCalls { _ = try model.call(inputs, false) }
        let before = try Self.residentBytes()
        for _ in 0..<Self.calls { _ = try model.call(inputs, false) }
        let growth = try Self.residentBytes() - before
        print("resident memory of \(name): \(before) bytes after \(Self.warmUpCalls) calls, \(growth) more after \(Self.calls) more")
        #expect(growth <= Self.allowedGrowth, "\(name): resident memory grew by \(growth) bytes over \(Self.calls) calls")
    }

    /// The process's resident set (`/proc/self/statm`, second field, in pages).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { throw TestFailure("unreadable /proc/self/statm: \(statm)") }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
