import Foundation

@testable import TensorBundle

/// One case of ``CheckpointReaderFuzzTests``: a copy of a checkpoint, damaged
/// before it is opened or changed in place after, and the oracle: every read
/// throws or returns the undamaged bytes; a damaged tensor never reads.
struct ReaderCase {
    /// The checkpoint folder copied; `nil`: a checkpoint written by ``CheckpointWriter`` with multi-page shards.
    let fixture: String?
    private var prefix = ""
    private var shardPaths: [String] = []
    /// The bytes of every fixed-width tensor of the undamaged checkpoint.
    private var original: [(name: String, bytes: [UInt8])] = []
    /// What `run` does after opening.
    private var afterOpening: Step = .nothing
    /// A tensor whose bytes were damaged: reading it must throw.
    private var damaged: String?

    enum Step {
        case nothing
        case truncate(shard: String, length: Int, readFirst: Bool)
        case overwrite(shard: String, bytes: [UInt8])
        case concurrentRewrite(shard: String, entry: String, old: [UInt8], new: [UInt8])
    }

    init(fixture: String?) { self.fixture = fixture }

    /// Copies the checkpoint, reads it undamaged, and damages it or plans the change after opening.
    mutating func prepare(_ fuzzCase: inout FuzzCase) throws {
        let folder = fuzzCase.path("checkpoint")
        if let fixture {
            try FileManager.default.copyItem(atPath: fixture, toPath: folder)
            let index = try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".index") }
            prefix = folder + "/" + String(try index.orThrow("no index in \(fixture)").dropLast(".index".count))
        } else {
            prefix = folder + "/written"
            var writer = CheckpointWriter()
            for (i, count) in [3000, 1024, 4099].enumerated() {
                try writer.add(name: "t\(i)", shape: [count], floats: (0..<count).map { Float($0 * (i + 1)) })
            }
            try writer.write(prefix: prefix)
        }
        let checkpoint = try Checkpoint(path: prefix)
        shardPaths = (0..<checkpoint.shardCount).map { CheckpointPath.dataFile(prefix: prefix, shard: $0, of: checkpoint.shardCount) }
        original = try checkpoint.entries.filter { $0.dtype.elementSize != nil }.map { ($0.name, try checkpoint.rawBytes(named: $0.name)) }
        let stored = checkpoint.entries.filter { !$0.isPartitioned && $0.dtype.elementSize != nil && $0.location.size > 0 }
        let shard = try shardPaths.randomElement(using: &fuzzCase.rng).orThrow("no data shard")
        let shardName = URL(fileURLWithPath: shard).lastPathComponent
        let bytes = [UInt8](try Data(file: shard))
        switch fuzzCase.family {
        case "reader-shard-bytes":
            let edit = ByteMutator.mutate(bytes, using: &fuzzCase.rng)
            try Data(edit.bytes).write(file: shard)
            fuzzCase.mutation = "\(shardName): \(edit.description)"
        case "reader-tensor-flip":
            let entry = try stored.randomElement(using: &fuzzCase.rng).orThrow("no tensor stored whole")
            let file = shardPaths[entry.location.shard]
            let edit = ByteMutator.flipBit(in: entry.location.offset..<(entry.location.offset + entry.location.size),
                                           of: [UInt8](try Data(file: file)), using: &fuzzCase.rng)
            try Data(edit.bytes).write(file: file)
            damaged = entry.name
            fuzzCase.mutation = "\(URL(fileURLWithPath: file).lastPathComponent), in \(entry.name): \(edit.description)"
        case "reader-truncate-after-read", "reader-truncate-before-read":
            let length = Bool.random(using: &fuzzCase.rng) ? 0 : Int.random(in: 0..<max(1, bytes.count), using: &fuzzCase.rng)
            let readFirst = fuzzCase.family == "reader-truncate-after-read"
            afterOpening = .truncate(shard: shard, length: length, readFirst: readFirst)
            fuzzCase.mutation = "opened\(readFirst ? ", read" : ""), then \(shardName) truncated to \(length) of \(bytes.count) bytes"
        case "reader-rewrite-after-read":
            let edit = ByteMutator.mutate(bytes, using: &fuzzCase.rng)
            var rewritten = Array(edit.bytes.prefix(bytes.count))
            rewritten += bytes.dropFirst(rewritten.count)  // in place: the same length or longer
            afterOpening = .overwrite(shard: shard, bytes: rewritten)
            fuzzCase.mutation = "opened, read, then \(shardName) rewritten in place: \(edit.description)"
        default:
            let entry = try stored.randomElement(using: &fuzzCase.rng).orThrow("no tensor stored whole")
            let file = shardPaths[entry.location.shard]
            let old = [UInt8](try Data(file: file))
            var new = old
            for i in entry.location.offset..<(entry.location.offset + entry.location.size) { new[i] &+= 1 }
            afterOpening = .concurrentRewrite(shard: file, entry: entry.name, old: old, new: new)
            fuzzCase.mutation = "opened, then \(entry.name) read while another thread rewrites its bytes in place, back and forth"
        }
    }

    /// Opens the checkpoint, makes the planned change, reads; the oracle's findings.
    func run(_ fuzzCase: FuzzCase) -> [Finding] {
        var findings: [Finding] = []
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(path: prefix)
        } catch {
            return []  // refused whole: the index was not touched, but a refusal is never wrong
        }
        do {
            switch afterOpening {
            case .nothing:
                break
            case .truncate(let shard, let length, let readFirst):
                if readFirst { findings += readAll(checkpoint) }
                try ShardEdits.truncate(shard, to: length)
            case .overwrite(let shard, let bytes):
                findings += readAll(checkpoint)
                try ShardEdits.overwrite(shard, with: bytes)
            case .concurrentRewrite(let shard, let entry, let old, let new):
                return readWhileRewritten(checkpoint, entry: entry, shard: shard, versions: (old, new))
            }
        } catch {
            return [Finding(kind: .harness, what: "\(error)", reproduction: "")]
        }
        if let damaged, (try? checkpoint.rawBytes(named: damaged)) != nil {
            findings.append(Finding(kind: .silentAcceptance, what: "a tensor with a flipped bit reads without an error",
                                    reproduction: "", detail: damaged))
        }
        return findings + readAll(checkpoint)
    }

    /// Reads every fixed-width tensor: each read throws or gives the undamaged bytes.
    func readAll(_ checkpoint: Checkpoint) -> [Finding] {
        original.compactMap { name, bytes in
            guard let read = try? checkpoint.rawBytes(named: name), read != bytes else { return nil }
            return Finding(kind: .wrongResult, what: "a read returns bytes the checkpoint never had, without an error",
                           reproduction: "", detail: name)
        }
    }

    /// Reads `entry` 300 times while another thread writes the new and the old
    /// version of the shard over it: every read throws or gives the old bytes.
    func readWhileRewritten(_ checkpoint: Checkpoint, entry: String, shard: String, versions: (old: [UInt8], new: [UInt8])) -> [Finding] {
        let expected = original.first { $0.name == entry }?.bytes
        let stop = ManagedFlag()
        let finished = DispatchSemaphore(value: 0)
        let writer = Thread {
            while !stop.isSet {
                try? ShardEdits.overwrite(shard, with: versions.new)
                try? ShardEdits.overwrite(shard, with: versions.old)
            }
            finished.signal()
        }
        writer.start()
        defer {
            stop.set()
            finished.wait()
        }
        for _ in 0..<300 {
            if let read = try? checkpoint.rawBytes(named: entry), read != expected {
                return [Finding(kind: .wrongResult, what: "a read while the shard is rewritten returns bytes other than those its checksum was checked on, without an error",
                                reproduction: "", detail: entry)]
            }
        }
        return []
    }
}

/// A flag one thread sets and another reads.
final class ManagedFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw FuzzSetupError(message) }
        return self
    }
}
