"""Goldens for training in Swift (Tests/Goldens/training/).

The model of oracle/training_checkpoints.py (TrainedTinyCNN.yaml: convolution,
batch normalization in training, ReLU, pooling, two dense layers), written as TF1
code in graph mode, trained with each tf.compat.v1.train optimizer on fixed
batches: `minimize(loss, global_step)` under `control_dependencies(UPDATE_OPS)`,
the loss `tf.compat.v1.losses.sparse_softmax_cross_entropy` plus the L2
regularization loss of the first dense kernel (`get_total_loss()`).

Writes:
    initial/model.ckpt          the model's variables before training (Saver of the model)
    train_x.npy, train_y.npy    the batches, BATCH per step, STEPS of them
    <case>/half/model.ckpt-3    Saver() after HALF steps: model, slots, beta powers, global_step
    <case>/full/model.ckpt-6    the same after STEPS steps
    cases.json                  per case: the optimizer as written, its Swift form, the losses of each step

The Swift tests (Tests/ModelSpecCheckpointsTests/TrainingGoldenTests.swift) train
the spec's model in Swift from initial/ (STEPS steps, compared with full/), and
from half/ (resumed with its slots and global_step, compared with full/).

When Tests/Goldens/training/written_by_swift/ exists (the Swift test writes it
when MODELSPEC_WRITE_TRAINING_FIXTURE=1: the Adam case after HALF steps in Swift,
saved by CheckpointWriter), TensorFlow restores it with Saver() into the training
graph, trains the remaining steps, and checks every variable against full/.
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy
from training_checkpoints import cnn, session

AREA = "training"
SEED = 20261201
STEPS = 6
HALF = 3
BATCH = 8
L2 = 0.01

tf1 = tf.compat.v1
T = tf1.train

# name: (Python, Swift, builder)
CASES = {
    "gradient_descent": ("GradientDescentOptimizer(0.1)", "GradientDescentOptimizer(learningRate: 0.1)",
                         lambda: T.GradientDescentOptimizer(0.1)),
    "momentum": ("MomentumOptimizer(0.05, 0.9)", "MomentumOptimizer(learningRate: 0.05, momentum: 0.9)",
                 lambda: T.MomentumOptimizer(0.05, 0.9)),
    "momentum_nesterov": ("MomentumOptimizer(0.05, 0.9, use_nesterov=True)",
                          "MomentumOptimizer(learningRate: 0.05, momentum: 0.9, useNesterov: true)",
                          lambda: T.MomentumOptimizer(0.05, 0.9, use_nesterov=True)),
    "adam": ("AdamOptimizer(0.01)", "AdamOptimizer(learningRate: 0.01)", lambda: T.AdamOptimizer(0.01)),
    "rmsprop": ("RMSPropOptimizer(0.01)", "RMSPropOptimizer(learningRate: 0.01)", lambda: T.RMSPropOptimizer(0.01)),
    "rmsprop_centered": ("RMSPropOptimizer(0.01, momentum=0.9, centered=True)",
                         "RMSPropOptimizer(learningRate: 0.01, momentum: 0.9, centered: true)",
                         lambda: T.RMSPropOptimizer(0.01, momentum=0.9, centered=True)),
    "adagrad": ("AdagradOptimizer(0.1)", "AdagradOptimizer(learningRate: 0.1)", lambda: T.AdagradOptimizer(0.1)),
}


def data():
    rng = np.random.RandomState(SEED)
    x = rng.uniform(-1, 1, size=(BATCH * STEPS, 6, 6, 2)).astype(np.float32)
    y = rng.randint(0, 3, size=(BATCH * STEPS,)).astype(np.int32)
    return x, y


def graph_for(optimizer):
    """The training graph: placeholders, the model, the loss and the train op."""
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(SEED)
        images = tf1.placeholder(tf.float32, [None, 6, 6, 2], name='images')
        labels = tf1.placeholder(tf.int32, [None], name='labels')
        logits = cnn(images, True)
        model_vars = tf1.global_variables()
        kernel = [v for v in model_vars if v.op.name == "model/dense/kernel"][0]
        tf1.add_to_collection(tf1.GraphKeys.REGULARIZATION_LOSSES, L2 * tf.reduce_sum(tf.square(kernel)))
        global_step = T.get_or_create_global_step()
        tf1.losses.sparse_softmax_cross_entropy(labels, logits)
        loss = tf1.losses.get_total_loss()
        with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            train_op = optimizer().minimize(loss, global_step=global_step)
    return graph, images, labels, loss, train_op, model_vars


def run_steps(sess, feeds, loss, train_op, x, y, steps):
    images, labels = feeds
    losses = []
    for step in steps:
        batch = slice(step * BATCH, (step + 1) * BATCH)
        value, _ = sess.run([loss, train_op], {images: x[batch], labels: y[batch]})
        losses.append(float(value))
    return losses


def main():
    out = golden_dir(AREA)
    for entry in os.listdir(out):
        if entry != "written_by_swift":
            path = os.path.join(out, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    x, y = data()
    write_npy(os.path.join(out, "train_x.npy"), x)
    write_npy(os.path.join(out, "train_y.npy"), y)
    cases = []
    for name, (python, swift, optimizer) in CASES.items():
        graph, images, labels, loss, train_op, model_vars = graph_for(optimizer)
        with graph.as_default(), session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            # Every case starts from the first case's initial values: kernels drawn from a seeded
            # NumPy generator (TensorFlow's own initial values change from run to run).
            initial = T.Saver(var_list=model_vars)
            if name == "gradient_descent":
                rng = np.random.RandomState(SEED + 1)
                for v in model_vars:
                    if v.op.name.endswith("kernel"):
                        shape = v.shape.as_list()
                        limit = np.sqrt(6.0 / (int(np.prod(shape[:-1])) + shape[-1]))
                        v.load(rng.uniform(-limit, limit, size=shape).astype(np.float32), sess)
                os.makedirs(os.path.join(out, "initial"), exist_ok=True)
                initial.save(sess, os.path.join(out, "initial", "model.ckpt"), write_meta_graph=False, write_state=False)
            else:
                initial.restore(sess, os.path.join(out, "initial", "model.ckpt"))
            saver = T.Saver()
            for part in ("half", "full"):
                os.makedirs(os.path.join(out, name, part), exist_ok=True)
            losses = run_steps(sess, (images, labels), loss, train_op, x, y, range(HALF))
            saver.save(sess, os.path.join(out, name, "half", "model.ckpt"), global_step=HALF,
                       write_meta_graph=False, write_state=False)
            losses += run_steps(sess, (images, labels), loss, train_op, x, y, range(HALF, STEPS))
            saver.save(sess, os.path.join(out, name, "full", "model.ckpt"), global_step=STEPS,
                       write_meta_graph=False, write_state=False)
        cases.append({"name": name, "optimizer": python, "swift": swift, "losses": losses,
                      "half": f"{name}/half/model.ckpt-{HALF}", "full": f"{name}/full/model.ckpt-{STEPS}"})
        print(f"  {name}: losses {', '.join(f'{v:.4f}' for v in losses)}")
    write_json(os.path.join(out, "cases.json"), {
        "steps": STEPS, "half": HALF, "batch": BATCH, "l2": L2, "initial": "initial/model.ckpt",
        "regularized": "model/dense/kernel", "cases": cases, "tensorflow": tf.__version__})
    verify_written_by_swift(out, x, y)


def verify_written_by_swift(out, x, y):
    folder = os.path.join(out, "written_by_swift")
    if not os.path.isdir(folder):
        print("   (no written_by_swift/ fixture; run the Swift training test with "
              "MODELSPEC_WRITE_TRAINING_FIXTURE=1 to write it)")
        return
    with open(os.path.join(folder, "case.json")) as f:
        case = json.load(f)
    python, swift, optimizer = CASES[case["name"]]
    graph, images, labels, loss, train_op, _ = graph_for(optimizer)
    with graph.as_default(), session(graph) as sess:
        T.Saver().restore(sess, os.path.join(folder, case["prefix"]))  # every variable: model, slots, global_step
        step = int(sess.run(T.get_global_step()))
        assert step == HALF, f"global_step {step}"
        run_steps(sess, (images, labels), loss, train_op, x, y, range(HALF, STEPS))
        values = {v.op.name: sess.run(v) for v in tf1.global_variables()}
    reader = tf.train.load_checkpoint(os.path.join(out, case["name"], "full", f"model.ckpt-{STEPS}"))
    worst = 0.0
    for key, value in values.items():
        want = reader.get_tensor(key)
        assert value.shape == want.shape, key
        diff = float(np.max(np.abs(value.astype(np.float64) - want))) if value.size else 0.0
        worst = max(worst, diff / (1 + float(np.max(np.abs(want))) if value.size else 1))
        assert np.allclose(value, want, rtol=2e-4, atol=2e-4), \
            f"{key}: largest difference {np.max(np.abs(value - want))} ({value.ravel()[:4]} vs {want.ravel()[:4]})"
    print(f"   written_by_swift ({case['name']}): TensorFlow restored {len(values)} variables with Saver(), "
          f"trained steps {HALF}..{STEPS - 1}, and reached its own values (largest relative difference {worst:.2e})")
