"""Real TF1 convolutional models of the kinds teams had, recorded from TensorFlow in graph mode
(tf-slim 1.1.0 with oracle/slim.py's shims, tf.compat.v1.layers, tf.nn), beside their specs in
specs/ (SlimResNetV1Small, SlimResNetV2Small, SlimMobileNetV1Small, CompatUNet,
DilatedSeparable). Writes
Tests/Goldens/zoo_cnn/<Model>/:

| file | meaning |
| --- | --- |
| `case.json` | `model`, `source` (the Python), `input_shape`, `variables` (`global_variables()` in creation order: name, shape, dtype, trainable), `losses` (`REGULARIZATION_LOSSES` values, in order), `loss_names`, `update_ops` (how many) |
| `moving_after_training.json` | each moving statistic after one training call ran the `UPDATE_OPS` |
| `input.npy` | the call's input (seeded) |
| `output.npy` | inference (`is_training`/`training` false) with the checkpoint's values |
| `training_output.npy` | one call in training (models without dropout) |
| `model.ckpt.*` | a graph-mode `Saver` checkpoint of the initial values (moving statistics set off 0 and 1) |

Slim's starting values are seeded (`set_random_seed(1)`); those of `tf.compat.v1.layers`
(tf-keras's initializers) are drawn anew on each run, so a rerun rewrites the U-Net's
and DilatedSeparable's files; the files of one run agree with each other.

`empty_conv2d_transpose.json`: `conv2d_transpose` (`valid`, relu) of an input with no rows:
its output shape and values (the bias alone).

`batch_norm_paths.json`: `tf_slim.batch_norm` on a rank-4 and a rank-2 input with each
`updates_collections` (`UPDATE_OPS`, `None`) and `fused` (`None`, `True`, `False`), and a
`slim.conv2d` whose normalizer takes `arg_scope([slim.batch_norm], ...)`'s keywords: the
variables in creation order, the input, and the moving statistics after one training call
(`decay` 0.5).
"""
import inspect
import os
import shutil

import numpy as np
import tensorflow as tf

import slim as slim_oracle  # applies the shims tf-slim 1.1.0 needs on TF 2.21; write_network
import tf_slim as slim
from common import golden_dir, write_json, write_npy

v1 = tf.compat.v1
AREA = "zoo_cnn"


def resnet_arg_scope(weight_decay=0.0001, is_training=True, updates_collections=v1.GraphKeys.UPDATE_OPS):
    batch_norm_params = {"decay": 0.997, "epsilon": 1e-5, "scale": True,
                         "updates_collections": updates_collections, "fused": None,
                         "is_training": is_training}
    with slim.arg_scope([slim.conv2d], weights_regularizer=slim.l2_regularizer(weight_decay),
                        weights_initializer=slim.variance_scaling_initializer(),
                        activation_fn=tf.nn.relu, normalizer_fn=slim.batch_norm,
                        normalizer_params=batch_norm_params):
        with slim.arg_scope([slim.batch_norm], **batch_norm_params):
            with slim.arg_scope([slim.max_pool2d], padding="SAME") as arg_sc:
                return arg_sc

def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
    if stride == 1:
        return slim.conv2d(inputs, num_outputs, kernel_size, stride=1, rate=rate, padding="SAME", scope=scope)
    kernel_size_effective = kernel_size + (kernel_size - 1) * (rate - 1)
    pad_total = kernel_size_effective - 1
    pad_beg = pad_total // 2
    pad_end = pad_total - pad_beg
    inputs = tf.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
    return slim.conv2d(inputs, num_outputs, kernel_size, stride=stride, rate=rate, padding="VALID", scope=scope)

def subsample(inputs, factor, scope=None):
    if factor == 1:
        return inputs
    return slim.max_pool2d(inputs, [1, 1], stride=factor, scope=scope)

def bottleneck_v1(inputs, depth, depth_bottleneck, stride, rate=1, scope=None):
    with v1.variable_scope(scope, "bottleneck_v1", [inputs]):
        depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
        if depth == depth_in:
            shortcut = subsample(inputs, stride, "shortcut")
        else:
            shortcut = slim.conv2d(inputs, depth, [1, 1], stride=stride, activation_fn=None, scope="shortcut")
        residual = slim.conv2d(inputs, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate, scope="conv2")
        residual = slim.conv2d(residual, depth, [1, 1], stride=1, activation_fn=None, scope="conv3")
        return tf.nn.relu(shortcut + residual)

