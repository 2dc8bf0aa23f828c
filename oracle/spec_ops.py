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


def case(name, steps, inputs, output, spec=None, more_outputs=None):
    """steps: the spec's forward steps as YAML flow text, or spec: a spec of specs/ by model name;
    inputs: name -> array, in call order; more_outputs: the spec's further outputs by name, saved
    with their TensorFlow dtypes for the generated type's test."""
    entry = {"name": name, "inputs": [], "output": f"{name}.y.npy"}
    if spec:
        entry["spec"] = spec
    else:
        entry["steps"] = steps
    for key, value in inputs.items():
        assert key != "y", f"{name}: an input named y would share the output's file"
        file = f"{name}.{key}.npy"
        record = {"name": key, "file": file}
        # Integer and bool arrays are inputs of their dtype (dtype: int32, int64 or bool in the spec);
        # integer arrays of another width are int32.
        array = np.asarray(value)
        if array.dtype == np.bool_ or array.dtype == np.int64:
            dtype = array.dtype
        elif np.issubdtype(array.dtype, np.integer):
            dtype = np.int32
        else:
            dtype = np.float32
        if dtype != np.float32:
            record["dtype"] = np.dtype(dtype).name
        np.save(os.path.join(OUT, file), np.array(value, dtype=dtype, order="C"), allow_pickle=False)
        entry["inputs"].append(record)
    value = output.numpy() if hasattr(output, "numpy") else np.asarray(output)
    # TensorFlow's dtype of the result, which the interpreter's must be; integers and bools compared exactly.
    entry["dtype"] = value.dtype.name
    if value.dtype == np.bool_ or np.issubdtype(value.dtype, np.integer):
        entry["exact"] = True
        np.save(os.path.join(OUT, entry["output"]), np.array(value, order="C"), allow_pickle=False)
    else:
        assert value.dtype == np.float32, f"{name}: TensorFlow's result is {value.dtype}"
        np.save(os.path.join(OUT, entry["output"]), np.array(value, dtype=np.float32, order="C"), allow_pickle=False)
    for key, tensor in (more_outputs or {}).items():
        file = f"{name}.{key}.npy"
        array = tensor.numpy()
        entry.setdefault("more_outputs", []).append({"name": key, "file": file, "dtype": array.dtype.name})
        np.save(os.path.join(OUT, file), np.array(array, order="C"), allow_pickle=False)
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
    case("scaled_dot_product_constant", ["{constant: {value: 0.25}, as: scale}", "{matmul: {inputs: [q, k], transpose_b: true}}",
                                         "{multiply: [_, scale]}"],
         {"q": q, "k": k}, tf.matmul(q, k, transpose_b=True) * tf.constant(1 / np.sqrt(16.0), dtype=tf.float32))


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
    s = tf.slice(y, [1, 0, 1], [-1, 5, 1])
    r = s[::-2, 1:, 0]
    left, right = tf.split(r, 2, axis=1)
    first, rest = tf.split(r, [1, -1], axis=-1)
    u0, u1, u2 = tf.unstack(rest, axis=1)
    either = tf.math.logical_or(tf.math.greater(u0, u1), tf.math.less(u1, u2))
    mask = tf.math.logical_not(tf.math.logical_and(either, tf.math.greater_equal(u2, 0.5)))
    same = tf.math.equal(left, right)
    differs = tf.math.not_equal(first, rest)
    small = tf.math.less_equal(u0, 1.0)
    best = tf.math.argmax(r, axis=1)
    worst = tf.math.argmin(r, axis=1, output_type=tf.int32)
    hot = tf.one_hot(best, 4, on_value=2.0, off_value=-1.0)
    cold = tf.one_hot(worst, 4, dtype=tf.int32)
    k = tf.constant([1, 2, 3], dtype=tf.int32)
    chosen = tf.where(mask, best, tf.cast(k, tf.int64))
    flags = tf.constant([True, False, True])
    picked = tf.where(flags, u0, u2)
    small_count = tf.cast(small, tf.int64)
    v = tf.cast(tf.cast(r, tf.int32), tf.float32) + hot + tf.cast(cold, tf.float32)
    grid = v + tf.cast(chosen, tf.float32)[:, None]
    differences = tf.cast(differs, tf.float32)
    mixed = tf.stack([picked, tf.cast(small_count, tf.float32), tf.cast(chosen, tf.float32)], axis=1) + differences
    y = tf.concat([grid, mixed, tf.cast(same, tf.float32)], axis=1)
    y = tf.strided_slice(y, [0, 1], [0, 9], strides=[1, 2], begin_mask=1, end_mask=1)
    int_part = y
    images = tf.reshape(s, [1, 6, 5, 1])
    images = tf.compat.v1.image.resize(images, [8, 7])
    images = tf.image.resize(images, [4, 4], method="nearest")
    images = tf.nn.conv2d(images, tf.constant([0.5, -1.0, 2.0, 0.25, 1.0, -0.5, 0.75, 1.5, -2.0, 0.125, 1.25, -0.75],
                                              shape=[2, 2, 1, 3]), 1, "SAME")
    images = tf.nn.depthwise_conv2d(images, tf.constant(0.25, shape=[2, 2, 3, 2]), [1, 1, 1, 1], "VALID")
    images = tf.nn.max_pool2d(images, 2, 1, "SAME")
    images = tf.nn.avg_pool2d(images, 2, 1, "VALID")
    normalized = tf.nn.batch_normalization(images, 0.5, 2.0, 0.1, 1.5, 0.001)
    losses, reduction = tf.compat.v1.losses, tf.compat.v1.losses.Reduction
    z = tf.reshape(s, [-1, 5])
    smoothed = losses.sigmoid_cross_entropy(z, z, label_smoothing=0.1, reduction=reduction.NONE)
    mse = losses.mean_squared_error(z, smoothed)
    dense_loss = losses.softmax_cross_entropy(z, z, reduction=reduction.SUM)
    t = tf.tile(tf.slice(z, [0, 0], [3, -1]), [1, 2])
    loss = losses.sparse_softmax_cross_entropy(ids, t, reduction=reduction.SUM_OVER_BATCH_SIZE) + mse + dense_loss
    y = tf.concat([tf.reshape(int_part, [-1]), tf.reshape(normalized, [-1]), tf.reshape(loss, [1])], axis=0)
    # The catalog declares ids as a float32 input (embedding_lookup and gather truncate it).
    case("operation_catalog", None, {"x": x, "w": w, "b": b, "ids": ids.astype(np.float32)}, y, spec="OperationCatalog")


