"""TF-Slim networks recorded from TensorFlow (tf-slim 1.1.0 on TF 2.21, graph mode).

Each case is a Slim function beside its spec (specs/<Model>.yaml, the same
network in the spec language). Writes Tests/Goldens/slim/<Model>/:

| file | meaning |
| --- | --- |
| `case.json` | `source` (the Slim function), `variables` (`tf.compat.v1.global_variables()` in creation order: name, shape, dtype, trainable), `losses` (the `REGULARIZATION_LOSSES` collection's values, in order), `input_shape`, `update_ops` (how many) |
| `input.npy` | the call's input (seeded) |
| `output.npy` | inference (`is_training` false) with the checkpoint's values |
| `training_output.npy` | one call with `is_training` true (only for models without dropout) |
| `moving_after_training.json` | each moving statistic after that call ran the `UPDATE_OPS` |
| `model.ckpt.*` | a graph-mode `Saver` checkpoint of the initial (random, seeded) values |

tf-slim 1.1.0 does not import on TF 2.21 as it is: its batch_norm reaches
`tensorflow.python.layers.normalization`, whose lazy loader imports
`tf_keras.legacy_tf_layers.normalization`, a module tf-keras 2.21 keeps under
`tf_keras.src.legacy_tf_layers`. `shim_tf_slim()` registers the `tf_keras.src`
modules under the old names before tf_slim is imported. Its utils.constant_value
(batch_norm with a tensor `is_training`) tests `isinstance(x, ops.Tensor)`, and
TF 2.21's `tensorflow.python.framework.ops` no longer exports `Tensor` (the class
is `tensorflow.python.framework.tensor.Tensor`): `shim_tf_slim()` sets
`ops.Tensor` to that class when missing. Its utils.smart_cond calls
`control_flow_ops.cond`, which TF 2.21 keeps in `tensorflow.python.ops.cond`
(`cond.cond`): the shim sets `control_flow_ops.cond` to it when missing.
Nothing else is changed.
"""
import importlib
import inspect
import json
import os
import shutil
import sys

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

v1 = tf.compat.v1
AREA = "slim"


def shim_tf_slim():
    """Makes `tf_keras.legacy_tf_layers.*` (what tensorflow/python/layers/*.py lazily
    import, and tf_slim through them) resolve to tf-keras 2.21's `tf_keras.src.legacy_tf_layers.*`."""
    from tensorflow.python.framework import ops, tensor
    from tensorflow.python.ops import cond, control_flow_ops
    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor  # tf_slim.layers.utils.constant_value tests isinstance(x, ops.Tensor)
    if not hasattr(control_flow_ops, "cond"):
        control_flow_ops.cond = cond.cond  # tf_slim.layers.utils.smart_cond with a tensor predicate
    package = importlib.import_module("tf_keras.src.legacy_tf_layers")
    sys.modules.setdefault("tf_keras.legacy_tf_layers", package)
    for name in ("base", "convolutional", "core", "normalization", "pooling"):
        sys.modules.setdefault("tf_keras.legacy_tf_layers." + name,
                               importlib.import_module("tf_keras.src.legacy_tf_layers." + name))


shim_tf_slim()
import tf_slim as slim  # noqa: E402


def slim_vgg_small(inputs, is_training):
    with v1.variable_scope("vgg_small"):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], weights_regularizer=slim.l2_regularizer(0.0005)):
            with slim.arg_scope([slim.conv2d], padding="SAME"):
                net = slim.repeat(inputs, 2, slim.conv2d, 8, [3, 3], scope="conv1")
                net = slim.max_pool2d(net, [2, 2], scope="pool1")
                net = slim.conv2d(net, 16, [3, 3], normalizer_fn=slim.batch_norm,
                                  normalizer_params={"is_training": is_training, "scale": True, "decay": 0.9},
                                  scope="conv2")
                net = slim.max_pool2d(net, [2, 2], scope="pool2")
                net = slim.stack(net, slim.conv2d, [(16, [3, 3]), (8, [1, 1])], scope="conv3")
                net = slim.conv2d(net, 8, [3, 3], padding="VALID", activation_fn=tf.nn.relu6)
                net = slim.avg_pool2d(net, [2, 2], stride=1)
                net = slim.flatten(net)
                net = slim.fully_connected(net, 32, scope="fc6")
                net = slim.batch_norm(net, is_training=is_training, decay=0.9)
                net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout6")
                net = slim.fully_connected(net, 10, activation_fn=None, scope="fc8")
    return net


