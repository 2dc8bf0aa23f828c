import Foundation
import ModelSpecCompiler
import Testing

/// The checker's and tracer's answers to TF1 recurrent loop steps that TensorFlow
/// would refuse or that cannot mean anything, each at its place.
@Suite struct RecurrentLoopCheckTests {
    @Test func cellsAndStatesAreCheckedAtTheirPlace() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, time, 4]
            forward:
              - dynamic_rnn:
                  cell: {LSTMcell: {num_units: 5}}
              - dynamic_rnn:
                  cell: {LSTMCell: {num_units: 5, num_proj: 0, peepholes: true}}
                  initial_state: [x]
              - bidirectional_dynamic_rnn: {cell_fw: {GRUCell: {num_units: 2}}}
              - static_rnn: {cell: {MultiRNNCell: []}}
            """)
        #expect(lines == [
                "A.yaml:7:14: error: unknown cell class 'LSTMcell'; did you mean 'LSTMCell'?",
                "A.yaml:9:52: error: unknown key 'peepholes' in LSTMCell; did you mean 'use_peepholes'?",
                "A.yaml:9:49: error: num_proj must be positive, not 0",
                "A.yaml:10:22: error: initial_state has 1 tensor, but the cell's state has 2 (an LSTM cell's state is c, then h; a MultiRNNCell's is each cell's in turn)",
                "A.yaml:11:32: error: bidirectional_dynamic_rnn needs 'cell_bw', a cell such as {LSTMCell: {num_units: 128}}",
                "A.yaml:12:39: error: MultiRNNCell needs a list of cells, such as [{LSTMCell: {num_units: 128}}, {LSTMCell: {num_units: 128}}]",
            ], "\(lines)")
    }

    @Test func aNativeModelHasNoTF1Loops() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, time, 4]
            forward:
              - dynamic_rnn: {cell: {GRUCell: {num_units: 2}}}
            """)
        #expect(lines == ["A.yaml:7:5: error: 'dynamic_rnn' belongs to legacy models (style: legacy)"])
    }

    @Test func shapesThatDoNotFitAreTracedErrors() throws {
        func lines(_ inputs: String, _ step: String) throws -> [String] {
            try MalformedSpec.diagnostics("""
                spec: 1
                model: A
                inputs:
                \(inputs)
                forward:
                  - \(step)
                    as: [o, s]
                outputs: [o, s]
                """)
        }
        #expect(try lines("  x: [batch, 4]", "dynamic_rnn: {cell: {GRUCell: {num_units: 2}}, input: x}")
            == ["A.yaml:6:5: error: dynamic_rnn needs a sequence of rank 3 ([batch, time, features]), but got shape [batch, 4]"])
        #expect(try lines("  y: [2, 7, 3]\n  lengths: {shape: [3], dtype: int32}",
                          "dynamic_rnn: {cell: {GRUCell: {num_units: 2}}, input: y, sequence_length: lengths}")
            == ["A.yaml:7:5: error: dynamic_rnn's sequence_length must have shape [batch] (2), but has shape [3]"])
        #expect(try lines("  y: [2, 7, 3]\n  h: [2, 5]", "dynamic_rnn: {cell: {GRUCell: {num_units: 2}}, input: y, initial_state: h}")
            == ["A.yaml:7:5: error: dynamic_rnn's initial state tensor 1 must have shape [2, 2], but has shape [2, 5]"])
    }

    @Test func twoLoopsInOneScopeMakeTheirVariablesTwice() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6, 4]
            forward:
              - dynamic_rnn: {cell: {GRUCell: {num_units: 4}}, input: x}
                as: [a, s]
              - dynamic_rnn: {cell: {GRUCell: {num_units: 4}}, input: a}
                as: [b, t]
            outputs: [b, s, t]
            """)
        #expect(lines.first?.hasPrefix("A.yaml:8:5: error: variable 'rnn/gru_cell/gates/kernel' is created twice in one call without reuse") == true, "\(lines)")
    }

    /// Cell wrappers: their keys, cells and keep probabilities at their place; what TensorFlow refuses
    /// when the graph is built (a residual sum of two sizes, variational input dropout without
    /// `input_size`, a keep probability from a parameter outside (0, 1]) at the step.
    @Test func wrappersAreCheckedAtTheirPlace() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, time, 4]
            forward:
              - dynamic_rnn:
                  cell: {DropoutWrapper: {cell: {GRUCell: {num_units: 4}}, keep_prob: 0.5}}
              - dynamic_rnn:
                  cell: {DropoutWrapper: {output_keep_prob: 0.5}}
              - dynamic_rnn:
                  cell: {DropoutWrapper: {cell: {GRUCell: {num_units: 4}}, output_keep_prob: 1.5}}
              - dynamic_rnn:
                  cell: {DropoutWrapper: {cell: {GRUCell: {num_units: 4}}, variational_recurrent: true}}
              - dynamic_rnn:
                  cell: {ResidualWraper: {cell: {GRUCell: {num_units: 4}}}}
              - dynamic_rnn:
                  cell: {DeviceWrapper: {cell: {GRUCell: {num_units: 4}}}}
            """)
        #expect(lines == [
                "A.yaml:7:64: error: unknown key 'keep_prob' in DropoutWrapper; did you mean 'input_keep_prob' or 'state_keep_prob' or 'output_keep_prob'?",
                "A.yaml:9:30: error: DropoutWrapper needs 'cell', the cell it wraps, such as {cell: {LSTMCell: {num_units: 128}}}",
                "A.yaml:11:82: error: output_keep_prob must be in (0, 1] (1 keeps everything), not 1.5",
                "A.yaml:13:30: error: When variational_recurrent=True, dtype must be provided (TensorFlow's DropoutWrapper refuses it without): add dtype: float32",
                "A.yaml:15:14: error: unknown cell class 'ResidualWraper'; did you mean 'ResidualWrapper'?",
                "A.yaml:17:29: error: DeviceWrapper needs 'device', such as device: /cpu:0",
            ], "\(lines)")
    }

    @Test func aKeepProbabilityBelowOneWrittenAsANumberIsWarnedAbout() throws {
        let lines = try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            params: {keep: {type: Float, default: 1.0}}
            inputs:
              x: [batch, 6, 4]
            forward:
              - dynamic_rnn: {cell: {DropoutWrapper: {cell: {GRUCell: {num_units: 3}}, output_keep_prob: 0.5, state_keep_prob: $keep, input_keep_prob: 1.0}}, input: x}
                as: [o, s]
            outputs: [o, s]
            """)
        #expect(lines == ["A.yaml:7:94: warning: output_keep_prob 0.5 drops on every call, in inference too: TensorFlow's DropoutWrapper has no training flag; write it as a $param and make the model with 1.0 for inference"], "\(lines)")
    }

    @Test func wrapperShapesAreTracedErrors() throws {
        func lines(_ cell: String) throws -> [String] {
            try MalformedSpec.diagnostics("""
                spec: 1
                model: A
                params: {keep: {type: Float, default: 1.2}}
                inputs:
                  x: [batch, 6, 4]
                forward:
                  - dynamic_rnn: {cell: \(cell), input: x}
                    as: [o, s]
                outputs: [o, s]
                """).filter { !$0.contains(": warning: ") }
        }
        func expect(_ lines: [String], equals expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(lines == expected, "\(lines)", sourceLocation: sourceLocation)
        }
        try expect(lines("{ResidualWrapper: {cell: {GRUCell: {num_units: 3}}}}"), equals: ["A.yaml:7:5: error: ResidualWrapper adds its cell's input (4 features) to its output (3 features), which TensorFlow refuses (Shapes (batch, 4) and (batch, 3) are incompatible): the wrapped cell needs num_units 4"])
        try expect(lines("{DropoutWrapper: {cell: {GRUCell: {num_units: 3}}, input_keep_prob: 0.5, variational_recurrent: true, dtype: float32}}"), equals: ["A.yaml:7:5: error: When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided (TensorFlow's DropoutWrapper refuses it without): add input_size: 4"])
        try expect(lines("{DropoutWrapper: {cell: {GRUCell: {num_units: 3}}, input_keep_prob: 0.5, variational_recurrent: true, dtype: float32, input_size: 5}}"), equals: ["A.yaml:7:5: error: DropoutWrapper's input_size is 5, but the input of the cell it wraps has 4 features (its variational input mask is [1, input_size])"])
        try expect(lines("{DropoutWrapper: {cell: {GRUCell: {num_units: 3}}, state_keep_prob: $keep}}"), equals: ["A.yaml:7:5: error: DropoutWrapper's state_keep_prob must be in (0, 1] (1 keeps everything), not 1.2"])
        try expect(lines("{DropoutWrapper: {cell: {GRUCell: {num_units: 3}}, state_keep_prob: 0.5, output_keep_prob: $keep}}"), equals: ["A.yaml:7:5: error: DropoutWrapper's output_keep_prob must be in (0, 1] (1 keeps everything), not 1.2"])
    }
}
