import CConvolution
import Testing
@testable import ModelSpecRuntime

/// `clstm_row_step`, one batch-1 LSTM step with the state's product fused into the gate pass,
/// against the two calls it replaces (`csgemm_run`, then `clstm_gates`) bit for bit on every
/// instruction path, in either order of the kernel's blocks; and the loop's fused batch-1 path
/// (`RecurrentLoop.runFusedRows`) against its general loop: outputs, final state and trace bit
/// for bit, with sequence lengths, Keras masks, reversed and time-major runs, and the cells that
/// fall back to the general loop.
@Suite struct LSTMRowStepTests {
    static let same = LSTMGateKernelTests.same

    static func expectSame(_ a: [Float], _ b: [Float], _ comment: String) {
        #expect(a.count == b.count, "\(comment): \(a.count) against \(b.count) values")
        let differing = zip(a, b).enumerated().filter { !same($0.element.0, $0.element.1) }
        #expect(differing.isEmpty, "\(comment): \(differing.count) values differ, the first at \(differing.first.map { "\($0.offset): \($0.element)" } ?? "")")
    }

    @Test func theFusedStepGivesTheProductThenTheGatePassBitForBit() {
        for instructions in KernelInstructions.allCases {
            for (units, k) in [(16, 16), (32, 32), (48, 17), (16, 1), (64, 40)] {
                let g = 4 * units
                let kernel = LSTMGateKernelTests.values(k * g, seed: 0.4).map { $0.isFinite ? $0 / 20 : 0.1 }
                var packed = [Float](repeating: 0, count: csgemm_packed_count(Int32(k), Int32(g)))
                csgemm_pack(Int32(k), Int32(g), kernel, Int32(g), &packed)
                let hPrev = LSTMGateKernelTests.values(k, seed: 1.3).map { $0.isFinite ? $0 : -0.0 }
                let x = LSTMGateKernelTests.values(g, seed: 0.3), cPrev = LSTMGateKernelTests.values(units, seed: 2.9).map { $0.isFinite ? $0 : 0.5 }
                // Keras's gate order (i, f, c, o) and a forget bias, to show the offsets are honoured.
                let (i, f, j, o) = (0, units, 2 * units, 3 * units)
                var product = [Float](repeating: 0, count: g), c = cPrev, h = [Float](repeating: 0, count: units)
                var pre = product
                instructions.limiting {
                    csgemm_run(1, Int32(g), Int32(k), hPrev, Int32(k), packed, nil, 0, &product, Int32(g))
                    clstm_gates(Int32(units), x, product, Int32(i), Int32(j), Int32(f), Int32(o), 1, cPrev, &c, &h, &pre)
                }
                for backwards: Int32 in [0, 1] {
                    // c updated in place, as the loop does.
                    var fusedC = cPrev, fusedH = [Float](repeating: 0, count: units), fusedPre = [Float](repeating: 0, count: g)
                    let done = instructions.limiting {
                        fusedC.withUnsafeMutableBufferPointer { cp in
                            clstm_row_step(Int32(units), Int32(k), hPrev, packed, x, Int32(i), Int32(j), Int32(f), Int32(o), 1,
                                           cp.baseAddress, cp.baseAddress, &fusedH, &fusedPre, backwards)
                        }
                    }
                    let comment = "\(instructions) units \(units) k \(k) backwards \(backwards)"
                    #expect(done == 1, "\(comment)")
                    Self.expectSame(fusedC, c, "\(comment): c")
                    Self.expectSame(fusedH, h, "\(comment): h")
                    Self.expectSame(fusedPre, pre, "\(comment): gate inputs")
                }
            }
        }
    }

    @Test func unitsThatAreNotWholePanelsAreLeftToTheCaller() {
        for units in [1, 5, 21, 24] {
            let g = 4 * units
            let packed = [Float](repeating: 1, count: csgemm_packed_count(Int32(units), Int32(g)))
            let hPrev = [Float](repeating: 1, count: units), x = [Float](repeating: 1, count: g)
            var c = [Float](repeating: 7, count: units), h = c
            let done = clstm_row_step(Int32(units), Int32(units), hPrev, packed, x, 0, Int32(units), Int32(2 * units),
                                      Int32(3 * units), 1, hPrev, &c, &h, nil, 0)
            #expect(done == 0, "units \(units)")
            #expect(c.allSatisfy { $0 == 7 } && h.allSatisfy { $0 == 7 }, "units \(units): nothing written")
        }
    }

    struct LoopCase: CustomStringConvertible, Sendable {
        let name: String
        let input: Int, units: Int
        let keras: Bool
        var mask: StepMask = .none
        var reverse = false, timeMajor = false
        var description: String { name }
    }

    static let fused: [LoopCase] = [
        LoopCase(name: "LSTMCell 16 units", input: 5, units: 16, keras: false),
        LoopCase(name: "LSTMCell 32 units, sequence length 4", input: 3, units: 32, keras: false, mask: .lengths([4])),
        LoopCase(name: "LSTMCell reversed within length 5", input: 4, units: 16, keras: false, mask: .lengths([5]), reverse: true),
        LoopCase(name: "LSTMCell time major", input: 4, units: 16, keras: false, timeMajor: true),
        LoopCase(name: "Keras LSTM, masked steps", input: 6, units: 32, keras: true,
                 mask: .keras([false, true, true, false, true, false, true])),
    ]

