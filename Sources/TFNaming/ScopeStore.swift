/// TensorFlow's `_VariableScopeStore` together with the enter and exit rules of
/// `tf.compat.v1.variable_scope`: the current scope, and how many times each
/// full scope name has been opened, which is what makes `default_name` scopes
/// and auto-named compat layers unique (`dense`, `dense_1`, ...).
///
/// The rules, from `tensorflow/python/ops/variable_scope.py`:
/// - Entering a scope by name opens `parent/name` (its count goes up by one);
///   explicit names are used as given, never made unique.
/// - Entering with only a `default_name` picks `default_name` if
///   `parent/default_name` was never opened, else the first `default_name_N`
///   (N = 1, 2, ...) whose count is zero (`_get_unique_variable_scope`).
/// - Leaving a scope entered by name resets the counts of all its sub-scopes to
///   zero (`close_variable_subscopes`), so names inside a re-entered scope
///   start again from `dense`.
/// - Re-entering a captured ``VariableScope`` opens its full name (whatever the
///   current scope is), and leaving it restores every count to what it was
///   right after that open.
/// - `reuse` is inherited: a sub-scope of a reusing scope reuses too; entering
///   a captured scope keeps the captured mode unless a new one is given.
public struct ScopeStore: Sendable, Equatable {
    /// The scope that `get_variable` and new scopes are relative to.
    public private(set) var current: VariableScope = .root
    /// `variable_scopes_count`: how many times each full scope name was opened.
    private var counts: [String: Int] = [:]
    private var stack: [Frame] = []

    private struct Frame: Sendable, Equatable {
        var previous: VariableScope
        var entered: VariableScope
        /// Set when a captured scope object was re-entered: the counts to restore on exit.
        var restoredCounts: [String: Int]?
    }

    public init() {}

    /// How many times the full scope name was opened and not reset since.
    public func openCount(_ fullName: String) -> Int {
        counts[fullName, default: 0]
    }

    /// The name `variable_scope(None, default_name: prefix)` would pick now.
    public func uniqueName(for prefix: String) -> String {
        let full = current.qualified(prefix)
        if openCount(full) == 0 { return prefix }
        var index = 1
        while openCount(full + "_\(index)") > 0 { index += 1 }
        return prefix + "_\(index)"
    }

    /// Enters `variable_scope(name, reuse:)`.
    @discardableResult
    public mutating func enter(_ name: String, reuse: Reuse = .inherit) -> VariableScope {
        let inherited = reuse == .inherit ? current.reuse : reuse
        let scope = VariableScope(name: current.qualified(name), reuse: inherited)
        open(scope.name)
        stack.append(Frame(previous: current, entered: scope, restoredCounts: nil))
        current = scope
        return scope
    }

    /// Enters `variable_scope(None, default_name: defaultName)`, made unique.
    @discardableResult
    public mutating func enter(defaultName: String) -> VariableScope {
        enter(uniqueName(for: defaultName))
    }

    /// Re-enters a captured scope object, `variable_scope(scope, reuse:)`.
    @discardableResult
    public mutating func enter(_ captured: VariableScope, reuse: Reuse = .inherit) -> VariableScope {
        let scope = VariableScope(name: captured.name, reuse: reuse == .inherit ? captured.reuse : reuse)
        open(scope.name)
        stack.append(Frame(previous: current, entered: scope, restoredCounts: counts))
        current = scope
        return scope
    }

    /// Leaves the innermost scope.
    public mutating func exit() {
        guard let frame = stack.popLast() else {
            preconditionFailure("ScopeStore.exit() without a matching enter()")
        }
        if let restored = frame.restoredCounts {
            counts = restored
        } else {
            let prefix = frame.entered.name + "/"
            for key in counts.keys where key.hasPrefix(prefix) {
                counts[key] = 0
            }
        }
        current = frame.previous
    }

    /// The number of scopes entered and not yet left.
    public var depth: Int { stack.count }

    /// Whether nothing was opened yet: the state every top-level call starts from.
    public var isInitial: Bool { stack.isEmpty && counts.isEmpty }

    private mutating func open(_ fullName: String) {
        counts[fullName, default: 0] += 1
    }
}