def slim_resnet_v1_small(inputs, is_training):
    with slim.arg_scope(resnet_arg_scope(is_training=is_training)):
        with v1.variable_scope("resnet_v1_small"):
            net = conv2d_same(inputs, 8, 7, stride=2, scope="conv1")
            net = slim.max_pool2d(net, [3, 3], stride=2, scope="pool1")
            with v1.variable_scope("block1"):
                with v1.variable_scope("unit_1"):
                    net = bottleneck_v1(net, 16, 4, 1)
                with v1.variable_scope("unit_2"):
                    net = bottleneck_v1(net, 16, 4, 2)
            with v1.variable_scope("block2"):
                with v1.variable_scope("unit_1"):
                    net = bottleneck_v1(net, 24, 8, 1, rate=2)
            net = tf.reduce_mean(net, [1, 2], name="pool5", keepdims=True)
            net = slim.conv2d(net, 5, [1, 1], activation_fn=None, normalizer_fn=None, scope="logits")
            net = tf.squeeze(net, [1, 2], name="SpatialSqueeze")
    return net

def bottleneck_v2(inputs, depth, depth_bottleneck, stride, rate=1, scope=None):
    with v1.variable_scope(scope, "bottleneck_v2", [inputs]):
        depth_in = slim.utils.last_dimension(inputs.get_shape(), min_rank=4)
        preact = slim.batch_norm(inputs, activation_fn=tf.nn.relu, scope="preact")
        if depth == depth_in:
            shortcut = subsample(inputs, stride, "shortcut")
        else:
            shortcut = slim.conv2d(preact, depth, [1, 1], stride=stride, normalizer_fn=None, activation_fn=None, scope="shortcut")
        residual = slim.conv2d(preact, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate, scope="conv2")
        residual = slim.conv2d(residual, depth, [1, 1], stride=1, normalizer_fn=None, activation_fn=None, scope="conv3")
        return shortcut + residual

def slim_resnet_v2_small(inputs, is_training):
    # updates_collections=None, as many training scripts set it (the updates run in place): Slim's
    # own fused function then makes beta before gamma.
    with slim.arg_scope(resnet_arg_scope(is_training=is_training, updates_collections=None)):
        with v1.variable_scope("resnet_v2_small"):
            with slim.arg_scope([slim.conv2d], activation_fn=None, normalizer_fn=None):
                net = conv2d_same(inputs, 8, 3, stride=1, scope="conv1")
            net = slim.max_pool2d(net, [3, 3], stride=2, scope="pool1")
            with v1.variable_scope("block1"):
                with v1.variable_scope("unit_1"):
                    net = bottleneck_v2(net, 16, 4, 1)
                with v1.variable_scope("unit_2"):
                    net = bottleneck_v2(net, 16, 4, 2)
            net = slim.batch_norm(net, activation_fn=tf.nn.relu, scope="postnorm")
            net = tf.reduce_mean(net, [1, 2], name="pool5", keepdims=True)
            net = slim.conv2d(net, 5, [1, 1], activation_fn=None, normalizer_fn=None, scope="logits")
            net = tf.squeeze(net, [1, 2])
    return net

