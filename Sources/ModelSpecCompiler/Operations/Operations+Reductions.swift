extension OperationDeclaration {
    static let reductions: [OperationDeclaration] = [
        reduction("reduce_sum", tensorflow: "tf.math.reduce_sum", swift: "reduceSum"),
        reduction("reduce_mean", tensorflow: "tf.math.reduce_mean", swift: "reduceMean"),
    ]
}
