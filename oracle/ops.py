"""Goldens for the runtime's tensor operations (Tests/Goldens/ops/).

Every case feeds seeded numpy inputs through the TensorFlow op the Swift
runtime reproduces and records TF's output. The index, cases.json, lists for
each case the op, its attributes, its input files and its output file(s);
the Swift tests (Tests/ModelSpecRuntimeTests/GoldenOpsTests.swift) run the
same op on the same inputs and compare within 1e-5 absolute or relative.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json

CASES = []
OUT = None


def f32(rng, *shape, scale=1.0, shift=0.0):
    return (rng.standard_normal(shape) * scale + shift).astype(np.float32)


def save(path, array):
    """np.save of a C-order copy. Not common.write_npy: its np.ascontiguousarray
    turns a 0-d array (a full reduction's result) into shape (1,)."""
    np.save(path, np.array(array, order="C"), allow_pickle=False)


def case(name, op, inputs, outputs, **attrs):
    """Writes one case: inputs and outputs are dicts name -> array."""
    entry = {"name": name, "op": op, "attrs": attrs, "inputs": {}, "outputs": {}}
    for kind, arrays in (("inputs", inputs), ("outputs", outputs)):
        for key, value in arrays.items():
            value = value.numpy() if hasattr(value, "numpy") else np.asarray(value)
            if value.dtype == np.float64:
                value = value.astype(np.float32)
            file = f"{name}.{key}.npy"
            save(os.path.join(OUT, file), value)
            entry[kind][key] = file
    CASES.append(entry)


def matmul_cases():
    rng = np.random.default_rng(1)
    a, b = f32(rng, 5, 7), f32(rng, 7, 3)
    case("matmul_2d", "matmul", {"a": a, "b": b}, {"y": tf.linalg.matmul(a, b)})
    a, b = f32(rng, 7, 5), f32(rng, 3, 7)
    case("matmul_transpose_both", "matmul", {"a": a, "b": b},
         {"y": tf.linalg.matmul(a, b, transpose_a=True, transpose_b=True)},
         transposeA=True, transposeB=True)
    a, b = f32(rng, 4, 6), f32(rng, 5, 6)
    case("matmul_transpose_b", "matmul", {"a": a, "b": b},
         {"y": tf.linalg.matmul(a, b, transpose_b=True)}, transposeB=True)
    # Keras Dense on rank > 2 inputs: tensordot over the last axis.
    a, b = f32(rng, 2, 3, 7), f32(rng, 7, 4)
    case("matmul_rank3_by_2d", "matmul", {"a": a, "b": b}, {"y": tf.tensordot(a, b, [[2], [0]])})
    a, b = f32(rng, 2, 3, 4, 5), f32(rng, 2, 3, 5, 6)
    case("matmul_batched", "matmul", {"a": a, "b": b}, {"y": tf.linalg.matmul(a, b)})
    # A dense layer: activation(x W + b).
    x, w, bias = f32(rng, 4, 6), f32(rng, 6, 5), f32(rng, 5)
    case("dense_relu", "dense", {"x": x, "kernel": w, "bias": bias},
         {"y": tf.nn.relu(tf.nn.bias_add(tf.linalg.matmul(x, w), bias))}, activation="relu")
    x, w, bias = f32(rng, 2, 3, 6), f32(rng, 6, 5), f32(rng, 5)
    case("dense_rank3_tanh", "dense", {"x": x, "kernel": w, "bias": bias},
         {"y": tf.math.tanh(tf.nn.bias_add(tf.tensordot(x, w, [[2], [0]]), bias))}, activation="tanh")
    x, bias = f32(rng, 2, 3, 4), f32(rng, 4)
    case("bias_add", "biasAdd", {"x": x, "bias": bias}, {"y": tf.nn.bias_add(x, bias)})


def elementwise_cases():
    rng = np.random.default_rng(2)
    pairs = [
        ("same", (2, 3, 4), (2, 3, 4)),
        ("row", (2, 3, 4), (4,)),
        ("column", (2, 3, 4), (3, 1)),
        ("outer", (3, 1), (1, 5)),
        ("middle", (2, 1, 4), (1, 3, 1)),
        ("scalar", (2, 3), ()),
        ("scalar_left", (), (2, 3)),
        ("rank_up", (5,), (2, 3, 1)),
    ]
    ops = {
        "add": tf.math.add, "subtract": tf.math.subtract, "multiply": tf.math.multiply,
        "divide": tf.math.divide, "maximum": tf.math.maximum, "minimum": tf.math.minimum,
        "squaredDifference": tf.math.squared_difference,
    }
    for op, fn in ops.items():
        for label, sa, sb in pairs:
            a = f32(rng, *sa)
            b = f32(rng, *sb)
            if op == "divide":
                b = (np.sign(b) * (np.abs(b) + 0.5)).astype(np.float32)
            case(f"{op}_{label}", op, {"a": a, "b": b}, {"y": fn(a, b)})

    x = f32(rng, 4, 25, scale=4.0)
    unary = {
        "relu": tf.nn.relu, "relu6": tf.nn.relu6, "elu": tf.nn.elu, "tanh": tf.math.tanh,
        "sigmoid": tf.math.sigmoid, "leakyRelu": lambda v: tf.nn.leaky_relu(v, alpha=0.2),
        "exp": tf.math.exp, "square": tf.math.square, "abs": tf.math.abs, "negate": tf.math.negative,
    }
    for op, fn in unary.items():
        case(f"{op}", op, {"x": x}, {"y": fn(x)})
    big = np.linspace(-100, 100, 41).astype(np.float32)
    case("sigmoid_large", "sigmoid", {"x": big}, {"y": tf.math.sigmoid(big)})
    case("tanh_large", "tanh", {"x": big}, {"y": tf.math.tanh(big)})
    pos = (np.abs(f32(rng, 3, 7)) + 0.01).astype(np.float32)
    for op, fn in {"log": tf.math.log, "sqrt": tf.math.sqrt, "rsqrt": tf.math.rsqrt}.items():
        case(f"{op}", op, {"x": pos}, {"y": fn(pos)})


def softmax_cases():
    rng = np.random.default_rng(3)
    x = f32(rng, 3, 10, scale=3.0)
    case("softmax_last", "softmax", {"x": x}, {"y": tf.nn.softmax(x)}, axis=-1)
    x = f32(rng, 4, 7, scale=20.0, shift=1e4)
    case("softmax_large_logits", "softmax", {"x": x}, {"y": tf.nn.softmax(x)}, axis=-1)
    x = f32(rng, 5, 4, 3, scale=2.0)
    case("softmax_axis1", "softmax", {"x": x}, {"y": tf.nn.softmax(x, axis=1)}, axis=1)
    x = f32(rng, 3, 6, scale=50.0, shift=-1e4)
    case("softmax_axis0_large", "softmax", {"x": x}, {"y": tf.nn.softmax(x, axis=0)}, axis=0)
    x = f32(rng, 3, 8, scale=3.0, shift=1e3)
    case("log_softmax", "logSoftmax", {"x": x}, {"y": tf.nn.log_softmax(x)}, axis=-1)


def shape_cases():
    rng = np.random.default_rng(4)
    x = f32(rng, 2, 3, 4)
    case("reshape_infer", "reshape", {"x": x}, {"y": tf.reshape(x, [4, -1])}, shape=[4, -1])
    x = f32(rng, 2, 3, 4, 2)
    case("flatten", "flatten", {"x": x}, {"y": tf.keras.layers.Flatten()(x)})
    x = f32(rng, 2, 3, 4)
    case("transpose_201", "transpose", {"x": x}, {"y": tf.transpose(x, [2, 0, 1])}, perm=[2, 0, 1])
    x = f32(rng, 2, 3, 4, 5)
    case("transpose_nhwc_nchw", "transpose", {"x": x}, {"y": tf.transpose(x, [0, 3, 1, 2])}, perm=[0, 3, 1, 2])
    x = f32(rng, 3, 5)
    case("transpose_2d", "transpose", {"x": x}, {"y": tf.transpose(x)}, perm=[1, 0])
    a, b = f32(rng, 2, 3), f32(rng, 2, 5)
    case("concat_axis1", "concat", {"t0": a, "t1": b}, {"y": tf.concat([a, b], axis=1)}, axis=1)
    a, b = f32(rng, 1, 2, 3), f32(rng, 2, 2, 3)
    case("concat_axis0", "concat", {"t0": a, "t1": b}, {"y": tf.concat([a, b], axis=0)}, axis=0)
    a, b, c = f32(rng, 2, 3, 1), f32(rng, 2, 3, 2), f32(rng, 2, 3, 4)
    case("concat_last3", "concat", {"t0": a, "t1": b, "t2": c}, {"y": tf.concat([a, b, c], axis=-1)}, axis=-1)
    a, b = f32(rng, 2, 1, 3), f32(rng, 2, 4, 3)
    case("concat_middle", "concat", {"t0": a, "t1": b}, {"y": tf.concat([a, b], axis=1)}, axis=1)


def reduction_cases():
    rng = np.random.default_rng(5)
    x = f32(rng, 3, 4, 5)
    specs = [("axis1_keep", [1], True), ("axes02", [0, 2], False), ("all", None, False),
             ("last", [-1], False), ("first_keep", [0], True)]
    for label, axes, keep in specs:
        for op, fn in (("reduceSum", tf.math.reduce_sum), ("reduceMean", tf.math.reduce_mean),
                       ("reduceMax", tf.math.reduce_max)):
            case(f"{op}_{label}", op, {"x": x}, {"y": fn(x, axis=axes, keepdims=keep)},
                 axes=axes, keepDims=keep)
    x = f32(rng, 2, 5, 6, 3)
    case("reduceMean_spatial", "reduceMean", {"x": x},
         {"y": tf.math.reduce_mean(x, axis=[1, 2])}, axes=[1, 2], keepDims=False)
    x = f32(rng, 4000, scale=1.0, shift=3.0)
    case("reduceSum_long", "reduceSum", {"x": x}, {"y": tf.math.reduce_sum(x)}, axes=None, keepDims=False)


def conv_cases():
    rng = np.random.default_rng(6)
    specs = [
        # name, input shape, filter shape, strides, padding, dilations
        ("valid_s1", (2, 7, 7, 3), (3, 3, 3, 4), (1, 1), "VALID", (1, 1)),
        ("same_s1_odd", (1, 7, 7, 2), (3, 3, 2, 3), (1, 1), "SAME", (1, 1)),
        ("same_s2_odd", (2, 7, 9, 3), (3, 3, 3, 4), (2, 2), "SAME", (1, 1)),
        ("same_s2_even_kernel", (1, 8, 7, 2), (2, 4, 2, 3), (2, 2), "SAME", (1, 1)),
        ("same_s3", (1, 10, 11, 2), (4, 4, 2, 3), (3, 3), "SAME", (1, 1)),
        ("valid_s3", (1, 11, 10, 2), (3, 3, 2, 2), (3, 3), "VALID", (1, 1)),
        ("valid_s21", (1, 9, 8, 2), (3, 2, 2, 3), (2, 1), "VALID", (1, 1)),
        ("same_d2", (1, 9, 9, 2), (3, 3, 2, 2), (1, 1), "SAME", (2, 2)),
        ("valid_d2", (2, 9, 8, 2), (3, 3, 2, 3), (1, 1), "VALID", (2, 2)),
        ("same_d2_even", (1, 8, 8, 3), (2, 2, 3, 2), (1, 1), "SAME", (2, 2)),
        ("pointwise", (2, 5, 5, 4), (1, 1, 4, 6), (1, 1), "VALID", (1, 1)),
        ("pointwise_s2_same", (2, 5, 6, 4), (1, 1, 4, 3), (2, 2), "SAME", (1, 1)),
        ("same_kernel_bigger", (1, 3, 3, 1), (5, 5, 1, 2), (1, 1), "SAME", (1, 1)),
        ("same_s2_kernel_bigger", (1, 4, 5, 2), (5, 5, 2, 2), (2, 2), "SAME", (1, 1)),
    ]
    for name, xs, ws, strides, padding, dilations in specs:
        x, w = f32(rng, *xs), f32(rng, *ws)
        y = tf.nn.conv2d(x, w, strides=[1, *strides, 1], padding=padding, dilations=[1, *dilations, 1])
        case(f"conv2d_{name}", "conv2d", {"x": x, "filter": w}, {"y": y},
             strides=list(strides), padding=padding, dilations=list(dilations))
    x, w, b = f32(rng, 2, 6, 7, 3), f32(rng, 3, 3, 3, 4), f32(rng, 4)
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, strides=2, padding="SAME"), b))
    case("conv2d_bias_relu", "conv2d", {"x": x, "filter": w, "bias": b}, {"y": y},
         strides=[2, 2], padding="SAME", dilations=[1, 1], activation="relu")


