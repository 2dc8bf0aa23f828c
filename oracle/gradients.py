"""Goldens for gradients (Tests/Goldens/gradients/).

Each case is spec steps (and `layers:` entries) beside the TensorFlow calls they
stand for, with inputs and (for layers) variable values; tf.GradientTape records
the call and gives the gradient of sum(y * w), w a fixed weight per output
element, with respect to every input and trainable variable. Operations run
eagerly (`case`); layers (`layer_case`) are TensorFlow's own layers -- the
compat-v1 functions and objects, Keras layers, TF-Slim -- built in a graph in
`variable_scope("model")`, their variables set from a seeded generator, the
tape's gradients run in a session. cases.json lists the steps, the training
flag, the input, weight, variable and gradient files (a variable whose gradient
is null is not trainable: loaded, not differentiated). Files are
`<case>.weights.npy`, `<case>.input.<name>[.grad].npy` and
`<case>.variable.<name>[.grad].npy`, so no input or variable name can overwrite
another file. The Swift tests (Tests/ModelSpecInterpreterTests/
GradientGoldenTests.swift) run the same spec through the interpreter under a
GradientTape, the variables loaded by name, and compare the gradients within
1e-4 absolute or relative; they also fail for a declared operation or layer
kind, or an activation, that no case here uses.
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


def entry(name, steps, training, w, layers=None):
    e = {"name": name, "steps": steps, "training": training, "weights": save(f"{name}.weights.npy", w),
         "inputs": [], "variables": []}
    if layers:
        e["layers"] = layers
    return e


def add_input(e, key, value, gradient):
    prefix = f"{e['name']}.input.{key}"
    e["inputs"].append({"name": key, "file": save(f"{prefix}.npy", value),
                        "gradient": save(f"{prefix}.grad.npy", gradient) if gradient is not None else None})


def add_variable(e, var_name, value, gradient):
    prefix = f"{e['name']}.variable.{var_name.replace('/', '_')}"
    e["variables"].append({"name": var_name, "file": save(f"{prefix}.npy", value),
                           "gradient": save(f"{prefix}.grad.npy", gradient) if gradient is not None else None})


def output_weights(shape):
    return (0.5 + np.arange(int(np.prod(shape))).reshape(shape) % 7 / 7.0).astype(np.float32)


def taped(xs, fn):
    """fn() under a persistent tape watching the tensors xs: the tape, the output's weights, Σ y·w."""
    with tf.GradientTape(persistent=True) as tape:
        for t in xs.values():
            tape.watch(t)
        y = fn()
        w = output_weights(y.shape)
        loss = tf.reduce_sum(y * w)
    return tape, w, loss


def case(name, steps, inputs, fn, variables=(), training=False):
    """inputs: name -> array; variables: (spec variable name, array) in the order fn takes them;
    fn(inputs as tensors by name, tf.Variables) -> the output."""
    xs = {k: tf.constant(v) for k, v in inputs.items()}
    vs = [tf.Variable(v) for _, v in variables]
    tape, w, loss = taped(xs, lambda: fn(xs, vs))
    e = entry(name, steps, training, w)
    for key, t in xs.items():
        g = tape.gradient(loss, t)
        g = tf.convert_to_tensor(g) if g is not None else None  # gather's IndexedSlices, made dense
        add_input(e, key, t.numpy(), g.numpy() if g is not None else None)
    for (var_name, value), v in zip(variables, vs):
        add_variable(e, var_name, value, tape.gradient(loss, v).numpy())
    CASES.append(e)


def layer_case(name, steps, inputs, build, layers=None, training=False, seed=0, rename=lambda n: n):
    """TensorFlow's layers in a graph: build(inputs as tensors by name, training) -> the output,
    its variables made in it (in variable_scope("model") when the spec's steps are in `scope: model`).
    Every variable gets seeded values (moving variances positive); `rename` maps TensorFlow's
    variable name to the spec's (a Keras layer in `layers:` is named by its attribute)."""
    rng = np.random.default_rng(seed)
    with tf.Graph().as_default():
        xs = {k: tf.constant(v) for k, v in inputs.items()}
        tape, w, loss = taped(xs, lambda: build(xs, training))
        variables = tf.compat.v1.global_variables()
        trainable = set(id(v) for v in tf.compat.v1.trainable_variables())
        grad_x = tape.gradient(loss, list(xs.values()))
        # An embedding's IndexedSlices, made dense.
        grad_v = [tf.convert_to_tensor(tape.gradient(loss, v)) if id(v) in trainable else None for v in variables]
        with tf.compat.v1.Session() as session:
            values = []
            for v in variables:
                shape = v.shape.as_list()
                if "moving_variance" in v.name:
                    value = rng.uniform(0.5, 2.0, shape)
                elif "gamma" in v.name:
                    value = 1 + rng.standard_normal(shape) * 0.3
                else:
                    value = rng.standard_normal(shape) * 0.5
                values.append(value.astype(np.float32))
                v.load(values[-1], session)
            got_x, got_v = session.run([[g for g in grad_x if g is not None], [g for g in grad_v if g is not None]])
    e = entry(name, steps, training, w, layers)
    got_x = iter(got_x)
    for (key, value), g in zip(inputs.items(), grad_x):
        add_input(e, key, value, next(got_x) if g is not None else None)
    got_v = iter(got_v)
    for v, value, g in zip(variables, values, grad_v):
        add_variable(e, rename(v.name.split(":")[0]), value, next(got_v) if g is not None else None)
    CASES.append(e)


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


