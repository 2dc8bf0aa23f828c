import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import Testing

/// A spec's `activation: softmax` on a dense layer runs as softmax over the units.
@Suite struct SoftmaxActivationSpecTests {
    @Test func denseWithSoftmaxActivation() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("softmax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let spec = directory.appendingPathComponent("Classifier.yaml").path
        try """
            spec: 1
            model: Classifier
            inputs:
              x: [batch, 4]
            forward:
              - scope: model
                do:
                  - dense: {units: 3, activation: softmax, kernel_initializer: {random_normal: {seed: 1}}}
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let compiler = SpecCompiler(library: SpecLibrary(containing: spec))
        let model = try #require(compiler.check(file: spec).model)
        let interpreted = try InterpretedModel(model, library: compiler.library)
        let x = try Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, -1, 0, 1, 0.5])
        let y = try interpreted(["x": x])[0]
        let kernel = try #require(interpreted.weight(named: "model/dense/kernel"))
        let reference = try softmax(try dense(x, kernel: kernel.value))
        #expect(y.shape == [2, 3])
        for (a, b) in zip(y.scalars, reference.scalars) { #expect(abs(a - b) < 1e-6) }
    }
}
