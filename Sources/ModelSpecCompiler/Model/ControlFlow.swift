/// A block run several times (`repeat:`), as a Python `for` loop around the
/// same statements: `for i in range(count)`.
public struct Loop: Hashable, Sendable {
    /// How many times the body runs: a number or an Int `$param`, at least 1.
    public var count: Expr<Int>
    /// The index's name, for names formatted from it (`scope: "block_{i}"`); nil when unnamed.
    public var index: String?
    /// The index's first value (`range(start, start + count)`).
    public var start: Int
    /// The values one iteration hands to the next.
    public var carried: [Carry]

    public init(count: Expr<Int>, index: String?, start: Int, carried: [Carry]) {
        self.count = count
        self.index = index
        self.start = start
        self.carried = carried
    }
}

/// A value carried through a loop, as a Python name bound before a loop and
/// again inside it: the body reads `name`, which is `initial` at the first
/// iteration and the previous iteration's `next` after it. After the loop the
/// step's result at the same position is the last `next`.
public struct Carry: Hashable, Sendable {
    /// The value the body reads.
    public var name: String
    /// The value before the loop (one of the step's inputs).
    public var initial: String
    /// The value at the end of an iteration (defined in the body).
    public var next: String

    public init(name: String, initial: String, next: String) {
        self.name = name
        self.initial = initial
        self.next = next
    }
}

/// A step or block run only when a `Bool` holds (`if: $project`), as a Python `if`.
public struct Condition: Hashable, Sendable {
    /// The flag: a `Bool` `$param` or a constant.
    public var flag: Expr<Bool>
    /// `if: not $project`.
    public var negated: Bool
    /// The values after the block, one per result of the step: what the body made
    /// when it ran, else what they were before.
    public var merges: [Merge]

    public init(flag: Expr<Bool>, negated: Bool, merges: [Merge]) {
        self.flag = flag
        self.negated = negated
        self.merges = merges
    }

    /// Whether the body runs, given the parameters' values.
    public func holds(_ params: [String: Literal]) throws -> Bool {
        switch flag {
        case let .literal(value): return value != negated
        case let .param(name):
            guard case let .bool(value)? = params[name] else { throw ParameterValueError.missing(name, .bool, params[name]) }
            return value != negated
        }
    }
}

/// One value after a conditional block.
public struct Merge: Hashable, Sendable {
    /// The value when the body ran (defined in the body).
    public var whenRun: String
    /// The value when it did not (one of the step's inputs).
    public var otherwise: String

    public init(whenRun: String, otherwise: String) {
        self.whenRun = whenRun
        self.otherwise = otherwise
    }
}

/// A scope name formatted from loop indices: `"block_{i}"`.
public struct NameFormat: Hashable, Sendable, CustomStringConvertible {
    public enum Piece: Hashable, Sendable {
        case text(String)
        /// The value of the loop index of this name.
        case index(String)
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) {
        self.pieces = pieces
    }

    /// The name, given the indices' values.
    public func formatted(_ indices: [String: Int]) -> String {
        pieces.map { piece in
            switch piece {
            case let .text(text): text
            case let .index(name): indices[name].map(String.init) ?? "{\(name)}"
            }
        }.joined()
    }

    /// The indices the name uses.
    public var indices: [String] {
        pieces.compactMap { if case let .index(name) = $0 { name } else { nil } }
    }

    public var description: String {
        pieces.map { piece in
            switch piece {
            case let .text(text): text
            case let .index(name): "{\(name)}"
            }
        }.joined()
    }
}
