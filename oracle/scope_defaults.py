"""Scope defaults and partitioned variables: what `variable_scope(initializer=,
regularizer=, dtype=, partitioner=)` gives `get_variable` and the
`tf.compat.v1.layers` inside it, recorded from TensorFlow.

Each case is a Python body beside its spec
(Tests/ModelSpecCheckpointsTests/Specs/ScopeDefaults/<case>.yaml, the same body in
the spec language). Writes Tests/Goldens/scope_defaults/<case>.json:

| key | meaning |
| --- | --- |
| `source` | the Python body as run |
| `shim` | under `track_tf1_style_variables`: `creation_order` ({name, shape, dtype, trainable, value}: the initial value, flattened), `losses` (each entry of `layer.losses`, in order), `output` (flattened), `output_shape`; or `error` where the shim refuses the body |
| `graph` | in TF1 graph mode: `variables` (`tf.compat.v1.global_variables()` in order: {name, shape, dtype, full_name, full_shape, offset}, the last three from the part's save-slice info, null when not partitioned), `checkpoint_keys` (`tf.train.list_variables` of a `Saver` checkpoint), `output` |
| `input`, `input_shape` | the call's input (seeded), flattened |

Partitioned cases also keep the graph-mode `Saver` checkpoint
(`<case>/model.ckpt.*`, the parts saved as slices of one key) and its
initial values are random, so `shim.creation_order` has no values for them.
"""
import inspect
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json

v1 = tf.compat.v1
AREA = "scope_defaults"


def l2(factor):
    return tf.keras.regularizers.l2(factor)


def l1(factor):
    return tf.keras.regularizers.l1(factor)


def initializer_inheritance(x, training):
    with v1.variable_scope("s", initializer=v1.constant_initializer(0.3), regularizer=l2(0.01)):
        a = v1.get_variable("a", [3, 4])
        b = v1.get_variable("b", [4], initializer=v1.constant_initializer(0.1), regularizer=l2(0.5))
        h = tf.matmul(x, a) + b
        h = v1.layers.dense(h, 4)
        with v1.variable_scope("inner", initializer=v1.constant_initializer(-0.2)):
            c = v1.get_variable("c", [4])
            h = h * c
            h = v1.layers.dense(h, 2, kernel_initializer=v1.constant_initializer(0.5),
                                bias_initializer=v1.constant_initializer(0.25), kernel_regularizer=l1(0.1))
        with v1.variable_scope(None, default_name="block", regularizer=l1(0.02)):
            h = v1.layers.dense(h, 2, activation=tf.nn.relu)
            h = v1.layers.batch_normalization(h, training=training)
    return h


def conv_kernels(x, training):
    with v1.variable_scope("m", initializer=v1.constant_initializer(0.1)):
        h = v1.layers.conv2d(x, 3, 2)
        h = v1.layers.conv2d(h, 2, 1, kernel_initializer=v1.ones_initializer(), use_bias=False)
        with v1.variable_scope("head", initializer=v1.constant_initializer(-0.05), regularizer=l2(0.1)):
            h = v1.layers.flatten(h)
            h = v1.layers.dense(h, 3, bias_initializer=v1.constant_initializer(0.5))
    return h


def dtype_default(x, training):
    with v1.variable_scope("d", dtype=tf.float64, initializer=v1.zeros_initializer()):
        w = v1.get_variable("w", [3])
        v = v1.get_variable("v", [3], dtype=tf.float32, initializer=v1.ones_initializer())
        h = v1.layers.dense(x * v, 2)
        with v1.variable_scope("inner"):
            u = v1.get_variable("u", [2])
    return h


def object_and_template_in_scope(x, training, objects):
    with v1.variable_scope("t", initializer=v1.constant_initializer(0.2)):
        h = objects["fc"](x)
        h = objects["scale"](h)
    return h


def make_objects():
    def scale(v):
        y = v1.get_variable("y", [])
        return v * y
    return {"fc": v1.layers.Dense(2, name="fc"), "scale": v1.make_template("scale", scale)}


