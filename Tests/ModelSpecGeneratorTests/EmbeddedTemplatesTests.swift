import Foundation
import Testing

@testable import ModelSpecGenerator

/// The templates compiled into the generator are the ones in templates/
/// (after editing a template, run `swift run embed-templates`).
@Suite struct EmbeddedTemplatesTests {
    @Test func embeddedTemplatesMatchTemplatesFolder() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let folder = url.appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(Set(names.map { String($0.dropLast(".mustache".count)) }) == Set(EmbeddedTemplates.all.keys))
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(EmbeddedTemplates.all[String(name.dropLast(".mustache".count))] == text,
                    "\(name) changed: run `swift run embed-templates`")
        }
    }
}