v1 = tf.compat.v1


def scoped(step):
    """The spec step inside `scope: model`, as the graph's layers are in variable_scope("model")."""
    return ["{scope: model, do: [%s]}" % step]


def in_model(fn):
    def build(t, training):
        with v1.variable_scope("model"):
            return fn(t, training)
    return build


def keras_layer(n):
    """A Keras layer held as `layer` in the spec's `layers:`: its weights are named by that attribute."""
    return "layer/" + n.split("/", 1)[1]


def convolution_layer_cases():
    """conv1d, conv3d, conv2d_transpose, separable and depthwise convolutions: strides, dilations, both paddings."""
    rng = np.random.default_rng(44)
    layer_case("conv1d_same_strided_tanh", scoped("{conv1d: {filters: 3, kernel_size: 3, strides: 2, padding: same, activation: tanh}}"),
               {"x": f32(rng, 2, 7, 2)}, in_model(lambda t, _: v1.layers.conv1d(t["x"], 3, 3, strides=2, padding="same", activation=tf.tanh)))
    layer_case("conv3d_same_strided", scoped("{conv3d: {filters: 3, kernel_size: [3, 2, 2], strides: [2, 1, 2], padding: same}}"),
               {"x": f32(rng, 2, 5, 4, 4, 2)},
               in_model(lambda t, _: v1.layers.conv3d(t["x"], 3, (3, 2, 2), strides=(2, 1, 2), padding="same")), seed=1)
    layer_case("conv3d_dilated_valid_no_bias", scoped("{conv3d: {filters: 2, kernel_size: 2, dilation_rate: [2, 1, 2], use_bias: false, activation: sigmoid}}"),
               {"x": f32(rng, 1, 4, 3, 5, 2)},
               in_model(lambda t, _: v1.layers.conv3d(t["x"], 2, 2, dilation_rate=(2, 1, 2), use_bias=False, activation=tf.sigmoid)), seed=2)
    layer_case("conv2d_transpose_valid", scoped("{conv2d_transpose: {filters: 3, kernel_size: 3}}"),
               {"x": f32(rng, 2, 3, 4, 2)}, in_model(lambda t, _: v1.layers.conv2d_transpose(t["x"], 3, 3)), seed=3)
    layer_case("conv2d_transpose_same_strided", scoped("{conv2d_transpose: {filters: 2, kernel_size: [3, 2], strides: [2, 3], padding: same, activation: tanh}}"),
               {"x": f32(rng, 2, 3, 3, 3)},
               in_model(lambda t, _: v1.layers.conv2d_transpose(t["x"], 2, (3, 2), strides=(2, 3), padding="same", activation=tf.tanh)), seed=4)
    layer_case("conv2d_transpose_valid_kernel_below_stride", scoped("{conv2d_transpose: {filters: 2, kernel_size: 1, strides: [2, 3]}}"),
               {"x": f32(rng, 1, 3, 2, 2)}, in_model(lambda t, _: v1.layers.conv2d_transpose(t["x"], 2, 1, strides=(2, 3))), seed=5)
    layer_case("conv2d_transpose_keras_dilated", ["layer"], {"x": f32(rng, 2, 4, 4, 2)},
               lambda t, _: tf.keras.layers.Conv2DTranspose(2, 3, dilation_rate=2, padding="same")(t["x"]),
               layers={"layer": "{Conv2DTranspose: {filters: 2, kernel_size: 3, dilation_rate: 2, padding: same}}"},
               seed=6, rename=keras_layer)
    layer_case("separable_conv2d_same_strided", scoped("{separable_conv2d: {filters: 3, kernel_size: 3, depth_multiplier: 2, strides: 2, padding: same, activation: elu}}"),
               {"x": f32(rng, 2, 6, 5, 2)},
               in_model(lambda t, _: v1.layers.separable_conv2d(t["x"], 3, 3, depth_multiplier=2, strides=2, padding="same", activation=tf.nn.elu)), seed=7)
    layer_case("separable_conv2d_object_dilated_no_bias", ["{scope: model, do: [sep]}"], {"x": f32(rng, 2, 6, 6, 3)},
               in_model(lambda t, _: v1.layers.SeparableConv2D(2, 2, dilation_rate=2, use_bias=False)(t["x"])),
               layers={"sep": "{v1.SeparableConv2D: {filters: 2, kernel_size: 2, dilation_rate: 2, use_bias: false}}"}, seed=8)
    layer_case("separable_conv2d_keras_valid_strided", ["layer"], {"x": f32(rng, 2, 7, 6, 2)},
               lambda t, _: tf.keras.layers.SeparableConv2D(3, [3, 2], strides=[2, 1], depth_multiplier=3, activation="gelu")(t["x"]),
               layers={"layer": "{SeparableConv2D: {filters: 3, kernel_size: [3, 2], strides: [2, 1], depth_multiplier: 3, activation: gelu}}"},
               seed=17, rename=keras_layer)
    layer_case("depthwise_conv2d_keras_same_strided", ["layer"], {"x": f32(rng, 2, 7, 6, 3)},
               lambda t, _: tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding="same")(t["x"]),
               layers={"layer": "{DepthwiseConv2D: {kernel_size: 3, depth_multiplier: 2, strides: 2, padding: same}}"},
               seed=9, rename=keras_layer)
    layer_case("depthwise_conv2d_keras_dilated_no_bias", ["layer"], {"x": f32(rng, 2, 6, 6, 2)},
               lambda t, _: tf.keras.layers.DepthwiseConv2D([2, 3], dilation_rate=2, use_bias=False, activation="softsign")(t["x"]),
               layers={"layer": "{DepthwiseConv2D: {kernel_size: [2, 3], dilation_rate: 2, use_bias: false, activation: softsign}}"},
               seed=10, rename=keras_layer)


