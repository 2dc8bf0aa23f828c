/// Which variable of a native rewrite takes the value of each variable of the
/// legacy spec it replaces, found by structure: both manifests in creation
/// order, each variable matched with the one at the same place when their role
/// (the last name component: `kernel`, `bias`, `gamma`, ...), shape and dtype
/// agree. Pairs the user pins are taken out first; pin where the rewrite
/// creates its variables in another order or renames a role.
public struct MigrationMap: Sendable {
    public struct Pair: Hashable, Sendable {
        public var old: Manifest.Entry
        public var new: Manifest.Entry
        public var pinned: Bool
    }

    /// Every variable of the old manifest with its counterpart, in the old creation order.
    public var pairs: [Pair]

    /// Why two manifests do not correspond, at the first point they diverge.
    public struct Divergence: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// Matches two manifests; `pins` maps a new variable's name to the old one's.
    public init(old: Manifest, new: Manifest, pins: [(new: String, old: String)] = []) throws(Divergence) {
        let oldByName = Dictionary(old.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newByName = Dictionary(new.variables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var pinned: [Pair] = []
        var pinnedOld = Set<String>(), pinnedNew = Set<String>()
        for pin in pins {
            guard let oldEntry = oldByName[pin.old] else {
                throw Divergence(message: "pin \(pin.new)=\(pin.old): the old spec makes no variable '\(pin.old)'")
            }
            guard let newEntry = newByName[pin.new] else {
                throw Divergence(message: "pin \(pin.new)=\(pin.old): the new spec makes no variable '\(pin.new)'")
            }
            guard !pinnedOld.contains(pin.old) else {
                throw Divergence(message: "pin \(pin.new)=\(pin.old): '\(pin.old)' is pinned twice")
            }
            guard oldEntry.shape == newEntry.shape, oldEntry.dtype == newEntry.dtype else {
                throw Divergence(message: "pin \(pin.new)=\(pin.old): \(Self.describe(newEntry)) cannot take the value of \(Self.describe(oldEntry))")
            }
            pinnedOld.insert(pin.old)
            pinnedNew.insert(pin.new)
            pinned.append(Pair(old: oldEntry, new: newEntry, pinned: true))
        }
        let olds = old.variables.filter { !pinnedOld.contains($0.name) }
        let news = new.variables.filter { !pinnedNew.contains($0.name) }
        var byOrder: [String: Pair] = [:]
        for index in 0..<max(olds.count, news.count) {
            guard index < olds.count else {
                throw Divergence(message: "the new spec's \(Self.describe(news[index])) (variable \(index + 1) in creation order, after pins) has no counterpart: the old spec makes only \(olds.count)")
            }
            guard index < news.count else {
                throw Divergence(message: "the old spec's \(Self.describe(olds[index])) (variable \(index + 1) in creation order, after pins) has no counterpart: the new spec makes only \(news.count)")
            }
            let (o, n) = (olds[index], news[index])
            guard Self.role(o) == Self.role(n), o.shape == n.shape, o.dtype == n.dtype else {
                throw Divergence(message: "the specs diverge at variable \(index + 1) in creation order (after pins): old \(Self.describe(o)), new \(Self.describe(n)); pin the pair in a rename file if they correspond")
            }
            byOrder[o.name] = Pair(old: o, new: n, pinned: false)
        }
        let pinnedByOld = Dictionary(pinned.map { ($0.old.name, $0) }, uniquingKeysWith: { first, _ in first })
        pairs = old.variables.compactMap { pinnedByOld[$0.name] ?? byOrder[$0.name] }
    }

    /// A variable's role: the last component of its name (`kernel`).
    static func role(_ entry: Manifest.Entry) -> Substring {
        entry.name.split(separator: "/").last ?? Substring(entry.name)
    }

    static func describe(_ entry: Manifest.Entry) -> String {
        "'\(entry.name)' (\(role(entry)), [\(entry.shape.map(String.init).joined(separator: ", "))], \(entry.dtype))"
    }
}