def slim_inception_block(inputs, is_training):
    with v1.variable_scope("InceptionBlock"):
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": is_training, "decay": 0.9}):
            with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1, padding="SAME"):
                net = slim.conv2d(inputs, 8, [3, 3], stride=2, padding="VALID")
                net = slim.conv2d(net, 8, [1, 1])
                with v1.variable_scope("Mixed_5b"):
                    with v1.variable_scope("Branch_0"):
                        branch_0 = slim.conv2d(net, 8, [1, 1], scope="Conv2d_0a_1x1")
                    with v1.variable_scope("Branch_1"):
                        branch_1 = slim.conv2d(net, 6, [1, 1], scope="Conv2d_0a_1x1")
                        branch_1 = slim.conv2d(branch_1, 8, [5, 5], scope="Conv2d_0b_5x5")
                    with v1.variable_scope("Branch_2"):
                        branch_2 = slim.conv2d(net, 8, [1, 1], scope="Conv2d_0a_1x1")
                        branch_2 = slim.conv2d(branch_2, 12, [3, 3], scope="Conv2d_0b_3x3")
                        branch_2 = slim.conv2d(branch_2, 12, [3, 3], scope="Conv2d_0c_3x3")
                    with v1.variable_scope("Branch_3"):
                        branch_3 = slim.avg_pool2d(net, [3, 3], scope="AvgPool_0a_3x3")
                        branch_3 = slim.conv2d(branch_3, 4, [1, 1], scope="Conv2d_0b_1x1")
                    net = tf.concat(axis=3, values=[branch_0, branch_1, branch_2, branch_3])
                net = slim.max_pool2d(net, [3, 3], stride=2, padding="VALID")
    return net


def slim_separable_decoder(inputs, is_training):
    with v1.variable_scope("separable_decoder"):
        with slim.arg_scope([slim.separable_conv2d, slim.conv2d_transpose], weights_regularizer=slim.l2_regularizer(0.001)):
            net = slim.separable_conv2d(inputs, 8, [3, 3], depth_multiplier=2, scope="sep1")
            net = slim.separable_conv2d(net, None, [3, 3], stride=2, normalizer_fn=slim.batch_norm,
                                        normalizer_params={"is_training": is_training, "scale": True, "decay": 0.9},
                                        scope="dw2")
            net = slim.separable_conv2d(net, 6, [3, 3], rate=2, activation_fn=tf.nn.relu6)
            net = slim.conv2d_transpose(net, 4, [3, 3], stride=2, normalizer_fn=slim.batch_norm,
                                        normalizer_params={"is_training": is_training, "decay": 0.9}, scope="up1")
            net = slim.conv2d_transpose(net, 3, [2, 2], stride=2, padding="VALID", activation_fn=None)
    return net


def repeat_and_stack_without_scope(inputs, is_training):
    with v1.variable_scope("m"):
        net = slim.repeat(inputs, 2, slim.conv2d, 4, [3, 3])
        net = slim.repeat(net, 1, slim.conv2d, 4, [1, 1])
        net = slim.flatten(net)
        net = slim.stack(net, slim.fully_connected, [6, 5])
    return net


def counters_and_batch_norm_order(inputs, is_training):
    with v1.variable_scope("m"):
        net = slim.conv2d(inputs, 4, [3, 3])
        net = slim.conv2d(net, 4, [3, 3], normalizer_fn=slim.batch_norm, normalizer_params={"scale": True})
        net = slim.conv2d(net, 4, [1, 1], activation_fn=None)
        net = slim.batch_norm(net, scale=True, center=False)
        net = slim.flatten(net)
        net = slim.fully_connected(net, 6, normalizer_fn=slim.batch_norm, normalizer_params={"scale": True})
        net = slim.fully_connected(net, 5)
        net = slim.batch_norm(net, scale=True)
    return net


def arg_scope_nested_overrides(inputs, is_training):
    with v1.variable_scope("m"):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], normalizer_fn=slim.batch_norm,
                            weights_regularizer=slim.l2_regularizer(0.1)):
            with slim.arg_scope([slim.conv2d], normalizer_fn=None, biases_initializer=None):
                net = slim.conv2d(inputs, 4, [3, 3], scope="no_biases")
                net = slim.conv2d(net, 4, [3, 3], biases_initializer=v1.zeros_initializer(), scope="biases_again")
            net = slim.conv2d(net, 4, [1, 1], scope="normalized")
            net = slim.flatten(net)
            net = slim.fully_connected(net, 3, normalizer_fn=None, scope="logits")
    return net