def integer_values_case():
    """specs/IntegerValues.yaml in TensorFlow: integer and bool values across a template, a scope and the outputs."""
    rng = np.random.default_rng(37)
    x = f32(rng, 5, 4)
    ids = rng.integers(0, 9, size=(5,)).astype(np.int32)
    classify = tf.compat.v1.make_template("classify", lambda v: tf.math.argmax(v, axis=1, output_type=tf.int32))
    with tf.compat.v1.variable_scope("model"):
        positive = tf.greater(x, 0.0)
        classes = classify(x)
        smallest = tf.math.argmin(x, axis=1)
    chosen = tf.where(positive[:, 0], tf.cast(ids, tf.int64), smallest)
    counts = tf.reduce_sum(tf.cast(positive, tf.int32), axis=1) * 2 + ids
    total = tf.cast(counts, tf.float32) + tf.cast(classes, tf.float32) + tf.cast(chosen, tf.float32)
    case("integer_values", None, {"x": x, "ids": ids}, total, spec="IntegerValues",
         more_outputs={"positive": positive, "counts": counts, "chosen": chosen})


class IntegerPicks(tf.keras.layers.Layer):
    """specs/IntegerPicks.yaml: int32, int64 and bool outputs."""

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, x):
        ids = tf.math.argmax(x, axis=1, output_type=tf.int32)
        tens = tf.cast(x * 10, tf.int64)
        positive = tf.greater(x, 0.0)
        return ids, tens, positive


class NestedIntegers(tf.keras.layers.Layer):
    """specs/NestedIntegers.yaml: a track_tf1 layer computing with its nested layer's integer and bool outputs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.picks = IntegerPicks()

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, x):
        ids, tens, positive = self.picks(x)
        next_ids = ids + 1
        doubled = tf.reduce_sum(tens, axis=1) * 2
        counts = tf.reduce_sum(tf.cast(tf.logical_not(positive), tf.int32), axis=1) + next_ids
        total = tf.cast(counts, tf.float32) + 0.5
        return total, next_ids, doubled, positive


def nested_integers_case():
    """A nested Keras layer's integer and bool outputs reach the calling layer as they are (Keras casts
    neither), and the caller's arithmetic on them is integer arithmetic."""
    rng = np.random.default_rng(38)
    x = f32(rng, 5, 4)
    total, next_ids, doubled, positive = NestedIntegers()(x)
    assert (next_ids.dtype, doubled.dtype, positive.dtype) == (tf.int32, tf.int64, tf.bool)
    case("nested_integers", None, {"x": x}, total, spec="NestedIntegers",
         more_outputs={"next_ids": next_ids, "doubled": doubled, "positive": positive})


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


def window_cases():
    """tf.nn convolutions and pooling on tensors, the filter an input as a get_variable filter is."""
    rng = np.random.default_rng(41)
    x, w, dw = f32(rng, 2, 7, 6, 3), f32(rng, 3, 2, 3, 4), f32(rng, 3, 3, 3, 2)
    xw, xdw = {"x": x, "w": w}, {"x": x, "w": dw}
    explicit = [[0, 0], [1, 2], [0, 1], [0, 0]]
    case("nn_conv2d_same", ["{nn.conv2d: {inputs: [x, w], padding: same}}"], xw, tf.nn.conv2d(x, w, 1, "SAME"))
    case("nn_conv2d_valid_strided", ["{nn.conv2d: {inputs: [x, w], strides: [1, 2, 2, 1], padding: VALID}}"], xw,
         tf.nn.conv2d(x, w, [1, 2, 2, 1], "VALID"))
    case("nn_conv2d_dilated", ["{nn.conv2d: {inputs: [x, w], padding: same, dilations: 2}}"], xw,
         tf.nn.conv2d(x, w, 1, "SAME", dilations=2))
    case("nn_conv2d_explicit", ["{nn.conv2d: {inputs: [x, w], strides: [2, 1], explicit_paddings: %s}}" % explicit], xw,
         tf.nn.conv2d(x, w, [2, 1], explicit))
    case("nn_depthwise_same_strided", ["{nn.depthwise_conv2d: {inputs: [x, w], strides: [1, 2, 2, 1], padding: same}}"], xdw,
         tf.nn.depthwise_conv2d(x, dw, [1, 2, 2, 1], "SAME"))
    case("nn_depthwise_valid_dilated", ["{nn.depthwise_conv2d: {inputs: [x, w], padding: valid, dilations: [2, 1]}}"], xdw,
         tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], "VALID", dilations=[2, 1]))
    case("nn_depthwise_explicit", ["{nn.depthwise_conv2d: {inputs: [x, w], explicit_paddings: %s}}" % explicit], xdw,
         tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], explicit))
    case("nn_max_pool_same", ["{nn.max_pool2d: {ksize: 3, strides: 2, padding: same}}"], {"x": x},
         tf.nn.max_pool2d(x, 3, 2, "SAME"))
    case("nn_max_pool_valid", ["{nn.max_pool2d: {ksize: [2, 3], strides: [1, 2], padding: valid}}"], {"x": x},
         tf.nn.max_pool2d(x, [2, 3], [1, 2], "VALID"))
    case("nn_max_pool_explicit", ["{nn.max_pool2d: {ksize: 3, strides: 1, explicit_paddings: %s}}" % explicit], {"x": x},
         tf.nn.max_pool2d(x, 3, 1, explicit))
    case("nn_avg_pool_same", ["{nn.avg_pool2d: {ksize: 3, strides: 2, padding: same}}"], {"x": x},
         tf.nn.avg_pool2d(x, 3, 2, "SAME"))
    case("nn_avg_pool_valid", ["{nn.avg_pool2d: {ksize: [1, 2, 2, 1], strides: [1, 1, 2, 1], padding: VALID}}"], {"x": x},
         tf.nn.avg_pool2d(x, [1, 2, 2, 1], [1, 1, 2, 1], "VALID"))
    mean, variance, offset, scale = f32(rng, 3), positive(rng, 3), f32(rng, 3), f32(rng, 3)
    case("nn_batch_normalization", ["{nn.batch_normalization: {inputs: [x, mean, variance, offset, scale], variance_epsilon: 0.001}}"],
         {"x": x, "mean": mean, "variance": variance, "offset": offset, "scale": scale},
         tf.nn.batch_normalization(x, mean, variance, offset, scale, 0.001))
    case("nn_batch_normalization_none", ["{nn.batch_normalization: {inputs: [x, mean, variance, 0, 1], variance_epsilon: 0.01}}"],
         {"x": x, "mean": mean, "variance": variance}, tf.nn.batch_normalization(x, mean, variance, None, None, 0.01))


