extension OperationDeclaration {
    /// The losses of `tf.compat.v1.losses`: labels first, then logits (or predictions), then
    /// optionally the weights (a scalar or a tensor TensorFlow broadcasts to the losses); the
    /// reduction of each is TensorFlow's (`sum_by_nonzero_weights` unless given). Their runtime
    /// functions are in `Losses` (ModelSpecRuntime/Training/Losses.swift).
    static let losses: [OperationDeclaration] = [
        loss("sparse_softmax_cross_entropy", tensorflow: "tf.compat.v1.losses.sparse_softmax_cross_entropy",
             roles: ["labels", "logits"], swift: "sparseSoftmaxCrossEntropy", labelIndices: true, squeezesWeights: true,
             unreduced: "the labels' (the logits' without the class axis)") { labels, logits in
            guard !logits.isEmpty else {
                throw ShapeMismatch(message: "sparse_softmax_cross_entropy needs logits with a class axis, not \(logits.shapeDescription)")
            }
            let perExample = TracedShape(logits.dropLast())
            guard labels.count == perExample.count, zip(labels, perExample).allSatisfy(ShapeRules.agree) else {
                throw ShapeMismatch(message: "sparse_softmax_cross_entropy: labels \(labels.shapeDescription) must be the logits \(logits.shapeDescription) without the class axis")
            }
            return perExample
        },
        loss("softmax_cross_entropy", tensorflow: "tf.compat.v1.losses.softmax_cross_entropy",
             roles: ["onehot_labels", "logits"], swift: "softmaxCrossEntropy", smoothing: true,
             gradient: .only([1, 2], "TensorFlow stops the gradient at the labels"),
             unreduced: "the logits' without the class axis") { labels, logits in
            TracedShape(try sameShape(labels, logits, "softmax_cross_entropy").dropLast())
        },
        loss("sigmoid_cross_entropy", tensorflow: "tf.compat.v1.losses.sigmoid_cross_entropy",
             roles: ["multi_class_labels", "logits"], swift: "sigmoidCrossEntropy", smoothing: true,
             unreduced: "the logits'") { labels, logits in
            try sameShape(labels, logits, "sigmoid_cross_entropy")
        },
        loss("mean_squared_error", tensorflow: "tf.compat.v1.losses.mean_squared_error",
             roles: ["labels", "predictions"], swift: "meanSquaredError",
             unreduced: "the predictions'") { labels, predictions in
            try sameShape(labels, predictions, "mean_squared_error")
        },
    ]

    /// `tf.compat.v1.losses.Reduction`, as the spec writes it.
    static let lossReductions = ["none", "sum", "mean", "sum_over_batch_size", "sum_by_nonzero_weights"]

    /// A loss: two operands and optional weights, `reduction` (and `label_smoothing`); a scalar unless
    /// `reduction: none`.
    private static func loss(_ name: String, tensorflow: String, roles: [String], swift function: String,
                             labelIndices: Bool = false, squeezesWeights: Bool = false, smoothing: Bool = false,
                             gradient: GradientRule = .differentiable,
                             unreduced: String,
                             perElement: @escaping @Sendable (_ labels: TracedShape, _ logits: TracedShape) throws -> TracedShape)
        -> OperationDeclaration {
        var attributes: [AttributeDeclaration] = []
        if smoothing {
            attributes.append(AttributeDeclaration("label_smoothing", .float, .defaultValue(.float(0)), swift: "labelSmoothing"))
        }
        attributes.append(AttributeDeclaration("reduction", .choice(lossReductions), .defaultValue(.name("sum_by_nonzero_weights")),
                                               swift: "reduction"))
        let labels = roles[0], logits = roles[1]
        return OperationDeclaration(name, tensorflow: tensorflow, operands: .twoOrThree(roles + ["weights"]),
                                    indexOperands: labelIndices ? [0] : [],
                                    attributes: attributes, result: "a scalar; with `reduction: none`, \(unreduced)",
                                    swift: .custom("Losses." + function) { operands, arguments, function in
            // `Losses.sparseSoftmaxCrossEntropy(labels: y, logits: x, weights: w, reduction: .sumOverBatchSize)`
            let passed = ["\(camelCased(labels)): \(operands[0])", "\(camelCased(logits)): \(operands[1])"]
                + (operands.count > 2 ? ["weights: \(operands[2])"] : []) + arguments.map(camelCased)
            return "try \(function)(" + passed.joined(separator: ", ") + ")"
        }, gradient: gradient) { shapes, arguments in
            let unreducedShape = try perElement(shapes[0], shapes[1])
            if shapes.count > 2 { try checkWeights(shapes[2], unreducedShape, name, squeezing: squeezesWeights) }
            return try arguments.name("reduction") == "none" ? unreducedShape : []
        }
    }

    /// TensorFlow's `weights` rule (`weights_broadcast_ops`): a scalar, or the losses' rank with
    /// each dimension 1 or the losses'; sparse_softmax_cross_entropy first drops a last dimension of
    /// 1 from weights of the logits' rank.
    private static func checkWeights(_ weights: TracedShape, _ losses: TracedShape, _ op: String, squeezing: Bool) throws {
        var weights = weights
        if squeezing, weights.count == losses.count + 1, weights.last?.size == 1 { weights.removeLast() }
        guard weights.isEmpty || (weights.count == losses.count
            && zip(weights, losses).allSatisfy { w, l in w.size == 1 || ShapeRules.agree(w, l) }) else {
            throw ShapeMismatch(message: "\(op): weights \(weights.shapeDescription) cannot be broadcast to the losses \(losses.shapeDescription) (TensorFlow takes a scalar, or the losses' rank with each dimension 1 or theirs)")
        }
    }

    /// `onehot_labels` → `onehotLabels`; `reduction: .sum_by_nonzero_weights` → `reduction: .sumByNonzeroWeights`.
    private static func camelCased(_ text: String) -> String {
        var result = ""
        var upper = false
        for character in text {
            if character == "_" { upper = true; continue }
            result.append(upper ? Character(character.uppercased()) : character)
            upper = false
        }
        return result
    }

    private static func sameShape(_ a: TracedShape, _ b: TracedShape, _ op: String) throws -> TracedShape {
        guard a.count == b.count, zip(a, b).allSatisfy(ShapeRules.agree) else {
            throw ShapeMismatch(message: "\(op): labels \(a.shapeDescription) and \(b.shapeDescription) must have one shape")
        }
        guard !b.isEmpty || op != "softmax_cross_entropy" else {
            throw ShapeMismatch(message: "\(op) needs logits with a class axis, not \(b.shapeDescription)")
        }
        return b
    }
}
