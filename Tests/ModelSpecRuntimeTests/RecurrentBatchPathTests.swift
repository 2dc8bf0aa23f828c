import Foundation
import Testing
@testable import ModelSpecRuntime

/// The recurrent loop's paths for larger batches against the general ones they stand beside:
/// the input projection on the packed kernel (`RecurrentLoop.InputProjection.packed`) against
/// OpenBLAS's GEMM, and the common LSTM cell's steps with `h` kept in the outputs
/// (`RecurrentLoop.runLSTMBatchSteps`) against the general step loop, under every instruction
/// set, at sizes that are not multiples of the kernels' 16 columns or rows.
@Suite struct RecurrentBatchPathTests {
    static func values(_ count: Int, _ seed: Float) -> [Float] {
        (0..<count).map { sinf(Float($0) * 0.37 + seed) * 0.5 }
    }

    static func tensor(_ shape: [Int], _ seed: Float) throws -> Tensor {
        try Tensor(shape: shape, scalars: values(shape.reduce(1, *), seed))
    }

    /// Cells of every kind whose input projection the packed path computes: one kernel block
    /// (TF1 LSTM and BasicRNN, Keras LSTM, GRU and SimpleRNN, with and without a bias) and
    /// two side by side (TF1 GRU's gates and candidate kernels, with two biases).
    static func cells(input: Int, units: Int) throws -> [(String, RecurrentCell)] {
        let tf1 = input + units
        return [
            ("LSTMCell", try .lstm(kernel: tensor([tf1, 4 * units], 1), bias: tensor([4 * units], 2))),
            ("BasicRNNCell", try .basicRNN(kernel: tensor([tf1, units], 3), bias: tensor([units], 4))),
            ("GRUCell", try .gru(gatesKernel: tensor([tf1, 2 * units], 5), gatesBias: tensor([2 * units], 6),
                                 candidateKernel: tensor([tf1, units], 7), candidateBias: tensor([units], 8))),
            ("Keras LSTM", try .kerasLSTM(kernel: tensor([input, 4 * units], 9), recurrentKernel: tensor([units, 4 * units], 10),
                                          bias: tensor([4 * units], 11))),
            ("Keras LSTM without bias", try .kerasLSTM(kernel: tensor([input, 4 * units], 12),
                                                       recurrentKernel: tensor([units, 4 * units], 13), bias: nil)),
            ("Keras GRU", try .kerasGRU(kernel: tensor([input, 3 * units], 14), recurrentKernel: tensor([units, 3 * units], 15),
                                        bias: tensor([2, 3 * units], 16))),
            ("Keras SimpleRNN", try .kerasSimpleRNN(kernel: tensor([input, units], 17), recurrentKernel: tensor([units, units], 18),
                                                    bias: tensor([units], 19))),
        ]
    }

    /// The projection `[rows, input]·kernel + bias` in double precision, from the cell's blocks and biases.
    static func reference(_ cell: RecurrentCell, input: [Float], rows: Int) -> [Float] {
        let g = cell.gateWidth, n = cell.inputSize
        var out = [Double](repeating: 0, count: rows * g)
        for (bias, offset) in cell.inputBiases {
            let b = bias.scalars
            for r in 0..<rows { for k in 0..<b.count { out[r * g + offset + k] = Double(b[k]) } }
        }
        for block in cell.inputBlocks {
            let w = block.tensor.scalars
            for r in 0..<rows {
                for k in 0..<block.columns {
                    var sum = 0.0
                    for i in 0..<block.rows {
                        sum += Double(input[r * n + i]) * Double(w[(block.firstRow + i) * block.stride + block.offset + k])
                    }
                    out[r * g + block.target + k] += sum
                }
            }
        }
        return out.map(Float.init)
    }

    /// Both projections within 1e-5 of the double-precision product (they sum in different orders,
    /// so they are not equal bit for bit), over more rows than one chunk of the packed path.
    @Test func thePackedInputProjectionGivesTheBLASProjectionsValues() throws {
        let (input, units) = (37, 21)
        for (batch, time) in [(1, 1), (3, 7), (19, 9)] {
            let rows = batch * time
            let x = try Self.tensor([batch, time, input], 20)
            for (name, cell) in try Self.cells(input: input, units: units) {
                let loop = RecurrentLoop(cell: cell, batch: batch, time: time, timeMajor: false, mask: .none, reverse: false)
                #expect(loop.packedProjectionApplies, "\(name)")
                let expected = try Tensor(shape: [rows, cell.gateWidth], scalars: Self.reference(cell, input: x.scalars, rows: rows))
                for instructions in KernelInstructions.allCases {
                    for method in RecurrentLoop.InputProjection.allCases {
                        let out = Tensor(uninitializedShape: [rows, cell.gateWidth])
                        instructions.limiting { loop.projectInput(x, rows: rows, into: out.storage.base, by: method) }
                        expectClose(out, expected, "\(name) \(method) \(instructions) batch \(batch) time \(time)")
                    }
                }
            }
        }
        #expect(19 * 9 > RecurrentLoop.projectionChunkRows)
    }

