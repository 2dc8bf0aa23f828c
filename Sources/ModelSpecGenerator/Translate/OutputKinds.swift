import ModelSpecCompiler

/// The runtime type of each output of a generated model: an int32, int64 or bool output is returned
/// as the `IndexTensor`, `Int64Tensor` or `BoolTensor` it is (as the interpreter returns it), a float
/// output (and a variable) as a `Tensor`: the dtypes the checker gave the outputs
/// (``ModelDescription/outputTypes``), which a model calling this one gets its values in.
enum OutputKinds {
    static func of(_ model: ModelDescription) -> [ValueKind] {
        model.outputs.indices.map { ValueKind(model.outputType($0)) }
    }

    /// `Tensor`, or `(total: Tensor, positive: BoolTensor)` for several outputs.
    static func returnType(_ model: ModelDescription) -> String {
        let types = of(model).map(\.swiftType)
        if model.outputs.count == 1 { return types[0] }
        return "(" + zip(model.outputs, types).map { "\(label($0)): \($1)" }.joined(separator: ", ") + ")"
    }

    /// The tuple label of an output (`output` for an unnamed one): its spec name, also for a name bound
    /// again (`ids#4`, carried through a loop), whose internal name has a `#`.
    static func label(_ output: String) -> String {
        let name = output.split(separator: "#").first.map(String.init) ?? output
        return SwiftName.lowerCamel(name.hasPrefix("_") ? "output" : name)
    }
}
