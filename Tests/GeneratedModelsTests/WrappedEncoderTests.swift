import ModelSpecRuntime
import Testing

/// The generated type of specs/WrappedEncoder.yaml (TF1 cell wrappers: `ResidualWrapper`,
/// `DropoutWrapper` with a keep probability parameter) against TensorFlow's loop of the same
/// cells (Tests/Goldens/recurrent/wrapper_residual_bidirectional, oracle/recurrent.py).
@Suite struct WrappedEncoderTests {
    @Test func wrappedCellsMakeTensorFlowsNamesAndValues() throws {
        let golden = RecurrentGoldenFiles("wrapper_residual_bidirectional")
        let names = ["bidirectional_rnn/fw/gru_cell/gates/kernel", "bidirectional_rnn/fw/gru_cell/gates/bias",
                     "bidirectional_rnn/fw/gru_cell/candidate/kernel", "bidirectional_rnn/fw/gru_cell/candidate/bias",
                     "bidirectional_rnn/bw/lstm_cell/kernel", "bidirectional_rnn/bw/lstm_cell/bias"]
        #expect(WrappedEncoder.manifest.map(\.name) == names)
        var weights: [String: Tensor] = [:]
        for (index, name) in names.enumerated() { weights[name] = try golden.tensor("var_\(index).npy") }
        let model = WrappedEncoder()
        let r = try model(x: golden.tensor("in_x.npy"), lengths: golden.ids("in_lengths.npy"), substituting: weights)
        for (value, file) in [(r.outputFw, "output_fw"), (r.outputBw, "output_bw"), (r.stateFw, "state_fw"),
                              (r.stateBwC, "state_bw_c"), (r.stateBwH, "state_bw_h")] {
            expectClose(value, try golden.tensor("out_\(file).npy"), file)
        }
        // keep 0.5 drops on every call, as TensorFlow's wrapper does (no training flag).
        let dropped = try WrappedEncoder(keep: 0.5)(x: golden.tensor("in_x.npy"), lengths: golden.ids("in_lengths.npy"),
                                                    substituting: weights)
        #expect(dropped.outputBw != r.outputBw)
        #expect(dropped.outputFw == r.outputFw)
    }
}