def compat_unet(inputs, is_training):
    reg = slim.l2_regularizer(1e-4)   # tf.contrib.layers.l2_regularizer
    L = v1.layers
    def block(x, filters, name):
        with v1.variable_scope(name):
            x = L.conv2d(x, filters, 3, padding="same", use_bias=False, kernel_regularizer=reg)
            x = L.batch_normalization(x, training=is_training, momentum=0.9)
            x = tf.nn.relu(x)
            x = L.conv2d(x, filters, 3, padding="same", use_bias=False, kernel_regularizer=reg)
            x = L.batch_normalization(x, training=is_training, momentum=0.9)
            return tf.nn.relu(x)
    with v1.variable_scope("unet"):
        c1 = block(inputs, 4, "down1")
        p1 = L.max_pooling2d(c1, 2, 2)
        c2 = block(p1, 8, "down2")
        p2 = L.max_pooling2d(c2, 2, 2)
        b = block(p2, 16, "bottom")
        u2 = L.conv2d_transpose(b, 8, 2, strides=2, padding="same", kernel_regularizer=reg, name="up2")
        u2 = tf.concat([u2, c2], axis=-1)
        c3 = block(u2, 8, "dec2")
        u1 = L.conv2d_transpose(c3, 4, 3, strides=2, padding="same", kernel_regularizer=reg, name="up1")
        u1 = tf.concat([u1, c1], axis=3)
        c4 = block(u1, 4, "dec1")
        out = L.conv2d(c4, 2, 1, name="logits")
    return out

def dilated_separable(inputs, is_training):
    L = v1.layers
    with v1.variable_scope("dilated"):
        x = L.conv2d(inputs, 8, 3, strides=2, padding="same", activation=tf.nn.relu6)
        x = L.separable_conv2d(x, 12, 3, padding="same", dilation_rate=2, depth_multiplier=2, activation=tf.nn.relu)
        with v1.variable_scope("dw"):
            w = v1.get_variable("depthwise_weights", [3, 3, 12, 1])
            x = v1.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", rate=[2, 2])
        with v1.variable_scope("sep"):
            dw = v1.get_variable("depthwise_filter", [3, 3, 12, 2])
            pw = v1.get_variable("pointwise_filter", [1, 1, 24, 16])
            x = v1.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "SAME", rate=[2, 2])
        with v1.variable_scope("atrous"):
            f = v1.get_variable("weights", [3, 3, 16, 16])
            x = tf.nn.atrous_conv2d(x, f, 2, "SAME")
        x = L.batch_normalization(x, training=is_training)
        x = tf.nn.relu(x)
        x = tf.reduce_mean(x, axis=[1, 2])
        x = L.dropout(x, rate=0.3, training=is_training)
        x = L.dense(x, 5)
    return x


def mobilenet_v1_small(inputs, is_training):
    # tf-models' mobilenet_v1_arg_scope and mobilenet_v1 (fewer, narrower blocks): the batch norm's
    # keywords reach every layer's normalizer only through arg_scope([slim.batch_norm]).
    batch_norm_params = {"center": True, "scale": True, "decay": 0.9997, "epsilon": 0.001,
                         "updates_collections": v1.GraphKeys.UPDATE_OPS}
    regularizer = slim.l2_regularizer(0.00004)
    with slim.arg_scope([slim.conv2d, slim.separable_conv2d], weights_initializer=v1.truncated_normal_initializer(stddev=0.09),
                        activation_fn=tf.nn.relu6, normalizer_fn=slim.batch_norm):
        with slim.arg_scope([slim.batch_norm], **batch_norm_params):
            with slim.arg_scope([slim.conv2d], weights_regularizer=regularizer):
                with slim.arg_scope([slim.separable_conv2d], weights_regularizer=None):
                    with v1.variable_scope("MobilenetV1", "MobilenetV1", [inputs]):
                        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
                            with slim.arg_scope([slim.conv2d, slim.separable_conv2d], padding="SAME"):
                                net = slim.conv2d(inputs, 8, [3, 3], stride=2, scope="Conv2d_0")
                                for i, (stride, depth) in enumerate([(1, 16), (2, 32), (1, 32)]):
                                    end_point = "Conv2d_%d" % (i + 1)
                                    net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=1, stride=stride,
                                                                rate=1, scope=end_point + "_depthwise")
                                    net = slim.conv2d(net, depth, [1, 1], stride=1, scope=end_point + "_pointwise")
                            with v1.variable_scope("Logits"):
                                net = slim.avg_pool2d(net, [4, 4], padding="VALID", scope="AvgPool_1a")
                                net = slim.dropout(net, keep_prob=0.999, scope="Dropout_1b")
                                logits = slim.conv2d(net, 5, [1, 1], activation_fn=None, normalizer_fn=None,
                                                     scope="Conv2d_1c_1x1")
                                logits = tf.squeeze(logits, [1, 2], name="SpatialSqueeze")
    return logits


