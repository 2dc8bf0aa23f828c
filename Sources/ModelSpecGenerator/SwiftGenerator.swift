import ModelSpecCompiler

/// Generates the Swift source of a checked model: translate (the model's
/// parts as Swift declarations and statements calling ModelSpecRuntime), then
/// render (the file template).
public struct SwiftGenerator {
    public let compiler: SpecCompiler
    public var access: AccessLevel

    public init(compiler: SpecCompiler, access: AccessLevel = .public) {
        self.compiler = compiler
        self.access = access
    }

    /// The Swift file for a checked model.
    /// - Throws: ``SpecError`` with a located error when the model cannot become Swift
    ///   that compiles (scopes nested too deep, a name the generated code uses), ``GeneratorError`` otherwise.
    public func generate(_ model: ModelDescription) throws -> String {
        if let step = ScopeNesting.firstTooDeep(in: model) { throw SpecError([ScopeNesting.diagnostic(step)]) }
        if let clash = MemberNames.firstClash(in: model) { throw SpecError([clash]) }
        let values = compiler.parameterValues(model, overrides: [:])
        let manifest = model.params.allSatisfy { values[$0.name] != nil } ? compiler.manifest(of: model).manifest : nil
        let translator = ModelTranslator(model: model, manifest: manifest, access: access,
                                         resolve: { [library = compiler.library] in library.model(named: $0) })
        return try SwiftFileRenderer().render(translator.translate())
    }
}
