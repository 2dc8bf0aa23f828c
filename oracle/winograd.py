"""Goldens for the convolutions the runtime computes by Winograd's F(2x2, 3x3):
3x3 stride-1 convolutions with enough channels, at odd sizes, SAME and VALID,
channel counts that are not multiples of 16, more than one image, a bias with
ReLU, a folded batch normalization (scale and shift) with ReLU, and large values.

    TF_USE_LEGACY_KERAS=1 .venv-tf/bin/python oracle/make_goldens.py winograd

The inputs are not stored: x[i] = amplitude * sin(0.731 i + 0.3) and
filter[i] = 0.25 cos(1.37 i + 0.1) (row-major, computed in double with the C
library's sin and cos, then rounded to float32), as the Swift test makes them.
Writes Tests/Goldens/winograd/<case>/y.npy and cases.json.
"""
import math
import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy


def formula(shape, amplitude, rate, phase, wave):
    count = int(np.prod(shape))
    return np.array([amplitude * wave(rate * i + phase) for i in range(count)],
                    dtype=np.float64).astype(np.float32).reshape(shape)


def case(name, n, h, w, c, o, padding, amplitude, epilogue):
    x = formula((n, h, w, c), amplitude, 0.731, 0.3, math.sin)
    f = formula((3, 3, c, o), 0.25, 1.37, 0.1, math.cos)
    y = tf.nn.conv2d(x, f, strides=1, padding=padding)
    channel = np.arange(o, dtype=np.float64)
    scale = np.cos(channel * 0.5).astype(np.float32)        # per-channel values: cos and sin of k/2
    shift = (np.sin(channel * 0.5) * amplitude).astype(np.float32)
    if epilogue == "bias_relu":
        y = tf.nn.relu(tf.nn.bias_add(y, shift))
    elif epilogue == "scale_shift_relu":
        y = tf.nn.relu(y * scale + shift)
    out = golden_dir("winograd", name)
    write_npy(os.path.join(out, "y.npy"), y.numpy())
    return {"name": name, "input": [n, h, w, c], "out_channels": o, "padding": padding,
            "amplitude": amplitude, "epilogue": epilogue}


def main():
    cases = [
        case("same_odd_two_images_bias_relu", 2, 9, 7, 16, 32, "SAME", 1.0, "bias_relu"),
        case("valid_partial_channels", 1, 10, 13, 33, 17, "VALID", 1.0, "none"),
        case("same_64_scale_shift_relu_large", 1, 8, 8, 64, 64, "SAME", 1000.0, "scale_shift_relu"),
        case("valid_two_images_40_to_24", 2, 7, 6, 40, 24, "VALID", 3.0, "bias_relu"),
    ]
    write_json(os.path.join(golden_dir("winograd"), "cases.json"), {
        "note": "oracle/winograd.py: tf.nn.conv2d (stride 1) of formula inputs; bias and shift = amplitude * sin(k/2), scale = cos(k/2)",
        "cases": cases,
    })


if __name__ == "__main__":
    main()