def partitioned(x, training):
    with v1.variable_scope("p", partitioner=v1.fixed_size_partitioner(3)):
        w = v1.get_variable("w", [3, 7])
        s = v1.get_variable("s", [])
        h = tf.matmul(x, w) * s
        h = v1.layers.dense(h, 5)
        with v1.variable_scope("q", partitioner=v1.min_max_variable_partitioner(max_partitions=4, min_slice_size=16)):
            h = v1.layers.dense(h, 3)
        with v1.variable_scope("r", partitioner=v1.fixed_size_partitioner(2, axis=1)):
            u = v1.get_variable("u", [3, 5])
            h = tf.matmul(h, u)
        with v1.variable_scope("z", partitioner=v1.variable_axis_size_partitioner(max_shard_bytes=24)):
            k = v1.get_variable("k", [5, 4])
            h = tf.matmul(h, k)
    return h


CASES = [
    ("initializer_inheritance", initializer_inheritance, [4, 3], None, False),
    ("conv_kernels", conv_kernels, [2, 4, 4, 2], None, False),
    ("dtype_default", dtype_default, [2, 3], None, False),
    ("object_and_template_in_scope", object_and_template_in_scope, [2, 3], make_objects, False),
    ("partitioned", partitioned, [2, 3], None, True),
]


def run_shim(body, x, make, random):
    tf.keras.backend.clear_session()

    class Model(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.objects = make() if make else None

        @v1.keras.utils.track_tf1_style_variables
        def call(self, inputs, training=False):
            if self.objects is not None:
                return body(inputs, training, self.objects)
            return body(inputs, training)

    model = Model()
    created = []

    def record_creation(next_creator, **kwargs):
        variable = next_creator(**kwargs)
        created.append(variable.name)
        return variable

    try:
        with tf.variable_creator_scope(record_creation):
            y = model(tf.constant(x), training=False)
    except Exception as error:  # the shim refuses the body (partitioners)
        return {"error": str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
                "error_detail": " ".join(str(error).split())}
    by_name = {v.name: v for v in model.variables}
    order = [by_name[name] for name in created]
    return {
        "creation_order": [{
            "name": v.name[:-2], "shape": list(v.shape), "dtype": v.dtype.name, "trainable": v.trainable,
            "value": None if random else np.asarray(v.numpy(), dtype=np.float64).ravel().tolist(),
        } for v in order],
        "losses": [float(l) for l in model.losses],
        "output": np.asarray(y).ravel().tolist(),
        "output_shape": list(y.shape),
    }


def run_graph(name, body, x, make):
    graph = tf.Graph()
    with graph.as_default():
        inputs = v1.placeholder(tf.float32, x.shape)
        y = body(inputs, False, make()) if make else body(inputs, False)
        variables = []
        for v in v1.global_variables():
            info = v._save_slice_info
            variables.append({
                "name": v.name[:-2], "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                "full_name": info.full_name if info else None,
                "full_shape": list(info.full_shape) if info else None,
                "offset": list(info.var_offset) if info else None,
            })
        with v1.Session() as session:
            v1.set_random_seed(0)
            session.run(v1.global_variables_initializer())
            output = session.run(y, {inputs: x})
            directory = golden_dir(AREA, name)
            shutil.rmtree(directory)
            os.makedirs(directory)
            prefix = os.path.join(directory, "model.ckpt")
            v1.train.Saver().save(session, prefix, write_meta_graph=False, write_state=False)
    keys = [[key, shape] for key, shape in tf.train.list_variables(prefix)]
    return {"variables": variables, "checkpoint_keys": keys, "output": np.asarray(output).ravel().tolist()}


def main():
    for name, body, shape, make, random in CASES:
        x = np.random.RandomState(len(name)).uniform(-1, 1, shape).astype(np.float32)
        record = {
            "case": name,
            "source": inspect.getsource(body),
            "input": x.ravel().tolist(),
            "input_shape": shape,
            "shim": run_shim(body, x, make, random),
        }
        if random:
            record["graph"] = run_graph(name, body, x, make)
        write_json(os.path.join(golden_dir(AREA), name + ".json"), record)
        print(" ", name)