    /// A TF1 kernel's packed input rows and packed state rows are two forms of one buffer: both
    /// are kept, and a write of the variable in place drops them.
    @Test func aTF1KernelKeepsItsInputAndStateBlocksPackedUntilItIsWritten() throws {
        let (input, units, width) = (5, 3, 12)
        var kernel = try Self.tensor([input + units, width], 1)
        func inputRows() -> TensorBuffer<Float> { PackedWeights.block(kernel, start: 0, stride: width, rows: input, n: width) }
        func stateRows() -> TensorBuffer<Float> {
            PackedWeights.block(kernel, start: input * width, stride: width, rows: units, n: width)
        }
        let (packedInput, packedState) = (inputRows(), stateRows())
        #expect(inputRows() === packedInput && stateRows() === packedState)
        kernel.withUnsafeMutableBufferPointer { $0[0] += 1 }
        let repacked = inputRows()
        #expect(repacked !== packedInput && stateRows() !== packedState)
        #expect(repacked.base[0] == kernel.scalars[0] && repacked.base[0] != packedInput.base[0])
    }

    /// The common LSTM cell's steps at a batch of 19 (TF1's `LSTMCell`, Keras's `LSTM` gate order,
    /// time-major or not, forwards or backwards) against the general loop (run with a trace, which
    /// keeps it on that loop): with AVX-512 both take the state's product on the packed kernel and
    /// give the same values bit for bit; with AVX2 and the portable code the general loop's
    /// product is OpenBLAS's from 16 rows on, so within 1e-5.
    @Test func theLSTMBatchStepsGiveTheGeneralLoopsValues() throws {
        let (input, units, batch, time) = (13, 21, RecurrentLoop.batchStepsFromRows + 3, 6)
        let cells: [(String, RecurrentCell)] = [
            ("LSTMCell", try .lstm(kernel: Self.tensor([input + units, 4 * units], 1), bias: Self.tensor([4 * units], 2))),
            ("Keras LSTM", try .kerasLSTM(kernel: Self.tensor([input, 4 * units], 3),
                                          recurrentKernel: Self.tensor([units, 4 * units], 4), bias: Self.tensor([4 * units], 5))),
        ]
        let initial = [try Self.tensor([batch, units], 6), try Self.tensor([batch, units], 7)]
        for (name, cell) in cells {
            for timeMajor in [false, true] {
                for reverse in [false, true] {
                    let x = try Self.tensor(timeMajor ? [time, batch, input] : [batch, time, input], 8)
                    let loop = RecurrentLoop(cell: cell, batch: batch, time: time, timeMajor: timeMajor, mask: .none,
                                             reverse: reverse)
                    for instructions in KernelInstructions.allCases {
                        let label = "\(name) \(instructions) time-major \(timeMajor) reverse \(reverse)"
                        try instructions.limiting {
                            #expect(loop.lstmBatchStepsApply(trace: nil) == (KernelInstructions.inUse == .avx512), "\(label)")
                            let general = loop.run(x, state: initial, trace: try RecurrentTrace(cell, batch: batch, time: time))
                            let projection = Tensor(uninitializedShape: [batch * time, cell.gateWidth])
                            loop.projectInput(x, rows: batch * time, into: projection.storage.base, by: loop.inputProjection)
                            let outputs = Tensor(uninitializedShape: general.outputs.shape)
                            var state = try initial.map { try Tensor(shape: $0.shape, scalars: $0.scalars) }
                            loop.runLSTMBatchSteps(projection: projection.storage.base, outputs: outputs, state: &state)
                            if KernelInstructions.inUse == .avx512 {
                                #expect(outputs.scalars == general.outputs.scalars, "\(label): outputs")
                                for i in 0..<2 { #expect(state[i].scalars == general.state[i].scalars, "\(label): state \(i)") }
                            } else {
                                expectClose(outputs, general.outputs, "\(label): outputs")
                                for i in 0..<2 { expectClose(state[i], general.state[i], "\(label): state \(i)") }
                            }
                            #expect(initial[1].scalars == (try Self.tensor([batch, units], 7)).scalars, "\(label): the initial state is kept")
                        }
                    }
                }
            }
        }
    }
}
