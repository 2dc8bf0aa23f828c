"""Keras's layer-name counter around get_or_create_layer (Tests/Goldens/keras_counter/).

Inside `track_tf1_style_variables`, a Keras layer made by
`tf.compat.v1.keras.utils.get_or_create_layer` without `name=` is named by
Keras's counter (`backend.unique_object_name`): one counter per name for the
whole process (the eager default graph, reset by `clear_session`), not per
scope or per model. The model, the Keras layers it makes, and every unnamed
`tf.compat.v1.layers` call (each makes a layer object) take numbers from it
too. Each case here is the class of a spec in
Tests/ModelSpecCheckpointsTests/Specs/KerasCounter/ (KerasCounter's is
specs/KerasCounter.yaml), called twice on seeded
inputs; the second call makes nothing new. Per case:

    <Case>/variables.json             layer.weights names after each call, and the
                                      store's layer keys with the layers' Keras names
    <Case>/name_based/model.ckpt.*    `Saver(var_list=layer.weights)` (variable names)
    <Case>/object_based/ckpt.*        `tf.train.Checkpoint(model=layer)` (object paths)
    <Case>/inputs.npy, outputs.npy    the inputs and the second call's outputs

and `default_name_at_root.json`: a `get_or_create_layer` layer in a
`default_name` scope opened at the root of the call gets a new scope and a
new layer with new weights on every call (ModelSpec refuses it);
`compat_conv1d.json`: unnamed functional `conv1d` calls keep their names on a
second call inside a scope, and get new ones at the root.
"""
import os

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

AREA = "keras_counter"
v1 = tf.compat.v1
get = v1.keras.utils.get_or_create_layer
track = v1.keras.utils.track_tf1_style_variables
Dense = tf.keras.layers.Dense


def in_model(units):
    def make():
        inp = tf.keras.Input(shape=(3,))
        return tf.keras.Model(inputs=inp, outputs=Dense(units)(inp))
    return make


