"""Goldens for the layers of issue 14 (Tests/Goldens/layers/): each layer in the
forms TensorFlow has (functional `tf.compat.v1.layers.conv1d`, object
`tf.compat.v1.layers.Conv1D`, Keras-native `tf.keras.layers.Conv1D`), with each
API's defaults.

Each case is a spec (written here beside the TensorFlow model it mirrors, whose
class is always `LayerCase`) and what TensorFlow made of it: the variables in
creation order (name, shape, trainable; captured by `tf.variable_creator_scope`),
their values (set from a seeded generator after the first call, so that biases
and statistics are not zeros), the output of an inference call, the losses after
it, and for cases with a training call its output and the non-trainable
variables after it. The Swift tests (Tests/ModelSpecInterpreterTests/
LayerGoldenTests.swift) check and trace the spec (the manifest must be
TensorFlow's, the Keras variable names of native weights included), set the
same values, and compare outputs, losses and statistics within 1e-5.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json

v1 = tf.compat.v1
CASES = []
OUT = None


def legacy_spec(input_shape, steps, layers=None):
    text = "spec: 1\nmodel: LayerCase\ninputs:\n  inputs: %s\n" % list(input_shape)
    if layers:
        text += "layers:\n" + "".join(f"  {name}: {value}\n" for name, value in layers.items())
    text += "forward:\n  - scope: model\n    do:\n" + "".join(f"      - {step}\n" for step in steps)
    return text


def native_spec(input_shape, layer):
    return ("spec: 1\nmodel: LayerCase\nstyle: native\ninputs:\n  inputs: %s\n"
            "layers:\n  layer: %s\nforward:\n  - layer\n") % (list(input_shape), layer)


def functional(fn):
    """A shim layer calling `fn(inputs, training)` in variable_scope("model")."""
    class LayerCase(tf.keras.layers.Layer):
        @v1.keras.utils.track_tf1_style_variables
        def call(self, inputs, training=None):
            with v1.variable_scope("model"):
                return fn(inputs, training)
    return LayerCase


def object_form(make):
    """A shim layer holding a tf.compat.v1.layers object, called in variable_scope("model")."""
    class LayerCase(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.layer = make()

        @v1.keras.utils.track_tf1_style_variables
        def call(self, inputs, training=None):
            with v1.variable_scope("model"):
                return self.layer(inputs, training=training)
    return LayerCase


def native(make):
    """A Keras layer holding a Keras-native layer as `self.layer`."""
    class LayerCase(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.layer = make()

        def call(self, inputs, training=None):
            return self.layer(inputs, training=training)
    return LayerCase


def save(name, array):
    np.save(os.path.join(OUT, name), np.array(array, dtype=np.float32, order="C"), allow_pickle=False)
    return name


def case(name, spec, input_shape, model_class, training=False, seed=0):
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(input_shape) * 1.5 + 0.25).astype(np.float32)
    created = []

    def creator(next_creator, **kwargs):
        variable = next_creator(**kwargs)
        created.append(variable)
        return variable

    with tf.variable_creator_scope(creator):
        model = model_class()
        model(x, training=False)
    entry = {"name": name, "spec": spec, "input": save(f"{name}.x.npy", x), "variables": [], "weights": []}
    for index, variable in enumerate(created):
        short = variable.name.split(":")[0]
        if "moving_variance" in short:
            value = rng.uniform(0.5, 2.0, variable.shape)
        else:
            value = rng.standard_normal(variable.shape) * 0.5
        variable.assign(value.astype(np.float32))
        entry["variables"].append({"name": short, "shape": list(variable.shape), "trainable": bool(variable.trainable)})
        entry["weights"].append(save(f"{name}.w{index}.npy", variable.numpy()))
    entry["output"] = save(f"{name}.y.npy", model(x, training=False).numpy())
    entry["losses"] = [float(loss) for loss in model.losses]
    if training:
        entry["training_output"] = save(f"{name}.y_training.npy", model(x, training=True).numpy())
        entry["after_training"] = [
            {"index": index, "file": save(f"{name}.after{index}.npy", variable.numpy())}
            for index, variable in enumerate(created) if not variable.trainable]
    CASES.append(entry)


def convolution_cases():
    case("conv1d_functional", legacy_spec([2, 9, 3], ["conv1d: {filters: 4, kernel_size: 3, strides: 2, padding: same, kernel_regularizer: l2}"]),
         [2, 9, 3], functional(lambda x, t: v1.layers.conv1d(x, 4, 3, strides=2, padding="same", kernel_regularizer=tf.keras.regularizers.l2(0.01))))
    case("conv1d_object", legacy_spec([2, 9, 3], ["conv"], {"conv": "{v1.Conv1D: {filters: 2, kernel_size: 2, dilation_rate: 2, activation: relu}}"}),
         [2, 9, 3], object_form(lambda: v1.layers.Conv1D(2, 2, dilation_rate=2, activation=tf.nn.relu)))
    case("conv1d_keras", native_spec([2, 9, 3], "{Conv1D: {filters: 4, kernel_size: 3, padding: same, use_bias: false}}"),
         [2, 9, 3], native(lambda: tf.keras.layers.Conv1D(4, 3, padding="same", use_bias=False)))
    case("conv3d_functional", legacy_spec([2, 5, 6, 4, 2], ["conv3d: {filters: 3, kernel_size: [3, 2, 2], strides: [2, 1, 2], padding: same}"]),
         [2, 5, 6, 4, 2], functional(lambda x, t: v1.layers.conv3d(x, 3, (3, 2, 2), strides=(2, 1, 2), padding="same")))
    case("conv3d_object", legacy_spec([2, 5, 5, 5, 2], ["conv"], {"conv": "{v1.Conv3D: {filters: 2, kernel_size: 2, dilation_rate: 2}}"}),
         [2, 5, 5, 5, 2], object_form(lambda: v1.layers.Conv3D(2, 2, dilation_rate=2)))
    case("conv3d_keras", native_spec([1, 4, 4, 4, 3], "{Conv3D: {filters: 2, kernel_size: 3, activation: tanh, bias_regularizer: {l1: 0.1}}}"),
         [1, 4, 4, 4, 3], native(lambda: tf.keras.layers.Conv3D(2, 3, activation="tanh", bias_regularizer=tf.keras.regularizers.l1(0.1))))


def transposed_cases():
    case("conv2d_transpose_functional", legacy_spec([2, 4, 5, 3], ["conv2d_transpose: {filters: 2, kernel_size: 3, strides: 2, padding: same}"]),
         [2, 4, 5, 3], functional(lambda x, t: v1.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same")))
    case("conv2d_transpose_object", legacy_spec([2, 4, 4, 3], ["deconv"], {"deconv": "{v1.Conv2DTranspose: {filters: 2, kernel_size: [3, 2], strides: [2, 3]}}"}),
         [2, 4, 4, 3], object_form(lambda: v1.layers.Conv2DTranspose(2, (3, 2), strides=(2, 3))))
    case("conv2d_transpose_object_small_kernel", legacy_spec([1, 3, 3, 2], ["deconv"], {"deconv": "{v1.Conv2DTranspose: {filters: 2, kernel_size: 1, strides: 2, padding: same}}"}),
         [1, 3, 3, 2], object_form(lambda: v1.layers.Conv2DTranspose(2, 1, strides=2, padding="same")))
    case("conv2d_transpose_keras", native_spec([2, 4, 4, 3], "{Conv2DTranspose: {filters: 3, kernel_size: 3, dilation_rate: 2, activation: relu, kernel_regularizer: l2}}"),
         [2, 4, 4, 3], native(lambda: tf.keras.layers.Conv2DTranspose(3, 3, dilation_rate=2, activation="relu", kernel_regularizer="l2")))


def depthwise_cases():
    case("separable_conv2d_functional", legacy_spec([2, 6, 6, 3], ["separable_conv2d: {filters: 4, kernel_size: 3, depth_multiplier: 2, strides: 2, padding: same, pointwise_regularizer: l2}"]),
         [2, 6, 6, 3], functional(lambda x, t: v1.layers.separable_conv2d(x, 4, 3, depth_multiplier=2, strides=2, padding="same", pointwise_regularizer=tf.keras.regularizers.l2(0.01))))
    case("separable_conv2d_object", legacy_spec([2, 6, 6, 3], ["sep"], {"sep": "{v1.SeparableConv2D: {filters: 2, kernel_size: 2, dilation_rate: 2, use_bias: false}}"}),
         [2, 6, 6, 3], object_form(lambda: v1.layers.SeparableConv2D(2, 2, dilation_rate=2, use_bias=False)))
    case("separable_conv2d_keras", native_spec([2, 6, 6, 3], "{SeparableConv2D: {filters: 5, kernel_size: 3, activation: relu, depthwise_regularizer: {l2: 0.1}}}"),
         [2, 6, 6, 3], native(lambda: tf.keras.layers.SeparableConv2D(5, 3, activation="relu", depthwise_regularizer=tf.keras.regularizers.l2(0.1))))
    case("depthwise_conv2d_keras", native_spec([2, 7, 7, 3], "{DepthwiseConv2D: {kernel_size: 3, depth_multiplier: 2, strides: 2, padding: same}}"),
         [2, 7, 7, 3], native(lambda: tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same")))
    case("depthwise_conv2d_keras_dilated", native_spec([2, 7, 7, 3], "{DepthwiseConv2D: {kernel_size: 2, dilation_rate: 2, use_bias: false, depthwise_regularizer: l1}}"),
         [2, 7, 7, 3], native(lambda: tf.keras.layers.DepthwiseConv2D(2, dilation_rate=2, use_bias=False, depthwise_regularizer="l1")))


def normalization_cases():
    case("layer_normalization_keras", native_spec([3, 4, 5], "LayerNormalization"),
         [3, 4, 5], native(lambda: tf.keras.layers.LayerNormalization()))
    case("layer_normalization_keras_axes", native_spec([2, 3, 4, 5], "{LayerNormalization: {axis: [1, 2, 3], center: false, epsilon: 0.01}}"),
         [2, 3, 4, 5], native(lambda: tf.keras.layers.LayerNormalization(axis=[1, 2, 3], center=False, epsilon=0.01)))
    case("layer_normalization_keras_middle_axis", native_spec([2, 3, 4], "{LayerNormalization: {axis: 1, scale: false}}"),
         [2, 3, 4], native(lambda: tf.keras.layers.LayerNormalization(axis=1, scale=False)))
    # fused: the fused kernel moves the moving variance by the unbiased batch variance, the other path by the biased one.
    case("batch_normalization_functional_unfused", legacy_spec([4, 3, 3, 2], ["batch_normalization: {fused: false, momentum: 0.5, training: training}"]),
         [4, 3, 3, 2], functional(lambda x, t: v1.layers.batch_normalization(x, fused=False, momentum=0.5, training=t)), training=True)
    case("batch_normalization_functional_fused", legacy_spec([4, 3, 3, 2], ["batch_normalization: {fused: true, momentum: 0.5, training: training}"]),
         [4, 3, 3, 2], functional(lambda x, t: v1.layers.batch_normalization(x, fused=True, momentum=0.5, training=t)), training=True)
    case("batch_normalization_object_unfused", legacy_spec([4, 3, 3, 2], ["bn"], {"bn": "{v1.BatchNormalization: {fused: false, momentum: 0.5}}"}),
         [4, 3, 3, 2], object_form(lambda: v1.layers.BatchNormalization(fused=False, momentum=0.5)), training=True)
    case("batch_normalization_keras_unfused", native_spec([4, 3, 3, 2], "{BatchNormalization: {fused: false, momentum: 0.5}}"),
         [4, 3, 3, 2], native(lambda: tf.keras.layers.BatchNormalization(fused=False, momentum=0.5)), training=True)
    case("batch_normalization_keras_fused_5d", native_spec([2, 3, 2, 2, 2], "{BatchNormalization: {fused: true, momentum: 0.5}}"),
         [2, 3, 2, 2, 2], native(lambda: tf.keras.layers.BatchNormalization(fused=True, momentum=0.5)), training=True)


def activity_cases():
    # The activity loss, regularizer(output) / batch size: in a Keras layer's or v1 object's losses
    # before its weights' (a shim layer lists its store's losses, then the object's), and not kept
    # at all for a functional step.
    l1, l2 = tf.keras.regularizers.l1(0.01), tf.keras.regularizers.l2(0.01)
    case("activity_regularizer_keras", native_spec([4, 3], "{Dense: {units: 2, activity_regularizer: l2, kernel_regularizer: l1}}"),
         [4, 3], native(lambda: tf.keras.layers.Dense(2, activity_regularizer="l2", kernel_regularizer="l1")))
    case("activity_regularizer_object", legacy_spec([2, 5, 5, 2], ["conv"], {"conv": "{v1.Conv2D: {filters: 2, kernel_size: 3, activity_regularizer: {l2: 0.05}, kernel_regularizer: l1}}"}),
         [2, 5, 5, 2], object_form(lambda: v1.layers.Conv2D(2, 3, activity_regularizer=tf.keras.regularizers.l2(0.05), kernel_regularizer=l1)))
    case("activity_regularizer_functional", legacy_spec([3, 4], ["dense: {units: 2, activity_regularizer: l2, kernel_regularizer: l1}"]),
         [3, 4], functional(lambda x, t: v1.layers.dense(x, 2, activity_regularizer=l2, kernel_regularizer=l1)))
    case("activity_regularizer_separable_keras", native_spec([2, 5, 5, 2], "{SeparableConv2D: {filters: 3, kernel_size: 2, activity_regularizer: {l1: 0.02}}}"),
         [2, 5, 5, 2], native(lambda: tf.keras.layers.SeparableConv2D(3, 2, activity_regularizer=tf.keras.regularizers.l1(0.02))))


def pooling_cases():
    """Keras's pooling defaults: `pool_size` (2, 2), `strides` `pool_size` (the compat-v1 forms need both)."""
    case("max_pooling2d_keras_defaults", native_spec([2, 7, 6, 3], "MaxPooling2D"),
         [2, 7, 6, 3], native(lambda: tf.keras.layers.MaxPooling2D()))
    case("average_pooling2d_keras_defaults", native_spec([2, 5, 8, 2], "{AveragePooling2D: {padding: same}}"),
         [2, 5, 8, 2], native(lambda: tf.keras.layers.AveragePooling2D(padding="same")))


