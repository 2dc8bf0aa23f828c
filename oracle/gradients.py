"""Goldens for gradients (Tests/Goldens/gradients/).

Each case is spec steps beside the TensorFlow calls they stand for, with inputs
and (for layers) variable values; tf.GradientTape records the call and gives the
gradient of sum(y * w), w a fixed weight per output element, with respect to
every input and variable. cases.json lists the steps, the training flag, the
input, weight, variable and gradient files. The Swift tests
(Tests/ModelSpecInterpreterTests/GradientGoldenTests.swift) run the same spec
through the interpreter under a GradientTape, the variables loaded by name, and
compare the gradients within 1e-4 absolute or relative.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

CASES = []
OUT = None


def f32(rng, *shape, scale=1.0, shift=0.0):
    return (rng.standard_normal(shape) * scale + shift).astype(np.float32)


def save(name, array):
    write_npy(os.path.join(OUT, name), np.asarray(array, dtype=np.float32))
    return name


def case(name, steps, inputs, fn, variables=(), training=False):
    """inputs: name -> array; variables: (spec variable name, array) in the order fn takes them;
    fn(inputs as tensors by name, tf.Variables) -> the output."""
    xs = {k: tf.constant(v) for k, v in inputs.items()}
    vs = [tf.Variable(v) for _, v in variables]
    with tf.GradientTape(persistent=True) as tape:
        for t in xs.values():
            tape.watch(t)
        y = fn(xs, vs)
        w = (0.5 + np.arange(int(np.prod(y.shape))).reshape(y.shape) % 7 / 7.0).astype(np.float32)
        loss = tf.reduce_sum(y * w)
    entry = {"name": name, "steps": steps, "training": training, "weights": save(f"{name}.w.npy", w),
             "inputs": [], "variables": []}
    for key, t in xs.items():
        g = tape.gradient(loss, t)
        g = tf.convert_to_tensor(g) if g is not None else None  # gather's IndexedSlices, made dense
        entry["inputs"].append({"name": key, "file": save(f"{name}.{key}.npy", t.numpy()),
                                "gradient": save(f"{name}.{key}.grad.npy", g.numpy()) if g is not None else None})
    for (var_name, value), v in zip(variables, vs):
        g = tape.gradient(loss, v)
        safe = var_name.replace("/", "_")
        entry["variables"].append({"name": var_name, "file": save(f"{name}.{safe}.npy", value),
                                   "gradient": save(f"{name}.{safe}.grad.npy", g.numpy())})
    CASES.append(entry)


def operation_cases():
    rng = np.random.default_rng(41)
    a, b = f32(rng, 3, 4), f32(rng, 4)
    case("add_broadcast", ["{add: [a, b]}"], {"a": a, "b": b}, lambda x, _: x["a"] + x["b"])
    case("subtract_column", ["{subtract: [a, c]}"], {"a": a, "c": f32(rng, 3, 1)}, lambda x, _: x["a"] - x["c"])
    case("multiply_broadcast", ["{multiply: [a, b]}"], {"a": a, "b": b}, lambda x, _: x["a"] * x["b"])
    case("divide_broadcast", ["{divide: [a, d]}"], {"a": a, "d": np.abs(f32(rng, 4)) + 0.5},
         lambda x, _: x["a"] / x["d"])
    m = f32(rng, 3, 4)
    m[0, 0] = a[0, 0]  # a tie: TensorFlow gives the gradient to the first operand
    case("maximum_tie", ["{maximum: [a, m]}"], {"a": a, "m": m}, lambda x, _: tf.maximum(x["a"], x["m"]))
    case("minimum", ["{minimum: [a, m]}"], {"a": a, "m": m}, lambda x, _: tf.minimum(x["a"], x["m"]))
    case("pow", ["{pow: [p, e]}"], {"p": np.abs(f32(rng, 3, 4)) + 0.2, "e": f32(rng, 4)},
         lambda x, _: tf.pow(x["p"], x["e"]))
    case("squared_difference", ["{squared_difference: [a, b]}"], {"a": a, "b": b},
         lambda x, _: tf.math.squared_difference(x["a"], x["b"]))
    pos = np.abs(f32(rng, 2, 5)) + 0.1
    for op, fn in {"sqrt": tf.sqrt, "rsqrt": tf.math.rsqrt, "log": tf.math.log}.items():
        case(op, [op], {"x": pos}, lambda x, _, fn=fn: fn(x["x"]))
    x = f32(rng, 3, 5, scale=2.0)
    unary = {"abs": tf.abs, "negative": tf.negative, "square": tf.square, "exp": tf.exp, "relu": tf.nn.relu,
             "relu6": tf.nn.relu6, "elu": tf.nn.elu, "tanh": tf.tanh, "sigmoid": tf.sigmoid,
             "softplus": tf.math.softplus, "softsign": tf.nn.softsign, "selu": tf.nn.selu, "swish": tf.nn.silu,
             "gelu": tf.nn.gelu, "leaky_relu": tf.nn.leaky_relu, "identity": tf.identity}
    for op, fn in unary.items():
        case(op, [op], {"x": x}, lambda t, _, fn=fn: fn(t["x"]))
    case("gelu_approximate", ["{gelu: {approximate: true}}"], {"x": x},
         lambda t, _: tf.nn.gelu(t["x"], approximate=True))
    case("relu6_large", ["relu6"], {"x": x * 4}, lambda t, _: tf.nn.relu6(t["x"]))
    s = f32(rng, 2, 3, 4)
    case("softmax_axis1", ["{softmax: {axis: 1}}"], {"x": s}, lambda t, _: tf.nn.softmax(t["x"], axis=1))
    case("log_softmax", ["log_softmax"], {"x": s}, lambda t, _: tf.nn.log_softmax(t["x"]))
    p, q = f32(rng, 2, 3, 4), f32(rng, 2, 5, 4)
    case("matmul_batched_transpose_b", ["{matmul: {inputs: [p, q], transpose_b: true}}"], {"p": p, "q": q},
         lambda t, _: tf.matmul(t["p"], t["q"], transpose_b=True))
    r, k = f32(rng, 4, 3), f32(rng, 5, 4)
    case("matmul_transpose_both", ["{matmul: {inputs: [r, k], transpose_a: true, transpose_b: true}}"], {"r": r, "k": k},
         lambda t, _: tf.matmul(t["r"], t["k"], transpose_a=True, transpose_b=True))
    case("matmul_rank3_by_matrix", ["{matmul: {inputs: [p, k], transpose_b: true}}"],
         {"p": p, "k": k}, lambda t, _: tf.matmul(t["p"], t["k"], transpose_b=True))
    case("matmul_reshaped", ["{reshape: {input: p, shape: [6, 4]}}", "{matmul: {inputs: [_, k], transpose_b: true}}"],
         {"p": p, "k": k}, lambda t, _: tf.matmul(tf.reshape(t["p"], [6, 4]), t["k"], transpose_b=True))
    case("bias_add", ["{bias_add: [p, b]}"], {"p": p, "b": b}, lambda t, _: tf.nn.bias_add(t["p"], t["b"]))
    red = f32(rng, 3, 4, 2)
    red[1, 2, 1] = red[1, 0, 1]  # a tie in reduce_max over axis 1: TensorFlow shares the gradient
    for op, fn in {"reduce_sum": tf.reduce_sum, "reduce_mean": tf.reduce_mean, "reduce_max": tf.reduce_max,
                   "reduce_min": tf.reduce_min, "reduce_prod": tf.reduce_prod}.items():
        case(f"{op}_axis1", [f"{{{op}: {{axis: 1}}}}"], {"x": red}, lambda t, _, fn=fn: fn(t["x"], axis=1))
        case(f"{op}_all_keepdims", [f"{{{op}: {{keepdims: true}}}}"], {"x": red[:, :2]},
             lambda t, _, fn=fn: fn(t["x"], keepdims=True))
    withzero = red.copy()
    withzero[0, 1, 0] = 0
    case("reduce_prod_with_zero", ["{reduce_prod: {axis: [0, 1]}}"], {"x": withzero},
         lambda t, _: tf.reduce_prod(t["x"], axis=[0, 1]))
    mo = f32(rng, 4, 3, 2, scale=2.0, shift=1.0)
    case("moments", ["{moments: {axes: [0, 1]}, as: [m, v]}", "{add: [v, m]}"], {"x": mo},
         lambda t, _: tf.add(*reversed(tf.nn.moments(t["x"], axes=[0, 1]))))
    case("l2_normalize", ["{l2_normalize: {axis: 1}}"], {"x": f32(rng, 3, 4)},
         lambda t, _: tf.math.l2_normalize(t["x"], axis=1))
    sh = f32(rng, 2, 3, 4)
    case("reshape_expand_squeeze", ["{reshape: {shape: [3, 1, 8]}}", "{squeeze: {axis: 1}}", "{expand_dims: {axis: 0}}"],
         {"x": sh}, lambda t, _: tf.expand_dims(tf.squeeze(tf.reshape(t["x"], [3, 1, 8]), axis=1), 0))
    case("concat", ["{concat: {inputs: [x, y, x], axis: 1}}"], {"x": sh, "y": f32(rng, 2, 2, 4)},
         lambda t, _: tf.concat([t["x"], t["y"], t["x"]], axis=1))
    case("stack", ["{stack: {inputs: [x, x], axis: 2}}"], {"x": sh}, lambda t, _: tf.stack([t["x"], t["x"]], axis=2))
    case("tile", ["{tile: {multiples: [2, 1, 3]}}"], {"x": sh}, lambda t, _: tf.tile(t["x"], [2, 1, 3]))
    for mode in ["constant", "reflect", "symmetric"]:
        case(f"pad_{mode}", [f"{{pad: {{paddings: [[1, 0], [2, 1], [0, 2]], mode: {mode}}}}}"], {"x": sh},
             lambda t, _, mode=mode: tf.pad(t["x"], [[1, 0], [2, 1], [0, 2]], mode=mode.upper()))
    case("slice", ["{slice: {begin: [0, 1, 1], size: [2, -1, 2]}}"], {"x": sh},
         lambda t, _: tf.slice(t["x"], [0, 1, 1], [2, -1, 2]))
    case("transpose", ["{transpose: {perm: [2, 0, 1]}}"], {"x": sh}, lambda t, _: tf.transpose(t["x"], [2, 0, 1]))
    table = f32(rng, 5, 3)
    ids = np.array([[4, 0], [4, 2]], dtype=np.float32)
    case("gather_repeated", ["{gather: [table, ids]}"], {"table": table, "ids": ids},
         lambda t, _: tf.gather(t["table"], tf.cast(t["ids"], tf.int32)))
    case("embedding_lookup", ["{embedding_lookup: [table, ids]}"], {"table": table, "ids": ids},
         lambda t, _: tf.nn.embedding_lookup(t["table"], tf.cast(t["ids"], tf.int32)))


def slicing_and_nn_cases():
    """Slicing, splitting, where, and the tf.nn / image operations of the spec language."""
    rng = np.random.default_rng(43)
    x = f32(rng, 3, 4, 5)
    for name, index, fn in [
            ("slice_operand_steps_new_axis", "x[1:, ::-2, None]", lambda t: t[1:, ::-2, None]),
            ("slice_operand_ellipsis_index", "x[..., 0]", lambda t: t[..., 0]),
            ("slice_operand_negative_steps", "x[-1:0:-2, 3::-3]", lambda t: t[-1:0:-2, 3::-3])]:
        case(name, ['{identity: "%s"}' % index], {"x": x}, lambda t, _, fn=fn: fn(t["x"]))
    case("strided_slice_masks", ["{strided_slice: {begin: [0, 1, 0], end: [0, 3, 4], strides: [1, 1, 2], begin_mask: 1, end_mask: 1}}"],
         {"x": x}, lambda t, _: tf.strided_slice(t["x"], [0, 1, 0], [0, 3, 4], [1, 1, 2], begin_mask=1, end_mask=1))
    s = f32(rng, 2, 6, 3)
    case("split_unused_part", ["{split: {num_or_size_splits: [1, 2, 3], axis: 1}, as: [p, q, r]}", "{reduce_sum: {input: r, axis: 1}}",
                               '{subtract: [_, "p[:, 0]"]}'], {"x": s},
         lambda t, _: (lambda p, q, r: tf.reduce_sum(r, axis=1) - p[:, 0])(*tf.split(t["x"], [1, 2, 3], axis=1)))
    case("unstack_named", ["{unstack: {axis: 2}, as: [u, v, w]}", "{subtract: [u, w]}"], {"x": s},
         lambda t, _: (lambda u, v, w: u - w)(*tf.unstack(t["x"], axis=2)))
    a, z = f32(rng, 3, 4), f32(rng, 4)
    case("where_broadcast", ["{greater: [a, z], as: c}", "{where: [c, a, z]}"], {"a": a, "z": z},
         lambda t, _: tf.where(t["a"] > t["z"], t["a"], t["z"]))
    img, dw = f32(rng, 2, 7, 6, 3), f32(rng, 3, 3, 3, 2)
    explicit = [[0, 0], [1, 2], [0, 1], [0, 0]]
    # The filter is named f: the output weights are saved as <case>.w.npy.
    case("depthwise_same_strided", ["{nn.depthwise_conv2d: {inputs: [x, f], strides: [1, 2, 2, 1], padding: same}}"],
         {"x": img, "f": dw}, lambda t, _: tf.nn.depthwise_conv2d(t["x"], t["f"], [1, 2, 2, 1], "SAME"))
    case("depthwise_explicit_dilated", ["{nn.depthwise_conv2d: {inputs: [x, f], explicit_paddings: %s, dilations: [2, 1]}}" % explicit],
         {"x": img, "f": dw}, lambda t, _: tf.nn.depthwise_conv2d(t["x"], t["f"], [1, 1, 1, 1], explicit, dilations=[2, 1]))
    case("max_pool_explicit", ["{nn.max_pool2d: {ksize: 3, strides: 1, explicit_paddings: %s}}" % explicit], {"x": img},
         lambda t, _: tf.nn.max_pool2d(t["x"], 3, 1, explicit))
    case("nn_batch_normalization", ["{nn.batch_normalization: {inputs: [x, mean, variance, offset, scale], variance_epsilon: 0.001}}"],
         {"x": img, "mean": f32(rng, 3), "variance": np.abs(f32(rng, 3)) + 0.5, "offset": f32(rng, 3), "scale": f32(rng, 3)},
         lambda t, _: tf.nn.batch_normalization(t["x"], t["mean"], t["variance"], t["offset"], t["scale"], 0.001))
    small = f32(rng, 2, 5, 4, 3)
    for method, tf_method in [("bilinear", tf.image.ResizeMethod.BILINEAR), ("nearest", tf.image.ResizeMethod.NEAREST_NEIGHBOR)]:
        for size in [[8, 7], [3, 2]]:
            tag = f"{method}_{size[0]}x{size[1]}"
            case(f"resize_v1_{tag}", ["{image.resize: {size: %s, method: %s}}" % (size, method)], {"x": small},
                 lambda t, _, size=size, m=tf_method: tf.compat.v1.image.resize(t["x"], size, method=m))
            case(f"resize_v1_aligned_{tag}", ["{image.resize: {size: %s, method: %s, align_corners: true}}" % (size, method)],
                 {"x": small}, lambda t, _, size=size, m=tf_method: tf.compat.v1.image.resize(t["x"], size, method=m, align_corners=True))
            case(f"resize_v2_{tag}", ["{image.resize: {size: %s, method: %s, half_pixel_centers: true}}" % (size, method)],
                 {"x": small}, lambda t, _, size=size, method=method: tf.image.resize(t["x"], size, method=method))


def layer_cases():
    rng = np.random.default_rng(42)
    x = f32(rng, 3, 5)
    kernel, bias = f32(rng, 5, 4, scale=0.5), f32(rng, 4, scale=0.5)

    def dense(t, v):
        return tf.nn.relu(tf.matmul(t["x"], v[0]) + v[1])
    case("dense_relu", ["{scope: model, do: [{dense: {units: 4, activation: relu}}]}"], {"x": x}, dense,
         [("model/dense/kernel", kernel), ("model/dense/bias", bias)])
    img = f32(rng, 2, 6, 5, 3)
    ck, cb = f32(rng, 3, 3, 3, 4, scale=0.3), f32(rng, 4, scale=0.3)

    def conv(t, v):
        return tf.tanh(tf.nn.conv2d(t["x"], v[0], strides=2, padding="SAME") + v[1])
    case("conv2d_same_stride2_tanh",
         ["{scope: model, do: [{conv2d: {filters: 4, kernel_size: 3, strides: 2, padding: same, activation: tanh}}]}"],
         {"x": img}, conv, [("model/conv2d/kernel", ck), ("model/conv2d/bias", cb)])
    dk = f32(rng, 2, 2, 3, 2, scale=0.3)

    def dilated(t, v):
        return tf.nn.conv2d(t["x"], v[0], strides=1, padding="VALID", dilations=2)
    case("conv2d_dilated_no_bias",
         ["{scope: model, do: [{conv2d: {filters: 2, kernel_size: 2, dilation_rate: 2, use_bias: false}}]}"],
         {"x": img}, dilated, [("model/conv2d/kernel", dk)])
    gamma, beta = f32(rng, 3, scale=0.3, shift=1.0), f32(rng, 3, scale=0.3)
    for rank_name, shape in [("rank4", (2, 3, 4, 3)), ("rank2", (6, 3))]:
        bx = f32(rng, *shape, scale=2.0, shift=0.5)

        def bn_math(t, v):
            axes = list(range(len(shape) - 1))
            mean, var = tf.nn.moments(t["x"], axes=axes)
            return tf.nn.batch_normalization(t["x"], mean, var, v[1], v[0], 0.001)
        case(f"batch_normalization_training_{rank_name}",
             ["{scope: model, do: [{batch_normalization: {training: true}}]}"], {"x": bx}, bn_math,
             [("model/batch_normalization/gamma", gamma), ("model/batch_normalization/beta", beta)], training=True)
    px = f32(rng, 2, 5, 5, 3)
    case("max_pooling_same", ["{max_pooling2d: {pool_size: 3, strides: 2, padding: same}}"], {"x": px},
         lambda t, _: tf.nn.max_pool2d(t["x"], 3, 2, "SAME"))
    case("average_pooling_same", ["{average_pooling2d: {pool_size: 3, strides: 2, padding: same}}"], {"x": px},
         lambda t, _: tf.nn.avg_pool2d(t["x"], 3, 2, "SAME"))
    case("flatten_dense", ["{scope: model, do: [flatten, {dense: {units: 2}}]}"], {"x": px},
         lambda t, v: tf.matmul(tf.reshape(t["x"], [2, -1]), v[0]) + v[1],
         [("model/dense/kernel", f32(rng, 75, 2, scale=0.2)), ("model/dense/bias", f32(rng, 2))])


R = tf.compat.v1.losses.Reduction
REDUCTIONS = {"none": R.NONE, "sum": R.SUM, "mean": R.MEAN, "sum_over_batch_size": R.SUM_OVER_BATCH_SIZE,
              "sum_by_nonzero_weights": R.SUM_BY_NONZERO_WEIGHTS}


def loss_cases():
    """tf.compat.v1.losses with weights and each reduction: the value, and tf.GradientTape's gradient
    of sum(value * w) with respect to the logits (predictions) and, where TensorFlow has one, the labels."""
    rng = np.random.default_rng(43)
    losses = tf.compat.v1.losses
    cases = []

    def add(name, kind, labels, logits, fn, weights=None, reduction="sum_by_nonzero_weights", smoothing=0.0):
        lt, xt = tf.constant(labels), tf.constant(logits)
        kwargs = {"reduction": REDUCTIONS[reduction]}
        if weights is not None:
            kwargs["weights"] = tf.constant(weights)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xt)
            if labels.dtype == np.float32:
                tape.watch(lt)
            value = fn(lt, xt, smoothing, kwargs)
            w = (0.5 + np.arange(int(np.prod(value.shape))).reshape(value.shape) % 7 / 7.0).astype(np.float32)
            total = tf.reduce_sum(value * w)
        g_logits = tape.gradient(total, xt)
        g_labels = tape.gradient(total, lt) if labels.dtype == np.float32 else None
        cases.append({"name": name, "loss": kind, "reduction": reduction, "label_smoothing": smoothing,
                      "labels": {"shape": list(labels.shape), "values": labels.ravel().tolist()},
                      "logits": {"shape": list(logits.shape), "values": logits.ravel().tolist()},
                      "weights": None if weights is None else {"shape": list(np.shape(weights)),
                                                               "values": np.ravel(weights).tolist()},
                      "value": {"shape": list(value.shape), "values": value.numpy().ravel().tolist()},
                      "w": w.ravel().tolist(),
                      "logits_gradient": g_logits.numpy().ravel().tolist(),
                      "labels_gradient": None if g_labels is None else g_labels.numpy().ravel().tolist()})

    sparse = lambda l, x, s, k: losses.sparse_softmax_cross_entropy(l, x, **k)
    dense = lambda l, x, s, k: losses.softmax_cross_entropy(l, x, label_smoothing=s, **k)
    sigmoid = lambda l, x, s, k: losses.sigmoid_cross_entropy(l, x, label_smoothing=s, **k)
    mse = lambda l, x, s, k: losses.mean_squared_error(l, x, **k)
    logits = f32(rng, 5, 4, scale=2.0)
    ids = np.array([0, 3, 1, 1, 2], dtype=np.int32)
    example_weights = np.array([1.0, 0.0, 2.0, 0.5, 0.0], dtype=np.float32)
    for reduction in REDUCTIONS:
        add(f"sparse_softmax_{reduction}", "sparse_softmax_cross_entropy", ids, logits, sparse, example_weights, reduction)
    add("sparse_softmax_default", "sparse_softmax_cross_entropy", ids, logits, sparse)
    onehot = np.eye(4, dtype=np.float32)[ids]
    add("softmax_onehot_default", "softmax_cross_entropy", onehot, logits, dense)
    add("softmax_smoothing_weighted", "softmax_cross_entropy", onehot, logits, dense, example_weights, "mean", 0.1)
    soft = np.abs(f32(rng, 5, 4))  # not normalized: TensorFlow's gradients differ from the naive ones
    add("softmax_soft_labels_sum", "softmax_cross_entropy", soft, logits, dense, None, "sum")
    bits = (rng.uniform(size=(3, 4)) > 0.5).astype(np.float32)
    xs = f32(rng, 3, 4, scale=3.0)
    add("sigmoid_default", "sigmoid_cross_entropy", bits, xs, sigmoid)
    add("sigmoid_smoothing_row_weights", "sigmoid_cross_entropy", bits, xs, sigmoid,
        np.array([[1.0], [0.0], [3.0]], dtype=np.float32), "sum_by_nonzero_weights", 0.2)
    add("sigmoid_none", "sigmoid_cross_entropy", np.abs(f32(rng, 3, 4)) % 1, xs, sigmoid, None, "none")
    targets = f32(rng, 3, 4)
    add("mse_default", "mean_squared_error", targets, xs, mse)
    for reduction in ("sum", "mean", "sum_over_batch_size"):
        add(f"mse_{reduction}_weighted", "mean_squared_error", targets, xs, mse,
            np.array([[1.0], [0.0], [2.0]], dtype=np.float32), reduction)
    write_json(os.path.join(OUT, "losses.json"), {"cases": cases})
    print(f"  {len(cases)} loss cases")


def main():
    global OUT
    OUT = golden_dir("gradients")
    shutil.rmtree(OUT)
    os.makedirs(OUT)
    CASES.clear()
    operation_cases()
    slicing_and_nn_cases()
    layer_cases()
    loss_cases()
    write_json(os.path.join(OUT, "cases.json"), {"cases": CASES})
    print(f"  {len(CASES)} cases")
