import ModelSpecCompiler
import Testing

/// Which YAML files are specs: those with a top-level line `spec: N`. Other YAML
/// files of a target or folder (configuration) are left alone.
@Suite struct SpecFileTests {
    @Test(arguments: [
        "spec: 1\nmodel: A\nforward: [relu]\n",
        "# a comment first\n---\nspec: 1   # the format version\nmodel: A\n",
        "model: A\nspec: '1'\n",
        "\u{FEFF}spec: 2\n",  // an unsupported version is still a spec (and gets its error)
        "spec: 1\nmodel: [\n",  // a YAML error: still a spec, so that the error is reported
    ])
    func specs(text: String) {
        #expect(SpecFile.isSpec(text: text))
    }

    @Test(arguments: [
        "batch_size: 32\nmodel: resnet\n",                          // a configuration file
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n",       // a top-level 'spec' that is not a version
        "config:\n  spec: 1\n",                                      // not at the top level
        "model: A\nforward: [relu]\n",                               // a spec without its version line
        "",
    ])
    func notSpecs(text: String) {
        #expect(!SpecFile.isSpec(text: text))
    }

    @Test func theFolderIndexSkipsConfigurationFiles() throws {
        // a_config.yaml comes first and names a model too; without the rule it would be taken for Encoder.
        #expect(try MalformedSpec.diagnostics([
            "A.yaml": """
                spec: 1
                model: A
                inputs:
                  x: [batch, 4]
                layers:
                  encoder: {Encoder: {}}
                forward:
                  - scope: a
                    do:
                      - encoder
                """,
            "a_config.yaml": "model: Encoder\nlearning_rate: 0.1\n",
            "Encoder.yaml": """
                spec: 1
                model: Encoder
                nested: true
                inputs:
                  x: [batch, 4]
                forward:
                  - dense: {units: 2}
                """,
        ]) == [])
    }
}
