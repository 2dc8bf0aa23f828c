/// The outputs a shim model's layer steps made on its last call, kept so that the next call
/// can write the same steps' outputs into them instead of allocating (``CallContext/recycledOutput()``).
///
/// A layer step is a functional layer call (`tf.dense`, ...) of the model's outermost shim call,
/// counted in order; each call of the model runs the same steps (``CallPlan``). A kept output is
/// handed out again only when nothing else holds its buffer any more — the layer after it has
/// read it and the caller has dropped it — so no tensor anyone can still see is ever written:
/// a caller that keeps a call's output gets a fresh one from the next call. Only kernels that
/// ask for their step's output (`dense`) have theirs kept.
final class RecycledOutputs {
    fileprivate var outputs: [Tensor?] = []
}

extension CallContext {
    /// Starts the next layer step of the plan owner's call; nil outside one (a nested model's
    /// own call, a context with no shim model).
    func beginLayerStep() -> Int? {
        guard recycledOutputs != nil else { return nil }
        defer { layerSteps += 1 }
        currentLayerStep = layerSteps
        stepRecycles = false
        return layerSteps
    }

    /// Ends layer step `step`, keeping its `output` for the next call when the kernel asked for a
    /// recycled one and the output is not its `input` (or a view of it).
    func endLayerStep(_ step: Int?, output: Tensor, input: Tensor) {
        currentLayerStep = nil
        guard let step, stepRecycles, let recycled = recycledOutputs, output.storage !== input.storage else { return }
        if recycled.outputs.count <= step { recycled.outputs += repeatElement(nil, count: step + 1 - recycled.outputs.count) }
        recycled.outputs[step] = output
    }

    /// The output the current layer step made on the model's last call, when nothing else holds
    /// its buffer: the kernel may write its output into it (if the shape is still the same) and
    /// return it. Nil outside a layer step, on the first call, or when the tensor is still held.
    func recycledOutput() -> Tensor? {
        guard let step = currentLayerStep, let recycled = recycledOutputs else { return nil }
        stepRecycles = true
        guard step < recycled.outputs.count, var output = recycled.outputs[step] else { return nil }
        recycled.outputs[step] = nil
        guard isKnownUniquelyReferenced(&output.storage) else { return nil }
        // Written in place next: nothing packed from its old values, no mask of the last call.
        output.storage.derived = nil
        output.kerasMask = nil
        return output
    }
}