def spec_file(model):
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs", model + ".yaml")) as f:
        return f.read()


class LayerCatalog(tf.keras.layers.Layer):
    """specs/LayerCatalog.yaml."""

    def __init__(self):
        super().__init__()
        self.separable = v1.layers.SeparableConv2D(4, 3, depth_multiplier=2, padding="same")
        self.conv_1d = v1.layers.Conv1D(2, 2, dilation_rate=2, activation=tf.nn.relu, activity_regularizer=tf.keras.regularizers.l1(0.01))
        self.conv_3d = v1.layers.Conv3D(2, 1, use_bias=False)
        self.deconv = v1.layers.Conv2DTranspose(2, 2, strides=2)
        self.norm = v1.layers.BatchNormalization(fused=True, momentum=0.9)

    @v1.keras.utils.track_tf1_style_variables
    def call(self, inputs, training=None):
        with v1.variable_scope("catalog"):
            x = self.separable(inputs)
            x = v1.layers.batch_normalization(x, fused=False, training=training)
            x = tf.nn.relu(x)
            x = v1.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same", kernel_regularizer=tf.keras.regularizers.l2(0.01))
            x = v1.layers.separable_conv2d(x, 3, 3, strides=2, pointwise_regularizer=tf.keras.regularizers.l2(0.01))
            x = tf.reshape(x, [-1, 49, 3])
            x = v1.layers.conv1d(x, 4, 3, strides=2, kernel_initializer=v1.initializers.lecun_normal())
            x = self.conv_1d(x)
            x = tf.reshape(x, [-1, 2, 11, 2, 2])
            x = v1.layers.conv3d(x, 3, (1, 3, 2), padding="same")
            x = self.conv_3d(x)
            x = tf.reshape(x, [-1, 2, 11, 4])
            x = self.deconv(x)
            return self.norm(x, training=training)


