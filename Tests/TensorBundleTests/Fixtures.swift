import Foundation

@testable import TensorBundle

/// The committed checkpoint fixtures (Tests/Goldens/checkpoints/, written by
/// oracle/checkpoints.py with TensorFlow) and helpers to read their expectations.
enum Fixtures {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.deletingLastPathComponent().appendingPathComponent("Goldens/checkpoints").path
    }()

    static let readable = ["tf1_saver", "tf1_sharded", "tf1_partitioned", "tf2_object", "writer_reference"]

    static func folder(_ name: String) -> String { root + "/" + name }

    struct Variable: Decodable, Equatable {
        var name: String
        var dtype: String
        var shape: [Int]
    }

    struct Expected: Decodable {
        var prefix: String
        var variables: [Variable]
        var values: [String: String]
        var other_values: [String: JSONValue]
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder(name) + "/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    static func prefix(_ name: String) throws -> String {
        folder(name) + "/" + (try expected(name).prefix)
    }

    /// Float32 values of a little-endian `.npy` file (any shape, C order).
    static func npyFloats(_ path: String) throws -> (shape: [Int], values: [Float]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        precondition(bytes.count > 10 && bytes[0] == 0x93, "not an npy file: \(path)")
        let major = bytes[6]
        let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let headerStart = major == 1 ? 10 : 12
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        precondition(header.contains("'<f4'") && header.contains("'fortran_order': False"), header)
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let data = Array(bytes[(headerStart + headerLength)...])
        let values = data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
        return (shape, values)
    }

    /// A copy of a fixture in a fresh temporary folder, to damage.
    static func copy(_ name: String) throws -> String {
        let target = NSTemporaryDirectory() + "tensorbundle-\(UUID().uuidString)/" + name
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder(name), toPath: target)
        return target
    }

    static func remove(_ copied: String) {
        try? FileManager.default.removeItem(atPath: (copied as NSString).deletingLastPathComponent)
    }
}

/// Enough of JSON to read expected.json's other_values.
enum JSONValue: Decodable, Equatable {
    case number(Double), bool(Bool), string(String), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// The leaves, row-major.
    var flattened: [JSONValue] {
        if case .array(let items) = self { return items.flatMap(\.flattened) }
        return [self]
    }
}

/// Bytes as the oracle writes them in JSON: each byte one Latin-1 character.
func latin1(_ bytes: [UInt8]) -> String {
    String(String.UnicodeScalarView(bytes.map { UnicodeScalar($0) }))
}
