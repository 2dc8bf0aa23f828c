/// Reverse-mode differentiation of runtime calls, as `tf.GradientTape`.
///
/// While `record` runs its body, every runtime function (`matmul`, `conv2d`,
/// `relu`, `reduceSum`, a layer's kernels, ...) that is given a tensor the tape
/// follows writes one entry: its output, which inputs it was given, and its
/// backward rule, the function written beside its kernel. `gradient(of:withRespectTo:)`
/// then walks the entries backwards. Generated models and the interpreter call
/// the same runtime functions, so both are differentiated without backward code
/// of their own.
///
///     let tape = GradientTape()
///     let loss = try tape.record {
///         try meanSquaredError(labels: y, predictions: model(x, training: true))
///     }
///     let grads = try tape.gradient(of: loss, withRespectTo: model.trainableWeights)
///
/// What the tape follows: trainable variables read by a layer during `record`
/// (as TensorFlow's tape watches accessed variables), anything given to
/// `watch` (an input, a tensor substituted for a variable, a variable), and
/// every output of a recorded operation. Operations on other tensors are not
/// recorded, and outside `record` nothing is: the forward path only reads one
/// task-local value per operation.
///
/// A tensor is known by its storage: operations that only reshape (`reshape`,
/// `flatten`, `expandDims`, `squeeze`) share the input's storage and need no
/// entry, their gradients add up in row-major order. The tape keeps every
/// tensor it follows alive until it is released.
///
/// Not `Sendable` in use: confine a tape to the task that records on it.
public final class GradientTape: @unchecked Sendable {
    /// The backward rule of one recorded call: the gradient of each input from the
    /// gradient of the output (`needed[i]`: whether input i is followed; an input
    /// that is not may get nil).
    public typealias Backward = (_ gradient: Tensor, _ needed: [Bool]) throws -> [Tensor?]
    /// The backward rule of a call with several outputs (a recurrent loop's outputs and
    /// final state): the gradient of each output, nil for one nothing depends on.
    typealias MultipleBackward = (_ gradients: [Tensor?], _ needed: [Bool]) throws -> [Tensor?]

    struct Entry {
        let operation: StaticString
        let outputs: [Tensor]
        /// The storage of each followed input; nil for the others.
        let inputs: [ObjectIdentifier?]
        let inputShapes: [[Int]]
        let backward: MultipleBackward
        /// For a row lookup (`gather`): the table rows read, in order. The table's gradient
        /// is then kept as ``IndexedSlices`` of the output's gradient, as TensorFlow's.
        var rows: [Int]? = nil
    }

    /// The tape whose `record` is running in this task.
    @TaskLocal static var current: GradientTape?

    private(set) var entries: [Entry] = []
    /// The storage of every followed tensor.
    private var followed = Set<ObjectIdentifier>()
    /// Watched tensors, kept alive so that their storage is not reused.
    private var sources: [Tensor] = []
    /// The storage each watched variable had when it was watched.
    private var variables: [ObjectIdentifier: ObjectIdentifier] = [:]

    public init() {}