def reuse_by_scope(inputs, is_training):
    with v1.variable_scope("m"):
        a = slim.conv2d(inputs, 4, [3, 3], scope="shared")
        b = slim.conv2d(inputs, 4, [3, 3], scope="shared", reuse=True)
        net = tf.concat([a, b], 3)
        net = slim.conv2d(net, 2, [1, 1])
    return net


def layer_norm_axes(inputs, is_training):
    with v1.variable_scope("m"):
        net = slim.layer_norm(inputs)
        net = slim.layer_norm(net, begin_norm_axis=-1, begin_params_axis=1, center=False, activation_fn=tf.nn.relu, scope="ln2")
        net = slim.layer_norm(net, begin_norm_axis=2, scale=False)
    return net


def scope_defaults_reach_slim(inputs, is_training):
    with v1.variable_scope("s", initializer=v1.constant_initializer(0.5), regularizer=tf.keras.regularizers.l1(1.0)):
        net = slim.conv2d(inputs, 2, [1, 1], normalizer_fn=slim.batch_norm)
        net = slim.flatten(net)
        net = slim.fully_connected(net, 3)
        net = slim.batch_norm(net)
        net = slim.layer_norm(net)
    return net


def separable_and_transpose_names(inputs, is_training):
    with v1.variable_scope("m"):
        with slim.arg_scope([slim.separable_conv2d, slim.conv2d_transpose], weights_regularizer=slim.l2_regularizer(0.01)):
            net = slim.separable_conv2d(inputs, 4, [3, 3])
            net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=2)
            net = slim.separable_conv2d(net, 6, [3, 3], stride=2, normalizer_fn=slim.batch_norm,
                                        normalizer_params={"scale": True}, scope="sep_bn")
            net = slim.separable_conv2d(net, None, [1, 1], normalizer_fn=slim.batch_norm)
            net = slim.conv2d_transpose(net, 4, [3, 3], stride=2)
            net = slim.conv2d_transpose(net, 3, [2, 2], stride=2, padding="VALID", normalizer_fn=slim.batch_norm)
            net = slim.repeat(net, 2, slim.conv2d_transpose, 2, [1, 1])
    return net


def separable_and_transpose_outputs(inputs, is_training):
    with v1.variable_scope("d"):
        with slim.arg_scope([slim.separable_conv2d, slim.conv2d_transpose], weights_initializer=v1.constant_initializer(0.1),
                            biases_initializer=v1.constant_initializer(0.05)):
            net = slim.separable_conv2d(inputs, 4, [3, 3], depth_multiplier=2,
                                        pointwise_initializer=v1.constant_initializer(-0.2), activation_fn=None)
            net = slim.separable_conv2d(net, None, [3, 3], rate=2, padding="VALID", biases_initializer=None)
            net = slim.conv2d_transpose(net, 3, [3, 3], stride=2, padding="VALID", activation_fn=tf.nn.relu6)
            net = slim.conv2d_transpose(net, 2, [2, 3], stride=[2, 1], activation_fn=None)
    return net


NAME_CASES = [
    ("repeat_and_stack_without_scope", repeat_and_stack_without_scope, [2, 6, 6, 3]),
    ("counters_and_batch_norm_order", counters_and_batch_norm_order, [2, 6, 6, 3]),
    ("arg_scope_nested_overrides", arg_scope_nested_overrides, [2, 6, 6, 3]),
    ("reuse_by_scope", reuse_by_scope, [2, 6, 6, 3]),
    ("layer_norm_axes", layer_norm_axes, [2, 3, 4, 5]),
    ("scope_defaults_reach_slim", scope_defaults_reach_slim, [2, 4, 4, 3]),
    ("separable_and_transpose_names", separable_and_transpose_names, [2, 8, 8, 3]),
    ("separable_and_transpose_outputs", separable_and_transpose_outputs, [2, 7, 7, 3]),
]

# Cases whose variables all start as constants: their output is recorded too.
DETERMINISTIC = {"layer_norm_axes", "separable_and_transpose_outputs"}


