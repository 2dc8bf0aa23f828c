"""Goldens for the seed models (Tests/Goldens/seeds/<Model>/).

Every model class below is copied from the seed documents in
/work/shared/seeds (000: track_tf1_style_variables reference, 001: TensorFlow's
guide to the shim, 003: the Layer reference, 004: BahdanauAttention), with the
seed's own decorators, units and input shapes. The only deliberate change is
CompatV1BatchNorm, whose seed body uses a global `x` instead of `inputs`.

For each model we write

  manifest.json  {"creation_order": [{"name", "shape", "dtype", "trainable",
                                      "object_path", "checkpoint_key"}],
                  "weights": [...], "trainable_weights": [...],
                  "non_trainable_weights": [...]}
  case.json      see `run_case` (params, inputs, weights index, outputs,
                 losses, training results, notes)
  input_<i>.npy, output_<i>.npy, weights/<i>.npy, ...

Creation order is captured with `tf.variable_creator_scope` around the
constructor and the first call: every `tf.Variable` that is built (by
`get_variable` in the shim's `_EagerVariableStore`, by Keras `add_weight`, or
directly) passes through the creator in the order it is created. For shim
variables this is cross-checked against the insertion order of the store's
`_vars` dict.

Keras auto names (`conv2d`, `conv2d_1`, `dense`, the outer layer's
`partially_native_keras_layers_model`) come from global per-process counters
(`backend.unique_object_name`). Each model is built right after
`tf.keras.backend.clear_session()`, which resets those counters and also the
default graph that holds the eager `_VariableScopeStore` (variable_scopes_count),
so every model sees the state of a fresh process.
"""
import collections
import inspect
import os
import shutil
import tempfile
import textwrap
import zlib

import numpy as np
import tensorflow as tf

# Names the seeds use without importing them (seed 000).
from tensorflow.python.ops import init_ops  # noqa: F401  (used by seed 000)
from tensorflow.python.checkpoint import graph_view
from tensorflow.python.trackable import trackable_utils
from tensorflow.python.util import object_identity
from tf_keras.src.legacy_tf_layers import variable_scope_shim

from common import golden_dir, write_json, write_npy

v1 = tf.compat.v1
regularizers = tf.keras.regularizers


# --------------------------------------------------------------------------
# Seed 000: WrappedDoubleDenseLayer, compat-layers form and get_variable form.

