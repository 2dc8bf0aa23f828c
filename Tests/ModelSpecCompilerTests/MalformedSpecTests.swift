import Foundation
import ModelSpecCompiler
import Testing

/// Every malformed spec gets the exact `path:line:column: severity: message`
/// lines the compiler prints, and nothing more: one mistake, one error.
@Suite struct MalformedSpecTests {
    private func lines(_ text: String, params: [String: Literal] = [:], inputs: [String: [Int?]] = [:]) throws -> [String] {
        try MalformedSpec.diagnostics(text, params: params, inputs: inputs)
    }

    // MARK: YAML

    @Test func yamlSyntaxError() throws {
        #expect(try lines("""
            spec: 1
            model: A
            forward: [dense: {units: 3}
            """) == [
                "A.yaml:4:1: error: did not find expected ',' or ']'",
                "A.yaml:3:10: note: while parsing a flow sequence",
            ])
    }

    @Test func tabIndentation() throws {
        #expect(try lines("spec: 1\nmodel: A\ninputs:\n  x: [batch, 3]\nforward:\n  - relu:\n\tinput: x\n") == [
            "A.yaml:7:1: error: found character that cannot start any token",
            "A.yaml:7:1: note: while scanning for the next token",
        ])
    }

    @Test func duplicateKey() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            model: B
            forward:
              - relu
            """) == [
                "A.yaml:5:1: error: duplicate key 'model' (first at line 2)",
                "A.yaml:2:1: note: first occurrence is here",
            ])
    }

    // MARK: Top level

    /// A key short of some of its words (`peepholes` for `use_peepholes`) is too many edits
    /// away for the spelling suggestion, but is still suggested; several such keys are listed.
    @Test func unknownKeyMissingWordsIsSuggested() throws {
        let cell = try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 5, 4]
            forward:
              - dynamic_rnn:
                  cell: {LSTMCell: {num_units: 6, peepholes: true}}
                  input: x
            """)
        #expect(cell == ["A.yaml:7:39: error: unknown key 'peepholes' in LSTMCell; did you mean 'use_peepholes'?"])
        let dense = try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 2, initializer: zeros, frobnicate: 1}
            """)
        #expect(dense.first == "A.yaml:8:27: error: unknown key 'initializer' in dense; did you mean 'bias_initializer' or 'kernel_initializer'?")
        #expect(dense.dropFirst().first.map { !$0.contains("did you mean") } ?? false, "\(dense)")
    }

    @Test func unknownTopLevelKeyWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            froward:
              - relu
            """) == [
                "A.yaml:5:1: error: unknown key 'froward' in the spec; did you mean 'forward'?",
                "A.yaml:1:1: error: the spec needs 'forward:', the steps of the call",
            ])
    }

    @Test func keyThatIsNotAName() throws {
        #expect(try lines("""
            spec: 1
            model: A
            ? [a, b]
            : 1
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:3:3: error: a key in the spec must be a name, not a sequence"])
    }

    @Test func missingSpecVersion() throws {
        #expect(try lines("""
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:1:1: error: the spec needs 'spec: 1' (the format version)"])
    }

    @Test func missingModel() throws {
        #expect(try lines("""
            spec: 1
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:1:1: error: the spec needs 'model:', the name of the Swift type to generate"])
    }

    @Test func missingForward() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            """) == ["A.yaml:1:1: error: the spec needs 'forward:', the steps of the call"])
    }

    @Test func unsupportedSpecVersion() throws {
        #expect(try lines("""
            spec: 2
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:1:7: error: unsupported spec version 2; this ModelSpec reads version 1"])
    }

    @Test func specVersionNotANumber() throws {
        #expect(try lines("""
            spec: one
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:1:7: error: spec must be an integer, not 'one'"])
    }

    @Test func modelNameNotASwiftTypeName() throws {
        #expect(try lines("""
            spec: 1
            model: my_model
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:2:8: error: model 'my_model' must be a Swift type name: a letter, then letters, digits or underscores, starting upper-case"])
    }

    @Test func unknownStyle() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: keras
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """) == ["A.yaml:3:8: error: style must be legacy or native, not 'keras'"])
    }

    @Test func forwardNotAList() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward: {relu: x}
            """) == ["A.yaml:5:10: error: forward must be a list of steps, not a mapping"])
    }

    @Test func emptyForward() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward: []
            """) == ["A.yaml:5:10: error: the forward pass makes no value to return"])
    }

    // MARK: Steps

    @Test func unknownOperationWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - desne: {units: 3}
            """) == ["A.yaml:8:9: error: unknown operation 'desne'; did you mean 'dense'?"])
    }

    @Test func unknownOperationNamesTheClosestAndTheReference() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - cumsum
            """) == ["A.yaml:6:5: error: unknown operation 'cumsum'; the closest operations are 'cast', 'matmul', 'maximum'; every operation is in the operation reference, docs/spec-language.md#operation-reference"])
    }

    @Test func numberWhereAValueNameIsNeeded() throws {
        let valueNames = "this operand is a value name: an input, an 'as:' name, a variable, a weight, or '_' (the previous step's value); numbers are operands of operations without variables only (add: [x, 1]), and a 'constant' step makes a tensor of them"
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              dense_layer: {Dense: {units: 2}}
            forward:
              - dense_layer: 1
              - scope: s
                do:
                  - dense: {units: 3, input: 0.5}
            """) == [
                "A.yaml:8:18: error: '1' is a number, but \(valueNames)",
                "A.yaml:11:34: error: '0.5' is a number, but \(valueNames)",
            ])
    }

    @Test func twoOperationsInOneStep() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3}
                    relu:
            """) == ["A.yaml:9:9: error: a step has one operation, but this one has 2: 'dense', 'relu'; write each as its own '- ' item"])
    }

    @Test func doOnAStepThatIsNotAScope() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3}
                    do:
                      - relu
            """) == ["A.yaml:9:9: error: 'do' belongs to a scope step, not to 'dense'"])
    }

    @Test func nullStep() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              -
              - relu
            """) == ["A.yaml:6:4: error: a step must be an operation name or a mapping such as '- dense: {units: 10}', not null"])
    }

    @Test func undefinedValueWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - variable: {name: kernel, shape: [3, 4]}
                  - matmul: [x, kernal]
            """) == ["A.yaml:9:21: error: undefined value 'kernal'; did you mean 'kernel'?"])
    }

    @Test func previousValueAtTheFirstStep() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - add: [_, x]
            """) == ["A.yaml:6:11: error: '_' is the previous step's value, but there is no previous step"])
    }

    @Test func parameterWhereATensorIsNeeded() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            params:
              k: {type: Int, default: 2}
            inputs:
              x: [batch, 3]
            layers:
              d: {Dense: {units: 2}}
            forward:
              - d: $k
            """) == ["A.yaml:11:8: error: '$k' is a parameter, but a tensor value is needed here"])
    }

    // MARK: Literal operands and constants

    @Test func literalOperands() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              name: {type: String, default: a}
            inputs:
              x: [batch, 3]
            forward:
              - add: [x, $name]
              - multiply: [x, [[1, 2], [3]]]
              - divide: [x, [1, 2]]
            """) == [
                "A.yaml:8:14: error: parameter '$name' is String, but Float is needed here",
                "A.yaml:9:28: error: a literal operand must be rectangular: an item of shape [1] beside one of shape [2]",
            ])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - divide: [x, [1, 2]]
            """) == ["A.yaml:6:5: error: divide: shapes [batch, 3] and [2] do not broadcast (3 against 2)"])
    }

    @Test func constantSteps() throws {
        #expect(try lines("""
            spec: 1
            model: A
            forward:
              - constant
              - constant: 0.5
              - constant: {value: 1, dtype: string}
              - constant: {value: [1, 2], shape: [2, -3]}
              - constant: {value: [1, 2], shape: 3}
            """) == [
                "A.yaml:4:5: error: constant needs 'value'",
                "A.yaml:5:15: error: constant takes its arguments as a mapping such as constant: {value: ...}",
                "A.yaml:6:33: error: constant takes dtype float32, int32, int64, bool, not string",
                "A.yaml:7:38: error: a size in shape cannot be negative (-3)",
                "A.yaml:8:38: error: shape must be a list such as [2, 3], not '3'",
            ])
        #expect(try lines("""
            spec: 1
            model: A
            forward:
              - constant: {value: [1, 2], shape: [2, 3]}
            """) == ["A.yaml:4:5: error: constant: the value has 2 numbers, but shape [2, 3] has 6 elements; give one number to fill it, or 6"])
        #expect(try lines("""
            spec: 1
            model: A
            forward:
              - constant: {value: 1, shape: [4294967296, 4294967296]}
            """) == ["A.yaml:4:5: error: constant: shape [4294967296, 4294967296] has more elements than can be counted"])
    }

    @Test func stackAndTileShapes() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
              b: [batch, 4]
            forward:
              - stack: [a, b]
            """) == ["A.yaml:7:5: error: stack: shapes [batch, 3] and [batch, 4] differ; stacked values have one shape"])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - tile: {multiples: [2]}
            """) == ["A.yaml:6:5: error: tile: multiples [2] needs one entry for each of the 2 dimensions of [batch, 3]"])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - stack: {inputs: [a, a], axis: 3}
            """) == ["A.yaml:6:5: error: stack: axis 3 is out of range for shape [batch, 3]"])
    }

    @Test func padArguments() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - pad: {paddings: [[1, 1], [2]]}
              - pad: {input: a, paddings: [[0, 0], [1, 1]], mode: wrap}
              - pad: {input: a, paddings: [[0, 0], [-1, 1]]}
            """) == [
                "A.yaml:6:30: error: each item of paddings must be a pair [before, after], not a list of 1",
                "A.yaml:7:55: error: unknown mode 'wrap'; use constant, reflect, symmetric",
                "A.yaml:8:40: error: a size in paddings cannot be negative (-1)",
            ])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - pad: {paddings: [[0, 0], [3, 0]], mode: reflect}
            """) == ["A.yaml:6:5: error: pad: reflect padding [3, 0] of a dimension of size 3 must be less than the size"])
    }

    @Test func sliceBounds() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - slice: {begin: [0, 2], size: [-1, 2]}
            """) == ["A.yaml:6:5: error: slice of [batch, 3] from [0, 2] of size [-1, 2] goes past a dimension of size 3"])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              a: [batch, 3]
            forward:
              - slice: {begin: [0], size: [-1, 2]}
            """) == ["A.yaml:6:5: error: slice: begin [0] and size [-1, 2] need one entry for each of the 2 dimensions of [batch, 3]"])
    }

    @Test func matmulTransposition() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              q: [batch, 4, 16]
              k: [batch, 5, 8]
            forward:
              - matmul: {inputs: [q, k], transpose_b: true}
            """) == ["A.yaml:7:5: error: matmul of [batch, 4, 16] by [batch, 8, 5]: inner dimensions 16 and 8 differ"])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              q: [batch, 4, 16]
            forward:
              - matmul: {inputs: [q, q], transpose_a: 1}
            """) == ["A.yaml:6:43: error: transpose_a must be true or false, not '1'"])
    }

    @Test func layerUsedAsAValue() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              d: {v1.Dense: {units: 3}}
            forward:
              - scope: s
                do:
                  - add: [x, d]
            """) == ["A.yaml:10:18: error: undefined value 'd'; 'd' is a layer: call it as its own step, then use its result"])
    }

    @Test func wrongNumberOfOperands() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - matmul: [x]
            """) == ["A.yaml:6:13: error: matmul takes 2 operands, but 1 is given, such as matmul: [a, b] (write _ for the previous value)"])
    }

    @Test func stepWithoutAnyInput() throws {
        #expect(try lines("""
            spec: 1
            model: A
            forward:
              - relu
            """) == ["A.yaml:4:5: error: relu has no input: there is no previous step and the model has no inputs"])
    }

    @Test func bindingTooManyNames() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu:
                as: [a, b]
              - add: [a, b]
            """) == ["A.yaml:7:9: error: this step makes 1 value, but 'as' names 2"])
    }

    @Test func bindingAReservedName() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu:
                as: training
            """) == ["A.yaml:7:9: error: 'training' is reserved; choose another value name"])
    }

    @Test func assignToAValueThatIsNotAVariable() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu:
                as: h
              - assign: [h, x]
            """) == ["A.yaml:8:13: error: assign needs a variable as its first operand, but 'h' is not one"])
    }

    @Test func undefinedOutput() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu:
                as: h
            outputs: [h, g]
            """) == ["A.yaml:8:14: error: undefined value 'g'"])
    }

    // MARK: Layer arguments

    @Test func unknownLayerArgumentWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, kernel_regulariser: l2}
            """) == ["A.yaml:8:27: error: unknown key 'kernel_regulariser' in dense; did you mean 'kernel_regularizer'?"])
    }

    @Test func misspelledRequiredArgumentIsOneError() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - get_or_create_layer: {name: m, layer: {Dense: {unit: 3}}}
            """) == ["A.yaml:6:52: error: unknown key 'unit' in dense; did you mean 'units'?"])
    }

    @Test func stringForUnits() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: ten}
            """) == ["A.yaml:8:24: error: units must be an integer, not 'ten'"])
    }

    @Test func listForABool() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, use_bias: [true]}
            """) == ["A.yaml:8:37: error: use_bias must be true or false, not a sequence"])
    }

    @Test func denseWithoutUnits() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {activation: relu}
            """) == ["A.yaml:8:16: error: dense needs 'units'"])
    }

    @Test func conv2dWithoutKernelSize() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 4}
            """) == ["A.yaml:8:17: error: conv2d needs 'kernel_size'"])
    }

    @Test func variableWithoutShape() throws {
        // The variable's name stays defined, so the matmul using it says nothing more.
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - variable: {name: w}
                  - matmul: [x, w]
            """) == ["A.yaml:8:19: error: variable needs a 'shape', such as [features, $units] ([] for a scalar)"])
    }

    @Test func variableNameWithSlash() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - variable: {name: a/b, shape: [3]}
                  - add: [x, _]
            """) == ["A.yaml:8:26: error: a variable name must be non-empty and without '/'; put it in a scope instead"])
    }

    @Test func zeroStridesAreAnErrorNotACrash() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 3, kernel_size: 3, strides: 0}
            """) == ["A.yaml:8:55: error: strides must be positive, not 0"])
    }

    @Test func zeroPoolSizeIsAnErrorNotACrash() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 8, 8, 3]
            layers:
              p: {MaxPooling2D: {pool_size: 0}}
            forward:
              - p
            """) == ["A.yaml:7:33: error: pool_size must be positive, not 0"])
    }

    /// Keras's pooling defaults `pool_size` to (2, 2) (LayerGoldenTests' `*_pooling2d_keras_defaults`);
    /// `tf.compat.v1.layers.max_pooling2d` and `v1.MaxPooling2D` take neither by default, as TensorFlow.
    @Test func compatPoolingNeedsPoolSizeAndStrides() throws {
        let functional = try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 3]
            forward:
              - scope: s
                do:
                  - max_pooling2d: {strides: 2}
            """)
        #expect(functional == ["A.yaml:8:24: error: max_pooling2d needs 'pool_size'"])
        let object = try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 3]
            layers:
              p: {v1.AveragePooling2D: {pool_size: 2}}
            forward:
              - p
            """)
        #expect(object == ["A.yaml:6:28: error: average_pooling2d needs 'strides'"])
    }

    @Test func negativeUnitsFromAParameter() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              units: {type: Int, default: -2}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: $units}
            """) == ["A.yaml:10:9: error: dense: units must be positive, not -2"])
    }

    @Test func dropoutRateOutOfRange() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dropout: {rate: 1.5}
            """) == ["A.yaml:8:25: error: rate must be at least 0 and less than 1, not 1.5"])
    }

    // MARK: Parameters

    @Test func undefinedParameterWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              units: {type: Int, default: 4}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: $unit}
            """) == ["A.yaml:10:24: error: undefined parameter '$unit'; did you mean 'units'?"])
    }

    @Test func parameterOfTheWrongType() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              units: {type: String, default: four}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: $units}
            """) == ["A.yaml:10:24: error: parameter '$units' is String, but Int is needed here"])
    }

    @Test func parameterDefaultOfTheWrongType() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              units: {type: Int, default: 2.5}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: $units}
            """) == ["A.yaml:4:31: error: the default of 'units' must be an integer, not '2.5'"])
    }

    @Test func parameterValueOfTheWrongTypeFromTheCaller() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              units: {type: Int, default: 3}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: $units}
            """, params: ["units": .string("ten")]) == ["A.yaml:10:9: error: parameter '$units' must be Int, but its value is 'ten' (String)"])
    }

    // MARK: Names of things

    @Test func unknownInitializer() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, kernel_initializer: glorot_unifrom}
            """) == ["A.yaml:8:47: error: unknown initializer 'glorot_unifrom'; did you mean 'glorot_uniform'?"])
    }

    @Test func unknownRegularizer() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, kernel_regularizer: l3}
            """) == ["A.yaml:8:47: error: unknown regularizer 'l3'; use l1, l2 or l1_l2, or {l2: 0.001} for another factor"])
    }

    @Test func unknownActivation() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, activation: rleu}
            """) == ["A.yaml:8:39: error: unknown activation 'rleu'; did you mean 'relu'?"])
    }

    @Test func unknownPadding() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 8, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 3, kernel_size: 3, padding: full}
            """) == ["A.yaml:8:55: error: padding must be valid or same, not 'full'"])
    }

    @Test func unknownDtype() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: {shape: [batch, 3], dtype: float}
            forward:
              - relu
            """) == ["A.yaml:4:33: error: unknown dtype 'float'; use one of float32, float64, int32, int64, bool, string"])
    }

    @Test func trainingFlagOfAnotherType() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
              training: Int
            forward:
              - relu
            """) == ["A.yaml:5:13: error: 'training' is the call's training flag and must be declared as 'training: Bool'"])
    }

    @Test func inputsAsAListStillLetStepsRun() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs: [x, y]
            forward:
              - relu
            """) == ["A.yaml:3:9: error: inputs must be a mapping, not a sequence"])
    }

    @Test func negativeDimension() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, -3, 7]
            forward:
              - relu
            """) == ["A.yaml:4:14: error: a dimension cannot be negative (-3)"])
    }

    // MARK: Scopes and reuse

    @Test func badReuseValue() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                reuse: always
                do:
                  - dense: {units: 3}
            """) == ["A.yaml:7:12: error: reuse must be true, false or auto, not 'always'"])
    }

    @Test func stepsOfAScopeWithABadReuseAreStillChecked() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                reuse: always
                do:
                  - dense: {units: 3, activation: rleu}
            """) == [
                "A.yaml:7:12: error: reuse must be true, false or auto, not 'always'",
                "A.yaml:9:39: error: unknown activation 'rleu'; did you mean 'relu'?",
            ])
    }

    @Test func reuseTrueWithOnlyADefaultName() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: {default_name: block}
                reuse: true
                do:
                  - dense: {units: 3}
            """) == ["A.yaml:7:12: error: reuse: true needs a scope name; TensorFlow refuses reuse=True with only a default_name"])
    }

    @Test func nameScopeHasNoReuse() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - name_scope: n
                reuse: true
                do:
                  - relu
            """) == ["A.yaml:7:5: error: name_scope has no reuse; use scope for variable reuse"])
    }

    // MARK: Shapes

    @Test func matmulInnerDimensionsDiffer() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [8, 20]
            forward:
              - scope: s
                do:
                  - variable: {name: w, shape: [30, 10]}
                  - matmul: [x, w]
            """) == ["A.yaml:9:9: error: matmul of [8, 20] by [30, 10]: inner dimensions 20 and 30 differ"])
    }

    @Test func biasAddWithTheWrongBias() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 20]
            forward:
              - scope: s
                do:
                  - variable: {name: b, shape: [10]}
                  - bias_add: [x, b]
            """) == ["A.yaml:9:9: error: bias_add needs a bias of shape [20] for a value of shape [batch, 20], but the bias has shape [10]"])
    }

    @Test func reshapeWithAnotherElementCount() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [4, 6]
            forward:
              - reshape: {input: x, shape: [5, 5]}
            """) == ["A.yaml:6:5: error: reshape of [4, 6] (24 elements) to [5, 5] (25 elements)"])
    }

    @Test func reshapeThatCannotInfer() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [4, 6]
            forward:
              - reshape: {input: x, shape: [0, -1]}
            """) == ["A.yaml:6:5: error: reshape of [4, 6] (24 elements) to [0, -1]: the -1 cannot be inferred when another size is 0"])
    }

    @Test func concatOfDifferentRanks() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
              y: [batch, 3, 2]
            forward:
              - concat: {inputs: [x, y], axis: 1}
            """) == ["A.yaml:7:5: error: concat: shapes [batch, 3] and [batch, 3, 2] differ in rank"])
    }

    @Test func conv2dOnARank3Input() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 8, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 3, kernel_size: 3}
            """) == ["A.yaml:8:9: error: conv2d needs an NHWC input of rank 4, but got shape [batch, 8, 3]"])
    }

    @Test func conv2dKernelLargerThanItsInput() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4, 4, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 3, kernel_size: 5}
            """) == ["A.yaml:8:9: error: conv2d with a 5x5 kernel and valid padding on input [batch, 4, 4, 3] leaves no output"])
    }

    @Test func softmaxAxisOutOfRange() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - softmax: {axis: 2}
            """) == ["A.yaml:6:5: error: softmax: axis 2 is out of range for shape [batch, 3]"])
    }

    @Test func inputRankMismatchFromTheCaller() throws {
        let checked = try MalformedSpec.check(["A.yaml": Array("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """.utf8)], inputs: ["x": [2, 3, 4]])
        #expect(checked.lines == ["A.yaml:4:3: error: input 'x' has rank 2 (batch, 3), but a value of shape [2, 3, 4] is given"])
        #expect(checked.checked.model == nil)
    }

    @Test func inputSizeMismatchFromTheCaller() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """, inputs: ["x": [2, 4]]) == ["A.yaml:4:3: error: input 'x' needs shape [batch, 3], but a value of shape [2, 4] is given"])
    }

    @Test func symbolBoundToTwoSizes() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
              y: [batch, 3]
            forward:
              - add: [x, y]
            """, inputs: ["x": [2, 3], "y": [5, 3]]) == [
                "A.yaml:5:3: error: symbol 'batch' is 2 in input 'x' but 5 in input 'y' (shape [5, 3]); a symbol has one size in a call",
            ])
    }

    @Test func unknownInputFromTheCaller() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - relu
            """, inputs: ["z": [1]]) == ["A.yaml:2:8: error: A has no input 'z'; its inputs are x"])
    }

    // MARK: Variables: what TensorFlow 1 refuses

    @Test func sameVariableTwiceInOneCallWithoutReuse() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, name: fc}
                  - dense: {units: 3, name: fc}
            """) == [
                "A.yaml:9:9: error: variable 's/fc/kernel' is created twice in one call without reuse: TensorFlow 1 refuses this (\"Variable s/fc/kernel already exists, disallowed\"), while the shim (track_tf1_style_variables) silently shares it; to share it, give the enclosing scope 'reuse: auto', or give the layer another name",
                "A.yaml:9:9: error: variable 's/fc/bias' is created twice in one call without reuse: TensorFlow 1 refuses this (\"Variable s/fc/bias already exists, disallowed\"), while the shim (track_tf1_style_variables) silently shares it; to share it, give the enclosing scope 'reuse: auto', or give the layer another name",
            ])
    }

    @Test func reuseTrueOfAMissingVariable() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                reuse: true
                do:
                  - variable: {name: w, shape: [3, 4]}
                  - matmul: [x, w]
            """) == ["A.yaml:9:9: error: variable 's/w' does not exist, but its scope has reuse: true; TensorFlow 1 refuses this (\"Variable s/w does not exist, or was not created with tf.get_variable()\"), while the shim (track_tf1_style_variables) silently creates it; use 'reuse: auto' to create it when missing"])
    }

    @Test func sharingAVariableWithAnotherShape() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                reuse: auto
                do:
                  - variable: {name: w, shape: [3, 4]}
                  - variable: {name: w, shape: [3, 5]}
                  - matmul: [x, w]
            """) == ["A.yaml:10:9: error: trying to share variable 's/w' with shape [3, 5], but it was created with shape [3, 4]"])
    }

    @Test func sharingAVariableWithAnotherDtype() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                reuse: auto
                do:
                  - variable: {name: w, shape: [3]}
                  - variable: {name: w, shape: [3], dtype: float64}
                  - add: [x, w]
            """) == ["A.yaml:10:9: error: trying to share variable 's/w' as float64, but it was created as float32"])
    }

    // MARK: Layers, other specs and templates

    @Test func specThatUsesItself() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              me: {A: {}}
            forward:
              - me
            """) == ["A.yaml:6:8: error: spec 'A' uses itself (A -> A); a model cannot contain itself"])
    }

    @Test func specThatUsesItselfThroughAnother() throws {
        let a = """
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              b: {B: {}}
            forward:
              - b
            """
        let b = """
            spec: 1
            model: B
            inputs:
              x: [batch, 3]
            layers:
              a: {A: {}}
            forward:
              - a
            """
        #expect(try MalformedSpec.diagnostics(["A.yaml": a, "B.yaml": b]) == [
            "B.yaml:6:7: error: spec 'A' uses itself (A -> B -> A); a model cannot contain itself",
            "A.yaml:6:7: error: model 'B' (B.yaml) has errors",
        ])
        #expect(try MalformedSpec.diagnostics(["A.yaml": a, "B.yaml": b], main: "B.yaml") == [
            "A.yaml:6:7: error: spec 'B' uses itself (B -> A -> B); a model cannot contain itself",
            "B.yaml:6:7: error: model 'A' (A.yaml) has errors",
        ])
    }

    @Test func usedSpecWithErrorsShowsThemAsNotes() throws {
        #expect(try MalformedSpec.diagnostics([
            "A.yaml": """
                spec: 1
                model: A
                inputs:
                  x: [batch, 3]
                layers:
                  b: {B: {}}
                forward:
                  - scope: s
                    do:
                      - b
                """,
            "B.yaml": """
                spec: 1
                model: B
                inputs:
                  x: [batch, 3]
                forward:
                  - rleu
                """,
        ]) == [
            "A.yaml:6:7: error: model 'B' (B.yaml) has errors",
            "B.yaml:6:5: note: unknown operation 'rleu'; did you mean 'relu'?",
        ])
    }

    @Test func unknownLayerClassWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 3]
            layers:
              d: {Dens: {units: 3}}
            forward:
              - d
            """) == ["A.yaml:7:7: error: unknown layer class 'Dens': not a built-in layer nor the model of another spec in this folder; did you mean 'Dense'?"])
    }

    @Test func unknownCompatLayerClass() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              d: {v1.Desne: {units: 3}}
            forward:
              - scope: s
                do:
                  - d
            """) == ["A.yaml:6:7: error: unknown tf.compat.v1.layers class 'Desne'; did you mean 'Dense'?"])
    }

    @Test func functionNameUnderLayers() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              d: {dense: {units: 3}}
            forward:
              - scope: s
                do:
                  - d
            """) == ["A.yaml:6:7: error: 'dense' is a function; under layers: write its class, Dense (Keras) or v1.Dense (tf.compat.v1.layers)"])
    }

    @Test func layerNamedLikeAnOperation() throws {
        // Before, `- relu` silently applied relu and the layer was never called.
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              relu: {v1.Dense: {units: 3}}
            forward:
              - scope: s
                do:
                  - relu
            """) == ["A.yaml:6:3: error: layer name 'relu' is also an operation, which a step '- relu' performs; choose another name, such as relu_layer"])
    }

    @Test func nestedSpecMissingARequiredParameter() throws {
        #expect(try MalformedSpec.diagnostics([
            "A.yaml": """
                spec: 1
                model: A
                inputs:
                  x: [batch, 3]
                layers:
                  inner: {B: {}}
                forward:
                  - scope: s
                    do:
                      - inner
                """,
            "B.yaml": """
                spec: 1
                model: B
                params:
                  units: {type: Int}
                inputs:
                  x: [batch, 3]
                forward:
                  - scope: inner
                    do:
                      - dense: {units: $units}
                """,
        ]) == ["A.yaml:6:14: error: B needs its parameter 'units'"])
    }

    @Test func nestedSpecCalledWithTooManyInputs() throws {
        #expect(try MalformedSpec.diagnostics([
            "A.yaml": """
                spec: 1
                model: A
                inputs:
                  x: [batch, 3]
                  y: [batch, 3]
                layers:
                  b: {B: {}}
                forward:
                  - scope: s
                    do:
                      - b: [x, y]
                """,
            "B.yaml": """
                spec: 1
                model: B
                inputs:
                  x: [batch, 3]
                forward:
                  - relu
                """,
        ]) == ["A.yaml:11:9: error: B takes 1 input, but 2 are given"])
    }

    @Test func templateWithoutATensorArgument() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            templates:
              scale:
                args: {name: String}
                do:
                  - variable: {name: $name, shape: []}
            layers:
              s: {template: scale, name: y}
            forward:
              - s
            """) == ["A.yaml:7:11: error: template 'scale' needs at least one Tensor argument, its input, such as args: {x: Tensor}"])
    }

    @Test func undefinedTemplateWithSuggestion() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            templates:
              scale:
                args: {x: Tensor}
                do:
                  - variable: {name: w, shape: []}
                  - multiply: [x, w]
            layers:
              s: {template: scael}
            forward:
              - scope: s
                do:
                  - s
            """) == ["A.yaml:12:17: error: undefined template 'scael'; did you mean 'scale'?"])
    }

    @Test func templateCalledWithoutAnInstance() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            templates:
              t:
                args: {x: Tensor}
                do:
                  - relu
            forward:
              - t
            """) == ["A.yaml:11:5: error: template 't' must be made once under 'layers:' (t: {template: t, ...}) and called by that name, as make_template is called once in __init__"])
    }

    // MARK: Legacy and native

    @Test func legacyOperationInANativeModel() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 3]
            forward:
              - dense: {units: 3}
            """) == ["A.yaml:7:5: error: 'dense' is a tf.compat.v1.layers function, which belongs to legacy models; declare a native Dense under 'layers:' and call it"])
    }

    @Test func getVariableInANativeModel() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 3]
            forward:
              - variable: {name: w, shape: [3]}
              - add: [x, w]
            """) == ["A.yaml:7:5: error: 'variable' (get_variable) belongs to legacy models; a native model declares its weights under 'weights:'"])
    }

    @Test func recordScopeInANativeModel() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 3]
            forward:
              - record_scope: dense
              - relu
            """) == ["A.yaml:7:5: error: 'record_scope' belongs to legacy models (style: legacy)"])
    }

    @Test func weightCreatedAtAnUnknownTime() throws {
        #expect(try lines("""
            spec: 1
            model: A
            style: native
            inputs:
              x: [batch, 3]
            weights:
              w: {shape: [3], create: later}
            forward:
              - add: [x, w]
            """) == ["A.yaml:7:27: error: create must be init (made with the layer) or build (made on the first call), not 'later'"])
    }

    // MARK: Warnings

    @Test func unusedValues() throws {
        let checked = try MalformedSpec.check(["A.yaml": Array("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
              y: [batch, 3]
            forward:
              - relu: x
                as: h
              - tanh: x
            """.utf8)])
        #expect(checked.lines == [
            "A.yaml:5:3: warning: value 'y' is never used",
            "A.yaml:8:9: warning: value 'h' is never used",
        ])
        #expect(checked.checked.model != nil)
    }

    @Test func thrownAwayLayerOutput() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3}
                  - dense: {units: 4, input: x}
            """) == ["A.yaml:8:9: warning: the output of dense is thrown away: no later step uses it"])
    }

    @Test func autoNamedLayerOutsideAnyScope() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - dense: {units: 3}
            """) == ["A.yaml:6:12: warning: auto-named dense outside any variable scope: TensorFlow's counter for it never resets there, so every call makes new variables (dense, then dense_1, ...); put it inside a 'scope' or give it a name"])
    }

    /// TensorFlow opens `block`, `block_1`, ... one per call of the model there, and makes a
    /// new layer in each (`Tests/Goldens/keras_counter/default_name_at_root.json`).
    @Test func getOrCreateLayerInADefaultNameScopeAtTheRoot() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: {default_name: block}
                do:
                  - scope: inner
                    do:
                      - get_or_create_layer: {name: a, layer: {Dense: {units: 3}}}
            """) == ["A.yaml:10:34: error: get_or_create_layer 'a' is inside 'scope: {default_name: block}' opened outside any named variable scope: TensorFlow never resets the counters there, so every call of the model opens a new scope ('block', then 'block_1', ...) and makes a new layer with new weights in it; give the scope a name (scope: block) or open it inside a named variable scope"])
        // Inside a named scope, or in a nested block, the scope is the same on every call.
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: outer
                do:
                  - scope: {default_name: block}
                    do:
                      - get_or_create_layer: {name: a, layer: {Dense: {units: 3}}}
            """) == [])
    }

    @Test func nestedSpecHasNoWarningAboutItsRoot() throws {
        // A block made to run inside other models: its root is the caller's scope.
        #expect(try lines("""
            spec: 1
            model: A
            nested: true
            inputs:
              x: [batch, 3]
            forward:
              - dense: {units: 3}
            """) == [])
    }

    @Test func nestedMustBeABool() throws {
        #expect(try lines("""
            spec: 1
            model: A
            nested: 1
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3}
            """) == ["A.yaml:3:9: error: nested must be true or false, not '1'"])
    }

    // MARK: Several errors

    @Test func severalErrorsInOneRun() throws {
        let checked = try MalformedSpec.check(["A.yaml": Array("""
            spec: 1
            model: A
            params:
              units: {type: Integer}
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                do:
                  - dense: {units: 3, activation: rleu}
                  - conv2d: {filters: 2}
                  - matmul: [_, w]
            """.utf8)])
        #expect(checked.lines == [
            "A.yaml:4:17: error: unknown parameter type 'Integer'; use Int, Float, Bool or String",
            "A.yaml:10:39: error: unknown activation 'rleu'; did you mean 'relu'?",
            "A.yaml:11:17: error: conv2d needs 'kernel_size'",
            "A.yaml:12:21: error: undefined value 'w'",
        ])
        #expect(checked.checked.model == nil)
        #expect(checked.checked.hasErrors)
    }

    // MARK: Garbage never crashes

    @Test func emptyFile() throws {
        #expect(try MalformedSpec.check(["A.yaml": []]).lines == ["A.yaml:1:1: error: a spec must be a mapping, not null"])
    }

    @Test func scalarFile() throws {
        #expect(try lines("hello\n") == ["A.yaml:1:1: error: a spec must be a mapping, not a string"])
    }

    @Test func listFile() throws {
        #expect(try lines("- 1\n- 2\n") == ["A.yaml:1:1: error: a spec must be a mapping, not a sequence"])
    }

    @Test func binaryBytes() throws {
        let bytes: [UInt8] = [0x73, 0x70, 0xB7, 0x00, 0x01, 0xFF, 0xFE, 0x0A]
        #expect(try MalformedSpec.check(["A.yaml": bytes]).lines == ["A.yaml:1:3: error: the file is not UTF-8 (or UTF-16) text: invalid leading UTF-8 octet (byte 0xB7)"])
    }

    @Test func modelNameThatIsAList() throws {
        #expect(try lines("""
            spec: 1
            model: [A]
            forward:
              - relu
            """) == ["A.yaml:2:8: error: model must be a string, not a sequence"])
    }

    @Test func seededRandomGarbageNeverCrashes() throws {
        // Mutations of a valid spec: every one gives a result, errors or not.
        let valid = Array("""
            spec: 1
            model: A
            params:
              units: {type: Int, default: 4}
            inputs:
              x: [batch, 8, 8, 3]
            layers:
              conv: {v1.Conv2D: {filters: 2, kernel_size: 3, strides: 1}}
            forward:
              - scope: model
                do:
                  - conv
                  - flatten
                  - dense: {units: $units, kernel_regularizer: l2}
                  - reshape: {input: _, shape: [-1, 2, 2]}
                  - reduce_sum: {input: _, axis: 1}
            """.utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("0123456789-:[]{}, \n\t_$#&*!|>'\"abcxyz".utf8)
        for _ in 0..<300 {
            var bytes = valid
            for _ in 0..<(1 + next() % 4) {
                let position = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[position] = alphabet[next() % alphabet.count]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[next() % alphabet.count], at: position)
                }
            }
            let result = try MalformedSpec.check(["A.yaml": bytes])
            #expect(result.checked.hasErrors == (result.checked.model == nil))
        }
    }
}
