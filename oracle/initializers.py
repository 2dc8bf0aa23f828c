"""Goldens for the initializers of issue 14 (Tests/Goldens/initializers/cases.json):
he_normal, he_uniform, lecun_normal, lecun_uniform, variance_scaling (every mode
and distribution), orthogonal and identity, as `tf.compat.v1` and Keras make them.

ModelSpec's random streams are not TensorFlow's, so a case records the statistics
of TensorFlow's sample for a shape (mean, standard deviation, smallest and largest
value), which the Swift tests (Tests/ModelSpecInterpreterTests/InitializerGoldenTests.swift)
compare with ModelSpec's sample of the same spec initializer and shape; orthogonal
cases also record how far TensorFlow's matrix is from orthogonal, identity cases
TensorFlow's whole value.
"""
import os

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json

v1 = tf.compat.v1
CASES = []


def case(name, spec, initializer, shape, bounded=True):
    value = initializer(shape, dtype=tf.float32).numpy().astype(np.float64)
    entry = {"name": name, "spec": spec, "shape": list(shape), "mean": float(value.mean()), "std": float(value.std()),
             "min": float(value.min()), "max": float(value.max()), "bounded": bounded}
    if "orthogonal" in name:
        flat = value.reshape(-1, shape[-1])
        gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
        entry["orthogonality_error"] = float(np.abs(gram - gram[0, 0] * np.eye(gram.shape[0])).max())
        entry["gram_diagonal"] = float(gram[0, 0])
    if "identity" in name:
        entry["value"] = value.tolist()
    CASES.append(entry)


def main():
    out = golden_dir("initializers")
    CASES.clear()
    tf.random.set_seed(14)
    wide, kernel = [64, 300], [3, 3, 32, 64]
    case("he_normal_compat_v1", "he_normal", v1.initializers.he_normal(), kernel)
    case("he_uniform_compat_v1", "he_uniform", v1.initializers.he_uniform(), kernel)
    case("lecun_normal_keras", "lecun_normal", tf.keras.initializers.lecun_normal(), wide)
    case("lecun_uniform_keras", "lecun_uniform", tf.keras.initializers.lecun_uniform(), wide)
    case("he_normal_keras", "he_normal", tf.keras.initializers.he_normal(), wide)
    for mode in ["fan_in", "fan_out", "fan_avg"]:
        for distribution in ["truncated_normal", "untruncated_normal", "uniform"]:
            spec = "{variance_scaling: {scale: 2.5, mode: %s, distribution: %s}}" % (mode, distribution)
            make = (tf.keras.initializers.VarianceScaling if mode != "fan_avg" else v1.variance_scaling_initializer)
            case(f"variance_scaling_{mode}_{distribution}", spec, make(scale=2.5, mode=mode, distribution=distribution),
                 kernel if mode == "fan_avg" else wide, bounded=distribution != "untruncated_normal")
    case("variance_scaling_compat_v1_defaults", "variance_scaling", v1.variance_scaling_initializer(), wide)
    case("variance_scaling_normal_alias", "{variance_scaling: {distribution: normal}}",
         v1.variance_scaling_initializer(distribution="normal"), wide)
    case("orthogonal_tall_compat_v1", "{orthogonal: {gain: 1.5}}", v1.orthogonal_initializer(gain=1.5), [300, 64], bounded=False)
    case("orthogonal_wide_keras", "orthogonal", tf.keras.initializers.Orthogonal(), [64, 300], bounded=False)
    case("orthogonal_kernel_keras", "orthogonal", tf.keras.initializers.Orthogonal(), [3, 3, 8, 16], bounded=False)
    case("identity_compat_v1", "{identity: {gain: 2.0}}", v1.initializers.identity(gain=2.0), [3, 5])
    case("identity_keras", "identity", tf.keras.initializers.Identity(), [4, 4])
    write_json(os.path.join(out, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