class WrappedDoubleDenseLayer(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    with tf.compat.v1.variable_scope("double_dense_layer"):
      out = tf.compat.v1.layers.dense(
          inputs, self.units, name="dense_one",
          kernel_initializer=tf.compat.v1.random_normal_initializer,
          kernel_regularizer="l2")
      out = tf.compat.v1.layers.dense(
          out, self.units, name="dense_two",
          kernel_initializer=tf.compat.v1.random_normal_initializer(),
          kernel_regularizer="l2")
    return out


class WrappedDoubleDenseLayerGetVariable(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    out = inputs
    with tf.compat.v1.variable_scope("double_dense_layer"):
      with tf.compat.v1.variable_scope("dense_one"):
        # The weights are created with a `regularizer`,
        # so the layer should track their regularization losses
        kernel = tf.compat.v1.get_variable(
            shape=[out.shape[-1], self.units],
            regularizer=regularizers.L2(),
            initializer=init_ops.ones_initializer(),
            name="kernel")
        bias = tf.compat.v1.get_variable(
            shape=[self.units,],
            initializer=init_ops.zeros_initializer(),
            name="bias")
        out = tf.compat.v1.matmul(out, kernel)  # seed: tf.compat.v1.math.matmul (absent in TF 2.21)
        out = tf.compat.v1.nn.bias_add(out, bias)
      with tf.compat.v1.variable_scope("dense_two"):
        kernel = tf.compat.v1.get_variable(
            shape=[out.shape[-1], self.units],
            regularizer=regularizers.L2(),
            initializer=init_ops.ones_initializer(),
            name="kernel")
        bias = tf.compat.v1.get_variable(
            shape=[self.units,],
            initializer=init_ops.zeros_initializer(),
            name="bias")
        out = tf.compat.v1.matmul(out, kernel)  # seed: tf.compat.v1.math.matmul (absent in TF 2.21)
        out = tf.compat.v1.nn.bias_add(out, bias)
    return out


# --------------------------------------------------------------------------
# Seed 001: TensorFlow's guide "Use TF1.x models in TF2 workflows".

class DenseLayer(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    out = inputs
    with tf.compat.v1.variable_scope("dense"):
      # The weights are created with a `regularizer`,
      # so the layer should track their regularization losses
      kernel = tf.compat.v1.get_variable(
          shape=[out.shape[-1], self.units],
          regularizer=tf.keras.regularizers.L2(),
          initializer=tf.compat.v1.initializers.glorot_normal,
          name="kernel")
      bias = tf.compat.v1.get_variable(
          shape=[self.units,],
          initializer=tf.compat.v1.initializers.zeros,
          name="bias")
      out = tf.linalg.matmul(out, kernel)
      out = tf.compat.v1.nn.bias_add(out, bias)
    return out


class CompatV1LayerModel(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    with tf.compat.v1.variable_scope('model'):
      out = tf.compat.v1.layers.conv2d(
          inputs, 3, 3,
          kernel_regularizer="l2")
      out = tf.compat.v1.layers.flatten(out)
      out = tf.compat.v1.layers.dense(
          out, self.units,
          kernel_regularizer="l2")
      return out


class CompatV1BatchNorm(tf.keras.layers.Layer):

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    print("Forward pass called with `training` =", training)
    with v1.variable_scope('batch_norm_layer'):
      # The seed has `x` here (a global of the notebook); fixed to `inputs`.
      return v1.layers.batch_normalization(inputs, training=training)


class NestedModel(tf.keras.Model):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  def build_model(self):
    inp = tf.keras.Input(shape=(5, 5))
    dense_layer = tf.keras.layers.Dense(
        10, name="dense", kernel_regularizer="l2",
        kernel_initializer=tf.compat.v1.ones_initializer())
    model = tf.keras.Model(inputs=inp, outputs=dense_layer(inp))
    return model

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    # Get or create a nested model without assigning it as an explicit property
    model = tf.compat.v1.keras.utils.get_or_create_layer(
        "dense_model", self.build_model)
    return model(inputs)


class NestedLayer(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def __call__(self, inputs):
    out = inputs
    with tf.compat.v1.variable_scope("inner_dense"):
      # The weights are created with a `regularizer`,
      # so the layer should track their regularization losses
      kernel = tf.compat.v1.get_variable(
          shape=[out.shape[-1], self.units],
          regularizer=tf.keras.regularizers.L2(),
          initializer=tf.compat.v1.initializers.glorot_normal,
          name="kernel")
      bias = tf.compat.v1.get_variable(
          shape=[self.units,],
          initializer=tf.compat.v1.initializers.zeros,
          name="bias")
      out = tf.linalg.matmul(out, kernel)
      out = tf.compat.v1.nn.bias_add(out, bias)
    return out


class WrappedDenseLayer(tf.keras.layers.Layer):

  def __init__(self, units, **kwargs):
    super().__init__(**kwargs)
    self.units = units
    # Only create the nested tf.variable/module/layer/model
    # once, and then reuse it each time!
    self._dense_layer = NestedLayer(self.units)

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    with tf.compat.v1.variable_scope('outer'):
      outputs = tf.compat.v1.layers.dense(inputs, 3)
      outputs = tf.compat.v1.layers.dense(inputs, 4)
      return self._dense_layer(outputs)


class CompatV1TemplateScaleByY(tf.keras.layers.Layer):

  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    def my_op(x, scalar_name):
      var1 = tf.compat.v1.get_variable(scalar_name,
                            shape=[],
                            regularizer=tf.compat.v1.keras.regularizers.L2(),
                            initializer=tf.compat.v1.constant_initializer(1.5))
      return x * var1
    self.scale_by_y = tf.compat.v1.make_template('scale_by_y', my_op, scalar_name='y')

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    with tf.compat.v1.variable_scope('layer'):
      # Using a scope ensures the `scale_by_y` name will not be incremented
      # for each instantiation of the layer.
      return self.scale_by_y(inputs)


class CompatModel(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = tf.compat.v1.layers.conv2d(
          inputs, 3, 3,
          kernel_regularizer="l2")
      out = tf.compat.v1.layers.flatten(out)
      out = tf.compat.v1.layers.dropout(out, training=training)
      out = tf.compat.v1.layers.dense(
          out, self.units,
          kernel_regularizer="l2")
      return out


class PartiallyMigratedModel(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units
    self.conv_layer = tf.keras.layers.Conv2D(
      3, 3,
      kernel_regularizer="l2")

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_layer(inputs)
      out = tf.compat.v1.layers.flatten(out)
      out = tf.compat.v1.layers.dropout(out, training=training)
      out = tf.compat.v1.layers.dense(
          out, self.units,
          kernel_regularizer="l2")
      return out


class NearlyFullyNativeModel(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units
    self.conv_layer = tf.keras.layers.Conv2D(
      3, 3,
      kernel_regularizer="l2")
    self.flatten_layer = tf.keras.layers.Flatten()
    self.dense_layer = tf.keras.layers.Dense(
      self.units,
      kernel_regularizer="l2")

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_layer(inputs)
      out = self.flatten_layer(out)
      out = self.dense_layer(out)
      return out


class FullyNativeModel(tf.keras.layers.Layer):

  def __init__(self, units, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.units = units
    self.conv_layer = tf.keras.layers.Conv2D(
      3, 3,
      kernel_regularizer="l2")
    self.flatten_layer = tf.keras.layers.Flatten()
    self.dense_layer = tf.keras.layers.Dense(
      self.units,
      kernel_regularizer="l2")

  def call(self, inputs):
    out = self.conv_layer(inputs)
    out = self.flatten_layer(out)
    out = self.dense_layer(out)
    return out


class NativeScopedModel(tf.keras.layers.Layer):
  """Not a seed: a native layer whose call opens TensorFlow scopes. They are
  part of the variables' names, not of their attribute paths."""

  def __init__(self):
    super().__init__(name="native_scoped")
    self.dense_layer = tf.keras.layers.Dense(3)

  def call(self, inputs):
    with tf.compat.v1.variable_scope("outer"):
      with tf.name_scope("inner"):
        return self.dense_layer(inputs)


class FunctionalStyleCompatModel(tf.keras.layers.Layer):

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = tf.compat.v1.layers.conv2d(
          inputs, 3, 3,
          kernel_regularizer="l2")
      out = tf.compat.v1.layers.conv2d(
          out, 4, 4,
          kernel_regularizer="l2")
      out = tf.compat.v1.layers.conv2d(
          out, 5, 5,
          kernel_regularizer="l2")
      return out


class OOStyleCompatModel(tf.keras.layers.Layer):

  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.conv_1 = tf.compat.v1.layers.Conv2D(
          3, 3,
          kernel_regularizer="l2")
    self.conv_2 = tf.compat.v1.layers.Conv2D(
          4, 4,
          kernel_regularizer="l2")

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_1(inputs)
      out = self.conv_2(out)
      out = tf.compat.v1.layers.conv2d(
          out, 5, 5,
          kernel_regularizer="l2")
      return out


def record_scope(scope_name):
  """Record a variable_scope to make sure future ones get incremented."""
  with tf.compat.v1.variable_scope(scope_name):
    pass


class PartiallyNativeKerasLayersModel(tf.keras.layers.Layer):

  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.conv_1 = tf.keras.layers.Conv2D(
          3, 3,
          kernel_regularizer="l2")
    self.conv_2 = tf.keras.layers.Conv2D(
          4, 4,
          kernel_regularizer="l2")

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_1(inputs)
      record_scope('conv2d') # Only needed if follow-on compat.v1.layers do not pass a `name` arg
      out = self.conv_2(out)
      record_scope('conv2d_1') # Only needed if follow-on compat.v1.layers do not pass a `name` arg
      out = tf.compat.v1.layers.conv2d(
          out, 5, 5,
          kernel_regularizer="l2")
      return out


class FullyNativeKerasLayersModel(tf.keras.layers.Layer):

  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.conv_1 = tf.keras.layers.Conv2D(
          3, 3,
          kernel_regularizer="l2")
    self.conv_2 = tf.keras.layers.Conv2D(
          4, 4,
          kernel_regularizer="l2")
    self.conv_3 = tf.keras.layers.Conv2D(
          5, 5,
          kernel_regularizer="l2")


  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_1(inputs)
      out = self.conv_2(out)
      out = self.conv_3(out)
      return out


# The same two models with explicit names on the Keras layers (not in the
# seeds): the auto names above depend on global counters.

class PartiallyNativeKerasLayersModelNamed(tf.keras.layers.Layer):

  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.conv_1 = tf.keras.layers.Conv2D(
          3, 3,
          kernel_regularizer="l2", name="conv_1")
    self.conv_2 = tf.keras.layers.Conv2D(
          4, 4,
          kernel_regularizer="l2", name="conv_2")

  @tf.compat.v1.keras.utils.track_tf1_style_variables
  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_1(inputs)
      record_scope('conv2d') # Only needed if follow-on compat.v1.layers do not pass a `name` arg
      out = self.conv_2(out)
      record_scope('conv2d_1') # Only needed if follow-on compat.v1.layers do not pass a `name` arg
      out = tf.compat.v1.layers.conv2d(
          out, 5, 5,
          kernel_regularizer="l2")
      return out


class FullyNativeKerasLayersModelNamed(tf.keras.layers.Layer):

  def __init__(self, *args, **kwargs):
    super().__init__(*args, **kwargs)
    self.conv_1 = tf.keras.layers.Conv2D(
          3, 3,
          kernel_regularizer="l2", name="conv_1")
    self.conv_2 = tf.keras.layers.Conv2D(
          4, 4,
          kernel_regularizer="l2", name="conv_2")
    self.conv_3 = tf.keras.layers.Conv2D(
          5, 5,
          kernel_regularizer="l2", name="conv_3")


  def call(self, inputs, training=None):
    with tf.compat.v1.variable_scope('model'):
      out = self.conv_1(inputs)
      out = self.conv_2(out)
      out = self.conv_3(out)
      return out


# --------------------------------------------------------------------------
# Seed 003: the Layer reference (SimpleDense, add_weight form; ComputeSum).

Layer = tf.keras.layers.Layer


class SimpleDense(Layer):

  def __init__(self, units=32):
      super(SimpleDense, self).__init__()
      self.units = units

  def build(self, input_shape):
      self.w = self.add_weight(shape=(input_shape[-1], self.units),
                               initializer='random_normal',
                               trainable=True)
      self.b = self.add_weight(shape=(self.units,),
                               initializer='random_normal',
                               trainable=True)

  def call(self, inputs):
      return tf.matmul(inputs, self.w) + self.b


class ComputeSum(Layer):

  def __init__(self, input_dim):
      super(ComputeSum, self).__init__()
      # Create a non-trainable weight.
      self.total = tf.Variable(initial_value=tf.zeros((input_dim,)),
                               trainable=False)

  def call(self, inputs):
      self.total.assign_add(tf.reduce_sum(inputs, axis=0))
      return self.total


# --------------------------------------------------------------------------
# Seed 004: BahdanauAttention.

class BahdanauAttention(tf.keras.layers.Layer):
  def __init__(self, units):
    super(BahdanauAttention, self).__init__()
    self.W1 = tf.keras.layers.Dense(units)
    self.W2 = tf.keras.layers.Dense(units)
    self.V = tf.keras.layers.Dense(1)

  def call(self, query, values):
    # query hidden state shape == (batch_size, hidden size)
    # query_with_time_axis shape == (batch_size, 1, hidden size)
    # values shape == (batch_size, max_len, hidden size)
    # we are doing this to broadcast addition along the time axis to calculate the score
    query_with_time_axis = tf.expand_dims(query, 1)

    # score shape == (batch_size, max_length, 1)
    # we get 1 at the last axis because we are applying score to self.V
    # the shape of the tensor before applying self.V is (batch_size, max_length, units)
    score = self.V(tf.nn.tanh(
        self.W1(query_with_time_axis) + self.W2(values)))

    # attention_weights shape == (batch_size, max_length, 1)
    attention_weights = tf.nn.softmax(score, axis=1)

    # context_vector shape after sum == (batch_size, hidden_size)
    context_vector = attention_weights * values
    context_vector = tf.reduce_sum(context_vector, axis=1)

    return context_vector, attention_weights


# --------------------------------------------------------------------------
# The cases: (model, source seed, constructor params, input shapes, options).
# training: the call takes a training flag -> also run a training call.
# random_training: training-mode outputs are random (dropout).
# calls: how many inference calls to record outputs of (ComputeSum: 2).

CASES = [
    dict(model="WrappedDoubleDenseLayer", cls=WrappedDoubleDenseLayer, seed="000",
         params={"units": 10}, inputs=[[8, 20]]),
    dict(model="WrappedDoubleDenseLayerGetVariable", cls=WrappedDoubleDenseLayerGetVariable,
         seed="000", params={"units": 10}, inputs=[[8, 20]]),
    dict(model="DenseLayer", cls=DenseLayer, seed="001", params={"units": 10},
         inputs=[[8, 20]]),
    dict(model="CompatV1LayerModel", cls=CompatV1LayerModel, seed="001",
         params={"units": 10}, inputs=[[8, 5, 5, 5]]),
    dict(model="CompatV1BatchNorm", cls=CompatV1BatchNorm, seed="001", params={},
         inputs=[[8, 5, 5, 5]], training=True),
    dict(model="NestedModel", cls=NestedModel, seed="001", params={"units": 10},
         inputs=[[5, 5]]),
    dict(model="NestedLayer", cls=NestedLayer, seed="001", params={"units": 10},
         inputs=[[5, 4]]),
    dict(model="WrappedDenseLayer", cls=WrappedDenseLayer, seed="001",
         params={"units": 10}, inputs=[[5, 5]]),
    dict(model="CompatV1TemplateScaleByY", cls=CompatV1TemplateScaleByY, seed="001",
         params={}, inputs=[[2, 3]]),
    dict(model="CompatModel", cls=CompatModel, seed="001", params={"units": 10},
         inputs=[[10, 5, 5, 5]], training=True, random_training=True),
    dict(model="PartiallyMigratedModel", cls=PartiallyMigratedModel, seed="001",
         params={"units": 10}, inputs=[[10, 5, 5, 5]], training=True,
         random_training=True),
    dict(model="NearlyFullyNativeModel", cls=NearlyFullyNativeModel, seed="001",
         params={"units": 10}, inputs=[[10, 5, 5, 5]]),
    dict(model="FullyNativeModel", cls=FullyNativeModel, seed="001",
         params={"units": 10}, inputs=[[10, 5, 5, 5]]),
    dict(model="NativeScopedModel", cls=NativeScopedModel, seed="none (scopes in a native call)",
         params={}, inputs=[[4, 4]]),
    dict(model="FunctionalStyleCompatModel", cls=FunctionalStyleCompatModel, seed="001",
         params={}, inputs=[[10, 10, 10, 10]], training=True),
    dict(model="OOStyleCompatModel", cls=OOStyleCompatModel, seed="001", params={},
         inputs=[[10, 10, 10, 10]], training=True),
    dict(model="PartiallyNativeKerasLayersModel", cls=PartiallyNativeKerasLayersModel,
         seed="001", params={}, inputs=[[10, 10, 10, 10]], training=True),
    dict(model="PartiallyNativeKerasLayersModelNamed",
         cls=PartiallyNativeKerasLayersModelNamed, seed="001 (explicit Keras layer names)",
         params={}, inputs=[[10, 10, 10, 10]], training=True),
    dict(model="FullyNativeKerasLayersModel", cls=FullyNativeKerasLayersModel,
         seed="001", params={}, inputs=[[10, 10, 10, 10]], training=True),
    dict(model="FullyNativeKerasLayersModelNamed", cls=FullyNativeKerasLayersModelNamed,
         seed="001 (explicit Keras layer names)", params={}, inputs=[[10, 10, 10, 10]],
         training=True),
    dict(model="SimpleDense", cls=SimpleDense, seed="003", params={"units": 4},
         inputs=[[2, 2]]),
    dict(model="ComputeSum", cls=ComputeSum, seed="003", params={"input_dim": 2},
         inputs=[[2, 2]], calls=2),
    dict(model="BahdanauAttention", cls=BahdanauAttention, seed="004",
         params={"units": 10}, inputs=[[8, 16], [8, 6, 16]],
         input_names=["query", "values"]),
]

NOTES = {
    "PartiallyNativeKerasLayersModel":
        "Keras layer names are auto names from global counters "
        "(backend.unique_object_name), here after clear_session(): conv_1 is "
        "'conv2d', conv_2 'conv2d_1', the outer layer "
        "'partially_native_keras_layers_model'. Their variables are named by "
        "the name-scope stack '<outer layer name>/model/<keras layer name>/kernel', "
        "not by the variable scope; in the seed's notebook they were conv2d_13/_14. "
        "The compat conv2d after record_scope('conv2d'), record_scope('conv2d_1') "
        "is model/conv2d_2.",
    "PartiallyNativeKerasLayersModelNamed":
        "Same as PartiallyNativeKerasLayersModel with name='conv_1'/'conv_2' on "
        "the Keras layers: names '<outer layer name>/model/conv_1/kernel'; the "
        "outer layer's own name is still an auto name.",
    "FullyNativeKerasLayersModel":
        "No shim: variable_scope('model') outside track_tf1_style_variables only "
        "opens the name scope 'model/'. Names '<outer>/model/conv2d/kernel', "
        "'<outer>/model/conv2d_1/...', '<outer>/model/conv2d_2/...' after "
        "clear_session() (seed's notebook: conv2d_16.._18).",
    "FullyNativeKerasLayersModelNamed":
        "Same with name='conv_1'/'conv_2'/'conv_3'.",
    "WrappedDoubleDenseLayerGetVariable":
        "Seed 000 calls tf.compat.v1.math.matmul, which TF 2.21 does not have; "
        "replaced by tf.compat.v1.matmul (same op). `regularizers` is "
        "tf.keras.regularizers and `init_ops` tensorflow.python.ops.init_ops.",
    "CompatV1BatchNorm": "Seed bug fixed: the seed normalizes the global `x`, "
                         "here `inputs`.",
    "NestedModel": "Called, like the seed, with a rank-2 input [5, 5] although the "
                   "nested functional model declares Input(shape=(5, 5)).",
    "NestedLayer": "Decorates __call__ (not call), as in the seed; called standalone "
                   "here with [5, 4] (inside WrappedDenseLayer it gets [5, 4]).",
}


def object_paths(layer):
    """Where each variable sits in the layer's TF2 object graph.

    Returns two identity maps, variable -> "/"-joined path of local names:

    * `attribute`: the shortest path from the layer that goes through no shim
      variable store (`_EagerVariableStore`, the `_tf1_style_var_store`
      attribute) and through no edge without a name, found breadth-first over
      `_trackable_children()` in the order `tf.train.Checkpoint` walks them
      (`graph_view.ObjectGraphView`). This is the attribute path
      (`conv_layer/kernel`, `scale_by_y/y`); variables reachable only through a
      store are absent.
    * `checkpoint`: the path `tf.train.Checkpoint(root=layer)` keys the variable
      by (same walk, no exclusions, local names escaped: `/` -> `.S`), without
      the `/.ATTRIBUTES/VARIABLE_VALUE` suffix.
    """
    view = graph_view.ObjectGraphView(layer)

    def walk(skip_stores):
        paths = object_identity.ObjectIdentityDictionary()
        paths[layer] = ()
        queue = collections.deque([layer])
        while queue:
            node = queue.popleft()
            for name, child in view.children(node).items():
                if skip_stores and (name is None or
                                    isinstance(child, variable_scope_shim._EagerVariableStore)):
                    continue
                if child not in paths:
                    paths[child] = paths[node] + (name,)
                    queue.append(child)
        return paths

    attribute = walk(skip_stores=True)
    _, checkpoint_paths = view.breadth_first_traversal()
    attribute_map = object_identity.ObjectIdentityDictionary()
    checkpoint_map = object_identity.ObjectIdentityDictionary()
    for v in layer.weights:
        if v in attribute:
            attribute_map[v] = "/".join(attribute[v])
        refs = checkpoint_paths.get(v)
        if refs is not None and all(r.name is not None for r in refs):
            checkpoint_map[v] = trackable_utils.object_path_to_string(refs)
    return attribute_map, checkpoint_map


def saved_checkpoint_keys(layer):
    """The variable keys of a real `tf.train.Checkpoint(root=layer)`, or the error."""
    with tempfile.TemporaryDirectory() as d:
        try:
            path = tf.train.Checkpoint(root=layer).write(os.path.join(d, "ckpt"))
        except Exception as e:  # noqa: BLE001  (recorded in the golden)
            return None, f"{type(e).__name__}: {e}"
        suffix = "/.ATTRIBUTES/VARIABLE_VALUE"
        return {n[:-len(suffix)] for n, _ in tf.train.list_variables(path)
                if n.endswith(suffix)}, None


def strip0(name):
    """'a/b:0' -> 'a/b'."""
    return name.rsplit(":", 1)[0] if ":" in name else name


def l2_of(value):
    return 0.01 * float(np.sum(np.square(value.astype(np.float64))))


def run_case(case):
    model = case["model"]
    out_dir = os.path.join(golden_dir("seeds"), model)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    out_dir = golden_dir("seeds", model)

    tf.keras.backend.clear_session()
    # Unseeded initializers draw from TF's global seed, from Python's `random`
    # (tf_keras backend) and from numpy's global generator: seed all three so
    # the goldens are reproducible.
    tf.keras.utils.set_random_seed(1234)
    rng = np.random.default_rng(zlib.crc32(model.encode()))
    inputs = [rng.standard_normal(shape).astype(np.float32) for shape in case["inputs"]]
    training = case.get("training", False)
    kwargs_inf = {"training": False} if training else {}

    created = []

    def creator(next_creator, **kw):
        v = next_creator(**kw)
        created.append(v)
        return v

    with tf.variable_creator_scope(creator):
        layer = case["cls"](**case["params"])
        out1 = layer(*[tf.constant(x) for x in inputs], **kwargs_inf)
    outs1 = list(out1) if isinstance(out1, (tuple, list)) else [out1]
    outs1 = [np.array(o) for o in outs1]

    # Cross-check creation order against the shim's store(s).
    store = getattr(layer, "_tf1_style_var_store", None)
    if store is not None:
        store_names = list(store._vars.keys())
        created_names = [strip0(v.name) for v in created]
        in_store = [n for n in created_names if n in set(store_names)]
        assert in_store == store_names, (model, in_store, store_names)

    # Keras Models also create bookkeeping variables (the int64 train/test/
    # predict counters, named 'Variable'); they are not weights. Keep only the
    # variables that the layer reports as weights, in creation order.
    weight_ids = {id(v) for v in layer.weights}
    others = [{"name": strip0(v.name), "dtype": v.dtype.name}
              for v in created if id(v) not in weight_ids]
    created = [v for v in created if id(v) in weight_ids]
    names_created = [strip0(v.name) for v in created]
    # Native Keras weights may share a name (SimpleDense's add_weight without a
    # name gives two 'simple_dense/Variable'); the *_index lists below give the
    # creation index of each entry so that duplicates stay unambiguous.
    index_of = {id(v): i for i, v in enumerate(created)}
    # TF2 object-based checkpoint paths (see object_paths), cross-checked
    # against a checkpoint actually written by tf.train.Checkpoint.
    attribute_paths, checkpoint_paths = object_paths(layer)
    saved_keys, save_error = saved_checkpoint_keys(layer)
    if saved_keys is not None:
        assert sorted(saved_keys) == sorted(checkpoint_paths[v] for v in created), (
            model, saved_keys, [checkpoint_paths.get(v) for v in created])
        for v in created:
            if v in attribute_paths:
                assert attribute_paths[v] == checkpoint_paths[v], (
                    model, attribute_paths[v], checkpoint_paths[v])
    manifest = {
        "creation_order": [
            {"name": strip0(v.name), "shape": list(v.shape), "dtype": v.dtype.name,
             "trainable": bool(v.trainable),
             "object_path": attribute_paths.get(v),
             "checkpoint_key": checkpoint_paths.get(v)} for v in created],
        "weights": [strip0(v.name) for v in layer.weights],
        "trainable_weights": [strip0(v.name) for v in layer.trainable_weights],
        "non_trainable_weights": [strip0(v.name) for v in layer.non_trainable_weights],
        "weights_index": [index_of[id(v)] for v in layer.weights],
        "trainable_weights_index": [index_of[id(v)] for v in layer.trainable_weights],
        "non_trainable_weights_index": [index_of[id(v)] for v in layer.non_trainable_weights],
    }
    # Every variable created is a weight of the layer, and vice versa.
    assert sorted(manifest["weights_index"]) == list(range(len(created))), model
    assert sorted(manifest["weights"]) == sorted(names_created), (model, manifest)
    write_json(os.path.join(out_dir, "manifest.json"), manifest)

    os.makedirs(os.path.join(out_dir, "weights"), exist_ok=True)
    weight_files = []
    values = []
    for i, v in enumerate(created):
        values.append(v.numpy())
        weight_files.append({"index": i, "name": strip0(v.name), "file": f"weights/{i}.npy"})
        write_npy(os.path.join(out_dir, f"weights/{i}.npy"), v.numpy())

    # Inputs and first (inference) outputs.
    input_files = []
    for i, x in enumerate(inputs):
        write_npy(os.path.join(out_dir, f"input_{i}.npy"), x)
        input_files.append(f"input_{i}.npy")
    output_files = []
    for i, o in enumerate(outs1):
        write_npy(os.path.join(out_dir, f"output_{i}.npy"), o)
        output_files.append(f"output_{i}.npy")

    # Regularization losses after the inference call, in layer.losses order.
    losses = [np.array(l) for l in layer.losses]
    loss_values = [float(np.sum(l)) for l in losses]
    loss_shapes = [list(l.shape) for l in losses]
    # Which variable each loss regularizes (all seeds use l2 = 0.01 * sum(v^2)).
    loss_vars = []
    for lv in loss_values:
        match = [names_created[i] for i, val in enumerate(values)
                 if abs(l2_of(val) - lv) <= 1e-5 * max(1.0, abs(lv))]
        loss_vars.append(match[0] if len(match) == 1 else match or None)

    # Second inference call: no new variables, same output (except ComputeSum).
    created.clear()
    with tf.variable_creator_scope(creator):
        out2 = layer(*[tf.constant(x) for x in inputs], **kwargs_inf)
    assert not created, (model, [v.name for v in created])
    assert [strip0(v.name) for v in layer.weights] == manifest["weights"]
    outs2 = list(out2) if isinstance(out2, (tuple, list)) else [out2]
    outs2 = [np.array(o) for o in outs2]
    second_files = None
    if case.get("calls", 1) >= 2:
        second_files = []
        for i, o in enumerate(outs2):
            write_npy(os.path.join(out_dir, f"output_call2_{i}.npy"), o)
            second_files.append(f"output_call2_{i}.npy")
    else:
        for a, b in zip(outs1, outs2):
            np.testing.assert_allclose(a, b, rtol=0, atol=0)

    case_json = {
        "model": model,
        "seed_document": case["seed"],
        "source": textwrap.dedent(inspect.getsource(case["cls"])),
        "params": case["params"],
        "inputs": [{"file": f, "name": (case.get("input_names") or [None] * 9)[i],
                    "shape": list(x.shape), "dtype": "float32"}
                   for i, (f, x) in enumerate(zip(input_files, inputs))],
        "call_kwargs": kwargs_inf,
        "weights": weight_files,
        "outputs": [{"file": f, "shape": list(o.shape)} for f, o in zip(output_files, outs1)],
        "regularization_losses": loss_values,
        "regularization_loss_shapes": loss_shapes,
        "regularization_loss_variables": loss_vars,
        "second_call_new_variables": [],
        "other_variables_created": others,
    }
    if second_files is not None:
        case_json["second_call_outputs"] = [
            {"file": f, "shape": list(o.shape)} for f, o in zip(second_files, outs2)]

    if training:
        created.clear()
        with tf.variable_creator_scope(creator):
            out_t = layer(*[tf.constant(x) for x in inputs], training=True)
        assert not created, (model, [v.name for v in created])
        outs_t = list(out_t) if isinstance(out_t, (tuple, list)) else [out_t]
        t_files = []
        for i, o in enumerate(outs_t):
            write_npy(os.path.join(out_dir, f"training_output_{i}.npy"), np.array(o))
            t_files.append(f"training_output_{i}.npy")
        nt_files = []
        if layer.non_trainable_weights:
            os.makedirs(os.path.join(out_dir, "weights_after_training"), exist_ok=True)
        for v in layer.non_trainable_weights:
            i = index_of[id(v)]
            f = f"weights_after_training/{i}.npy"
            write_npy(os.path.join(out_dir, f), v.numpy())
            nt_files.append({"index": i, "name": strip0(v.name), "file": f})
        case_json["training"] = {
            "call_kwargs": {"training": True},
            "outputs": [{"file": f, "shape": list(np.shape(o)), "random": bool(case.get("random_training", False))}
                        for f, o in zip(t_files, outs_t)],
            "random": bool(case.get("random_training", False)),
            "non_trainable_after": nt_files,
            "note": "Run after the two inference calls; training outputs marked random "
                    "come from dropout and are not reproducible." if case.get("random_training")
                    else "Run after the two inference calls.",
        }
    if save_error is not None:
        case_json["checkpoint_error"] = (
            "tf.train.Checkpoint(root=layer).write fails: " + save_error + ". "
            "object_path skips the edges without a name; checkpoint_key is null "
            "where the shortest path has such an edge.")
    if model in NOTES:
        case_json["note"] = NOTES[model]
    write_json(os.path.join(out_dir, "case.json"), case_json)
    print(f"  {model}: {len(created) or len(names_created)} variables, "
          f"weights={manifest['weights']}")


def main():
    for case in CASES:
        run_case(case)


if __name__ == "__main__":
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    main()
