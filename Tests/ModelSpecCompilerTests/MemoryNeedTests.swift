import Foundation
import ModelSpecCompiler
import Testing

/// What one call holds, from its trace (`SpecCompiler.Traced.memory`): the variables' bytes and the
/// largest value a step makes; and the error `run` gives when they exceed the machine's memory.
@Suite struct MemoryNeedTests {
    private func traced(_ text: String, params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]) throws -> (SpecCompiler.Traced, TemporaryFolder) {
        let folder = try TemporaryFolder(["A.yaml": text])
        let compiler = SpecCompiler(library: SpecLibrary(containing: folder.path("A.yaml")))
        let checked = compiler.check(file: folder.path("A.yaml"), params: params, inputs: inputs)
        #expect(!checked.hasErrors, "\(checked.diagnostics)")
        return (compiler.manifest(of: try #require(checked.model), params: params, inputs: inputs), folder)
    }

    private let dense = """
        spec: 1
        model: A
        params:
          units: {type: Int, default: 10}
        inputs:
          x: [batch, 20]
        forward:
          - scope: dense
            do:
              - variable: {name: kernel, shape: [20, $units]}
              - variable: {name: bias, shape: [$units]}
              - matmul: [x, kernel]
              - bias_add: [_, bias]
        """

    @Test func variablesAndTheLargestValue() throws {
        let (traced, _) = try traced(dense, inputs: ["x": [3, 20]])
        #expect(traced.memory.variables.map(\.name) == ["dense/kernel", "dense/bias"])
        #expect(traced.memory.variables.map(\.bytes) == [800, 40])
        #expect(traced.memory.variableBytes == 840)
        // The variable steps' values are the variables; matmul and bias_add make [3, 10]: the first counts.
        #expect(traced.memory.largestValue?.shape == [.known(3), .known(10)])
        #expect(traced.memory.largestValue?.bytes == 120)
        #expect(traced.memory.largestValue?.location.line == 12)
        #expect(traced.memory.refusal(physicalMemory: 1 << 30) == nil)
        #expect(traced.memory.refusal(physicalMemory: 960) == nil)
        #expect(traced.memory.refusal(physicalMemory: 959)?.message == "this step makes a value of shape [3, 10] (120 bytes); with the variables (840 bytes) that is more than this machine's 959 bytes of physical memory; nothing was allocated")
    }

    /// `--param units=100000000000`: 8 TB of kernel, a byte count that fits in an Int, refused at the kernel.
    @Test func variablesLargerThanMemoryAreRefusedAtTheLargest() throws {
        let (traced, folder) = try traced(dense, params: ["units": .int(100_000_000_000)])
        let refusal = try #require(traced.memory.refusal(physicalMemory: 16 << 30))
        #expect(refusal.description.replacingOccurrences(of: folder.root + "/", with: "") == "A.yaml:10:9: error: variable 'dense/kernel' of shape [20, 100000000000] needs 8000000000000 bytes (the 2 variables need 8400000000000 bytes in all), more than this machine's 17179869184 bytes of physical memory; nothing was allocated")
    }

    /// Two small inputs broadcast to a value of 2^40 elements.
    @Test func valueLargerThanMemoryIsRefusedAtItsStep() throws {
        let spec = """
            spec: 1
            model: A
            inputs:
              a: [null, 1]
              b: [1, null]
            forward:
              - add: [a, b]
              - relu
            """
        let (traced, folder) = try traced(spec, inputs: ["a": [1 << 20, 1], "b": [1, 1 << 20]])
        #expect(traced.memory.variableBytes == 0)
        let refusal = try #require(traced.memory.refusal(physicalMemory: 16 << 30))
        #expect(refusal.description.replacingOccurrences(of: folder.root + "/", with: "") == "A.yaml:7:5: error: this step makes a value of shape [1048576, 1048576] (4398046511104 bytes), more than this machine's 17179869184 bytes of physical memory; nothing was allocated")
        #expect(traced.memory.refusal(physicalMemory: 1 << 42) == nil)
    }

    /// Unknown sizes count 1: `check` without `--input` does not refuse a model for its batch size.
    @Test func unknownSizesCountOne() throws {
        let (traced, _) = try traced(dense)
        #expect(traced.memory.largestValue?.shape == [.symbol("batch"), .known(10)])
        #expect(traced.memory.refusal(physicalMemory: 1 << 20) == nil)
    }
}
