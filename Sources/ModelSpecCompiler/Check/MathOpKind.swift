import LocatedYAML

/// The operations without variables, as spelled in specs, with their operands and attributes.
enum MathOpKind: String, CaseIterable {
    case matmul, bias_add, add, subtract, multiply, divide
    case relu, relu6, elu, tanh, sigmoid, identity
    case softmax, reshape, expand_dims, squeeze, concat, transpose, reduce_sum, reduce_mean
    case embedding_lookup

    static let byName: [String: MathOpKind] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The number of tensor operands; nil for any number (concat).
    var arity: Int? {
        switch self {
        case .matmul, .bias_add, .add, .subtract, .multiply, .divide, .embedding_lookup: 2
        case .concat: nil
        default: 1
        }
    }

    /// Keys that give operands in the mapping form.
    var operandKeys: [String] {
        switch arity {
        case 1: ["input"]
        default: ["inputs"]
        }
    }

    var attributeKeys: [String] {
        switch self {
        case .softmax: ["axis"]
        case .reshape: ["shape"]
        case .expand_dims: ["axis"]
        case .squeeze: ["axis"]
        case .concat: ["axis"]
        case .transpose: ["perm"]
        case .reduce_sum, .reduce_mean: ["axis", "keepdims"]
        default: []
        }
    }

    /// Builds the operation from its attributes.
    func operation(_ attributes: [String: YAMLNode], reader: inout NodeReader, at node: YAMLNode) -> MathOperation? {
        func required(_ key: String) -> YAMLNode? {
            if let value = attributes[key] { return value }
            reader.error(node, "\(rawValue) needs '\(key)'")
            return nil
        }
        switch self {
        case .matmul: return .matmul
        case .bias_add: return .biasAdd
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .relu: return .relu
        case .relu6: return .relu6
        case .elu: return .elu
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        case .identity: return .identity
        case .embedding_lookup: return .embeddingLookup
        case .softmax:
            return .softmax(axis: attributes["axis"].map { reader.int($0, "axis") ?? -1 } ?? -1)
        case .expand_dims:
            return required("axis").flatMap { reader.int($0, "axis") }.map { .expandDims(axis: $0) }
        case .squeeze:
            return .squeeze(axes: attributes["axis"].flatMap { reader.ints($0, "axis") } ?? [])
        case .concat:
            return required("axis").flatMap { reader.int($0, "axis") }.map { .concat(axis: $0) }
        case .transpose:
            return required("perm").flatMap { reader.ints($0, "perm") }.map { .transpose($0) }
        case .reshape:
            guard let shapeNode = required("shape") else { return nil }
            guard let items = shapeNode.sequence else {
                reader.error(shapeNode, "shape must be a list such as [-1, 10], not \(shapeNode.kindDescription)")
                return nil
            }
            let dims = items.compactMap { reader.intExpr($0, "each item of shape") }
            guard dims.count == items.count else { return nil }
            if dims.filter({ $0 == .literal(-1) }).count > 1 {
                reader.error(shapeNode, "reshape can infer only one dimension; shape has more than one -1")
                return nil
            }
            return .reshape(dims)
        case .reduce_sum, .reduce_mean:
            let axes = attributes["axis"].flatMap { reader.ints($0, "axis") }
            let keepDims = attributes["keepdims"].flatMap { reader.bool($0, "keepdims") } ?? false
            return self == .reduce_sum ? .reduceSum(axes: axes, keepDims: keepDims) : .reduceMean(axes: axes, keepDims: keepDims)
        }
    }
}