def normalization_and_other_layer_cases():
    """Batch normalization (fused, axis 1, inference, Keras), layer normalization, dropout in inference,
    the Keras embedding (no gradient to its ids), and every activation as a layer's `activation:`."""
    rng = np.random.default_rng(45)
    layer_case("batch_normalization_fused_training", scoped("{batch_normalization: {fused: true, training: true}}"),
               {"x": f32(rng, 3, 3, 2, 2, scale=2.0, shift=0.5)},
               in_model(lambda t, _: v1.layers.batch_normalization(t["x"], fused=True, training=True)), training=True, seed=11)
    layer_case("batch_normalization_axis1_training", scoped("{batch_normalization: {axis: 1, training: true}}"),
               {"x": f32(rng, 3, 2, 4, scale=2.0)},
               in_model(lambda t, _: v1.layers.batch_normalization(t["x"], axis=1, training=True)), training=True, seed=12)
    layer_case("batch_normalization_inference", scoped("{batch_normalization: {epsilon: 0.01}}"), {"x": f32(rng, 2, 3, 3, 2)},
               in_model(lambda t, _: v1.layers.batch_normalization(t["x"], epsilon=0.01, training=False)), seed=13)
    layer_case("batch_normalization_keras_training", ["layer"], {"x": f32(rng, 4, 3, scale=1.5)},
               lambda t, training: tf.keras.layers.BatchNormalization(momentum=0.9)(t["x"], training=training),
               layers={"layer": "{BatchNormalization: {momentum: 0.9}}"}, training=True, seed=14, rename=keras_layer)
    layer_case("layer_normalization_keras_axes", ["layer"], {"x": f32(rng, 2, 3, 4)},
               lambda t, _: tf.keras.layers.LayerNormalization(axis=[1, 2])(t["x"]),
               layers={"layer": "{LayerNormalization: {axis: [1, 2]}}"}, seed=15, rename=keras_layer)
    layer_case("dropout_inference", scoped("{dropout: {rate: 0.5}}"), {"x": f32(rng, 3, 4)},
               in_model(lambda t, _: v1.layers.dropout(t["x"], 0.5)))
    ids = np.array([[4, 0, 2], [1, 4, 4]], dtype=np.float32)
    layer_case("embedding_keras", ["layer"], {"ids": ids},
               lambda t, _: tf.keras.layers.Embedding(5, 3)(t["ids"]),
               layers={"layer": "{Embedding: {input_dim: 5, output_dim: 3}}"}, seed=16, rename=keras_layer)
    activations = {"linear": None, "relu": tf.nn.relu, "relu6": tf.nn.relu6, "elu": tf.nn.elu, "tanh": tf.tanh,
                   "sigmoid": tf.sigmoid, "softmax": tf.nn.softmax, "leaky_relu": tf.nn.leaky_relu,
                   "softplus": tf.nn.softplus, "softsign": tf.nn.softsign, "selu": tf.nn.selu, "swish": tf.nn.silu,
                   "gelu": tf.nn.gelu}
    x = f32(rng, 3, 4, scale=1.5)
    for k, (name, fn) in enumerate(activations.items()):
        layer_case(f"dense_activation_{name}", scoped("{dense: {units: 3, activation: %s}}" % name), {"x": x},
                   in_model(lambda t, _, fn=fn: v1.layers.dense(t["x"], 3, activation=fn)), seed=20 + k)


