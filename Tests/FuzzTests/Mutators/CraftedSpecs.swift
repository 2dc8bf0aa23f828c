/// Specs written to reach the limits of the spec front end and the generator:
/// sizes whose products overflow, nesting that grows exponentially or deeply,
/// huge numbers of steps, names Swift or TensorFlow would refuse.
struct CraftedSpec {
    var name: String
    /// File name to contents; the first spec named `main` is the one the commands get.
    var files: [String: String]
    var main: String
    /// Extra arguments of `names` (`--input`, `--param`).
    var namesArguments: [String] = []
    /// FIFOs to make beside the spec (a named pipe is not a spec file).
    var fifos: [String] = []
    /// Whether the generated Swift of this spec belongs in the compile batch.
    var compiles = false

    static func single(_ name: String, _ yaml: String, names: [String] = [], compiles: Bool = false) -> CraftedSpec {
        CraftedSpec(name: name, files: [name + ".yaml": yaml], main: name + ".yaml", namesArguments: names, compiles: compiles)
    }

    static func model(_ model: String, inputs: String, _ forward: String) -> String {
        "spec: 1\nmodel: \(model)\ninputs:\n\(inputs)\nforward:\n\(forward)\n"
    }

    /// Shapes and sizes whose element counts or windows overflow `Int`.
    static let hugeSizes: [CraftedSpec] = [
        single("HugeFlatten", model("HugeFlatten", inputs: "  x: [batch, 4294967296, 4294967296, 4]", "  - flatten")),
        single("HugeConcat", model("HugeConcat", inputs: "  a: [4611686018427387904, 2]\n  b: [4611686018427387904, 2]",
                                   "  - concat: {inputs: [a, b], axis: 0}")),
        single("HugeReshape", model("HugeReshape", inputs: "  x: [batch, 3037000500, 3037000500]", "  - reshape: {shape: [-1]}")),
        single("HugeSamePadding", model("HugeSamePadding", inputs: "  x: [1, 9223372036854775807, 9223372036854775807, 1]",
                                        "  - scope: s\n    do:\n      - conv2d: {filters: 1, kernel_size: 3, strides: 2, padding: same}")),
        single("HugeDilation", model("HugeDilation", inputs: "  x: [1, 8, 8, 1]",
                                     "  - scope: s\n    do:\n      - conv2d: {filters: 1, kernel_size: 3, dilation_rate: 4611686018427387904, padding: same}")),
        single("HugePool", model("HugePool", inputs: "  x: [1, 9223372036854775807, 8, 1]",
                                 "  - max_pooling2d: {pool_size: 9223372036854775807, strides: 9223372036854775807, padding: same}")),
        single("HugeVariable", model("HugeVariable", inputs: "  x: [batch, 4]",
                                     "  - scope: s\n    do:\n      - variable: {name: w, shape: [4294967296, 4294967296, 4], initializer: zeros}")),
        single("HugeDense", model("HugeDense", inputs: "  x: [batch, 4294967296]",
                                  "  - scope: s\n    do:\n      - dense: {units: 4294967296}")),
        single("HugeInputArgument", model("HugeInputArgument", inputs: "  x: [batch, 4, 4]", "  - flatten"),
               names: ["--input", "x=4294967296,4294967296,4294967296"]),
    ]

    /// `depth` specs `base0`, `base1`, ..., each using the next `uses` times as its layers; the last
    /// has a dense layer. Used once: a chain `depth` deep; twice: 2^depth uses of the last one.
    static func nested(_ base: String, depth: Int, uses: Int) -> CraftedSpec {
        var files: [String: String] = [:]
        let layers = (0..<uses).map { "use\($0)" }
        for i in 0..<depth {
            let body = i + 1 < depth
                ? "layers:\n" + layers.map { "  \($0): \(base)\(i + 1)\n" }.joined() + "forward:\n" + layers.map { "  - \($0)\n" }.joined()
                : "forward:\n  - scope: s\n    do:\n      - dense: {units: 4}\n"
            files["\(base)\(i).yaml"] = "spec: 1\nmodel: \(base)\(i)\ninputs:\n  x: [batch, 4]\n" + body
        }
        return CraftedSpec(name: "\(base)\(depth)", files: files, main: "\(base)0.yaml")
    }

    /// A spec of `count` steps.
    static func manySteps(_ count: Int) -> CraftedSpec {
        let steps = String(repeating: "  - relu\n", count: count)
        return single("ManySteps", model("ManySteps", inputs: "  x: [batch, 4]", steps))
    }

    /// A FIFO named like a spec beside a spec that uses another spec of its folder (so the
    /// folder is searched): checking must not wait for a writer.
    static let fifoBeside = CraftedSpec(
        name: "BesideFIFO",
        files: ["BesideFIFO.yaml": "spec: 1\nmodel: BesideFIFO\ninputs:\n  x: [batch, 4]\nlayers:\n  inner: Other\nforward:\n  - inner\n",
                "Other.yaml": model("Other", inputs: "  x: [batch, 4]", "  - relu")],
        main: "BesideFIFO.yaml", fifos: ["Blocker.yaml"])

    /// Names the generated Swift must escape or the generator must refuse.
    static let hostileNames: [CraftedSpec] = [
        single("Self", model("Self", inputs: "  x: [batch, 4]", "  - relu"), compiles: true),
        single("Any", model("Any", inputs: "  x: [batch, 4]", "  - relu"), compiles: true),
        single("Type", model("Type", inputs: "  x: [batch, 4]", "  - relu"), compiles: true),
        single("NewlineScope", model("NewlineScope", inputs: "  x: [batch, 4]",
                                     "  - scope: \"a\\nb\"\n    do:\n      - dense: {units: 2}"), compiles: true),
        single("NewlineVariable", model("NewlineVariable", inputs: "  x: [batch, 4]",
                                        "  - scope: s\n    do:\n      - variable: {name: \"w\\n\", shape: [4], initializer: zeros}\n      - add: [x, \"w\\n\"]"), compiles: true),
        single("KeywordInput", model("KeywordInput", inputs: "  class: [batch, 4]\n  self: [batch, 4]", "  - add: [class, self]"), compiles: true),
        single("KeywordValues", model("KeywordValues", inputs: "  where: [batch, 4]\n  in: [batch, 4]",
                                      "  - add: [where, in]\n    as: protocol\n  - multiply: [protocol, 2.0]\n    as: Type")
                                + "outputs: [Type, protocol]\n", compiles: true),
        single("KeywordParameter", "spec: 1\nmodel: KeywordParameter\nparams:\n  init: {type: Int, default: 2}\n  func: {type: Int, default: 2}\ninputs:\n  x: [batch, 4]\nforward:\n  - scope: s\n    do:\n      - dense: {units: $init}\n", compiles: true),
        deepScopes(254),
    ]

    /// `depth` scopes inside each other around one dense layer.
    static func deepScopes(_ depth: Int) -> CraftedSpec {
        var forward = ""
        var indent = "  "
        for i in 0..<depth {
            forward += "\(indent)- scope: s\(i)\n\(indent)  do:\n"
            indent += "    "
        }
        forward += "\(indent)- dense: {units: 2}"
        var spec = single("DeepScopes", model("DeepScopes", inputs: "  x: [batch, 4]", forward))
        spec.compiles = true
        return spec
    }
}