class NativeLayerCatalog(tf.keras.layers.Layer):
    """specs/NativeLayerCatalog.yaml."""

    def __init__(self):
        super().__init__()
        self.deconv = tf.keras.layers.Conv2DTranspose(
            2, 3, strides=2, padding="same", activation="relu",
            kernel_initializer=tf.keras.initializers.VarianceScaling(2.0, mode="fan_out", distribution="uniform"))
        self.depthwise = tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2)
        self.separable = tf.keras.layers.SeparableConv2D(3, 2, depthwise_regularizer="l2", depthwise_initializer="he_uniform")
        self.layer_norm = tf.keras.layers.LayerNormalization(axis=[1, 2, 3])
        self.batch_norm = tf.keras.layers.BatchNormalization(fused=False, momentum=0.9)
        self.conv_1d = tf.keras.layers.Conv1D(4, 3, padding="same", kernel_initializer="orthogonal", activity_regularizer="l2")
        self.conv_3d = tf.keras.layers.Conv3D(2, 2)

    def call(self, inputs, training=None):
        x = self.deconv(inputs)
        x = self.depthwise(x)
        x = self.separable(x)
        x = self.layer_norm(x)
        x = self.batch_norm(x, training=training)
        x = tf.reshape(x, [-1, 16, 3])
        x = self.conv_1d(x)
        x = tf.reshape(x, [-1, 2, 2, 4, 4])
        return self.conv_3d(x)


def catalog_cases():
    case("layer_catalog", spec_file("LayerCatalog"), [2, 8, 8, 3], LayerCatalog, training=True)
    case("native_layer_catalog", spec_file("NativeLayerCatalog"), [2, 6, 6, 3], NativeLayerCatalog, training=True)


def main():
    global OUT
    OUT = golden_dir("layers")
    shutil.rmtree(OUT)
    OUT = golden_dir("layers")
    CASES.clear()
    convolution_cases()
    transposed_cases()
    depthwise_cases()
    normalization_cases()
    activity_cases()
    pooling_cases()
    catalog_cases()
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
