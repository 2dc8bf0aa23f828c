/// Which of its three implementations `tf_slim.batch_norm` (tf-slim 1.1.0) takes, which
/// decides the order it makes its variables in and how its moving variance moves
/// (checked against TF-Slim: `Tests/Goldens/zoo_cnn`):
///
/// - Slim's own fused function (`_fused_batch_norm`) when `fused` (`None` counts as
///   `True`) on an input of rank 2 or 4, and the input has rank 2 or `updates_collections`
///   is not `UPDATE_OPS`: `beta` before `gamma`, the unbiased batch variance;
/// - the core layer (`tf.compat.v1.layers.BatchNormalization(fused=fused)`) otherwise when
///   `updates_collections` is `UPDATE_OPS`: `gamma` before `beta`; the unbiased variance
///   when its kernel is fused;
/// - Slim's unfused code (`nn.moments`) otherwise: `beta` before `gamma`, the biased variance.
///
/// Shared by the compiler's manifest and the runtime's layer.
public struct SlimBatchNormPath: Sendable, Equatable {
    /// Slim's own fused function.
    public let fusedFunction: Bool
    /// The core layer.
    public let coreLayer: Bool

    public init(rank: Int, fused: Bool, updateOps: Bool) {
        fusedFunction = fused && (rank == 2 || rank == 4) && (rank == 2 || !updateOps)
        coreLayer = !fusedFunction && updateOps
    }

    /// `gamma` is made before `beta`.
    public var gammaFirst: Bool { coreLayer }
}