    static func cell(_ c: LoopCase, seed: Int) throws -> RecurrentCell {
        let g = 4 * c.units
        if c.keras {
            return try .kerasLSTM(kernel: LayerGradientTests.values([c.input, g], seed: seed, scale: 0.4),
                                  recurrentKernel: LayerGradientTests.values([c.units, g], seed: seed + 1, scale: 0.4),
                                  bias: LayerGradientTests.values([g], seed: seed + 2, scale: 0.5))
        }
        return try .lstm(kernel: LayerGradientTests.values([c.input + c.units, g], seed: seed, scale: 0.4),
                         bias: LayerGradientTests.values([g], seed: seed + 2, scale: 0.5))
    }

    @Test("the fused batch-1 loop gives the general loop's outputs, state and trace", arguments: fused)
    func fusedLoopMatchesTheGeneralLoop(_ c: LoopCase) throws {
        let time = 7
        let cell = try Self.cell(c, seed: 3)
        let input = try LayerGradientTests.values([1, time, c.input], seed: 9)
        let initial = try [LayerGradientTests.values([1, c.units], seed: 11), LayerGradientTests.values([1, c.units], seed: 12)]
        for instructions in KernelInstructions.allCases {
            var results: [(outputs: Tensor, state: [Tensor], trace: RecurrentTrace)] = []
            for fuses in [true, false] {
                var loop = RecurrentLoop(cell: cell, batch: 1, time: time, timeMajor: c.timeMajor, mask: c.mask, reverse: c.reverse)
                loop.fusesBatchOneSteps = fuses
                #expect((loop.fusedRowMath != nil) == fuses, "\(c.name)")
                let trace = try RecurrentTrace(cell, batch: 1, time: time)
                let (outputs, state) = instructions.limiting { loop.run(input, state: initial, trace: trace) }
                results.append((outputs, state, trace))
            }
            let (fused, general) = (results[0], results[1])
            let comment = "\(c.name), \(instructions)"
            Self.expectSame(fused.outputs.scalars, general.outputs.scalars, "\(comment): outputs")
            for i in 0..<2 {
                Self.expectSame(fused.state[i].scalars, general.state[i].scalars, "\(comment): state \(i)")
                Self.expectSame(fused.trace.states[i].scalars, general.trace.states[i].scalars, "\(comment): traced state \(i)")
            }
            Self.expectSame(fused.trace.gates.scalars, general.trace.gates.scalars, "\(comment): traced gates")
            Self.expectSame(fused.trace.aux.scalars, general.trace.aux.scalars, "\(comment): traced c")
            // Without a trace too (nothing recorded, the same values).
            let loop = RecurrentLoop(cell: cell, batch: 1, time: time, timeMajor: c.timeMajor, mask: c.mask, reverse: c.reverse)
            let untraced = instructions.limiting { loop.run(input, state: initial) }
            Self.expectSame(untraced.outputs.scalars, general.outputs.scalars, "\(comment): outputs without a trace")
            Self.expectSame(untraced.state[1].scalars, general.state[1].scalars, "\(comment): h without a trace")
        }
    }

    @Test func cellsTheFusedStepDoesNotComputeTakeTheGeneralLoop() throws {
        let kernel = try LayerGradientTests.values([8, 64], seed: 1), bias = try LayerGradientTests.values([64], seed: 2)
        let diagonal = try LayerGradientTests.values([16], seed: 3)
        let cells: [(String, RecurrentCell)] = [
            ("21 units", try .lstm(kernel: LayerGradientTests.values([29, 84], seed: 4), bias: LayerGradientTests.values([84], seed: 5))),
            ("peepholes", try .lstm(kernel: LayerGradientTests.values([24, 64], seed: 4), bias: bias,
                                    peepholes: (f: diagonal, i: diagonal, o: diagonal))),
            ("cell clip", try .lstm(kernel: LayerGradientTests.values([24, 64], seed: 4), bias: bias, cellClip: 0.5)),
            ("projection", try .lstm(kernel: kernel, bias: bias, projection: LayerGradientTests.values([16, 4], seed: 6))),
            ("relu candidate", try .kerasLSTM(kernel: kernel, recurrentKernel: LayerGradientTests.values([16, 64], seed: 7),
                                              bias: bias, activation: .relu)),
            ("GRU", try .gru(gatesKernel: LayerGradientTests.values([24, 32], seed: 8), gatesBias: LayerGradientTests.values([32], seed: 9),
                             candidateKernel: LayerGradientTests.values([24, 16], seed: 10), candidateBias: diagonal)),
        ]
        for (name, cell) in cells {
            #expect(RecurrentLoop(cell: cell, batch: 1, time: 3, timeMajor: false, mask: .none, reverse: false).fusedRowMath == nil, "\(name)")
        }
        let common = try RecurrentCell.lstm(kernel: LayerGradientTests.values([24, 64], seed: 4), bias: bias)
        #expect(RecurrentLoop(cell: common, batch: 1, time: 3, timeMajor: false, mask: .none, reverse: false).fusedRowMath != nil)
        #expect(RecurrentLoop(cell: common, batch: 2, time: 3, timeMajor: false, mask: .none, reverse: false).fusedRowMath == nil,
                "batch 2")
    }
}
