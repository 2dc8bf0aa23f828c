import Foundation
import Testing

@testable import TensorBundle

/// The Swift writer against TensorFlow: byte-identical to what TensorFlow's
/// SaveV2 wrote for the same tensors (fixture writer_reference), and readable
/// by TensorFlow (fixture written_by_swift, written here when
/// TENSORBUNDLE_WRITE_FIXTURE=1 and checked by oracle/checkpoints.py).
@Suite struct WriterTests {
    /// The tensors of oracle/checkpoints.py's reference_tensors() plus many/vNN.
    static func referenceWriter() throws -> CheckpointWriter {
        var w = CheckpointWriter()
        try w.add(name: "a/kernel", shape: [3, 4], floats: (0..<12).map { Float($0) / 8 - 0.5 })
        try w.add(name: "a/bias", shape: [4], floats: [0.5, -1.0, 2.0, Float(0.001 as Double)])
        try w.add(name: "global_step", shape: [], int64s: [1234])
        try w.add(name: "b/scalar", shape: [], floats: [3.5])
        try w.add(name: "c/f64", shape: [2], doubles: [1.0 / 3.0, -2.0])
        try w.add(name: "c/i32", shape: [2, 2], int32s: [1, 2, 3, -4])
        try w.add(name: "c/flags", shape: [3], bools: [true, false, true])
        try w.add(name: "c/empty", shape: [0, 2], floats: [])
        for i in 0..<40 {
            let name = "many/v" + (i < 10 ? "0" : "") + String(i)
            try w.add(name: name, shape: [2], floats: [Float(i), Float(i)])
        }
        return w
    }

    @Test func bytesIdenticalToTensorFlowSaveV2() throws {
        let (index, data) = try Self.referenceWriter().serialized()
        let prefix = Fixtures.folder("writer_reference") + "/ref"
        let tfIndex = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".index")))
        let tfData = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".data-00000-of-00001")))
        #expect(data == tfData)
        #expect(index == tfIndex)
    }

    @Test func roundTripsThroughTheReader() throws {
        var w = try Self.referenceWriter()
        try w.add(name: "s/words", shape: [2, 2], strings: [Array("a".utf8), [], [0, 255, 7], Array("long word".utf8)])
        try w.add(name: "s/scalar", shape: [], strings: [Array("x".utf8)])
        w.blockSize = 128  // many data blocks, so the index has many entries
        let dir = NSTemporaryDirectory() + "tensorbundle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try w.write(prefix: dir + "/sub/model.ckpt")
        let c = try Checkpoint(path: dir + "/sub/model.ckpt")
        #expect(c.entries.map(\.name) == w.names)
        #expect(try c.floats(named: "a/kernel") == (0..<12).map { Float($0) / 8 - 0.5 })
        #expect(try c.int64s(named: "global_step") == [1234])
        #expect(try c.doubles(named: "c/f64") == [1.0 / 3.0, -2.0])
        #expect(try c.int32s(named: "c/i32") == [1, 2, 3, -4])
        #expect(try c.bools(named: "c/flags") == [true, false, true])
        #expect(try c.strings(named: "s/words") == [Array("a".utf8), [], [0, 255, 7], Array("long word".utf8)])
        #expect(try c.floats(named: "many/v39") == [39, 39])
        let index = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/sub/model.ckpt.index")))
        #expect(index.count > 1000)
    }

    @Test func rejectsBadArguments() throws {
        var w = CheckpointWriter()
        try w.add(name: "x", shape: [2], floats: [1, 2])
        #expect(throws: CheckpointError.self) { try w.add(name: "x", shape: [1], floats: [1]) }
        #expect(throws: CheckpointError.self) { try w.add(name: "y", shape: [3], floats: [1]) }
        #expect(throws: CheckpointError.self) { try w.add(name: "", shape: [], floats: [1]) }
        #expect(throws: CheckpointError.self) { try w.add(name: "z", shape: [-1], floats: []) }
        #expect(throws: CheckpointError.self) { try w.add(name: "s", shape: [2], strings: [[1]]) }
    }

    /// The tensors of the written_by_swift fixture, and their expected.json records.
    static func fixtureWriter() throws -> (CheckpointWriter, [[String: Any]]) {
        var w = CheckpointWriter()
        var variables: [[String: Any]] = []
        func record(_ name: String, _ dtype: String, _ shape: [Int], _ values: [Any]) {
            variables.append(["name": name, "dtype": dtype, "shape": shape, "values": values])
        }
        let kernel = (0..<24).map { Float($0) * 0.25 - 3 }
        try w.add(name: "model/dense/kernel", shape: [4, 6], floats: kernel)
        record("model/dense/kernel", "float32", [4, 6], kernel.map { Double($0) })
        let bias: [Float] = [0.1, -0.2, 0.3, 1e-7, -1e30, 3.4e38]
        try w.add(name: "model/dense/bias", shape: [6], floats: bias)
        record("model/dense/bias", "float32", [6], bias.map { Double($0) })
        try w.add(name: "global_step", shape: [], int64s: [9_000_000_000])
        record("global_step", "int64", [], [9_000_000_000])
        try w.add(name: "model/f64", shape: [3], doubles: [0.1, -0.0, 1e300])
        record("model/f64", "float64", [3], [0.1, -0.0, 1e300])
        try w.add(name: "model/i32", shape: [2], int32s: [Int32.min, Int32.max])
        record("model/i32", "int32", [2], [Int(Int32.min), Int(Int32.max)])
        try w.add(name: "model/flags", shape: [2], bools: [false, true])
        record("model/flags", "bool", [2], [false, true])
        try w.add(name: "model/empty", shape: [0], floats: [])
        record("model/empty", "float32", [0], [])
        try w.add(name: "model/words", shape: [3], strings: [Array("hello".utf8), [], [0xFF, 0x00, 0x41]])
        record("model/words", "string", [3], ["hello", "", latin1([0xFF, 0x00, 0x41])])
        for i in 0..<40 {
            let name = "block/v" + String(i)
            try w.add(name: name, shape: [1], floats: [Float(i)])
            record(name, "float32", [1], [Double(i)])
        }
        w.blockSize = 256  // several data blocks: TensorFlow must follow the index
        return (w, variables)
    }

    /// The committed written_by_swift files (which the oracle has TensorFlow
    /// read back) are exactly what the writer produces now.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TENSORBUNDLE_WRITE_FIXTURE"] != "1"))
    func committedFixtureIsCurrentWriterOutput() throws {
        let (w, _) = try Self.fixtureWriter()
        let (index, data) = try w.serialized()
        let prefix = Fixtures.folder("written_by_swift") + "/swift.ckpt"
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".index"))) == index)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".data-00000-of-00001"))) == data)
    }

    /// Writes Tests/Goldens/checkpoints/written_by_swift/ for the oracle to read
    /// back with TensorFlow. Runs only when TENSORBUNDLE_WRITE_FIXTURE=1.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TENSORBUNDLE_WRITE_FIXTURE"] == "1"))
    func writeFixtureForTensorFlow() throws {
        let (w, variables) = try Self.fixtureWriter()
        let folder = Fixtures.folder("written_by_swift")
        try? FileManager.default.removeItem(atPath: folder)
        try w.write(prefix: folder + "/swift.ckpt")
        let expected: [String: Any] = ["prefix": "swift.ckpt", "variables": variables]
        let json = try JSONSerialization.data(withJSONObject: expected, options: [.prettyPrinted, .sortedKeys])
        try json.write(to: URL(fileURLWithPath: folder + "/expected.json"))
    }
}
