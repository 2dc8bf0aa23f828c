/// The table of layers in docs/spec-language.md, rendered from the declarations
/// (a test keeps the document's copy in step).
public enum LayerReference {
    /// The markdown table: one row per layer kind.
    public static var table: String {
        var lines = [
            "| step | classes | arguments (default) | TensorFlow | variables, in creation order | output shape |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for kind in LayerKind.allCases {
            let step = kind.tensorflow[.functional] != nil ? "`\(kind.name)`" : "—"
            var classes: [String] = []
            if kind.tensorflow[.native] != nil { classes.append("`\(kind.className)`") }
            if kind.tensorflow[.legacyObject] != nil { classes.append("`v1.\(kind.className)`") }
            let tensorflow = LayerForm.allCases.compactMap { kind.tensorflow[$0] }.map { "`\($0)`" }
            let cells = [step, classes.joined(separator: ", "), arguments(kind), tensorflow.joined(separator: ", "),
                         variables(kind), kind.result]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func arguments(_ kind: LayerKind) -> String {
        var texts = kind.arguments.map { argument in
            let compat = argument.defaults[.functional].map(describe)
            let keras = argument.defaults[.native].map(describe)
            var notes: [String] = []
            switch (compat, keras) {
            case let (a?, b?) where a == b: notes.append(a)
            case let (a?, b?): notes.append("\(a); Keras: \(b)")
            case let (a?, nil): notes.append("\(a); `tf.compat.v1.layers` only")
            case let (nil, b?): notes.append(b)
            case (nil, nil): break
            }
            switch argument.type {
            case .sizes, .rate, .padding: notes.append(argument.type.description)
            default: break
            }
            var text = "`\(argument.key)` (" + notes.joined(separator: "; ") + ")"
            if argument.tensorflow != argument.key { text += ", TensorFlow's `\(argument.tensorflow)`" }
            return text
        }
        if kind.takesTraining { texts.append("`training` (false; functional step only)") }
        return texts.isEmpty ? "—" : texts.joined(separator: ", ")
    }

    static func describe(_ presence: LayerDefault) -> String {
        switch presence {
        case .required: "required"
        case let .absent(text): text
        case let .value(value): describe(value)
        }
    }

    static func describe(_ value: LayerValue) -> String {
        switch value {
        case let .int(expr): text(expr)
        case let .ints(exprs): Set(exprs).count == 1 ? text(exprs[0]) : "[" + exprs.map(text).joined(separator: ", ") + "]"
        case let .float(expr): text(expr)
        case let .bool(bool): String(bool)
        case let .padding(padding): padding.rawValue
        case let .activation(activation): activation.rawValue
        case let .initializer(initializer): initializer.specName
        case let .regularizer(regularizer): "\(regularizer)"
        }
    }

    private static func text<Value>(_ expr: Expr<Value>) -> String {
        switch expr {
        case let .literal(value): "\(value)"
        case let .param(name): "$" + name
        }
    }

    static func variables(_ kind: LayerKind) -> String {
        guard !kind.variables.isEmpty else { return "none" }
        return kind.variables.map { variable in
            var notes: [String] = []
            if let condition = variable.condition { notes.append("if `\(condition)`") }
            switch variable.initializer {
            case let .argument(key): notes.append("`\(key)`")
            case let .fixed(initializer): notes.append(initializer.specName)
            }
            if let regularizer = variable.regularizer { notes.append("`\(regularizer)`") }
            if !variable.trainable { notes.append("non-trainable") }
            return "`\(variable.name)` \(variable.shape) (" + notes.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}

extension Initializer {
    /// The spec's name of the initializer (`zeros`, `glorot_uniform`).
    var specName: String {
        switch self {
        case .zeros: "zeros"
        case .ones: "ones"
        case let .constant(value): "constant \(value)"
        case .randomNormal: "random_normal"
        case .truncatedNormal: "truncated_normal"
        case .randomUniform: "random_uniform"
        case .glorotUniform: "glorot_uniform"
        case .glorotNormal: "glorot_normal"
        }
    }
}
