"""Goldens for the runtime's layers where the seeds do not cover a path:
batch normalization on rank-2 inputs (the non-fused path, which updates the
moving variance with the *biased* batch variance) and on rank-4 inputs as a
Keras-native layer (the fused path: *unbiased* variance).

    TF_USE_LEGACY_KERAS=1 .venv-tf/bin/python oracle/runtime.py

Writes Tests/Goldens/runtime/<case>/{x,y,moving_mean,moving_variance}.npy and
case.json (the layer, the input shape, momentum, epsilon).
"""
import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy


class CompatBatchNorm(tf.keras.layers.Layer):
    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, inputs, training=None):
        with tf.compat.v1.variable_scope("bn"):
            return tf.compat.v1.layers.batch_normalization(inputs, training=training)


def case(name, make_layer, shape, seed):
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 2 + 0.5).astype(np.float32)
    layer = make_layer()
    y = layer(x, training=True).numpy()
    weights = {w.name.split(":")[0].split("/")[-1]: w.numpy() for w in layer.weights}
    out = golden_dir("runtime", name)
    write_npy(os.path.join(out, "x.npy"), x)
    write_npy(os.path.join(out, "y.npy"), y)
    write_npy(os.path.join(out, "moving_mean.npy"), weights["moving_mean"])
    write_npy(os.path.join(out, "moving_variance.npy"), weights["moving_variance"])
    write_json(os.path.join(out, "case.json"), {
        "layer": name, "shape": list(shape), "momentum": 0.99, "epsilon": 0.001, "training": True,
        "weights": [w.name.split(":")[0] for w in layer.weights],
        "note": "One training call from fresh variables (gamma 1, beta 0, moving mean 0, moving variance 1).",
    })


if __name__ == "__main__":
    case("compat_batch_norm_2d", CompatBatchNorm, (6, 4), 1)
    case("compat_batch_norm_4d", CompatBatchNorm, (3, 2, 2, 4), 2)
    case("keras_batch_norm_2d", lambda: tf.keras.layers.BatchNormalization(), (6, 4), 3)
    case("keras_batch_norm_4d", lambda: tf.keras.layers.BatchNormalization(), (3, 2, 2, 4), 4)
    print("wrote Tests/Goldens/runtime")
