import Mustache

/// Renders a translated model with the file template (`templates/model.mustache`,
/// compiled into the generator by the EmbedTemplates plugin).
struct SwiftFileRenderer {
    private let template: MustacheTemplate

    init() throws {
        guard let source = EmbeddedTemplates.all["model"] else {
            throw GeneratorError("the generator was built without templates/model.mustache")
        }
        template = try MustacheTemplate(string: source)
    }

    func render(_ model: ModelTranslator.Rendered) -> String {
        let context: [String: Any] = [
            "specFile": model.specFile,
            "docLines": model.docLines,
            "access": model.access,
            "typeName": model.typeName,
            "conformance": model.conformance,
            "manifestNote": model.manifestNote,
            "manifest": model.manifest,
            "members": model.members,
        ]
        var text = template.render(context)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }
}
