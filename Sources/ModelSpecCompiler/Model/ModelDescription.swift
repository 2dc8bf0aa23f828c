import LocatedYAML
import TFNaming

/// A checked spec: one model type, its parameters, inputs, sublayers and the
/// steps of its forward pass, with every name resolved. The compiler's stages
/// hand this from the checker to the tracer, the generator and the runtime's
/// interpreter.
public struct ModelDescription: Sendable {
    /// The Swift type name (`model:`).
    public var name: String
    /// The model's Keras layer name (`name:`), the first name scope of its
    /// Keras-named variables; nil for Keras' default, the type name in snake case
    /// (see ``kerasClassName``).
    public var layerName: String?
    /// The doc comment (`doc:`).
    public var doc: String?
    public var style: ModelStyle
    public var params: [ParamDeclaration]
    public var inputs: [InputDeclaration]
    /// Sublayers made once at initialization (`layers:`), in declaration order.
    public var layers: [LayerDeclaration]
    /// Weights the model declares itself (`weights:`, Keras `add_weight`), in declaration order.
    public var weights: [WeightDeclaration]
    /// Templates (`templates:`, `tf.compat.v1.make_template`).
    public var templates: [TemplateDeclaration]
    /// The forward pass (`forward:`).
    public var body: [Step]
    /// The values the call returns (`outputs:`; by default the last step's value).
    public var outputs: [String]
    /// Where `model:` is, for diagnostics about the whole model.
    public var location: SourceLocation
    /// The dtype of each output, by position, as the checker typed its value: a model that uses this one
    /// as a layer gets its outputs in these dtypes (float32 where not given).
    public var outputTypes: [DType] = []

    /// The file the spec was read from.
    public var file: String { location.file }

    /// The dtype of output `position`.
    public func outputType(_ position: Int) -> DType {
        position < outputTypes.count ? outputTypes[position] : .float32
    }

    public func param(named name: String) -> ParamDeclaration? {
        params.first { $0.name == name }
    }

    public func layer(named name: String) -> LayerDeclaration? {
        layers.first { $0.name == name }
    }

    public func template(named name: String) -> TemplateDeclaration? {
        templates.first { $0.name == name }
    }
}

/// How a model names and creates its variables.
public enum ModelStyle: String, Hashable, Sendable {
    /// The variable-store shim: `variable_scope`, `get_variable`, compat layers; TF1 names.
    case legacy
    /// Keras-style layers that own their weights; names are attribute paths.
    case native
}

/// A constructor parameter (`params:`).
public struct ParamDeclaration: Hashable, Sendable {
    public var name: String
    public var type: ParamType
    public var defaultValue: Literal?
    public var doc: String?
    public var location: SourceLocation
}

public enum ParamType: String, Hashable, Sendable, CaseIterable {
    case int = "Int", float = "Float", bool = "Bool", string = "String"
}

/// A constant written in a spec.
public enum Literal: Hashable, Sendable, CustomStringConvertible {
    case int(Int), float(Double), bool(Bool), string(String)

    public var type: ParamType {
        switch self {
        case .int: .int
        case .float: .float
        case .bool: .bool
        case .string: .string
        }
    }

    /// The same value as another type where that is lossless (`10` as a Float).
    public func converted(to type: ParamType) -> Literal? {
        switch (self, type) {
        case (_, self.type): self
        case let (.int(value), .float): .float(Double(value))
        case (_, .string): .string(description)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case let .int(value): String(value)
        case let .float(value): String(value)
        case let .bool(value): String(value)
        case let .string(value): value
        }
    }
}

/// A value written either as a constant or as a reference to a parameter (`$units`).
public enum Expr<Value: Hashable & Sendable>: Hashable, Sendable {
    case literal(Value)
    case param(String)
}

/// A call argument (`inputs:`): a tensor with a shape, or the training flag.
public struct InputDeclaration: Hashable, Sendable {
    public var name: String
    public var shape: [Dimension]
    public var dtype: DType
    public var doc: String?
    public var location: SourceLocation

    /// Whether the input holds integers (`int32`, `int64`: ids, indices): an `IndexTensor` in Swift.
    public var isIndices: Bool { dtype == .int32 || dtype == .int64 }
}

/// One dimension of a declared shape.
public enum Dimension: Hashable, Sendable, CustomStringConvertible {
    /// A number.
    case known(Int)
    /// `null`: any size, not checked.
    case unknown
    /// A symbol such as `batch`: any size, the same wherever the symbol appears.
    case symbol(String)
    /// `$param`: the parameter's value.
    case param(String)

    public var description: String {
        switch self {
        case let .known(size): String(size)
        case .unknown: "null"
        case let .symbol(name): name
        case let .param(name): "$" + name
        }
    }
}
