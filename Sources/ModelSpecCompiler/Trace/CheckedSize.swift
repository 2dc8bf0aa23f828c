/// Sizes computed from a spec's numbers (dimensions, strides, dilations,
/// element counts), checked: a sum or product that does not fit in an `Int` is
/// a ``ShapeMismatch`` that says what was being computed, reported at the step
/// like any other shape error, never an overflow trap.
enum CheckedSize {
    /// `a + b`; `what` names the size, as in "concat along axis 1".
    static func sum(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(ShapeMismatch) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        if overflow { throw tooLarge(what(), "\(a) + \(b)") }
        return result
    }

    /// `a * b`.
    static func product(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(ShapeMismatch) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw tooLarge(what(), "\(a) × \(b)") }
        return result
    }

    /// The product of all sizes (1 for none): an element count.
    static func product(_ sizes: [Int], _ what: @autoclosure () -> String) throws(ShapeMismatch) -> Int {
        var result = 1
        for size in sizes {
            let (next, overflow) = result.multipliedReportingOverflow(by: size)
            if overflow {
                throw tooLarge(what(), "the product of [" + sizes.map(String.init).joined(separator: ", ") + "]")
            }
            result = next
        }
        return result
    }

    private static func tooLarge(_ what: String, _ computation: String) -> ShapeMismatch {
        ShapeMismatch(message: "\(what): \(computation) does not fit in a 64-bit integer (at most \(Int.max))")
    }
}
