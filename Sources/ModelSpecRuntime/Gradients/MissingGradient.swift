/// A kernel whose backward rule is not written yet calls this
/// first: while a tape records and follows one of its inputs, a gradient of
/// zeros would be silently wrong, so the call is refused with the reason.
func refuseUntracedGradient(_ operation: String, _ inputs: [Tensor?]) throws {
    guard let tape = GradientTape.active, inputs.contains(where: { $0.map(tape.isFollowing) ?? false }) else { return }
    throw TensorError(op: operation, shapes: inputs.compactMap { $0?.shape },
                      reason: "has no gradient yet: it cannot run while a GradientTape follows its inputs or weights")
}
