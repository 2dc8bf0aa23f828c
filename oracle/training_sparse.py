"""Goldens for training through looked-up rows (Tests/Goldens/training_sparse/).

The gradient of a variable read only by `tf.nn.embedding_lookup`/`tf.gather` is
`IndexedSlices` (the rows looked up, duplicates and all), and a TF1 optimizer
applies it with its sparse kernel: Momentum, RMSProp and Adagrad change only the
rows looked up (their slots too); Adam (TF1's form) decays `m` and `v` of every
row and moves every row; GradientDescent subtracts each looked-up row's gradient
in turn (no summing of duplicates first); the others sum duplicate rows first.
A variable that also gets a dense gradient (here: an L2 loss on the table) gets
the dense sum, and the dense kernel.

The model (Tests/ModelSpecCheckpointsTests/Specs/TrainedEmbeddingBag.yaml): ids
[batch, 3] through a [16, 3] table, averaged, one dense layer to 3 logits; the
loss `tf.compat.v1.losses.sparse_softmax_cross_entropy`. Ids come from rows 0..9
only (rows 10..15 are never looked up) and every batch repeats an id.

Writes:
    initial/model.ckpt           the model before training
    train_ids.npy, train_y.npy   BATCH examples per step, STEPS steps
    <case>/model.ckpt-<STEPS>    Saver() after STEPS steps: model, slots, state, global_step
    cases.json                   per case: the optimizer, whether the table is regularized, the losses,
                                 and whether TensorFlow's gradient of the table was IndexedSlices
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy
from training_checkpoints import session

AREA = "training_sparse"
SEED = 20261130
STEPS = 5
BATCH = 2
VOCABULARY = 16
L2 = 0.05

tf1 = tf.compat.v1
T = tf1.train

# name: (Python optimizer, builder, L2 on the table)
CASES = {
    "gradient_descent": ("GradientDescentOptimizer(0.5)", lambda: T.GradientDescentOptimizer(0.5), False),
    "momentum": ("MomentumOptimizer(0.2, 0.9)", lambda: T.MomentumOptimizer(0.2, 0.9), False),
    "momentum_nesterov": ("MomentumOptimizer(0.2, 0.9, use_nesterov=True)",
                          lambda: T.MomentumOptimizer(0.2, 0.9, use_nesterov=True), False),
    "adam": ("AdamOptimizer(0.05)", lambda: T.AdamOptimizer(0.05), False),
    "rmsprop": ("RMSPropOptimizer(0.05, momentum=0.5)", lambda: T.RMSPropOptimizer(0.05, momentum=0.5), False),
    "rmsprop_centered": ("RMSPropOptimizer(0.05, momentum=0.5, centered=True)",
                         lambda: T.RMSPropOptimizer(0.05, momentum=0.5, centered=True), False),
    "adagrad": ("AdagradOptimizer(0.3)", lambda: T.AdagradOptimizer(0.3), False),
    "momentum_regularized": ("MomentumOptimizer(0.2, 0.9)", lambda: T.MomentumOptimizer(0.2, 0.9), True),
}


def data():
    rng = np.random.RandomState(SEED)
    ids = rng.randint(0, 10, size=(BATCH * STEPS, 3)).astype(np.int32)
    for step in range(STEPS):
        ids[step * BATCH, 1] = ids[step * BATCH, 0]  # a repeated row in every batch
    y = rng.randint(0, 3, size=(BATCH * STEPS,)).astype(np.int32)
    return ids, y


def graph_for(optimizer, regularized):
    graph = tf.Graph()
    with graph.as_default():
        ids = tf1.placeholder(tf.int32, [None, 3], name="ids")
        labels = tf1.placeholder(tf.int32, [None], name="labels")
        with tf1.variable_scope("model"):
            table = tf1.get_variable("embeddings", [VOCABULARY, 3])
            bag = tf.reduce_mean(tf.nn.embedding_lookup(table, ids), axis=1)
            logits = tf1.layers.dense(bag, 3, name="logits")
        model_vars = tf1.global_variables()
        if regularized:
            tf1.add_to_collection(tf1.GraphKeys.REGULARIZATION_LOSSES, L2 * tf.reduce_sum(tf.square(table)))
        global_step = T.get_or_create_global_step()
        tf1.losses.sparse_softmax_cross_entropy(labels, logits)
        loss = tf1.losses.get_total_loss()
        opt = optimizer()
        pairs = opt.compute_gradients(loss)
        sparse = [type(g).__name__ == "IndexedSlices" for g, v in pairs if v is table][0]
        train_op = opt.apply_gradients(pairs, global_step=global_step)
    return graph, (ids, labels), loss, train_op, model_vars, sparse


def main():
    out = golden_dir(AREA)
    for entry in os.listdir(out):
        path = os.path.join(out, entry)
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    ids, y = data()
    write_npy(os.path.join(out, "train_ids.npy"), ids)
    write_npy(os.path.join(out, "train_y.npy"), y)
    cases = []
    first = True
    for name, (python, optimizer, regularized) in CASES.items():
        graph, feeds, loss, train_op, model_vars, sparse = graph_for(optimizer, regularized)
        assert sparse != regularized, f"{name}: TensorFlow's table gradient sparse={sparse}"
        with graph.as_default(), session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            saver = T.Saver(var_list=model_vars)
            if first:
                rng = np.random.RandomState(SEED + 1)
                for v in model_vars:
                    v.load(rng.uniform(-1, 1, size=v.shape.as_list()).astype(np.float32), sess)
                os.makedirs(os.path.join(out, "initial"), exist_ok=True)
                saver.save(sess, os.path.join(out, "initial", "model.ckpt"), write_meta_graph=False, write_state=False)
                first = False
            else:
                saver.restore(sess, os.path.join(out, "initial", "model.ckpt"))
            losses = []
            for step in range(STEPS):
                batch = slice(step * BATCH, (step + 1) * BATCH)
                value, _ = sess.run([loss, train_op], {feeds[0]: ids[batch], feeds[1]: y[batch]})
                losses.append(float(value))
            os.makedirs(os.path.join(out, name), exist_ok=True)
            T.Saver().save(sess, os.path.join(out, name, "model.ckpt"), global_step=STEPS,
                           write_meta_graph=False, write_state=False)
        cases.append({"name": name, "optimizer": python, "regularized": regularized, "indexed_slices": sparse,
                      "losses": losses, "full": f"{name}/model.ckpt-{STEPS}"})
        print(f"  {name}: losses {', '.join(f'{v:.4f}' for v in losses)}")
    write_json(os.path.join(out, "cases.json"), {
        "steps": STEPS, "batch": BATCH, "l2": L2, "initial": "initial/model.ckpt",
        "table": "model/embeddings", "never_looked_up": list(range(10, VOCABULARY)),
        "cases": cases, "tensorflow": tf.__version__})
