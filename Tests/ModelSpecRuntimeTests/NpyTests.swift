import Foundation
import Testing
@testable import ModelSpecRuntime

@Suite struct NpyTests {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("npy-tests-\(UInt32.random(in: 0...UInt32.max))")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func roundTrips() throws {
        let t = try Tensor(shape: [2, 3], scalars: [1, -2.5, 3, .infinity, 0, 1e-30])
        let url = directory.appendingPathComponent("t.npy")
        try NumPy.write(t, to: url)
        #expect(try NumPy.readTensor(contentsOf: url) == t)
        let s = Tensor(4.5)
        #expect(try NumPy.decode(NumPy.encode(s)) == .float32(s))
        let i = try IndexTensor(shape: [2, 2], scalars: [1, -2, 3, Int32.max])
        #expect(try NumPy.decode(NumPy.encode(i)) == .int32(i))
        #expect(try NumPy.decode(NumPy.encode(i, as: .int64)) == .int64(Int64Tensor(i)))
        let e = try Tensor.zeros([0, 3])
        #expect(try NumPy.decode(NumPy.encode(e)) == .float32(e))
    }

    @Test func headerIsNumPys() throws {
        let data = NumPy.encode(Tensor([1, 2, 3]))
        #expect(data.count == 128 + 12)
        let header = String(decoding: data[10..<128], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"))
        #expect(header.hasSuffix(" \n"))
    }

    /// Files written by NumPy itself (the goldens) read as expected.
    @Test func readsNumPyFiles() throws {
        let ids = try NumPy.read(contentsOf: Goldens.directory.appendingPathComponent("gather_int64_ids.indices.npy"))
        #expect(ids == .int64(Int64Tensor([7, 7, 0, 5])))
        let scalar = try NumPy.readTensor(contentsOf: Goldens.directory.appendingPathComponent("reduceSum_all.y.npy"))
        #expect(scalar.shape == [])
    }

    func npy(_ header: String, payload: [UInt8] = [], version: UInt8 = 1) -> Data {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let h = Array(header.utf8)
        bytes += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + payload
        return Data(bytes)
    }

    @Test func clearErrors() {
        func error(_ data: Data) -> String {
            do { _ = try NumPy.decode(data); return "no error" } catch { return "\(error)" }
        }
        #expect(error(Data("hello".utf8)) == "not a .npy file (no \\x93NUMPY magic)")
        #expect(error(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0]))
                .hasPrefix("unsupported dtype '>f4'"))
        #expect(error(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0]))
                .hasPrefix("unsupported dtype '<f8'"))
        #expect(error(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", payload: [0, 0, 0, 0]))
                .hasPrefix("Fortran-order arrays are not supported"))
        #expect(error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload: [0, 0, 0, 0]))
                == "data is 4 bytes, shape [2] of '<f4' needs 8")
        #expect(error(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", version: 4))
                .hasPrefix("unsupported .npy format version 4.0"))
        #expect(error(npy("{'descr': '<f4', 'shape': (1,), }")).hasPrefix("malformed .npy header"))
        var big: [UInt8] = []
        withUnsafeBytes(of: Int64(1 << 40).littleEndian) { big += $0 }
        // int64 is read exactly, beyond int32's range too.
        #expect((try? NumPy.decode(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", payload: big)))
                == .int64(Int64Tensor([1 << 40])))
    }

    @Test func wrongDtypeAndMissingFile() throws {
        let url = directory.appendingPathComponent("ids.npy")
        try NumPy.write(IndexTensor([1, 2]), to: url)
        #expect(throws: NpyError.self) { try NumPy.readTensor(contentsOf: url) }
        #expect(try NumPy.readIndexTensor(contentsOf: url) == IndexTensor([1, 2]))
        do {
            _ = try NumPy.read(contentsOf: directory.appendingPathComponent("missing.npy"))
            Issue.record("no error")
        } catch let e as NpyError {
            #expect(e.description.contains("missing.npy: cannot read"))
        }
    }

    /// Shapes whose element or byte count overflows Int: a clear error naming
    /// the file, never a trap.
    @Test func overflowingShapesAreErrorsNamingTheFile() throws {
        let cases: [([Int], String, String)] = [
            ([1 << 62, 4], "<f4", "its element count overflows"),
            ([1 << 61], "<f4", "its byte count overflows"),
            ([1 << 60], "<i8", "its byte count overflows"),
            ([0, 1 << 62, 1 << 62], "<f4", "its element count overflows"),
            ([3, Int.max], "<i4", "its element count overflows"),
        ]
        for (shape, descr, message) in cases {
            let url = directory.appendingPathComponent("huge.npy")
            let header = try NpyHeader(descr: descr, fortranOrder: false, shape: shape).encoded()
            try Data(header + [0, 0, 0, 0]).write(to: url)
            let error = #expect(throws: NpyError.self) { try NumPy.read(contentsOf: url) }
            #expect(error?.path == url.path)
            #expect(error?.reason.contains(message) == true, "\(shape): \(String(describing: error))")
        }
        let tooLong = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"
        let error = #expect(throws: NpyError.self) { try NumPy.decode(Data(Self.preamble(tooLong))) }
        #expect(error?.reason.contains("a shape entry is larger than") == true)
    }

    /// Version 1.0 preamble around a header dict.
    static func preamble(_ dict: String) -> [UInt8] {
        let text = Array((dict + "\n").utf8)
        return NpyHeader.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
    }

    /// Paths that are not readable files: a sentence with the cause, no
    /// Foundation error text; a FIFO is not waited on.
    @Test func unreadablePathsAreSentences() throws {
        let fifo = directory.appendingPathComponent("fifo.npy")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let cases: [(URL, String)] = [
            (directory.appendingPathComponent("missing.npy"), "cannot read: No such file or directory"),
            (directory, "is a directory; expected a .npy file"),
            (fifo, "is not a regular file; expected a .npy file"),
        ]
        for (url, reason) in cases {
            let error = #expect(throws: NpyError.self) { try NumPy.read(contentsOf: url) }
            #expect(error?.description == "\(url.path): \(reason)")
        }
        // Writing never replaces what is not a regular file.
        let refused = #expect(throws: NpyError.self) { try NumPy.write(Tensor([1]), to: fifo) }
        #expect(refused?.description == "\(fifo.path): is not a regular file; expected a .npy file")
        var info = stat()
        #expect(stat(fifo.path, &info) == 0 && info.st_mode & mode_t(S_IFMT) == mode_t(S_IFIFO))
        let write = #expect(throws: NpyError.self) {
            try NumPy.write(Tensor([1]), to: directory.appendingPathComponent("none/x.npy"))
        }
        #expect(write?.reason == "cannot write: No such file or directory")
    }
}