    /// Runs `body` with this tape recording.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        try GradientTape.$current.withValue(self, operation: body)
    }

    /// Follows `tensor`: gradients with respect to it (an input, or a tensor given in
    /// `substituting:` for a variable) can be asked for.
    public func watch(_ tensor: Tensor) {
        if followed.insert(ObjectIdentifier(tensor.storage)).inserted { sources.append(tensor) }
    }

    /// Follows the variables' values. Trainable variables read by a layer during
    /// `record` are watched without this.
    public func watch(_ variables: [Variable]) {
        for variable in variables { watch(variable) }
    }

    /// Follows one variable's value.
    public func watch(_ variable: Variable) {
        let key = ObjectIdentifier(variable)
        guard variables[key] == nil else { return }
        if followed.contains(ObjectIdentifier(variable.value.storage)) {
            // Its storage is shared with another followed tensor: give it its own,
            // so that the two gradients stay apart.
            variable.detachStorage()
        }
        variables[key] = ObjectIdentifier(variable.value.storage)
        watch(variable.value)
    }

    /// Whether the tape follows this tensor.
    public func isFollowing(_ tensor: Tensor) -> Bool {
        followed.contains(ObjectIdentifier(tensor.storage))
    }

    /// Whether the tape follows one of these tensors.
    public func follows(_ tensors: Tensor?...) -> Bool {
        tensors.contains { $0.map(isFollowing) ?? false }
    }

    /// Records one call of an operation when one of its inputs is followed.
    func record(_ operation: StaticString, _ output: Tensor, _ inputs: [Tensor?], _ backward: @escaping Backward) {
        record(operation, outputs: [output], inputs) { gradients, needed in try backward(gradients[0]!, needed) }
    }

    /// Records a lookup of `rows` of a table: the table's gradient is the output's gradient
    /// as ``IndexedSlices`` of those rows, made dense where a dense gradient is needed.
    func recordLookup(_ operation: StaticString, _ output: Tensor, table: Tensor, rows: [Int]) {
        record(operation, outputs: [output], [table], rows: rows) { _, _ in [nil] }
    }

    /// Records one call with several outputs, each of its own storage, when one of its inputs
    /// is followed. The rule runs once, after every output's gradient is summed.
    func record(_ operation: StaticString, outputs: [Tensor], _ inputs: [Tensor?], rows: [Int]? = nil,
                _ backward: @escaping MultipleBackward) {
        var ids: [ObjectIdentifier?] = []
        ids.reserveCapacity(inputs.count)
        var any = false
        for input in inputs {
            if let input, followed.contains(ObjectIdentifier(input.storage)) {
                ids.append(ObjectIdentifier(input.storage))
                any = true
            } else {
                ids.append(nil)
            }
        }
        let outs = outputs.map { ObjectIdentifier($0.storage) }
        // An output that shares an input's storage is a view of it: nothing to record.
        guard any, !outs.contains(where: ids.contains) else { return }
        guard outs.allSatisfy({ !followed.contains($0) }), Set(outs).count == outs.count else { return }
        followed.formUnion(outs)
        entries.append(Entry(operation: operation, outputs: outputs, inputs: ids,
                             inputShapes: inputs.map { $0?.shape ?? [] }, backward: backward, rows: rows))
    }

    /// The gradients of `target` (summed over its elements when it is not a scalar)
    /// with respect to each source; nil for a source the target does not depend on
    /// (as TensorFlow's `None`).
    public func gradient(of target: Tensor, withRespectTo sources: [Tensor]) throws -> [Tensor?] {
        var grads = try backpropagate(target, keeping: Set(sources.map { ObjectIdentifier($0.storage) }))
        return sources.map { source in
            grads.dense(ObjectIdentifier(source.storage)).map { $0.viewed(as: source.shape) }
        }
    }

    /// The gradient of `target` with respect to one tensor.
    public func gradient(of target: Tensor, withRespectTo source: Tensor) throws -> Tensor? {
        try gradient(of: target, withRespectTo: [source])[0]
    }

    /// The gradients of `target` with respect to variables' values (watched, or read
    /// by a layer during `record`); nil for a variable the target does not depend on.
    /// Dense: see ``variableGradients(of:withRespectTo:)`` for TensorFlow's `IndexedSlices`.
    public func gradient(of target: Tensor, withRespectTo variables: [Variable]) throws -> [Tensor?] {
        try variableGradients(of: target, withRespectTo: variables).map { $0?.dense }
    }

    /// The gradients of `target` with respect to variables, as TensorFlow gives them to an
    /// optimizer: ``IndexedSlices`` for a variable read only by row lookups (`gather`,
    /// `embedding_lookup`, `Embedding`; several lookups concatenated), dense otherwise (also when a
    /// looked-up table has a dense gradient besides, such as a regularization loss: their sum).
    public func variableGradients(of target: Tensor, withRespectTo variables: [Variable]) throws -> [VariableGradient?] {
        var grads = try backpropagate(target, keeping: Set(variables.compactMap { self.variables[ObjectIdentifier($0)] }))
        return variables.map { variable in
            guard let id = self.variables[ObjectIdentifier(variable)] else { return nil }
            if grads.dense[id] == nil, let parts = grads.slices[id] {
                return (try? IndexedSlices(concatenating: parts)).map(VariableGradient.indexedSlices)
            }
            return grads.dense(id).map { .dense($0.viewed(as: variable.shape)) }
        }
    }

    /// The gradients found by a backward walk: dense, and the row slices of looked-up tables.
    private struct Gradients {
        var dense: [ObjectIdentifier: Tensor] = [:]
        var slices: [ObjectIdentifier: [IndexedSlices]] = [:]

        /// The dense gradient of a storage: its dense part plus its slices' rows (TensorFlow's
        /// `add_n` of the dense gradients and the slices made dense).
        mutating func dense(_ id: ObjectIdentifier) -> Tensor? {
            guard let parts = slices.removeValue(forKey: id) else { return dense[id] }
            let result: Tensor
            if let existing = dense[id] {
                result = Tensor(shape: existing.shape, storage: TensorBuffer(copying: existing.storage))
            } else {
                result = Tensor(uninitializedShape: parts[0].denseShape)
                result.storage.base.initialize(repeating: 0, count: result.scalarCount)
            }
            for part in parts { part.addRows(into: result.storage.base) }
            dense[id] = result
            return result
        }

        mutating func add(_ g: Tensor, to id: ObjectIdentifier) throws {
            if let sum = dense[id] {
                dense[id] = try ModelSpecRuntime.add(sum.viewed(as: g.shape), g)
            } else {
                dense[id] = g
            }
        }
    }

    /// The gradients of the followed storages in `keeping`, walking the entries from the last; an
    /// entry's output gradients are let go once its rule has run (every entry reading an output
    /// comes after the entry making it), so their memory is reused as the walk goes on.
    private func backpropagate(_ target: Tensor, keeping: Set<ObjectIdentifier>) throws -> Gradients {
        let targetID = ObjectIdentifier(target.storage)
        var grads = Gradients()
        guard followed.contains(targetID) else { return grads }
        grads.dense[targetID] = try Tensor(shape: target.shape, repeating: 1)
        // The backward rules call runtime functions: nothing of theirs is recorded.
        try GradientTape.$current.withValue(nil) {
            for entry in entries.reversed() {
                let upstream = entry.outputs.map { output in
                    grads.dense(ObjectIdentifier(output.storage)).map { $0.viewed(as: output.shape) }
                }
                guard upstream.contains(where: { $0 != nil }) else { continue }
                if let rows = entry.rows, let table = entry.inputs[0], let gradient = upstream[0] {
                    let shape = entry.inputShapes[0]
                    let values = gradient.viewed(as: [rows.count] + shape.dropFirst())
                    grads.slices[table, default: []].append(try IndexedSlices(values: values, indices: rows, denseShape: shape))
                    continue
                }
                let needed = entry.inputs.map { $0 != nil }
                let inputGrads = try entry.backward(upstream, needed)
                for output in entry.outputs where !keeping.contains(ObjectIdentifier(output.storage)) {
                    grads.dense[ObjectIdentifier(output.storage)] = nil
                }
                for (i, id) in entry.inputs.enumerated() {
                    guard let id, i < inputGrads.count, let g = inputGrads[i] else { continue }
                    guard g.scalarCount == elementCount(of: entry.inputShapes[i]) else {
                        throw TensorError(op: "gradient", shapes: [entry.inputShapes[i], g.shape],
                                          reason: "do not fit: the backward rule of \(entry.operation) gave input \(i) a gradient of another size")
                    }
                    try grads.add(g, to: id)
                }
            }
        }
        return grads
    }
}

extension GradientTape {
    /// The tape recording in this task, if any: the one check every operation makes.
    @inline(__always)
    static var active: GradientTape? { current }
}

/// `tf.stop_gradient`: the same values, which a tape does not differentiate through
/// (a copy when a tape is recording, the tensor itself otherwise).
public func stopGradient(_ x: Tensor) -> Tensor {
    guard let tape = GradientTape.active, tape.isFollowing(x) else { return x }
    return Tensor(shape: x.shape, storage: TensorBuffer(copying: x.storage))
}

extension Variable {
    /// Gives the value storage of its own (same scalars), before a tape follows it.
    func detachStorage() {
        try? assign(Tensor(shape: value.shape, storage: TensorBuffer(copying: value.storage)))
    }
}
