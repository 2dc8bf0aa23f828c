"""Goldens for loss weights written in a spec (Tests/Goldens/loss_weights/cases.json).

A loss step takes its weights as an optional third operand, as the TF1 functions
take `weights=`: a value of the spec (per example, per element, or broadcast) or a
number written in place. Each case is a spec of one loss step; TensorFlow computes
`tf.compat.v1.losses.<loss>(labels, logits, weights=..., reduction=...)`, and
tf.GradientTape's gradient of sum(value · w) with respect to the logits and the
weights (when they are an input). Refused cases are weights shapes TensorFlow
refuses (its error is recorded); the checker must refuse them too.
"""
import os

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json

AREA = "loss_weights"
losses = tf.compat.v1.losses
R = losses.Reduction
REDUCTIONS = {"none": R.NONE, "sum": R.SUM, "mean": R.MEAN, "sum_over_batch_size": R.SUM_OVER_BATCH_SIZE,
              "sum_by_nonzero_weights": R.SUM_BY_NONZERO_WEIGHTS}
ROLES = {"sparse_softmax_cross_entropy": ("labels", "logits"), "softmax_cross_entropy": ("onehot_labels", "logits"),
         "sigmoid_cross_entropy": ("multi_class_labels", "logits"), "mean_squared_error": ("labels", "predictions")}


def values(array):
    array = np.asarray(array)
    return {"shape": list(array.shape), "values": array.ravel().tolist()}


def spec(loss, weights_operand, reduction, inputs, smoothing=None):
    lines = ["spec: 1", "model: WeightedLoss", "inputs:"]
    for name, array in inputs.items():
        dims = ", ".join(str(d) for d in array.shape)
        lines.append(f"  {name}: {{shape: [{dims}], dtype: int32}}" if array.dtype == np.int32 else f"  {name}: [{dims}]")
    operands = "[labels, logits" + (f", {weights_operand}" if weights_operand is not None else "") + "]"
    extra = f", label_smoothing: {smoothing}" if smoothing else ""
    lines += ["forward:", f"  - {loss}: {{inputs: {operands}, reduction: {reduction}{extra}}}"]
    return "\n".join(lines) + "\n"


def call(loss, labels, logits, weights, reduction, smoothing):
    kwargs = {"reduction": REDUCTIONS[reduction]}
    if weights is not None:
        kwargs["weights"] = weights
    if smoothing:
        kwargs["label_smoothing"] = smoothing
    return getattr(losses, loss)(labels, logits, **kwargs)


def main():
    out = golden_dir(AREA)
    rng = np.random.default_rng(1130)
    logits = rng.normal(size=(4, 3)).astype(np.float32) * 2
    ids = np.array([2, 0, 1, 1], dtype=np.int32)
    onehot = np.eye(3, dtype=np.float32)[ids]
    bits = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float32)
    targets = rng.normal(size=(4, 3)).astype(np.float32)
    labels_of = {"sparse_softmax_cross_entropy": ids, "softmax_cross_entropy": onehot,
                 "sigmoid_cross_entropy": bits, "mean_squared_error": targets}
    per_example = np.array([1.0, 0.0, 2.5, 0.5], dtype=np.float32)
    column = per_example.reshape(4, 1)
    per_element = rng.uniform(0, 2, size=(4, 3)).astype(np.float32)
    per_element[1, 2] = 0
    # (loss, weights: None | a number written in the spec | an input array, reduction, label_smoothing)
    plan = [
        ("sparse_softmax_cross_entropy", per_example, "sum_by_nonzero_weights", None),
        ("sparse_softmax_cross_entropy", column, "mean", None),  # [4, 1]: TensorFlow drops the 1
        ("sparse_softmax_cross_entropy", 0.5, "sum_over_batch_size", None),
        ("sparse_softmax_cross_entropy", per_example, "none", None),
        ("softmax_cross_entropy", per_example, "mean", 0.1),
        ("softmax_cross_entropy", 2.0, "sum", None),
        ("sigmoid_cross_entropy", per_element, "sum_by_nonzero_weights", 0.2),
        ("sigmoid_cross_entropy", column, "none", None),
        ("mean_squared_error", column, "mean", None),
        ("mean_squared_error", per_element, "sum", None),
        ("mean_squared_error", np.array([[1.0, 0.0, 3.0]], dtype=np.float32), "sum_by_nonzero_weights", None),
        ("mean_squared_error", 3.0, "sum_by_nonzero_weights", None),
    ]
    cases = []
    for k, (loss, weights, reduction, smoothing) in enumerate(plan):
        labels = labels_of[loss]
        inputs = {"labels": labels, "logits": logits}
        literal = isinstance(weights, float)
        if not literal:
            inputs["weights"] = weights
        lt, xt = tf.constant(labels), tf.constant(logits)
        wt = tf.constant(weights, dtype=tf.float32)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xt)
            tape.watch(wt)
            value = call(loss, lt, xt, wt, reduction, smoothing)
            w = (0.5 + np.arange(int(np.prod(value.shape))).reshape(value.shape) % 5 / 5.0).astype(np.float32)
            total = tf.reduce_sum(value * w)
        g_logits = tape.gradient(total, xt)
        g_weights = tape.gradient(total, wt)
        name = f"{loss}_{reduction}_{k}"
        cases.append({"name": name, "spec": spec(loss, str(weights) if literal else ("weights" if weights is not None else None),
                                                  reduction, inputs, smoothing),
                      "inputs": [{"name": n, "dtype": "int32" if a.dtype == np.int32 else "float32", **values(a)}
                                 for n, a in inputs.items()],
                      "value": values(value.numpy()), "w": w.ravel().tolist(),
                      "logits_gradient": values(g_logits.numpy()),
                      "weights_gradient": None if literal else values(g_weights.numpy())})
    refused = []
    for loss, shape in [("mean_squared_error", (4,)), ("sigmoid_cross_entropy", (3,)),
                        ("sparse_softmax_cross_entropy", (3,)), ("softmax_cross_entropy", (4, 1))]:
        weights = np.ones(shape, dtype=np.float32)
        try:
            call(loss, tf.constant(labels_of[loss]), tf.constant(logits), tf.constant(weights), "sum", None)
            raise AssertionError(f"TensorFlow took weights {shape} for {loss}")
        except ValueError as error:
            message = str(error).splitlines()[0]
        inputs = {"labels": labels_of[loss], "logits": logits, "weights": weights}
        refused.append({"name": f"{loss}_weights_{'x'.join(map(str, shape))}", "spec": spec(loss, "weights", "sum", inputs),
                        "tensorflow": message})
    write_json(os.path.join(out, "cases.json"), {"tensorflow": tf.__version__, "cases": cases, "refused": refused})
    print(f"  {len(cases)} weighted loss steps, {len(refused)} refused weights shapes")
