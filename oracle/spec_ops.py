"""Goldens for the spec language's operations (Tests/Goldens/spec_ops/).

Each case is one or more spec steps and the TensorFlow call they stand for: the
case's inputs (seeded numpy float32) go through the TensorFlow function, and
its output is recorded. cases.json lists, for each case, the spec steps (YAML
flow text, written here beside the TensorFlow call they mirror) or a spec of
specs/ (OperationCatalog, whose generated type GeneratedModelsTests also runs),
the input files in call order and the output file. The Swift tests
(Tests/ModelSpecInterpreterTests/SpecOperationGoldenTests.swift) write a spec
with those inputs and steps, check and trace it (the traced output shape must
be TensorFlow's), run it through the interpreter and compare within 1e-5
absolute or relative. Every declared operation must have a case there.
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


def positive(rng, *shape):
    return (np.abs(f32(rng, *shape)) + 0.05).astype(np.float32)


def case(name, steps, inputs, output, spec=None):
    """steps: the spec's forward steps as YAML flow text, or spec: a spec of specs/ by model name;
    inputs: name -> array, in call order."""
    entry = {"name": name, "inputs": [], "output": f"{name}.y.npy"}
    if spec:
        entry["spec"] = spec
    else:
        entry["steps"] = steps
    for key, value in inputs.items():
        file = f"{name}.{key}.npy"
        np.save(os.path.join(OUT, file), np.array(value, dtype=np.float32, order="C"), allow_pickle=False)
        entry["inputs"].append({"name": key, "file": file})
    value = output.numpy() if hasattr(output, "numpy") else np.asarray(output)
    np.save(os.path.join(OUT, entry["output"]), np.array(value, dtype=np.float32, order="C"), allow_pickle=False)
    CASES.append(entry)


def literal_cases():
    rng = np.random.default_rng(21)
    x = f32(rng, 2, 3)
    case("constant_fill", ["{constant: {value: 0.25, shape: [2, 3]}}"], {}, tf.constant(0.25, shape=[2, 3]))
    case("constant_reshaped", ["{constant: {value: [[1, 2], [3, 4], [5, 6]], shape: [2, 3]}}"], {},
         tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], shape=[2, 3]))
    case("constant_list", ["{constant: {value: [1.5, -2, 0.125]}}"], {}, tf.constant([1.5, -2.0, 0.125]))
    case("constant_scalar", ["{constant: {value: 3, dtype: float32}}"], {}, tf.constant(3, dtype=tf.float32))
    case("multiply_by_number", ["{multiply: [x, 0.5]}"], {"x": x}, tf.multiply(x, 0.5))
    case("add_integer", ["{add: [x, 1]}"], {"x": x}, tf.add(x, 1))
    case("divide_number_by_tensor", ["{divide: [2.0, x]}"], {"x": x}, tf.divide(2.0, x))
    case("subtract_row_list", ["{subtract: [x, [0.5, -1, 2]]}"], {"x": x}, tf.subtract(x, [0.5, -1.0, 2.0]))
    case("multiply_column_list", ["{multiply: [[[2], [-3]], x]}"], {"x": x}, tf.multiply([[2.0], [-3.0]], x))
    # 1 / sqrt(16) as a constant instead of a variable: the first workaround.
    q, k = f32(rng, 2, 4, 16), f32(rng, 2, 5, 16)
    case("scaled_dot_product", ["{matmul: {inputs: [q, k], transpose_b: true}}", "{multiply: [_, 0.25]}"],
         {"q": q, "k": k}, tf.matmul(q, k, transpose_b=True) * (1 / np.sqrt(16.0)))


def elementwise_cases():
    rng = np.random.default_rng(22)
    x = f32(rng, 3, 7, scale=3.0)
    unary = {
        "abs": tf.math.abs, "negative": tf.math.negative, "square": tf.math.square, "exp": tf.math.exp,
        "softplus": tf.math.softplus, "softsign": tf.nn.softsign, "selu": tf.nn.selu, "swish": tf.nn.silu,
        "gelu": tf.nn.gelu, "leaky_relu": tf.nn.leaky_relu,
    }
    for op, fn in unary.items():
        case(op, [op], {"x": x}, fn(x))
    big = np.linspace(-60, 60, 25).astype(np.float32)
    for op, fn in {"softplus": tf.math.softplus, "selu": tf.nn.selu, "swish": tf.nn.silu, "gelu": tf.nn.gelu}.items():
        case(f"{op}_large", [op], {"x": big}, fn(big))
    case("gelu_approximate", ["{gelu: {approximate: true}}"], {"x": x}, tf.nn.gelu(x, approximate=True))
    case("leaky_relu_alpha", ["{leaky_relu: {alpha: 0.01}}"], {"x": x}, tf.nn.leaky_relu(x, alpha=0.01))
    pos = positive(rng, 4, 5)
    for op, fn in {"sqrt": tf.math.sqrt, "rsqrt": tf.math.rsqrt, "log": tf.math.log}.items():
        case(op, [op], {"x": pos}, fn(pos))
    # The second workaround: tf.abs(a - b) instead of relu(a - b) + relu(b - a).
    a, b = f32(rng, 2, 6), f32(rng, 2, 6)
    case("abs_difference", ["{subtract: [a, b]}", "abs"], {"a": a, "b": b}, tf.abs(a - b))


def binary_cases():
    rng = np.random.default_rng(23)
    pairs = [("same", (2, 3, 4), (2, 3, 4)), ("row", (2, 3, 4), (4,)), ("column", (3, 1), (1, 5))]
    for op, fn in {"maximum": tf.math.maximum, "minimum": tf.math.minimum}.items():
        for label, sa, sb in pairs:
            a, b = f32(rng, *sa), f32(rng, *sb)
            case(f"{op}_{label}", [f"{{{op}: [a, b]}}"], {"a": a, "b": b}, fn(a, b))
    for label, sa, sb in pairs:
        a, b = positive(rng, *sa), f32(rng, *sb, scale=2.0)
        case(f"pow_{label}", ["{pow: [a, b]}"], {"a": a, "b": b}, tf.math.pow(a, b))
    a, b = f32(rng, 2, 3, 4), f32(rng, 3, 1)
    case("squared_difference", ["{squared_difference: [a, b]}"], {"a": a, "b": b}, tf.math.squared_difference(a, b))
    x = f32(rng, 3, 4)
    case("maximum_number", ["{maximum: [x, 0.1]}"], {"x": x}, tf.math.maximum(x, 0.1))
    case("pow_square", ["{pow: [x, 2]}"], {"x": x}, tf.math.pow(x, 2.0))
    case("pow_negative_base_integer_exponent", ["{pow: [x, 3]}"], {"x": x}, tf.math.pow(x, 3.0))


def matmul_cases():
    rng = np.random.default_rng(24)
    a, b = f32(rng, 4, 6), f32(rng, 5, 6)
    case("matmul_transpose_b", ["{matmul: {inputs: [a, b], transpose_b: true}}"], {"a": a, "b": b},
         tf.linalg.matmul(a, b, transpose_b=True))
    a, b = f32(rng, 6, 4), f32(rng, 6, 5)
    case("matmul_transpose_a", ["{matmul: {inputs: [a, b], transpose_a: true}}"], {"a": a, "b": b},
         tf.linalg.matmul(a, b, transpose_a=True))
    a, b = f32(rng, 2, 6, 4), f32(rng, 2, 5, 6)
    case("matmul_batched_transpose_both", ["{matmul: {inputs: [a, b], transpose_a: true, transpose_b: true}}"],
         {"a": a, "b": b}, tf.linalg.matmul(a, b, transpose_a=True, transpose_b=True))


def reduction_cases():
    rng = np.random.default_rng(25)
    x = f32(rng, 3, 4, 5)
    specs = [("axis1_keep", "{axis: 1, keepdims: true}", dict(axis=1, keepdims=True)),
             ("axes02", "{axis: [0, 2]}", dict(axis=[0, 2])),
             ("all", "{}", dict()),
             ("last", "{axis: -1}", dict(axis=-1))]
    ops = {"reduce_max": tf.math.reduce_max, "reduce_min": tf.math.reduce_min,
           "reduce_prod": tf.math.reduce_prod}
    for op, fn in ops.items():
        for label, attrs, kwargs in specs:
            case(f"{op}_{label}", [f"{{{op}: {attrs}}}"], {"x": x}, fn(x, **kwargs))
    x = f32(rng, 3, 8, scale=3.0, shift=1e3)
    case("log_softmax", ["log_softmax"], {"x": x}, tf.nn.log_softmax(x))
    x = f32(rng, 4, 3, 2, scale=3.0)
    case("log_softmax_axis1", ["{log_softmax: {axis: 1}}"], {"x": x}, tf.nn.log_softmax(x, axis=1))
    x = f32(rng, 4, 3, 5, scale=2.0, shift=1.0)
    m, v = tf.nn.moments(x, axes=[0, 1])
    case("moments", ["{moments: {axes: [0, 1]}, as: [m, v]}", "{subtract: [v, m]}"], {"x": x}, tf.subtract(v, m))
    m, v = tf.nn.moments(x, axes=[-1], keepdims=True)
    case("moments_keepdims", ["{moments: {axes: -1, keepdims: true}, as: [m, v]}", "{divide: [m, v]}"], {"x": x},
         tf.divide(m, v))
    x = f32(rng, 3, 5)
    case("l2_normalize_last", ["{l2_normalize: {axis: -1}}"], {"x": x}, tf.math.l2_normalize(x, axis=-1))
    case("l2_normalize_all", ["l2_normalize"], {"x": x}, tf.math.l2_normalize(x))
    x = np.zeros((2, 3), dtype=np.float32)
    x[1] = [3e-7, -4e-7, 0]
    case("l2_normalize_tiny_epsilon", ["{l2_normalize: {axis: 1, epsilon: 1e-6}}"], {"x": x},
         tf.math.l2_normalize(x, axis=1, epsilon=1e-6))


def existing_cases():
    """The operations the language had before the declarations, through the same path."""
    rng = np.random.default_rng(26)
    x = f32(rng, 2, 3, 4, scale=4.0)
    unary = {"relu": tf.nn.relu, "relu6": tf.nn.relu6, "elu": tf.nn.elu, "tanh": tf.math.tanh,
             "sigmoid": tf.math.sigmoid, "identity": tf.identity, "softmax": tf.nn.softmax}
    for op, fn in unary.items():
        case(f"{op}_op", [op], {"x": x}, fn(x))
    case("softmax_axis1", ["{softmax: {axis: 1}}"], {"x": x}, tf.nn.softmax(x, axis=1))
    bias = f32(rng, 4)
    case("bias_add", ["{bias_add: [x, b]}"], {"x": x, "b": bias}, tf.nn.bias_add(x, bias))
    a, b = f32(rng, 2, 3), f32(rng, 3)
    for op, fn in {"add": tf.math.add, "subtract": tf.math.subtract, "multiply": tf.math.multiply}.items():
        case(f"{op}_tensors", [f"{{{op}: [a, b]}}"], {"a": a, "b": b}, fn(a, b))
    case("divide_tensors", ["{divide: [a, b]}"], {"a": a, "b": b + np.float32(3)}, tf.math.divide(a, b + 3))
    case("reshape", ["{reshape: {shape: [4, -1]}}"], {"x": x}, tf.reshape(x, [4, -1]))
    case("expand_dims", ["{expand_dims: {axis: 1}}"], {"x": x}, tf.expand_dims(x, 1))
    y = f32(rng, 2, 1, 3, 1)
    case("squeeze_all", ["squeeze"], {"x": y}, tf.squeeze(y))
    case("squeeze_axis", ["{squeeze: {axis: -1}}"], {"x": y}, tf.squeeze(y, axis=-1))
    c = f32(rng, 2, 3, 2)
    case("concat", ["{concat: {inputs: [x, c], axis: -1}}"], {"x": x, "c": c}, tf.concat([x, c], axis=-1))
    case("transpose", ["{transpose: {perm: [2, 0, 1]}}"], {"x": x}, tf.transpose(x, [2, 0, 1]))
    for op, fn in {"reduce_sum": tf.math.reduce_sum, "reduce_mean": tf.math.reduce_mean}.items():
        case(f"{op}_axis1", [f"{{{op}: {{axis: 1}}}}"], {"x": x}, fn(x, axis=1))
        case(f"{op}_keep", [f"{{{op}: {{axis: [0, 2], keepdims: true}}}}"], {"x": x}, fn(x, axis=[0, 2], keepdims=True))
    table = f32(rng, 6, 3)
    ids = np.array([[5, 0], [2, 2]], dtype=np.int32)
    case("embedding_lookup", ["{embedding_lookup: [table, ids]}"], {"table": table, "ids": ids},
         tf.nn.embedding_lookup(table, ids))
    params = f32(rng, 5, 2, 3)
    indices = np.array([4, 0, 4], dtype=np.int32)
    case("gather_rank3", ["{gather: [params, indices]}"], {"params": params, "indices": indices},
         tf.gather(params, indices))


def layer_activation_cases():
    """A layer's activation: the operation of the same name, after the layer's own computation."""
    rng = np.random.default_rng(28)
    x = f32(rng, 3, 4, scale=2.0)
    kernel = np.ones((4, 3), dtype=np.float32)
    for name, fn in {"leaky_relu": tf.nn.leaky_relu, "softplus": tf.math.softplus, "softsign": tf.nn.softsign,
                     "selu": tf.nn.selu, "swish": tf.nn.silu, "gelu": tf.nn.gelu}.items():
        step = f"{{scope: layer, do: [{{dense: {{units: 3, activation: {name}, kernel_initializer: ones}}}}]}}"
        layer = tf.compat.v1.layers.Dense(3, activation=fn, kernel_initializer=tf.compat.v1.ones_initializer())
        y = layer(x)
        assert np.allclose(y, fn(x @ kernel))
        case(f"dense_activation_{name}", [step], {"x": x}, y)


def catalog_case():
    """specs/OperationCatalog.yaml, step by step, in TensorFlow."""
    rng = np.random.default_rng(27)
    x, w, b = f32(rng, 2, 3, 4, scale=2.0), f32(rng, 4, 5), f32(rng, 5)
    ids = np.array([9, 0, 4], dtype=np.int32)
    c = tf.constant([0.5, -1.0, 2.0, 0.25])
    v = tf.subtract(tf.multiply(tf.add(x, c), 0.5), [1.0, 2.0, 3.0, 4.0])
    v = tf.minimum(tf.maximum(tf.divide(v, 3.0), -2.0), 2.0)
    v = tf.nn.bias_add(tf.linalg.matmul(v, w), b)
    v = tf.nn.gelu(tf.nn.softsign(tf.nn.selu(tf.nn.leaky_relu(v, alpha=0.1))), approximate=True)
    v = tf.nn.elu(tf.math.softplus(tf.nn.gelu(tf.nn.silu(v))))
    h = tf.identity(tf.nn.relu(tf.math.tanh(tf.math.sigmoid(tf.nn.relu6(v)))))
    v = tf.math.rsqrt(tf.math.sqrt(tf.add(tf.math.square(h), 0.5)))
    v = tf.math.negative(tf.math.abs(tf.math.pow(tf.math.exp(tf.math.log(v)), 1.5)))
    v = tf.math.l2_normalize(tf.nn.log_softmax(tf.nn.softmax(v, axis=1)), axis=-1)
    v = tf.transpose(tf.squeeze(tf.expand_dims(tf.reshape(v, [-1, 5]), 0)), [1, 0])
    t = tf.concat([v, v], axis=0)
    s = tf.add(tf.add(tf.add(tf.math.reduce_max(t, axis=0), tf.math.reduce_min(t, axis=0)),
                      tf.math.reduce_prod(t, axis=0)), tf.math.reduce_mean(t, axis=0))
    center, spread = tf.nn.moments(t, axes=[0])
    s = tf.subtract(tf.add(s, spread), center)
    v = tf.add(tf.add(t, s), tf.math.reduce_sum(t, axis=1, keepdims=True))
    rows = tf.math.squared_difference(tf.nn.embedding_lookup(v, ids), tf.gather(t, ids))
    y = tf.multiply(rows, tf.constant(2.0, shape=[3, 6]))
    y = tf.tile(y, [2, 1])
    y = tf.stack([y, y], axis=-1)
    y = tf.pad(y, [[1, 0], [0, 2], [0, 0]], mode="REFLECT")
    y = tf.slice(y, [1, 0, 1], [-1, 5, 1])
    losses, reduction = tf.compat.v1.losses, tf.compat.v1.losses.Reduction
    z = tf.reshape(y, [-1, 5])
    s = losses.sigmoid_cross_entropy(z, z, label_smoothing=0.1, reduction=reduction.NONE)
    mse = losses.mean_squared_error(z, s)
    dense_loss = losses.softmax_cross_entropy(z, z, reduction=reduction.SUM)
    t = tf.tile(tf.slice(z, [0, 0], [3, -1]), [1, 2])
    y = losses.sparse_softmax_cross_entropy(ids, t, reduction=reduction.SUM_OVER_BATCH_SIZE) + mse + dense_loss
    case("operation_catalog", None, {"x": x, "w": w, "b": b, "ids": ids}, y, spec="OperationCatalog")


def stacking_cases():
    rng = np.random.default_rng(29)
    a, b, c = f32(rng, 2, 3), f32(rng, 2, 3), f32(rng, 2, 3)
    case("stack_axis0", ["{stack: [a, b, c]}"], {"a": a, "b": b, "c": c}, tf.stack([a, b, c]))
    case("stack_last", ["{stack: {inputs: [a, b], axis: -1}}"], {"a": a, "b": b}, tf.stack([a, b], axis=-1))
    case("stack_middle_with_numbers", ["{stack: {inputs: [a, [[1, 2, 3], [4, 5, 6]]], axis: 1}}"], {"a": a},
         tf.stack([a, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]], axis=1))
    x = f32(rng, 2, 1, 3)
    case("tile", ["{tile: {multiples: [2, 3, 1]}}"], {"x": x}, tf.tile(x, [2, 3, 1]))
    case("tile_zero", ["{tile: {multiples: [1, 0, 2]}}"], {"x": x}, tf.tile(x, [1, 0, 2]))


def padding_cases():
    rng = np.random.default_rng(30)
    x = f32(rng, 2, 3, 4)
    paddings = [[0, 1], [2, 1], [1, 3]]
    case("pad_constant", ["{pad: {paddings: [[0, 1], [2, 1], [1, 3]]}}"], {"x": x}, tf.pad(x, paddings))
    case("pad_constant_value", ["{pad: {paddings: [[1, 0], [0, 2], [0, 0]], constant_values: -1.5}}"], {"x": x},
         tf.pad(x, [[1, 0], [0, 2], [0, 0]], constant_values=-1.5))
    case("pad_reflect", ["{pad: {paddings: [[1, 1], [2, 1], [3, 3]], mode: reflect}}"], {"x": x},
         tf.pad(x, [[1, 1], [2, 1], [3, 3]], mode="REFLECT"))
    case("pad_symmetric", ["{pad: {paddings: [[2, 2], [3, 0], [4, 1]], mode: SYMMETRIC}}"], {"x": x},
         tf.pad(x, [[2, 2], [3, 0], [4, 1]], mode="SYMMETRIC"))


def slicing_cases():
    rng = np.random.default_rng(31)
    x = f32(rng, 3, 4, 5)
    case("slice", ["{slice: {begin: [1, 0, 2], size: [2, 3, 2]}}"], {"x": x}, tf.slice(x, [1, 0, 2], [2, 3, 2]))
    case("slice_rest", ["{slice: {begin: [0, 1, 3], size: [-1, 2, -1]}}"], {"x": x}, tf.slice(x, [0, 1, 3], [-1, 2, -1]))
    case("slice_empty", ["{slice: {begin: [1, 4, 0], size: [1, 0, 5]}}"], {"x": x}, tf.slice(x, [1, 4, 0], [1, 0, 5]))


def loss_cases():
    """tf.compat.v1.losses: labels first, then logits or predictions; each reduction."""
    rng = np.random.default_rng(33)
    losses, reduction = tf.compat.v1.losses, tf.compat.v1.losses.Reduction
    logits = f32(rng, 4, 3, scale=2.0)
    ids = np.array([2, 0, 1, 1], dtype=np.int32)
    case("sparse_softmax_cross_entropy", ["{sparse_softmax_cross_entropy: [labels, logits]}"],
         {"labels": ids, "logits": logits}, losses.sparse_softmax_cross_entropy(ids, logits))
    case("sparse_softmax_cross_entropy_none", ["{sparse_softmax_cross_entropy: {inputs: [labels, logits], reduction: none}}"],
         {"labels": ids, "logits": logits}, losses.sparse_softmax_cross_entropy(ids, logits, reduction=reduction.NONE))
    onehot = np.eye(3, dtype=np.float32)[ids]
    case("softmax_cross_entropy_smoothing_sum",
         ["{softmax_cross_entropy: {inputs: [labels, logits], label_smoothing: 0.1, reduction: sum}}"],
         {"labels": onehot, "logits": logits},
         losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.1, reduction=reduction.SUM))
    bits = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32)
    case("sigmoid_cross_entropy", ["{sigmoid_cross_entropy: [labels, logits]}"], {"labels": bits, "logits": logits},
         losses.sigmoid_cross_entropy(bits, logits))
    case("sigmoid_cross_entropy_none", ["{sigmoid_cross_entropy: {inputs: [labels, logits], reduction: none, label_smoothing: 0.2}}"],
         {"labels": bits, "logits": logits},
         losses.sigmoid_cross_entropy(bits, logits, label_smoothing=0.2, reduction=reduction.NONE))
    targets = f32(rng, 4, 3)
    case("mean_squared_error", ["{mean_squared_error: [labels, predictions]}"], {"labels": targets, "predictions": logits},
         losses.mean_squared_error(targets, logits))
    case("mean_squared_error_mean", ["{mean_squared_error: {inputs: [labels, predictions], reduction: mean}}"],
         {"labels": targets, "predictions": logits}, losses.mean_squared_error(targets, logits, reduction=reduction.MEAN))


def main():
    global OUT
    OUT = golden_dir("spec_ops")
    # Start from an empty directory so renamed cases leave no stale files.
    shutil.rmtree(OUT)
    OUT = golden_dir("spec_ops")
    for make in (slicing_cases, padding_cases, stacking_cases, catalog_case, layer_activation_cases, existing_cases, literal_cases, elementwise_cases, binary_cases, matmul_cases, reduction_cases, loss_cases):
        make()
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"spec_ops: {len(CASES)} cases, {size / 1024:.0f} KiB in {OUT}")