def slim_layer_cases():
    """TF-Slim's layers (tf-slim 1.1.0, with the shims of oracle/slim.py), Slim's defaults (ReLU, SAME)."""
    import slim as _  # noqa: F401  registers the tf-slim shims
    import tf_slim
    rng = np.random.default_rng(46)

    def slim_case(name, step, x, fn, training=False, seed=0):
        layer_case(name, scoped(step), {"x": x}, in_model(lambda t, _: fn(t["x"])), training=training, seed=seed)

    slim_case("slim_conv2d_batch_norm_training",
              "{slim.conv2d: {num_outputs: 3, kernel_size: [3, 3], stride: 2, normalizer_fn: batch_norm, normalizer_params: {scale: true}}}",
              f32(rng, 3, 5, 5, 2),
              lambda x: tf_slim.conv2d(x, 3, [3, 3], stride=2, normalizer_fn=tf_slim.batch_norm, normalizer_params={"scale": True}),
              training=True, seed=30)
    layer_case("slim_pooling_flatten_dropout_fully_connected",
               ["{scope: model, do: [{slim.conv2d: {num_outputs: 2, kernel_size: [2, 2], rate: 2, activation_fn: tanh}}, "
                "{slim.max_pool2d: {kernel_size: [2, 2]}}, {slim.avg_pool2d: {kernel_size: [2, 2], stride: 1, padding: SAME}}, "
                "slim.flatten, {slim.dropout: {keep_prob: 0.5, is_training: false}}, "
                "{slim.fully_connected: {num_outputs: 3, activation_fn: null}}]}"],
               {"x": f32(rng, 2, 6, 6, 2)},
               in_model(lambda t, _: tf_slim.fully_connected(tf_slim.dropout(tf_slim.flatten(tf_slim.avg_pool2d(
                   tf_slim.max_pool2d(tf_slim.conv2d(t["x"], 2, [2, 2], rate=2, activation_fn=tf.tanh), [2, 2]),
                   [2, 2], stride=1, padding="SAME")), 0.5, is_training=False), 3, activation_fn=None)), seed=31)
    slim_case("slim_separable_conv2d_dilated",
              "{slim.separable_conv2d: {num_outputs: 4, kernel_size: [3, 3], depth_multiplier: 2, rate: 2, activation_fn: relu6}}",
              f32(rng, 2, 6, 6, 2),
              lambda x: tf_slim.separable_conv2d(x, 4, [3, 3], depth_multiplier=2, rate=2, activation_fn=tf.nn.relu6), seed=32)
    slim_case("slim_separable_conv2d_depthwise_only",
              "{slim.separable_conv2d: {num_outputs: null, kernel_size: [3, 3], stride: 2, padding: VALID, activation_fn: sigmoid}}",
              f32(rng, 2, 7, 6, 3),
              lambda x: tf_slim.separable_conv2d(x, None, [3, 3], stride=2, padding="VALID", activation_fn=tf.sigmoid), seed=33)
    slim_case("slim_conv2d_transpose_same", "{slim.conv2d_transpose: {num_outputs: 3, kernel_size: [3, 3], stride: 2, activation_fn: tanh}}",
              f32(rng, 2, 3, 3, 2),
              lambda x: tf_slim.conv2d_transpose(x, 3, [3, 3], stride=2, activation_fn=tf.tanh), seed=34)
    slim_case("slim_conv2d_transpose_valid",
              "{slim.conv2d_transpose: {num_outputs: 2, kernel_size: [2, 3], stride: [2, 1], padding: VALID, activation_fn: null}}",
              f32(rng, 1, 3, 3, 2),
              lambda x: tf_slim.conv2d_transpose(x, 2, [2, 3], stride=[2, 1], padding="VALID", activation_fn=None), seed=35)
    slim_case("slim_batch_norm_training", "{slim.batch_norm: {scale: true}}", f32(rng, 4, 3, scale=2.0),
              lambda x: tf_slim.batch_norm(x, scale=True), training=True, seed=36)
    slim_case("slim_batch_norm_inference", "{slim.batch_norm: {scale: true, is_training: false}}", f32(rng, 2, 3, 2, 3),
              lambda x: tf_slim.batch_norm(x, scale=True, is_training=False), seed=37)
    slim_case("slim_layer_norm", "slim.layer_norm", f32(rng, 3, 2, 4), lambda x: tf_slim.layer_norm(x), seed=38)


