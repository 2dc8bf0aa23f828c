import Foundation
import Testing
@testable import ModelSpecRuntime

extension GoldenOpsTests {
    static let moreOps: [String] = []

    static func evaluateMore(_ c: GoldenCase) throws -> [String: Tensor] {
        throw GoldenError("\(c.name): no Swift evaluation for op \(c.op)")
    }
}
