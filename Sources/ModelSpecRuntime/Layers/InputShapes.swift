/// One dimension of an input's declared shape, as a spec writes it.
public enum InputDimension: Sendable, Equatable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// A fixed size: a number, or the value of an `Int` parameter.
    case size(Int)
    /// A symbol such as `batch`: any size, the same wherever it appears in one call.
    case symbol(String)
    /// `null`: any size, not checked.
    case any

    public init(integerLiteral value: Int) { self = .size(value) }

    public var description: String {
        switch self {
        case let .size(size): String(size)
        case let .symbol(name): name
        case .any: "null"
        }
    }
}

/// An input of a call that does not fit its declared shape.
///
/// `Encoder: input 'x' needs shape [batch, 4], but a tensor of shape [2, 3] is given`,
/// `Attention: symbol 'batch' is 2 in input 'query' but 3 in input 'values' (shape [3, 10, 16]); a symbol has one size in a call`.
public struct InputShapeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The model whose call was given the input.
    public let model: String
    /// The input that does not fit.
    public let input: String
    /// Its declared shape.
    public let expected: [InputDimension]
    /// The shape of the tensor given.
    public let actual: [Int]
    /// For a symbol of two sizes: which, and where it got its first.
    public let conflict: SymbolConflict?

    /// A symbol given two sizes in one call.
    public struct SymbolConflict: Equatable, Sendable {
        public let symbol: String
        /// The size it has in `firstInput`.
        public let firstSize: Int
        public let firstInput: String
        /// The size it has in the input of the error.
        public let size: Int
    }

    public var description: String {
        if let conflict {
            return "\(model): symbol '\(conflict.symbol)' is \(conflict.firstSize) in input '\(conflict.firstInput)' but \(conflict.size) in input '\(input)' (shape \(describe(actual))); a symbol has one size in a call"
        }
        let expectedText = "[" + expected.map(\.description).joined(separator: ", ") + "]"
        return "\(model): input '\(input)' needs shape \(expectedText), but a tensor of shape \(describe(actual)) is given"
    }
}

/// Checks a call's inputs against their declared shapes before anything runs:
/// ranks, fixed sizes, and one size per symbol across the inputs (generated
/// models and the interpreter call it first).
/// - Returns: the size of each symbol.
/// - Throws: `InputShapeError` naming the input, the expected and the actual shape.
@discardableResult
public func checkInputShapes(
    of model: String, _ inputs: (name: String, shape: [Int], expected: [InputDimension])...
) throws -> [String: Int] {
    try checkInputShapes(of: model, inputs)
}

/// The same check, with the inputs in an array (the interpreter's form).
@discardableResult
public func checkInputShapes(
    of model: String, _ inputs: [(name: String, shape: [Int], expected: [InputDimension])]
) throws -> [String: Int] {
    // Each symbol's size goes straight into the result; where it got its size is looked up
    // again only for an error (no array of bindings made on every call).
    var symbols: [String: Int] = [:]
    for (index, input) in inputs.enumerated() {
        func mismatch(_ conflict: InputShapeError.SymbolConflict? = nil) -> InputShapeError {
            InputShapeError(model: model, input: input.name, expected: input.expected, actual: input.shape, conflict: conflict)
        }
        guard input.shape.count == input.expected.count else { throw mismatch() }
        for (dimension, size) in zip(input.expected, input.shape) {
            guard case let .symbol(name) = dimension else {
                if case let .size(expected) = dimension, expected != size { throw mismatch() }
                continue
            }
            guard let bound = symbols[name] else {
                symbols[name] = size
                continue
            }
            guard bound == size else {
                let first = inputs[...index].first { $0.expected.contains(.symbol(name)) }!
                throw mismatch(.init(symbol: name, firstSize: bound, firstInput: first.name, size: size))
            }
        }
    }
    return symbols
}