def pool_cases():
    rng = np.random.default_rng(7)
    specs = [
        ("k3_s2_same", (2, 7, 7, 3), (3, 3), (2, 2), "SAME"),
        ("k2_s2_valid", (1, 6, 7, 2), (2, 2), (2, 2), "VALID"),
        ("k3_s3_same", (1, 10, 11, 2), (3, 3), (3, 3), "SAME"),
        ("k3_s1_same", (1, 5, 6, 2), (3, 3), (1, 1), "SAME"),
        ("k2_s1_same_even", (1, 4, 5, 1), (2, 2), (1, 1), "SAME"),
        ("k3x2_s2x1_valid", (2, 7, 6, 3), (3, 2), (2, 1), "VALID"),
        ("k4_s3_same", (1, 8, 7, 2), (4, 4), (3, 3), "SAME"),
    ]
    for name, xs, k, s, padding in specs:
        x = f32(rng, *xs)
        for op, fn in (("maxPool2d", tf.nn.max_pool2d), ("avgPool2d", tf.nn.avg_pool2d)):
            y = fn(x, ksize=[1, *k, 1], strides=[1, *s, 1], padding=padding)
            case(f"{op}_{name}", op, {"x": x}, {"y": y}, windowSize=list(k), strides=list(s), padding=padding)