def write_name_cases():
    """Tests/Goldens/slim/cases/<case>.json: `variables` (name, shape, trainable) in creation
    order (with `constant`: the initial value of a variable whose elements all start equal, else
    null), the `losses` count, and for DETERMINISTIC cases an `input` and its `output`, for a
    spec of the same name in
    Tests/ModelSpecCheckpointsTests/Specs/Slim/."""
    directory = golden_dir(AREA, "cases")
    for name, body, shape in NAME_CASES:
        graph = tf.Graph()
        with graph.as_default():
            inputs = v1.placeholder(tf.float32, shape)
            output = body(inputs, False)
            trainable = set(v.name for v in v1.trainable_variables())
            record = {
                "case": name, "source": inspect.getsource(body), "input_shape": shape,
                "variables": [{"name": v.name[:-2], "shape": v.shape.as_list(), "trainable": v.name in trainable}
                              for v in v1.global_variables()],
                "losses": len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)),
            }
            with v1.Session() as session:
                session.run(v1.global_variables_initializer())
                # Which initializer applied: each variable's initial value when all its elements are one constant.
                for entry, value in zip(record["variables"], session.run(v1.global_variables())):
                    flat = np.asarray(value).ravel()
                    entry["constant"] = float(flat[0]) if flat.size > 1 and np.all(flat == flat[0]) else None
                if name in DETERMINISTIC:
                    x = np.random.RandomState(3).uniform(-1, 1, shape).astype(np.float32)
                    record["input"] = x.ravel().tolist()
                    record["output"] = np.asarray(session.run(output, {inputs: x})).ravel().tolist()
            write_json(os.path.join(directory, name + ".json"), record)
        print(" ", name)


CASES = [
    ("SlimVGGSmall", slim_vgg_small, [2, 16, 16, 3], False),
    ("SlimInceptionBlock", slim_inception_block, [2, 11, 11, 4], True),
    ("SlimSeparableDecoder", slim_separable_decoder, [2, 8, 8, 3], True),
]


def write_network(area, model, body, shape, compare_training, moving_means=(0.5, 1.5)):
    """Tests/Goldens/<area>/<model>/ of a network `body(inputs, is_training)` built in graph mode:
    the module docstring's files. The moving statistics are set off 0 and 1 before the checkpoint
    is saved (means drawn from `moving_means`, variances from [0.5, 1.5)), so that loading them is tested."""
    directory = golden_dir(area, model)
    shutil.rmtree(directory)
    os.makedirs(directory)
    x = np.random.RandomState(7).uniform(-1, 1, shape).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(1)
        inputs = v1.placeholder(tf.float32, shape)
        is_training = v1.placeholder_with_default(False, [])
        output = body(inputs, is_training)
        variables = v1.global_variables()
        losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        trainable = set(v.name for v in v1.trainable_variables())
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            for v in variables:
                if "moving_" in v.name:
                    low, high = moving_means if "moving_mean" in v.name else (0.5, 1.5)
                    session.run(v.assign(np.random.RandomState(len(v.name)).uniform(low, high, v.shape.as_list())))
            v1.train.Saver().save(session, os.path.join(directory, "model.ckpt"), write_meta_graph=False, write_state=False)
            write_npy(os.path.join(directory, "input.npy"), x)
            write_npy(os.path.join(directory, "output.npy"), session.run(output, {inputs: x}))
            loss_values = [float(v) for v in session.run(losses)]
            training_output, _ = session.run([output, updates], {inputs: x, is_training: True})
            if compare_training:
                write_npy(os.path.join(directory, "training_output.npy"), training_output)
            moving = {v.name[:-2]: np.asarray(session.run(v)).ravel().tolist() for v in variables if "moving_" in v.name}
            write_json(os.path.join(directory, "moving_after_training.json"), moving)
        write_json(os.path.join(directory, "case.json"), {
            "model": model,
            "source": inspect.getsource(body),
            "input_shape": shape,
            "variables": [{"name": v.name[:-2], "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                           "trainable": v.name in trainable} for v in variables],
            "losses": loss_values,
            "loss_names": [l.name for l in losses],
            "update_ops": len(updates),
        })
    print(" ", model)


def main():
    write_name_cases()
    for model, body, shape, compare_training in CASES:
        write_network(AREA, model, body, shape, compare_training)