def resize_cases():
    """tf.compat.v1.image.resize (legacy pixel mapping, align_corners) and tf.image.resize (half-pixel centers)."""
    rng = np.random.default_rng(43)
    x = f32(rng, 2, 5, 4, 3)
    v1 = tf.compat.v1.image
    for method, tf_method in (("bilinear", v1.ResizeMethod.BILINEAR), ("nearest", v1.ResizeMethod.NEAREST_NEIGHBOR)):
        for size in ([8, 7], [3, 2], [5, 9]):
            tag = f"{method}_{size[0]}x{size[1]}"
            case(f"resize_v1_{tag}", ["{image.resize: {size: %s, method: %s}}" % (size, method)], {"x": x},
                 v1.resize(x, size, method=tf_method))
            case(f"resize_v1_aligned_{tag}", ["{image.resize: {size: %s, method: %s, align_corners: true}}" % (size, method)], {"x": x},
                 v1.resize(x, size, method=tf_method, align_corners=True))
            case(f"resize_v2_{tag}", ["{image.resize: {size: %s, method: %s, half_pixel_centers: true}}" % (size, method)], {"x": x},
                 tf.image.resize(x, size, method=method))


def drawn_window_cases():
    """Convolutions, pooling and resizes with shapes, strides, paddings and dilations drawn with a fixed seed."""
    rng = np.random.default_rng(47)
    for number in range(12):
        op = ["conv2d", "depthwise_conv2d", "max_pool2d", "avg_pool2d"][number % 4]
        h, w, c = (int(v) for v in rng.integers(3, 10, size=2)), None, None
        h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
        c = int(rng.integers(1, 5))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        strides = [int(rng.integers(1, 4)), int(rng.integers(1, 4))]
        padding = str(rng.choice(["same", "valid", "explicit"] if op != "avg_pool2d" else ["same", "valid"]))
        dilations = [int(rng.integers(1, 3)), int(rng.integers(1, 3))] if op in ("conv2d", "depthwise_conv2d") else [1, 1]
        if op == "depthwise_conv2d" and padding != "explicit":
            strides = [strides[0], strides[0]] if dilations != [1, 1] else strides
        pads = [[0, 0], [int(rng.integers(0, 3)), int(rng.integers(0, 3))], [int(rng.integers(0, 3)), int(rng.integers(0, 3))], [0, 0]]
        # Keep the window inside the (padded) input with VALID arithmetic.
        eh, ew = (kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1
        ph, pw = (h + pads[1][0] + pads[1][1], w + pads[2][0] + pads[2][1]) if padding == "explicit" else (h, w)
        if padding != "same" and (eh > ph or ew > pw):
            padding = "same"
        x = f32(rng, 2, h, w, c)
        tf_padding = pads if padding == "explicit" else padding.upper()
        given = f"explicit_paddings: {pads}" if padding == "explicit" else f"padding: {padding}"
        name = f"drawn_{number}_{op}_{h}x{w}x{c}_k{kh}x{kw}_s{strides[0]}{strides[1]}_{padding}_d{dilations[0]}{dilations[1]}"
        if op in ("conv2d", "depthwise_conv2d"):
            filt = f32(rng, kh, kw, c, int(rng.integers(1, 4)))
            function = tf.nn.conv2d if op == "conv2d" else tf.nn.depthwise_conv2d
            tf_strides = strides if op == "conv2d" else [1, strides[0], strides[1], 1]
            out = function(x, filt, tf_strides, tf_padding, dilations=dilations)
            case(name, ["{nn.%s: {inputs: [x, w], strides: %s, %s, dilations: %s}}" % (op, strides, given, dilations)],
                 {"x": x, "w": filt}, out)
        else:
            function = tf.nn.max_pool2d if op == "max_pool2d" else tf.nn.avg_pool2d
            out = function(x, [kh, kw], strides, tf_padding)
            case(name, ["{nn.%s: {ksize: [%d, %d], strides: %s, %s}}" % (op, kh, kw, strides, given)], {"x": x}, out)
    for number in range(6):
        h, w, c = int(rng.integers(1, 8)), int(rng.integers(1, 8)), int(rng.integers(1, 4))
        size = [int(rng.integers(1, 12)), int(rng.integers(1, 12))]
        method = ["bilinear", "nearest"][number % 2]
        flags = [{}, {"align_corners": True}, {"half_pixel_centers": True}][number % 3]
        x = f32(rng, 1, h, w, c)
        if "half_pixel_centers" in flags:
            out = tf.image.resize(x, size, method=method)
        else:
            out = tf.compat.v1.image.resize(x, size, method=method, align_corners=flags.get("align_corners", False))
        given = "".join(f", {key}: true" for key in flags)
        case(f"drawn_resize_{number}_{h}x{w}_to_{size[0]}x{size[1]}_{method}{''.join('_' + k for k in flags)}",
             ["{image.resize: {size: %s, method: %s%s}}" % (size, method, given)], {"x": x}, out)


def integer_cases():
    """argmax, argmin, cast, one_hot and constants of other dtypes: integer and bool results compared exactly."""
    rng = np.random.default_rng(32)
    x = f32(rng, 3, 5, 4, scale=2.0)
    case("argmax_default_axis", ["argmax"], {"x": x}, tf.math.argmax(x))
    case("argmax_last", ["{argmax: {axis: -1}}"], {"x": x}, tf.math.argmax(x, axis=-1))
    case("argmin_axis1_int32", ["{argmin: {axis: 1, output_type: int32}}"], {"x": x},
         tf.math.argmin(x, axis=1, output_type=tf.int32))
    ties = np.array([[1, 3, 3, 0], [2, 2, 1, 1]], dtype=np.float32)
    case("argmax_ties_first", ["{argmax: {axis: 1}}"], {"x": ties}, tf.math.argmax(ties, axis=1))
    case("argmin_ties_first", ["{argmin: {axis: 1}}"], {"x": ties}, tf.math.argmin(ties, axis=1))
    ids = np.array([[4, 1, 7], [0, 2, 2]], dtype=np.int32)
    case("argmax_of_integers", ["{argmax: {axis: 1}}"], {"ids": ids}, tf.math.argmax(ids, axis=1))
    y = np.array([[-2.7, -0.5, 0.0, 0.5, 2.7, 9.99]], dtype=np.float32)
    case("cast_float_to_int32", ["{cast: {dtype: int32}}"], {"x": y}, tf.cast(y, tf.int32))
    case("cast_float_to_int64", ["{cast: {dtype: int64}}"], {"x": y}, tf.cast(y, tf.int64))
    case("cast_float_to_bool", ["{cast: {dtype: bool}}"], {"x": y}, tf.cast(y, tf.bool))
    case("cast_int_to_float", ["{cast: {dtype: float32}}", "{multiply: [_, 0.5]}"], {"ids": ids},
         tf.cast(ids, tf.float32) * 0.5)
    case("cast_int_to_bool", ["{subtract: [ids, 2]}", "{cast: {dtype: int32}}", "{cast: {dtype: bool}}"], {"ids": ids},
         tf.cast(tf.cast(tf.subtract(tf.cast(ids, tf.float32), 2.0), tf.int32), tf.bool))
    case("cast_bool_to_int64", ["{greater: [x, 0]}", "{cast: {dtype: int64}}"], {"x": x},
         tf.cast(tf.greater(x, 0.0), tf.int64))
    labels = np.array([[0, 2], [5, -1], [3, 1]], dtype=np.int32)
    case("one_hot", ["{one_hot: {depth: 4}}"], {"labels": labels}, tf.one_hot(labels, 4))
    case("one_hot_axis0_values", ["{one_hot: {depth: 5, axis: 0, on_value: 2.5, off_value: -1}}"], {"labels": labels},
         tf.one_hot(labels, 5, on_value=2.5, off_value=-1.0, axis=0))
    case("one_hot_axis1_int32", ["{one_hot: {depth: 3, axis: 1, dtype: int32}}"], {"labels": labels},
         tf.one_hot(labels, 3, axis=1, dtype=tf.int32))
    case("one_hot_of_argmax", ["{argmax: {input: x, axis: -1}}", "{one_hot: {depth: 4}}"], {"x": x},
         tf.one_hot(tf.math.argmax(x, axis=-1), 4))
    case("constant_int32", ["{constant: {value: [[1, -2], [3, 4]], dtype: int32}}"], {},
         tf.constant([[1, -2], [3, 4]], dtype=tf.int32))
    case("constant_int64_fill", ["{constant: {value: 7, shape: [2, 3], dtype: int64}}"], {},
         tf.constant(7, shape=[2, 3], dtype=tf.int64))
    case("constant_bool", ["{constant: {value: [true, false, true], dtype: bool}}"], {},
         tf.constant([True, False, True], dtype=tf.bool))
    case("identity_keeps_integers", ["{identity: ids}"], {"ids": ids}, tf.identity(ids))


def integer_arithmetic_cases():
    """Integers through the operations that take numbers: TensorFlow keeps int32 and int64 (arithmetic wraps
    around, the mean truncates toward zero), a Python int literal takes the tensor's dtype; int64 values beyond
    int32 and beyond float32's 2^24 stay exact."""
    rng = np.random.default_rng(38)
    ids = rng.integers(-9, 10, size=(3, 4)).astype(np.int32)
    row = rng.integers(-5, 6, size=(4,)).astype(np.int32)
    big = (rng.integers(-2**40, 2**40, size=(3, 4)) + 2**33).astype(np.int64)
    case("int_add_literal", ["{add: [ids, 1]}"], {"ids": ids}, tf.add(ids, 1))
    case("int_literal_first", ["{subtract: [100, ids]}"], {"ids": ids}, tf.subtract(100, ids))
    case("int_multiply_broadcast", ["{multiply: [ids, row]}"], {"ids": ids, "row": row}, tf.multiply(ids, row))
    case("int_maximum_minimum", ["{maximum: [ids, 0]}", "{minimum: [_, row]}"], {"ids": ids, "row": row},
         tf.minimum(tf.maximum(ids, 0), row))
    case("int_squared_difference", ["{squared_difference: [ids, row]}"], {"ids": ids, "row": row},
         tf.math.squared_difference(ids, row))
    case("int_pow", ["{pow: [ids, 3]}"], {"ids": ids}, tf.pow(ids, 3))
    case("int_abs_negative_square", ["abs", "negative", "{square: _}"], {"ids": ids}, tf.square(tf.negative(tf.abs(ids))))
    case("int_relu_relu6", ["{multiply: [ids, 2]}", "relu6", "{subtract: [_, 3]}", "relu"], {"ids": ids},
         tf.nn.relu(tf.nn.relu6(ids * 2) - 3))
    case("int_overflow_wraps", ["{add: [ids, 2147483600]}", "{multiply: [_, 3]}"], {"ids": ids},
         tf.multiply(tf.add(ids, 2147483600), 3))
    for op, fn in {"reduce_sum": tf.reduce_sum, "reduce_mean": tf.reduce_mean, "reduce_max": tf.reduce_max,
                   "reduce_min": tf.reduce_min, "reduce_prod": tf.reduce_prod}.items():
        case(f"int_{op}_axis1", [f"{{{op}: {{axis: 1}}}}"], {"ids": ids}, fn(ids, axis=1))
    case("int_reduce_mean_all_keepdims", ["{reduce_mean: {keepdims: true}}"], {"ids": ids}, tf.reduce_mean(ids, keepdims=True))
    case("int_moments_mean", ["{moments: {axes: [0]}, as: [m, v]}", "{identity: m}"], {"ids": ids}, tf.nn.moments(ids, [0])[0])
    case("int_moments_variance", ["{moments: {axes: [0]}, as: [m, v]}", "{identity: v}"], {"ids": ids}, tf.nn.moments(ids, [0])[1])
    square = rng.integers(-4, 5, size=(4, 4)).astype(np.int32)
    case("int_matmul", ["{matmul: [ids, square]}"], {"ids": ids, "square": square}, tf.linalg.matmul(ids, square))
    case("int_matmul_transpose_b", ["{matmul: {inputs: [ids, ids], transpose_b: true}}"], {"ids": ids},
         tf.linalg.matmul(ids, ids, transpose_b=True))
    case("int_bias_add", ["{bias_add: [ids, row]}"], {"ids": ids, "row": row}, tf.nn.bias_add(ids, row))
    batched = rng.integers(-5, 6, size=(2, 3, 4)).astype(np.int32)
    case("int_matmul_batch_broadcast", ["{matmul: {inputs: [batched, square], transpose_a: false}}"],
         {"batched": batched, "square": square}, tf.linalg.matmul(batched, square))
    case("int_matmul_transpose_a_batches", ["{matmul: {inputs: [batched, batched], transpose_a: true}}"],
         {"batched": batched}, tf.linalg.matmul(batched, batched, transpose_a=True))
    case("int_greater_literal", ["{greater: [ids, 2]}"], {"ids": ids}, tf.greater(ids, 2))
    case("int_argmin", ["{argmin: {axis: 1}}"], {"ids": ids}, tf.math.argmin(ids, axis=1))
    case("int_leaky_relu_is_float", ["leaky_relu"], {"ids": ids}, tf.nn.leaky_relu(ids))
    x = f32(rng, 2, 3)
    case("float_times_int_literal", ["{multiply: [x, 2]}"], {"x": x}, tf.multiply(x, 2))
    case("literals_only_int32", ["{add: [2, [3, -4]]}"], {}, tf.add(2, [3, -4]))
    case("constant_int64_exact", ["{constant: {value: [1099511627777, -3], shape: [2], dtype: int64}}", "{add: [_, 1]}"], {},
         tf.constant([1099511627777, -3], shape=[2], dtype=tf.int64) + 1)
    # int64: exact beyond int32 and beyond float32's integers.
    case("int64_add", ["{add: [big, 7]}"], {"big": big}, tf.add(big, 7))
    case("int64_reduce_sum", ["{reduce_sum: {axis: 0}}"], {"big": big}, tf.reduce_sum(big, axis=0))
    case("int64_argmax", ["{argmax: {axis: 1}}"], {"big": big}, tf.math.argmax(big, axis=1))
    case("int64_equal_neighbour", ["{add: [big, 1], as: next}", "{not_equal: [big, next]}"], {"big": big},
         tf.not_equal(big, big + 1))
    case("int64_cast_to_int32", ["{cast: {dtype: int32}}"], {"big": big}, tf.cast(big, tf.int32))
    case("int64_cast_to_float", ["{cast: {dtype: float32}}"], {"big": big}, tf.cast(big, tf.float32))
    case("cast_int32_to_int64", ["{cast: {dtype: int64}}", "{multiply: [_, 1099511627776]}"], {"ids": ids},
         tf.cast(ids, tf.int64) * 1099511627776)
    case("argmax_int64_plus_literal", ["{argmax: {input: x, axis: 1}}", "{add: [_, 1099511627776]}"], {"x": x},
         tf.math.argmax(x, axis=1) + 1099511627776)


def element_cases():
    """The operations that move elements keep integers and bools, as in TensorFlow."""
    rng = np.random.default_rng(39)
    ids = rng.integers(-9, 10, size=(2, 3, 4)).astype(np.int32)
    big = rng.integers(-2**40, 2**40, size=(3, 4)).astype(np.int64)
    mask = rng.integers(0, 2, size=(3, 4)).astype(np.bool_)
    picks = np.array([2, 0, 2], dtype=np.int32)
    picks64 = np.array([[1, 0], [2, 2]], dtype=np.int64)
    case("int_reshape", ["{reshape: {shape: [6, -1]}}"], {"ids": ids}, tf.reshape(ids, [6, -1]))
    case("int_expand_squeeze", ["{expand_dims: {axis: 1}}", "{squeeze: {axis: [1]}}"], {"ids": ids},
         tf.squeeze(tf.expand_dims(ids, 1), [1]))
    case("int_concat", ["{concat: {inputs: [ids, ids], axis: 2}}"], {"ids": ids}, tf.concat([ids, ids], 2))
    case("int_stack", ["{stack: {inputs: [ids, ids], axis: 1}}"], {"ids": ids}, tf.stack([ids, ids], axis=1))
    case("int_tile", ["{tile: {multiples: [1, 2, 1]}}"], {"ids": ids}, tf.tile(ids, [1, 2, 1]))
    case("int_pad_constant", ["{pad: {paddings: [[0, 0], [1, 0], [0, 2]], constant_values: 3}}"], {"ids": ids},
         tf.pad(ids, [[0, 0], [1, 0], [0, 2]], constant_values=3))
    case("int_pad_reflect", ["{pad: {paddings: [[0, 0], [1, 1], [2, 1]], mode: reflect}}"], {"ids": ids},
         tf.pad(ids, [[0, 0], [1, 1], [2, 1]], mode="REFLECT"))
    case("int_slice", ["{slice: {begin: [0, 1, 1], size: [-1, 2, 2]}}"], {"ids": ids}, tf.slice(ids, [0, 1, 1], [-1, 2, 2]))
    case("int_transpose", ["{transpose: {perm: [2, 0, 1]}}"], {"ids": ids}, tf.transpose(ids, [2, 0, 1]))
    case("int_split", ["{split: {num_or_size_splits: [1, 3], axis: 2}, as: [a, b]}", "{identity: b}"], {"ids": ids},
         tf.split(ids, [1, 3], axis=2)[1])
    case("int_unstack", ["{unstack: {axis: 1}, as: [a, b, c]}", "{identity: c}"], {"ids": ids}, tf.unstack(ids, axis=1)[2])
    case("int_strided_slice", ['{identity: "ids[:, ::-1, 1:]"}'], {"ids": ids}, ids[:, ::-1, 1:])
    case("int64_gather_params", ["{gather: [big, picks]}"], {"big": big, "picks": picks}, tf.gather(big, picks))
    x = f32(rng, 3, 2)
    case("gather_int64_indices", ["{gather: [x, picks64]}"], {"x": x, "picks64": picks64}, tf.gather(x, picks64))
    case("one_hot_int64_indices", ["{one_hot: {depth: 3}}"], {"picks64": picks64}, tf.one_hot(picks64, 3))
    case("int64_where", ["{greater: [big, 0], as: c}", "{where: [c, big, -1]}"], {"big": big}, tf.where(big > 0, big, -1))
    images = rng.integers(-50, 50, size=(1, 3, 2, 2)).astype(np.int32)
    case("int_resize_nearest", ["{image.resize: {size: [5, 3], method: nearest}}"], {"images": images},
         tf.compat.v1.image.resize(images, [5, 3], method="nearest"))
    # bool values move as they are, and bool inputs are bool.
    case("bool_input_logical", ["{logical_not: mask}"], {"mask": mask}, tf.logical_not(mask))
    case("bool_reshape_concat", ["{reshape: {input: mask, shape: [4, 3]}}", "{concat: {inputs: [_, _], axis: 0}}"],
         {"mask": mask}, tf.concat([tf.reshape(mask, [4, 3])] * 2, 0))
    case("bool_tile_transpose", ["{tile: {input: mask, multiples: [2, 1]}}", "{transpose: {perm: [1, 0]}}"], {"mask": mask},
         tf.transpose(tf.tile(mask, [2, 1])))
    case("bool_gather_where", ["{gather: [mask, picks], as: rows}", "{where: [rows, rows, false]}"], {"mask": mask, "picks": picks},
         tf.where(tf.gather(mask, picks), tf.gather(mask, picks), False))
    case("bool_pad", ["{pad: {input: mask, paddings: [[1, 0], [0, 1]]}}"], {"mask": mask}, tf.pad(mask, [[1, 0], [0, 1]]))
    case("bool_equal_not_equal", ["{equal: [mask, true], as: e}", "{not_equal: [e, \"mask[::-1]\"]}"], {"mask": mask},
         tf.not_equal(tf.equal(mask, True), mask[::-1]))


def comparison_cases():
    """Comparisons (bool, with broadcasting), logical operations, and where (TensorFlow 2's tf.where)."""
    rng = np.random.default_rng(33)
    a = rng.integers(-2, 3, size=(3, 4)).astype(np.float32)
    b = rng.integers(-2, 3, size=(4,)).astype(np.float32)
    ops = {"greater": tf.math.greater, "greater_equal": tf.math.greater_equal, "less": tf.math.less,
           "less_equal": tf.math.less_equal, "equal": tf.math.equal, "not_equal": tf.math.not_equal}
    for op, fn in ops.items():
        case(f"{op}_broadcast", [f"{{{op}: [a, b]}}"], {"a": a, "b": b}, fn(a, b))
    case("greater_number", ["{greater: [a, 0.5]}"], {"a": a}, tf.math.greater(a, 0.5))
    ids = rng.integers(0, 4, size=(2, 3)).astype(np.int32)
    case("equal_integers", ["{equal: [ids, 2]}"], {"ids": ids}, tf.math.equal(ids, 2))
    case("logical_and", ["{greater: [a, 0]}", "{less: [a, 2], as: small}", "{logical_and: [_1, small]}"], {"a": a},
         tf.math.logical_and(a > 0, a < 2))
    case("logical_or_not", ["{less: [a, b], as: p}", "{equal: [a, 0], as: q}", "{logical_or: [p, q]}", "logical_not"],
         {"a": a, "b": b}, tf.math.logical_not(tf.math.logical_or(a < b, tf.equal(a, 0.0))))
    x, z = f32(rng, 3, 4), f32(rng, 3, 4)
    case("where_same_shape", ["{greater: [x, z], as: c}", "{where: [c, x, z]}"], {"x": x, "z": z},
         tf.compat.v1.where(x > z, x, z))
    row = f32(rng, 4)
    case("where_broadcast", ["{greater: [row, 0], as: c}", "{where: [c, x, 0]}"], {"x": x, "row": row},
         tf.where(row > 0, x, 0.0))
    case("where_integers", ["{greater: [ids, 1], as: c}", "{where: [c, ids, other]}"],
         {"ids": ids, "other": (ids * 10).astype(np.int32)}, tf.where(ids > 1, ids, ids * 10))
    # tf.abs(a - b) as where: the second workaround, written with a comparison.
    case("where_abs_difference", ["{subtract: [x, z], as: d}", "{less: [d, 0], as: negative}", "{negative: d}",
                                  "{where: [negative, _, d]}"], {"x": x, "z": z}, tf.abs(x - z))


def splitting_cases():
    """split and unstack: several values, named by as:."""
    rng = np.random.default_rng(34)
    x = f32(rng, 2, 6, 3)
    parts = tf.split(x, 3, axis=1)
    case("split_count", ["{split: {num_or_size_splits: 3, axis: 1}, as: [a, b, c]}", "{concat: {inputs: [c, a], axis: 1}}"],
         {"x": x}, tf.concat([parts[2], parts[0]], axis=1))
    first, rest = tf.split(x, [2, -1], axis=-1)
    case("split_sizes_rest", ["{split: {num_or_size_splits: [2, -1], axis: -1}, as: [first, rest]}", "{multiply: [rest, 2]}",
                              "{concat: {inputs: [_, first], axis: 2}}"], {"x": x}, tf.concat([rest * 2, first], axis=2))
    p, q, r = tf.split(x, [1, 2, 3], axis=1)
    case("split_sizes", ["{split: {num_or_size_splits: [1, 2, 3], axis: 1}, as: [p, q, r]}", "{reduce_sum: {input: r, axis: 1}}",
                         '{subtract: [_, "p[:, 0]"]}'], {"x": x}, tf.reduce_sum(r, axis=1) - tf.squeeze(p, 1))
    u = tf.unstack(x, axis=2)
    case("unstack_named", ["{unstack: {axis: 2}, as: [u, v, w]}", "{subtract: [u, w]}"], {"x": x}, u[0] - u[2])
    case("split_group", ["{split: {num_or_size_splits: 3, axis: 1}, as: parts}", '{concat: {inputs: ["parts[2]", "parts[-3]"], axis: 1}}'],
         {"x": x}, tf.concat([parts[2], parts[0]], axis=1))
    u = tf.unstack(x, axis=1)
    case("unstack_group", ["{unstack: {num: 6, axis: 1}, as: steps}", '{add: ["steps[0]", "steps[5]"]}', '{multiply: [_, "steps[3]"]}'],
         {"x": x}, (u[0] + u[5]) * u[3])
    u = tf.unstack(x)
    case("unstack_num", ["{unstack: {num: 2}, as: [first, second]}", "{multiply: [first, second]}"], {"x": x}, u[0] * u[1])


def strided_slice_cases():
    """Python's slicing as operands (x[...]) and tf.strided_slice itself."""
    rng = np.random.default_rng(35)
    x = f32(rng, 3, 4, 5)
    slices = {
        "columns": ("x[:, 1:3]", lambda t: t[:, 1:3]),
        "last_row": ("x[-1]", lambda t: t[-1]),
        "reversed": ("x[::-1]", lambda t: t[::-1]),
        "steps_new_axis": ("x[1:, ::-2, None]", lambda t: t[1:, ::-2, None]),
        "ellipsis_index": ("x[..., 0]", lambda t: t[..., 0]),
        "ellipsis_new_axis": ("x[..., None, 1:]", lambda t: t[..., None, 1:]),
        "new_axis_first": ("x[None, :, -2:]", lambda t: t[None, :, -2:]),
        "clamped": ("x[:, -10:10, 4:100]", lambda t: t[:, -10:10, 4:100]),
        "empty": ("x[2:1]", lambda t: t[2:1]),
        "scalar": ("x[0, 1, 2]", lambda t: t[0, 1, 2]),
        "negative_steps": ("x[-1:0:-2, 3::-3]", lambda t: t[-1:0:-2, 3::-3]),
        "newaxis_names": ("x[tf.newaxis, 1, newaxis]", lambda t: t[tf.newaxis, 1, tf.newaxis]),
    }
    for label, (text, fn) in slices.items():
        case(f"slice_operand_{label}", [f'{{identity: "{text}"}}'], {"x": x}, fn(tf.constant(x)))
    ids = rng.integers(-5, 5, size=(3, 4)).astype(np.int32)
    case("slice_integers", ['{identity: "ids[::-1, 1:]"}'], {"ids": ids}, tf.constant(ids)[::-1, 1:])
    case("slice_booleans", ["{greater: [x, 0]}", '{identity: "_[:, -1, ::2]"}'], {"x": x}, tf.greater(x, 0.0)[:, -1, ::2])
    case("slice_operands_added", ['{add: ["x[:, 0]", "x[:, -1]"]}'], {"x": x}, x[:, 0] + x[:, -1])
    case("slice_as_a_step", ["x[:, 1:3]", "relu"], {"x": x}, tf.nn.relu(x[:, 1:3]))
    case("slice_previous_value", ["{multiply: [x, 2]}", '{identity: "_[1:, :2]"}'], {"x": x}, (x * 2)[1:, :2])
    case("strided_slice_masks",
         ["{strided_slice: {begin: [0, 1, 0], end: [0, 3, 4], strides: [1, 1, 2], begin_mask: 1, end_mask: 1, shrink_axis_mask: 0}}"],
         {"x": x}, tf.strided_slice(x, [0, 1, 0], [0, 3, 4], strides=[1, 1, 2], begin_mask=1, end_mask=1))
    case("strided_slice_ellipsis_shrink",
         ["{strided_slice: {begin: [0, -1], end: [0, 0], ellipsis_mask: 1, shrink_axis_mask: 2}}"],
         {"x": x}, tf.strided_slice(x, [0, -1], [0, 0], ellipsis_mask=1, shrink_axis_mask=2))


def random_cases():
    """Cases drawn with a fixed seed, so that the general rule is checked, not only the examples above:
    slices, splits, comparisons and where, argmax/argmin, one_hot and cast on shapes, axes and
    negative indices the examples do not have."""
    rng = np.random.default_rng(36)

    def shape(low=1, high=4, smallest=1, largest=5):
        return tuple(int(d) for d in rng.integers(smallest, largest + 1, size=int(rng.integers(low, high + 1))))

    def item(size):
        kind = rng.integers(0, 5)
        if kind == 0:
            index = int(rng.integers(-size, size))
            return str(index), index
        if kind == 1:
            return "None", None
        start, stop = [int(v) if rng.random() < 0.7 else None for v in rng.integers(-size - 1, size + 2, size=2)]
        step = int(rng.choice([-3, -2, -1, 1, 1, 2, 3])) if rng.random() < 0.6 else None
        text = ("" if start is None else str(start)) + ":" + ("" if stop is None else str(stop))
        if step is not None:
            text += f":{step}"
        return text, slice(start, stop, step)

    for i in range(8):
        x = f32(rng, *shape())
        texts, keys, dim = [], [], 0
        while dim < x.ndim and rng.random() < 0.85:
            if rng.random() < 0.15 and "..." not in texts:
                texts.append("..."); keys.append(Ellipsis)
                dim = x.ndim
                continue
            text, key = item(x.shape[dim])
            texts.append(text); keys.append(key)
            if key is not None:
                dim += 1
        if not texts:
            texts, keys = [":"], [slice(None)]
        text = "x[" + ", ".join(texts) + "]"
        case(f"random_slice_{i}", [f'{{identity: "{text}"}}'], {"x": x}, tf.constant(x)[tuple(keys)])
    for i in range(5):
        dims = list(shape(1, 3))
        axis = int(rng.integers(-len(dims), len(dims)))
        count = int(rng.integers(1, 4))
        dims[axis] *= count
        x = f32(rng, *dims)
        names = [f"p{k}" for k in range(count)]
        parts = tf.split(x, count, axis=axis)
        case(f"random_split_{i}", [f"{{split: {{num_or_size_splits: {count}, axis: {axis}}}, as: [{', '.join(names)}]}}",
                                   f"{{concat: {{inputs: [{', '.join(reversed(names))}], axis: {axis}}}}}"],
             {"x": x}, tf.concat(parts[::-1], axis=axis))
        axis = int(rng.integers(-len(dims), len(dims)))
        size = dims[axis]
        sizes = [int(v) for v in rng.multinomial(size, [1 / 3] * 3)]
        sizes[int(rng.integers(0, 3))] = -1
        parts = tf.split(x, sizes, axis=axis)
        case(f"random_split_sizes_{i}", [f"{{split: {{num_or_size_splits: {sizes}, axis: {axis}}}, as: [a, b, c]}}",
                                         f"{{concat: {{inputs: [c, b, a], axis: {axis}}}}}"],
             {"x": x}, tf.concat(parts[::-1], axis=axis))
        axis = int(rng.integers(-len(dims), len(dims)))
        names = [f"u{k}" for k in range(dims[axis])]
        slices = tf.unstack(x, axis=axis)
        case(f"random_unstack_{i}", [f"{{unstack: {{axis: {axis}}}, as: [{', '.join(names)}]}}",
                                     f"{{stack: {{inputs: [{', '.join(reversed(names))}], axis: {axis}}}}}"],
             {"x": x}, tf.stack(slices[::-1], axis=axis))
    comparisons = {"greater": tf.math.greater, "less_equal": tf.math.less_equal, "not_equal": tf.math.not_equal}
    for i in range(5):
        full = shape(2, 4)
        other = tuple(d if rng.random() < 0.5 else 1 for d in full[int(rng.integers(0, len(full))):])
        a = rng.integers(-2, 3, size=full).astype(np.float32)
        b = rng.integers(-2, 3, size=other).astype(np.float32)
        op = list(comparisons)[i % 3]
        case(f"random_{op}_{i}", [f"{{{op}: [a, b]}}"], {"a": a, "b": b}, comparisons[op](a, b))
        z = f32(rng, *other)
        case(f"random_where_{i}", [f"{{{op}: [a, b], as: c}}", "{where: [c, a, z]}"], {"a": a, "b": b, "z": z},
             tf.where(comparisons[op](a, b), a, z))
    for i in range(5):
        x = f32(rng, *shape(1, 4, 2, 5))
        axis = int(rng.integers(-x.ndim, x.ndim))
        op, fn = (("argmax", tf.math.argmax), ("argmin", tf.math.argmin))[i % 2]
        case(f"random_{op}_{i}", [f"{{{op}: {{axis: {axis}}}}}"], {"x": x}, fn(x, axis=axis))
        labels = rng.integers(-1, 6, size=shape(1, 2)).astype(np.int32)
        depth = int(rng.integers(1, 6))
        axis = int(rng.integers(-1, labels.ndim + 1))
        case(f"random_one_hot_{i}", [f"{{one_hot: {{depth: {depth}, axis: {axis}}}}}"], {"labels": labels},
             tf.one_hot(labels, depth, axis=axis))
        x = f32(rng, *shape(1, 3), scale=5.0)
        case(f"random_cast_{i}", ["{cast: {dtype: int32}}"], {"x": x}, tf.cast(x, tf.int32))


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
    for make in (window_cases, resize_cases, drawn_window_cases, slicing_cases, padding_cases, stacking_cases, catalog_case,
                 layer_activation_cases, existing_cases, literal_cases, elementwise_cases, binary_cases, matmul_cases,
                 reduction_cases, integer_cases, integer_arithmetic_cases, element_cases, integer_values_case, nested_integers_case, comparison_cases, splitting_cases, strided_slice_cases,
                 random_cases, loss_cases):
        make()
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"spec_ops: {len(CASES)} cases, {size / 1024:.0f} KiB in {OUT}")
