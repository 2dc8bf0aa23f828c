import Foundation
import Testing
@testable import ModelSpecRuntime

/// A JSON value of a golden case's attributes.
enum JSONValue: Decodable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var int: Int? { if case .number(let n) = self { return Int(exactly: n) } else { return nil } }
    var float: Float? { if case .number(let n) = self { return Float(n) } else { return nil } }
    var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var ints: [Int]? { if case .array(let a) = self { return a.compactMap(\.int) } else { return nil } }
}

/// One case of Tests/Goldens/ops/cases.json, written by oracle/ops.py.
struct GoldenCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let op: String
    let attrs: [String: JSONValue]
    let inputs: [String: String]
    let outputs: [String: String]

    var description: String { name }

    func input(_ key: String) throws -> Tensor {
        guard let file = inputs[key] else { throw GoldenError("\(name): no input \(key)") }
        return try NumPy.readTensor(contentsOf: Goldens.directory.appendingPathComponent(file))
    }

    func optionalInput(_ key: String) throws -> Tensor? {
        inputs[key] == nil ? nil : try input(key)
    }

    func indices(_ key: String) throws -> IndexTensor {
        guard let file = inputs[key] else { throw GoldenError("\(name): no input \(key)") }
        return try NumPy.readIndexTensor(contentsOf: Goldens.directory.appendingPathComponent(file))
    }

    func output(_ key: String = "y") throws -> Tensor {
        guard let file = outputs[key] else { throw GoldenError("\(name): no output \(key)") }
        return try NumPy.readTensor(contentsOf: Goldens.directory.appendingPathComponent(file))
    }

    func int(_ key: String) throws -> Int {
        guard let v = attrs[key]?.int else { throw GoldenError("\(name): no integer attribute \(key)") }
        return v
    }

    func ints(_ key: String) throws -> [Int] {
        guard let v = attrs[key]?.ints else { throw GoldenError("\(name): no integer list attribute \(key)") }
        return v
    }

    func pair(_ key: String) throws -> (Int, Int) {
        let v = try ints(key)
        guard v.count == 2 else { throw GoldenError("\(name): attribute \(key) is not a pair") }
        return (v[0], v[1])
    }

    func float(_ key: String) throws -> Float {
        guard let v = attrs[key]?.float else { throw GoldenError("\(name): no number attribute \(key)") }
        return v
    }

    func flag(_ key: String) -> Bool { attrs[key]?.bool ?? false }

    /// `axes` as a list, or nil when the attribute is JSON null (all axes).
    func optionalInts(_ key: String) -> [Int]? { attrs[key]?.ints }

    func activation() throws -> Activation {
        switch attrs["activation"]?.string {
        case nil, "linear": return .linear
        case "relu": return .relu
        case "tanh": return .tanh
        case let other?: throw GoldenError("\(name): unknown activation \(other)")
        }
    }
}

struct GoldenError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct GoldenIndex: Decodable, Sendable {
    let tensorflow: String
    let cases: [GoldenCase]
}

enum Goldens {
    /// Tests/Goldens/ops, found from this file's path.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // ModelSpecRuntimeTests
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Goldens")
        .appendingPathComponent("ops")

    static func index() throws -> GoldenIndex {
        let data = try Data(contentsOf: directory.appendingPathComponent("cases.json"))
        return try JSONDecoder().decode(GoldenIndex.self, from: data)
    }

    static func cases(op: String) throws -> [GoldenCase] {
        try index().cases.filter { $0.op == op }
    }
}

/// Whether every scalar is within 1e-5 absolute or relative of the expected one.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ label: String,
                 tolerance: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.scalars, e = expected.scalars
    var failures = 0
    for i in 0..<a.count {
        let diff = Swift.abs(a[i] - e[i])
        let ok = a[i] == e[i] || diff <= tolerance || diff <= tolerance * Swift.abs(e[i])
        if !ok {
            failures += 1
            if failures <= 3 {
                Issue.record("\(label): scalar \(i) is \(a[i]), expected \(e[i]) (diff \(diff))",
                             sourceLocation: sourceLocation)
            }
        }
    }
    if failures > 3 {
        Issue.record("\(label): \(failures) scalars differ in all", sourceLocation: sourceLocation)
    }
}
