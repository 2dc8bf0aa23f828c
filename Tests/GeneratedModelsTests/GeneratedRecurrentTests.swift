import Foundation
import ModelSpecRuntime
import Testing

/// The generated type of specs/BenchLSTM.yaml (a `dynamic_rnn` of a `MultiRNNCell` of two
/// `LSTMCell`s): its variables are TensorFlow's names and shapes, and its call is the
/// runtime's loop over those variables (whose kernels Tests/Goldens/recurrent checks).
@Suite struct GeneratedRecurrentTests {
    @Test func generatedLoopRunsTheCellsOfItsVariables() throws {
        let model = BenchLSTM()
        let values: [Float] = (0..<25_600).map { (i: Int) -> Float in Float((i * 7919) % 211) / 211 - 0.5 }
        let x = try Tensor(shape: [2, 50, 256], scalars: values)
        let result = try model(x)
        let names = model.createdVariables.map(\.name)
        #expect(names == BenchLSTM.manifest.map(\.name))
        #expect(names == ["rnn/multi_rnn_cell/cell_0/lstm_cell/kernel", "rnn/multi_rnn_cell/cell_0/lstm_cell/bias",
                          "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel", "rnn/multi_rnn_cell/cell_1/lstm_cell/bias"])
        let v = model.createdVariables.map(\.value)
        let cells = [try RecurrentCell.lstm(kernel: v[0], bias: v[1]), try RecurrentCell.lstm(kernel: v[2], bias: v[3])]
        let expected = try dynamicRNN(cells, input: x)
        #expect(result.outputs == expected.outputs)
        #expect([result.c0, result.h0, result.c1, result.h1] == expected.state)
        #expect(result.outputs.shape == [2, 50, 256])
        #expect(result.h1.shape == [2, 256])
    }
}