MODELS = [
    # (model, function, input shape, whether its training output is deterministic)
    ("SlimResNetV1Small", slim_resnet_v1_small, [2, 16, 16, 3], True),
    ("SlimResNetV2Small", slim_resnet_v2_small, [2, 12, 12, 3], True),
    ("CompatUNet", compat_unet, [2, 8, 8, 3], True),
    ("DilatedSeparable", dilated_separable, [2, 12, 12, 3], False),
    ("SlimMobileNetV1Small", mobilenet_v1_small, [2, 16, 16, 3], False),
]


def batch_norm_paths():
    """Slim's batch norm by path: variables' order and the moving statistics after a training call."""
    cases = []
    for rank_shape in ([4, 3, 3, 3], [6, 3]):
        x = np.random.RandomState(len(rank_shape)).uniform(-1, 1, rank_shape).astype(np.float32)
        for updates in ("UPDATE_OPS", None):
            for fused in (None, True, False):
                def body(inputs, updates=updates, fused=fused):
                    kwargs = {"decay": 0.5, "scale": True, "fused": fused, "is_training": True}
                    if updates is None:
                        kwargs["updates_collections"] = None
                    return slim.batch_norm(inputs, **kwargs)
                cases.append(run_case(f"batch_norm rank {len(rank_shape)} updates_collections={updates} fused={fused}",
                                      body, x, {"rank": len(rank_shape), "updates_collections": updates, "fused": fused}))
    x = np.random.RandomState(5).uniform(-1, 1, [4, 3, 3, 2]).astype(np.float32)

    def normalizer_takes_arg_scope(inputs):
        with slim.arg_scope([slim.batch_norm], scale=True, decay=0.5, is_training=True, updates_collections=None):
            with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm, normalizer_params={"center": True}):
                net = slim.conv2d(inputs, 3, [1, 1], weights_initializer=v1.constant_initializer(0.5), scope="a")
                return slim.conv2d(net, 2, [1, 1], weights_initializer=v1.constant_initializer(-0.25),
                                   normalizer_params={"scale": False, "decay": 0.9}, scope="b")
    cases.append(run_case("normalizer takes arg_scope", normalizer_takes_arg_scope, x, {}))
    write_json(os.path.join(golden_dir(AREA), "batch_norm_paths.json"), cases)
    print("  batch_norm_paths")


def run_case(name, body, x, settings):
    graph = tf.Graph()
    with graph.as_default():
        inputs = v1.placeholder(tf.float32, x.shape)
        output = body(inputs)
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            value, _ = session.run([output, updates], {inputs: x})
            return dict(settings, case=name, input_shape=list(x.shape), input=x.ravel().tolist(),
                        output=np.asarray(value).ravel().tolist(),
                        variables=[v.name[:-2] for v in v1.global_variables()],
                        after_training={v.name[:-2]: session.run(v).ravel().tolist() for v in v1.global_variables()})


def empty_conv2d_transpose():
    """A transposed convolution of an input with no rows: `valid` padding still makes
    `max(window - stride, 0)` rows, which hold the bias alone."""
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [2, 0, 4, 3])
        y = v1.layers.conv2d_transpose(x, 2, 3, strides=2, padding="valid", activation=tf.nn.relu,
                                       bias_initializer=v1.constant_initializer([0.5, -0.25]))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            value = session.run(y, {x: np.zeros([2, 0, 4, 3], np.float32)})
    write_json(os.path.join(golden_dir(AREA), "empty_conv2d_transpose.json"), {
        "input_shape": [2, 0, 4, 3], "filters": 2, "kernel_size": 3, "strides": 2, "padding": "valid",
        "activation": "relu", "bias": [0.5, -0.25], "output_shape": list(value.shape), "output": value.ravel().tolist()})
    print("  empty_conv2d_transpose")


def main():
    empty_conv2d_transpose()
    batch_norm_paths()
    for model, body, shape, deterministic in MODELS:
        # Moving means near 0, so that the ReLUs after them keep some of their inputs.
        slim_oracle.write_network(AREA, model, body, shape, deterministic, moving_means=(-0.3, 0.3))
