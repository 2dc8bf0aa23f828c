#!/usr/bin/env python3
"""TensorFlow's side of the benchmarks (docs/performance.md).

The same models as specs/BenchMLP.yaml, BenchCNNSmall.yaml, BenchCNNBN.yaml,
BenchLSTM.yaml and CompatV1LayerModel.yaml, written as TF1-style code (variable_scope,
tf.compat.v1.layers) inside a layer decorated with track_tf1_style_variables,
called through tf.function, on one thread (intra- and inter-op parallelism 1).
Independent of the oracle: nothing here reads ModelSpec's specs or goldens.

    TF_USE_LEGACY_KERAS=1 python Benchmarks/tf_bench.py [--models mlp,cnn_bn] [--batches 1,16,256] [--seconds 1]
        times every model and batch size and prints JSON.
    python Benchmarks/tf_bench.py --serve
        answers one JSON request a line on stdin (what modelspec-bench sends, so
        that Swift and TensorFlow alternate in one run):
        {"cmd": "time", "model": "mlp", "batch": 16, "seconds": 0.3, "min_runs": 3} -> {"times": [...]}
        {"cmd": "time_train", "model": "mlp", "batch": 32, ...} -> {"times": [...]}: a training step
            (forward with training=True, sparse softmax cross-entropy, tf.GradientTape's gradients,
            tf.compat.v1.train.AdamOptimizer(1e-3).apply_gradients) as one tf.function
        {"cmd": "info"} -> {"tf_version": ..., "intra_op_threads": 1, ...}
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import bench_server  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

v1 = tf.compat.v1


def mlp(x, training):
    with v1.variable_scope("model"):
        x = v1.layers.dense(x, 512, activation=tf.nn.relu)
        x = v1.layers.dense(x, 512, activation=tf.nn.relu)
        return v1.layers.dense(x, 10)


def cnn_small(x, training):
    with v1.variable_scope("model"):
        x = v1.layers.conv2d(x, 32, 3, padding="same", activation=tf.nn.relu)
        x = v1.layers.max_pooling2d(x, 2, 2)
        x = v1.layers.conv2d(x, 64, 3, padding="same", activation=tf.nn.relu)
        x = v1.layers.max_pooling2d(x, 2, 2)
        x = v1.layers.flatten(x)
        x = v1.layers.dense(x, 128, activation=tf.nn.relu)
        return v1.layers.dense(x, 10)


def cnn_bn(x, training):
    with v1.variable_scope("model"):
        for _ in range(3):
            x = v1.layers.conv2d(x, 64, 3, padding="same", use_bias=False)
            x = v1.layers.batch_normalization(x, training=training)
            x = tf.nn.relu(x)
        x = tf.reduce_mean(x, axis=[1, 2])
        return v1.layers.dense(x, 10)


def compat_v1_layer(x, training):
    with v1.variable_scope("model"):
        x = v1.layers.conv2d(x, 3, 3, kernel_regularizer=tf.keras.regularizers.l2(0.01))
        x = v1.layers.flatten(x)
        return v1.layers.dense(x, 10, kernel_regularizer=tf.keras.regularizers.l2(0.01))


def lstm(x, training):
    cell = v1.nn.rnn_cell.MultiRNNCell([v1.nn.rnn_cell.LSTMCell(256), v1.nn.rnn_cell.LSTMCell(256)])
    outputs, _ = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    return outputs


# The logits of a training step, for a model whose output is not: the LSTM's top cell's last
# output (its final h, 256 classes), so the step backpropagates through all 50 steps of both cells.
TRAINING_LOGITS = {"lstm": lambda outputs: outputs[:, -1, :]}


MODELS = {
    "mlp": (mlp, lambda b: [b, 784]),
    "cnn_small": (cnn_small, lambda b: [b, 28, 28, 1]),
    "cnn_bn": (cnn_bn, lambda b: [b, 32, 32, 3]),
    "compat_v1_layer": (compat_v1_layer, lambda b: [b, 5, 5, 5]),
    "lstm": (lstm, lambda b: [b, 50, 256]),
}


class ShimModel(tf.keras.layers.Layer):
    """A Keras layer running TF1-style code, as the migration guide writes it."""

    def __init__(self, body, **kwargs):
        super().__init__(**kwargs)
        self.body = body

    @v1.keras.utils.track_tf1_style_variables
    def call(self, inputs, training=False):
        return self.body(inputs, training)


_functions = {}


def function_for(model, batch):
    """The tf.function of one model instance per (model, batch), built by a first call."""
    key = (model, batch)
    if key not in _functions:
        body, shape = MODELS[model]
        layer = ShimModel(body)
        x = tf.constant(np.random.default_rng(0x5EED).uniform(-1, 1, shape(batch)).astype(np.float32))
        layer(x, training=False)  # creates the variables eagerly

        @tf.function
        def infer(inputs):
            return layer(inputs, training=False)

        infer(x)  # traces
        _functions[key] = (infer, x)
    return _functions[key]


_training_steps = {}


def training_step_for(model, batch):
    """The tf.function training step of one model instance per (model, batch): labels of fixed
    classes, TF1's Adam, batch norm's moving statistics updated by the training-mode call."""
    key = (model, batch)
    if key not in _training_steps:
        body, shape = MODELS[model]
        layer = ShimModel(body)
        x = tf.constant(np.random.default_rng(0x5EED).uniform(-1, 1, shape(batch)).astype(np.float32))
        labels = tf.constant(np.random.default_rng(0x1AB).integers(0, 10, batch).astype(np.int32))
        layer(x, training=False)  # creates the variables eagerly
        optimizer = v1.train.AdamOptimizer(1e-3)

        @tf.function
        def train(inputs, targets):
            with tf.GradientTape() as tape:
                logits = TRAINING_LOGITS.get(model, lambda y: y)(layer(inputs, training=True))
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))
            variables = layer.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss

        train(x, labels)  # traces, makes the slots
        _training_steps[key] = (lambda: train(x, labels))
    return _training_steps[key]


def time_runs(model, batch, seconds, min_runs, training=False):
    if training:
        run = training_step_for(model, batch)
    else:
        infer, x = function_for(model, batch)
        run = lambda: infer(x)  # noqa: E731
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return times


def info():
    return {
        "tf_version": tf.__version__,
        "intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op_threads": tf.config.threading.get_inter_op_parallelism_threads(),
        "legacy_keras": os.environ.get("TF_USE_LEGACY_KERAS"),
    }


def serve():
    bench_server.serve({
        "info": lambda request: info(),
        "time": lambda request: {"times": time_runs(request["model"], int(request["batch"]),
                                                    float(request.get("seconds", 0.3)),
                                                    int(request.get("min_runs", 3)))},
        "time_train": lambda request: {"times": time_runs(request["model"], int(request["batch"]),
                                                          float(request.get("seconds", 0.3)),
                                                          int(request.get("min_runs", 3)), training=True)},
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--batches", default="1,16,256")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--min-runs", type=int, default=5)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    results = []
    for model in args.models.split(","):
        for batch in (int(b) for b in args.batches.split(",")):
            times = time_runs(model, batch, args.seconds, args.min_runs)
            median = float(np.median(times))
            results.append({"model": model, "batch": batch, "median_ms": median * 1e3,
                            "samples_per_s": batch / median, "runs": len(times)})
    print(json.dumps({**info(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