class TwoUnnamed(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__(name="counter_model")

    @track
    def call(self, x):
        with v1.variable_scope("outer"):
            x = get("a", lambda: Dense(3))(x)
            x = get("b", lambda: Dense(3))(x)
            x = get("a", lambda: Dense(3))(x)
        x = get("head", in_model(3))(x)
        return get("head2", in_model(3))(x)


class TwoScopes(tf.keras.layers.Layer):
    @track
    def call(self, x):
        with v1.variable_scope("s1"):
            x = get("a", lambda: Dense(3))(x)
        with v1.variable_scope("s2"):
            x = get("a", lambda: Dense(3))(x)
        return x


class MixedCompat(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__(name="mixed_model")
        self.proj = Dense(3)

    @track
    def call(self, x):
        with v1.variable_scope("outer"):
            x = get("a", lambda: Dense(3))(x)
            x = v1.layers.dense(x, 3)
            x = get("b", lambda: Dense(3))(x)
            x = v1.layers.dense(x, 3)
        return self.proj(x)


class Loop(tf.keras.layers.Layer):
    @track
    def call(self, x):
        for i in range(3):
            with v1.variable_scope("block_%d" % i):
                x = get("a", lambda: Dense(3))(x)
                x = v1.layers.dense(x, 3)
        with v1.variable_scope("shared"):
            for _ in range(2):
                x = get("s", lambda: Dense(3))(x)
        return x


class NestedCounter(tf.keras.layers.Layer):
    @track
    def call(self, x):
        with v1.variable_scope("in"):
            return get("p", lambda: Dense(3))(x)


class NestedOuter(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__(name="nested_model")
        self.first = NestedCounter()
        self.second = NestedCounter()

    @track
    def call(self, x):
        with v1.variable_scope("outer"):
            return self.second(self.first(x))


class KerasCounter(tf.keras.layers.Layer):
    """specs/KerasCounter.yaml (also run as generated Swift)."""

    def __init__(self):
        super().__init__()
        self.proj = Dense(3)

    @track
    def call(self, x):
        for i in range(2):
            with v1.variable_scope("block_%d" % i):
                x = get("a", lambda: Dense(3))(x)
                x = v1.layers.dense(x, 3)
                x = get("b", lambda: Dense(3))(x)
        return self.proj(x)


CASES = [TwoUnnamed, TwoScopes, MixedCompat, Loop, NestedOuter, KerasCounter]


def strip0(name):
    return name.rsplit(":", 1)[0]


def stored_layers(layer):
    """Every get_or_create_layer layer of the model's stores: key -> Keras name."""
    found = {}
    for owner in [layer] + [getattr(layer, a) for a in ("first", "second") if hasattr(layer, a)]:
        store = getattr(owner, "_tf1_style_var_store", None)
        for key, made in (store._layers.items() if store else []):
            found[f"{owner.name}:{key}"] = made.name
    return found


def run_case(cls, index):
    name = cls.__name__
    folder = golden_dir(AREA, name)
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(100 + index)
    layer = cls()
    inputs = np.random.RandomState(index).normal(size=(2, 3)).astype(np.float32)
    first = layer(tf.constant(inputs)).numpy()
    after_first = [strip0(w.name) for w in layer.weights]
    second = layer(tf.constant(inputs)).numpy()
    after_second = [strip0(w.name) for w in layer.weights]
    assert after_first == after_second, (name, after_first, after_second)
    np.testing.assert_array_equal(first, second)
    write_npy(os.path.join(folder, "inputs.npy"), inputs)
    write_npy(os.path.join(folder, "outputs.npy"), second)
    tf.compat.v1.train.Saver(var_list=layer.weights).save(
        None, os.path.join(folder, "name_based", "model.ckpt"), write_meta_graph=False, write_state=False)
    tf.train.Checkpoint(model=layer).write(os.path.join(folder, "object_based", "ckpt"))
    write_json(os.path.join(folder, "variables.json"), {
        "weights": after_second,
        "stored_layers": stored_layers(layer),
        "object_keys": sorted(k for k, _ in tf.train.list_variables(os.path.join(folder, "object_based", "ckpt"))
                              if k.endswith("VARIABLE_VALUE")),
    })
    print(f"  {name}: " + ", ".join(after_second))


def default_name_at_root():
    """A get_or_create_layer layer in a default_name scope opened at the root of
    the call: TensorFlow opens block, block_1, ... one per call, and makes a new
    layer in each; the outputs of two calls differ."""
    tf.keras.backend.clear_session()

    class DefaultNameAtRoot(tf.keras.layers.Layer):
        @track
        def call(self, x):
            with v1.variable_scope(None, default_name="block"):
                return get("a", lambda: Dense(3))(x)

    layer = DefaultNameAtRoot()
    x = tf.constant(np.random.RandomState(9).normal(size=(2, 3)).astype(np.float32))
    calls = []
    outputs = []
    for _ in range(3):
        outputs.append(layer(x).numpy())
        calls.append({"weights": [strip0(w.name) for w in layer.weights],
                      "stored_layers": sorted(layer._tf1_style_var_store._layers.keys())})
    write_json(os.path.join(golden_dir(AREA), "default_name_at_root.json"), {
        "python": "with tf.compat.v1.variable_scope(None, default_name='block'):\n"
                  "    return get_or_create_layer('a', lambda: Dense(3))(x)",
        "after_each_call": calls,
        "outputs_of_calls_equal": bool(np.array_equal(outputs[0], outputs[1])),
    })
    print("  default_name at the root: " + "; ".join(", ".join(c["stored_layers"]) for c in calls))


def compat_conv1d():
    """Two unnamed functional `conv1d` calls, in a scope and at the root, in a model
    called twice: conv1d, conv1d_1 in the scope on both calls; at the root the scope
    counter is never reset, so the second call makes conv1d_2, conv1d_3."""
    record = {}
    for where in ("in_scope", "at_root"):
        tf.keras.backend.clear_session()

        class Conv1dTwice(tf.keras.layers.Layer):
            @track
            def call(self, x):
                if where == "at_root":
                    return v1.layers.conv1d(v1.layers.conv1d(x, 2, 1), 2, 1)
                with v1.variable_scope("s"):
                    return v1.layers.conv1d(v1.layers.conv1d(x, 2, 1), 2, 1)

        layer = Conv1dTwice()
        x = tf.constant(np.random.RandomState(11).normal(size=(2, 3, 1)).astype(np.float32))
        calls = []
        for _ in range(2):
            layer(x)
            calls.append([strip0(w.name) for w in layer.weights])
        record[where] = calls
    write_json(os.path.join(golden_dir(AREA), "compat_conv1d.json"), record)
    print("  conv1d twice: " + "; ".join(f"{k}: {', '.join(v[-1])}" for k, v in record.items()))


def main():
    for index, cls in enumerate(CASES):
        run_case(cls, index)
    default_name_at_root()
    compat_conv1d()


if __name__ == "__main__":
    main()