def more_operation_cases():
    """nn.conv2d and nn.avg_pool2d on tensors; and the operations TensorFlow has no gradient for
    (comparisons, logical operations, argmax, argmin, one_hot, a cast to integers, constants)
    beside those that pass one: the inputs get gradients only through `where`'s selections and
    the products with the one-hot rows."""
    rng = np.random.default_rng(47)
    img, f = f32(rng, 2, 7, 6, 3), f32(rng, 3, 2, 3, 4)
    explicit = [[0, 0], [2, 1], [1, 0], [0, 0]]
    case("nn_conv2d_explicit_strided", ["{nn.conv2d: {inputs: [x, f], strides: [2, 1], explicit_paddings: %s}}" % explicit],
         {"x": img, "f": f}, lambda t, _: tf.nn.conv2d(t["x"], t["f"], [2, 1], explicit))
    case("nn_conv2d_same_dilated", ["{nn.conv2d: {inputs: [x, f], padding: same, dilations: [2, 1]}}"],
         {"x": img, "f": f}, lambda t, _: tf.nn.conv2d(t["x"], t["f"], 1, "SAME", dilations=[2, 1]))
    case("nn_avg_pool2d_valid", ["{nn.avg_pool2d: {ksize: [2, 3], strides: [1, 2], padding: valid}}"], {"x": img},
         lambda t, _: tf.nn.avg_pool2d(t["x"], [2, 3], [1, 2], "VALID"))
    a, b = f32(rng, 3, 4), f32(rng, 3, 4)
    b[1, 2] = a[1, 2]  # equal somewhere
    steps = ["{greater_equal: [a, b], as: ge}", "{less: [a, b], as: lt}", "{less_equal: [a, b], as: le}",
             "{equal: [a, b], as: eq}", "{not_equal: [a, b], as: ne}",
             "{logical_and: [ge, ne], as: above}", "{logical_or: [lt, eq], as: below}", "{logical_not: below, as: not_below}",
             "{logical_and: [above, not_below], as: pick}", "{where: [pick, a, b], as: high}", "{where: [le, b, a], as: other}",
             "{argmax: {input: a, axis: 1}, as: best}", "{one_hot: {input: best, depth: 4}, as: hot}",
             "{argmin: {input: b, axis: 1}, as: worst}", "{one_hot: {input: worst, depth: 4}, as: cold}",
             "{cast: {input: a, dtype: int32}, as: whole}", "{cast: {input: whole, dtype: float32}, as: truncated}",
             "{constant: {value: 0.5, shape: [3, 4]}, as: half}",
             "{multiply: [other, hot], as: p}", "{multiply: [truncated, cold], as: q}", "{add: [high, p]}", "{add: [_, q]}",
             "{add: [_, half]}"]

    def fn(t, _):
        a, b = t["a"], t["b"]
        ge, lt, le, eq, ne = a >= b, a < b, a <= b, tf.equal(a, b), tf.not_equal(a, b)
        pick = tf.logical_and(tf.logical_and(ge, ne), tf.logical_not(tf.logical_or(lt, eq)))
        high, other = tf.where(pick, a, b), tf.where(le, b, a)
        hot = tf.one_hot(tf.argmax(a, axis=1), 4)
        cold = tf.one_hot(tf.argmin(b, axis=1), 4)
        truncated = tf.cast(tf.cast(a, tf.int32), tf.float32)
        return high + other * hot + truncated * cold + tf.constant(0.5, shape=[3, 4])
    case("operations_without_gradients", steps, {"a": a, "b": b}, fn)


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
    convolution_layer_cases()
    normalization_and_other_layer_cases()
    slim_layer_cases()
    more_operation_cases()
    loss_cases()
    write_json(os.path.join(OUT, "cases.json"), {"cases": CASES})
    print(f"  {len(CASES)} cases")
