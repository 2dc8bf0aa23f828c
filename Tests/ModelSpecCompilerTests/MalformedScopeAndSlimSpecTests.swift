import Foundation
import ModelSpecCompiler
import Testing

/// The exact diagnostics of malformed scope defaults, partitioners and TF-Slim steps.
@Suite struct MalformedScopeAndSlimSpecTests {
    @Test func scopeDefaults() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                partitioner: {fixed_sized: 3}
                initializer: {constant: 0.5}
                do:
                  - dense: {units: 2}
                    initializer: zeros
              - name_scope: n
                regularizer: l2
                do:
                  - relu: x
            """) == [
                "A.yaml:7:19: error: unknown partitioner 'fixed_sized'; did you mean 'fixed_size'?",
                "A.yaml:11:9: error: 'initializer' belongs to a scope step, not to 'dense'",
                "A.yaml:13:5: error: name_scope has no regularizer; use scope for variable defaults",
            ])
    }

    @Test func partitionerTensorFlowRefuses() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - scope: s
                partitioner: {fixed_size: {shards: 2, axis: 2}}
                do:
                  - variable: {name: w, shape: [3, 4]}
                  - matmul: [x, w]
            """) == [
                "A.yaml:7:18: warning: the shim (track_tf1_style_variables) refuses partitioners (TensorFlow 2 raises \"`partitioner` arg for `get_variable` is unsupported in TF2\"); ModelSpec makes each variable whole, named and saved as graph-mode TensorFlow 1 saves its parts (slices of one checkpoint key), and lists the parts",
                "A.yaml:9:9: error: variable 's/w': cannot partition variable along axis 2 when shape is only [3, 4], as TensorFlow refuses it",
            ])
    }

    @Test func slimSteps() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6, 6, 3]
            forward:
              - scope: m
                do:
                  - arg_scope:
                      ops: [slim.conv2d, slim.conv3d]
                      keep_prob: 0.5
                    do:
                      - slim.conv2d: {kernel_size: 3}
                      - slim.conv2d: {num_outputs: 3, kernel_size: 3, normalizer_fn: layer_norm}
                      - slim.dropout: {keep_prob: 1.5}
                      - slim.convolution: {num_outputs: 3}
                      - slim.repeat: {layer: slim.conv2d, num_outputs: 3, kernel_size: 1}
                      - slim.conv2d: {num_outputs: 3, kernel_size: 1, weights_regularizer: {l2_regularizer: 0}}
            """) == [
                "A.yaml:9:30: error: arg_scope takes the slim layers it applies to, not 'slim.conv3d'; did you mean 'slim.conv2d'?",
                "A.yaml:10:11: error: slim.conv2d takes no 'keep_prob', so this arg_scope cannot give it",
                "A.yaml:12:26: error: slim.conv2d needs 'num_outputs'",
                "A.yaml:13:74: error: normalizer_fn can be batch_norm (slim.batch_norm) or null, not 'layer_norm'",
                "A.yaml:14:39: error: keep_prob must be more than 0 and at most 1, not 1.5",
                "A.yaml:15:31: error: unknown TF-Slim step 'slim.convolution'",
                "A.yaml:16:26: error: slim.repeat needs 'repetitions'",
                "A.yaml:17:97: error: l2_regularizer with scale 0.0 makes no regularizer in TF-Slim (a scale of 0 disables it; a negative one is refused); leave the regularizer out",
            ])
    }

    /// Slim's `updates_collections` and `fused` (normalizer_params, slim.batch_norm, arg_scope), and an
    /// activation an arg_scope would give a layer's normalizer.
    @Test func slimBatchNormKeys() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6, 6, 3]
            forward:
              - scope: m
                do:
                  - arg_scope: {ops: [slim.batch_norm], activation_fn: relu, fused: null, updates_collections: null}
                    do:
                      - slim.batch_norm: {updates_collections: tf.GraphKeys.UPDATE_OPS, fused: false}
                      - slim.conv2d: {num_outputs: 2, kernel_size: 1, normalizer_fn: slim.batch_norm,
                                      normalizer_params: {updates_collections: my_updates, fused: 1}}
            """) == [
                "A.yaml:8:60: error: an arg_scope gives slim.batch_norm an activation_fn, which would reach the normalizer of the layer at line 11 (Slim applies it before the layer's own activation); ModelSpec cannot apply two activations there yet: give this arg_scope 'activation_fn' for the slim.batch_norm steps only, or leave it out",
                "A.yaml:12:87: error: fused must be true or false, not '1'",
                "A.yaml:12:68: error: updates_collections can be UPDATE_OPS (tf.GraphKeys.UPDATE_OPS, Slim's default) or null, not 'my_updates'; other collections change nothing ModelSpec computes but are not recognised",
            ])
    }

    /// `identity` and `orthogonal` on shapes TensorFlow refuses, at check time where the variable is made.
    @Test func initializerShapes() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4, 4, 3]
            weights:
              w: {shape: [3], initializer: orthogonal}
            forward:
              - scope: m
                do:
                  - variable: {name: v, shape: [3, 3, 2], initializer: identity}
              - scope: n
                initializer: {identity: {gain: 2}}
                do:
                  - variable: {name: b, shape: [4]}
              - conv2d: {input: x, filters: 2, kernel_size: 1, kernel_initializer: identity, name: c}
              - add: [_, w]
            """) == [
                "A.yaml:6:3: error: weight 'w': the orthogonal initializer needs a shape of rank 2 or more, but this variable has shape [3]; TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\"",
                "A.yaml:10:9: error: variable 'v': the identity initializer makes matrices, but this variable has shape [3, 3, 2] (rank 3); TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\" (and its identity is for 2D matrices only)",
                "A.yaml:14:9: error: variable 'b': the identity initializer makes matrices, but this variable has shape [4] (rank 1); TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\" (and its identity is for 2D matrices only)",
                "A.yaml:15:5: error: conv2d variable 'kernel': the identity initializer makes matrices, but this variable has shape [1, 1, 3, 2] (rank 4); TensorFlow refuses it: \"The tensor to initialize, specified by argument `shape` must be at least two-dimensional\" (and its identity is for 2D matrices only)",
            ])
    }

    /// `None` written where TensorFlow's default is `None` (`kernel_regularizer=None`, `fused=None`,
    /// `kernel_initializer=None`) is accepted and means the default, as in TensorFlow.
    @Test func noneWhereTensorFlowDefaultsToNone() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4, 4, 3]
            forward:
              - scope: s
                do:
                  - conv2d_transpose: {filters: 2, kernel_size: 3, strides: 2, kernel_regularizer: null, kernel_initializer: null}
                  - batch_normalization: {fused: null, training: true}
                  - conv2d: {filters: 2, kernel_size: 1, bias_regularizer: null, activity_regularizer: null}
            """) == [])
    }

    /// `data_format`: the channels-last layout is accepted (TensorFlow's default, the only one computed),
    /// the channels-first one refused where it is written.
    @Test func dataFormat() throws {
        #expect(try MalformedSpec.diagnostics("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4, 4, 3]
            forward:
              - scope: s
                do:
                  - conv2d: {filters: 2, kernel_size: 1, data_format: channels_last}
                  - max_pooling2d: {pool_size: 2, strides: 2, data_format: null}
                  - slim.conv2d: {num_outputs: 2, kernel_size: 1, data_format: NHWC}
                  - slim.max_pool2d: {kernel_size: 1, stride: 1, data_format: NCHW}
                  - conv2d: {filters: 2, kernel_size: 1, data_format: channels_first}
                  - conv2d: {filters: 2, kernel_size: 1, data_format: NHWC}
            """) == [
                "A.yaml:11:67: error: data_format NCHW is not in the language: ModelSpec computes NHWC (the channels last) only, TensorFlow's default; transpose the input to channels last (transpose: {perm: [0, 2, 3, 1]}) and leave data_format out (the variables' shapes are the same in both layouts)",
                "A.yaml:12:59: error: data_format channels_first is not in the language: ModelSpec computes channels_last (the channels last) only, TensorFlow's default; transpose the input to channels last (transpose: {perm: [0, 2, 3, 1]}) and leave data_format out (the variables' shapes are the same in both layouts)",
                "A.yaml:13:59: error: data_format must be channels_last (or channels_first, which is not in the language), not 'NHWC'",
            ])
    }
}