def normalization_cases():
    rng = np.random.default_rng(8)
    x = f32(rng, 4, 5, 3, scale=2.0, shift=1.0)
    mean, var = f32(rng, 3), (np.abs(f32(rng, 3)) + 0.1).astype(np.float32)
    offset, scale = f32(rng, 3), f32(rng, 3)
    y = tf.nn.batch_normalization(x, mean, var, offset, scale, variance_epsilon=1e-3)
    case("batchNormalization_full", "batchNormalization",
         {"x": x, "mean": mean, "variance": var, "offset": offset, "scale": scale}, {"y": y}, epsilon=1e-3)
    y = tf.nn.batch_normalization(x, mean, var, None, None, variance_epsilon=1e-5)
    case("batchNormalization_plain", "batchNormalization",
         {"x": x, "mean": mean, "variance": var}, {"y": y}, epsilon=1e-5)
    # The batch statistics Keras BatchNormalization uses in training.
    x = f32(rng, 4, 5, 6, 3, scale=3.0, shift=2.0)
    m, v = tf.nn.moments(x, axes=[0, 1, 2])
    case("moments_nhwc", "moments", {"x": x}, {"mean": m, "variance": v})
    x = f32(rng, 16, 5, scale=0.5, shift=-1.0)
    m, v = tf.nn.moments(x, axes=[0])
    case("moments_2d", "moments", {"x": x}, {"mean": m, "variance": v})
    # A whole Keras BatchNormalization layer in inference, with its own weights.
    x = f32(rng, 2, 4, 4, 3)
    layer = tf.keras.layers.BatchNormalization(epsilon=1e-3)
    layer.build(x.shape)
    g, b, mm, mv = f32(rng, 3), f32(rng, 3), f32(rng, 3), (np.abs(f32(rng, 3)) + 0.5).astype(np.float32)
    layer.set_weights([g, b, mm, mv])
    y = layer(x, training=False)
    case("batchNormalization_keras_inference", "batchNormalization",
         {"x": x, "mean": mm, "variance": mv, "offset": b, "scale": g}, {"y": y}, epsilon=1e-3)


def dropout_cases():
    rng = np.random.default_rng(9)
    x = f32(rng, 50, 40)
    y = tf.nn.dropout(x, rate=0.3, seed=1234)
    # Only the scaling is comparable: TF's random stream is not reproduced.
    case("dropout_rate03", "dropout", {"x": x}, {"y": y}, rate=0.3)


def gather_cases():
    rng = np.random.default_rng(10)
    table = f32(rng, 10, 4)
    ids = np.array([[1, 3, 3], [9, 0, 2]], dtype=np.int32)
    case("gather_2d_ids", "gather", {"table": table, "indices": ids},
         {"y": tf.nn.embedding_lookup(table, ids)})
    ids64 = np.array([7, 7, 0, 5], dtype=np.int64)
    case("gather_int64_ids", "gather", {"table": table, "indices": ids64}, {"y": tf.gather(table, ids64)})
    table3 = f32(rng, 6, 2, 3)
    ids = np.array([5, 0], dtype=np.int32)
    case("gather_rank3_table", "gather", {"table": table3, "indices": ids}, {"y": tf.gather(table3, ids)})


def main():
    global OUT
    OUT = golden_dir("ops")
    # Start from an empty directory so renamed cases leave no stale files.
    shutil.rmtree(OUT)
    OUT = golden_dir("ops")
    for make in (matmul_cases, elementwise_cases, softmax_cases, shape_cases, reduction_cases,
                 conv_cases, pool_cases, normalization_cases, dropout_cases, gather_cases):
        make()
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"ops: {len(CASES)} cases, {size / 1024:.0f} KiB in {OUT}")
