"""A real model end to end: a TF1-style CNN trained on scikit-learn's digits (Tests/Goldens/digits/).

The model is written the way a TensorFlow 1 team writes one: graph mode, a
tf.Graph with placeholders for the images and the training flag, everything
under `variable_scope('model')`, built with the functional
`tf.compat.v1.layers`, batch norm's update ops run with the train op, and a
name-based `tf.compat.v1.train.Saver` checkpoint. specs/DigitsCNN.yaml is the
ModelSpec spec of exactly this model.

Data: sklearn.datasets.load_digits() (bundled with scikit-learn, no download):
1797 8x8 grayscale images with values 0..16, scaled to [0, 1] and shaped NHWC
[N, 8, 8, 1]. The last TEST_SIZE images are the held-out test set, the rest
train. Training is Adam for a fixed number of epochs with numpy-seeded
shuffling, a fixed graph seed (dropout) and tf.keras.utils.set_random_seed (the
layers' default initializers draw their seeds from Python's `random`), on one
thread, so a rerun writes the same numbers. The script asserts test accuracy >= MIN_ACCURACY.

Writes under Tests/Goldens/digits/:

    checkpoint/           the Saver checkpoint (model.ckpt-<steps>.index/.data-00000-of-00001
                          and the `checkpoint` state file with relative paths); holds the
                          model's variables and global_step only, no Adam slots, no meta graph
    test_images.npy       float32 [N, 8, 8, 1], the held-out images
    test_labels.npy       int32 [N]
    test_logits.npy       float32 [N, 10], TensorFlow's logits in inference mode (training=False)
    summary.json          accuracy, checkpoint listing, creation order, layer stack, seed, steps,
                          versions
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

AREA = "digits"
SEED = 1234
TEST_SIZE = 360
BATCH_SIZE = 32
EPOCHS = 30
LEARNING_RATE = 1e-3
DROPOUT_RATE = 0.3
MIN_ACCURACY = 0.95

# The layer stack, as summary.json records it; cnn() below is the code.
LAYERS = [
    {"layer": "conv2d", "filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"},
    {"layer": "max_pooling2d", "pool_size": 2, "strides": 2},
    {"layer": "conv2d", "filters": 32, "kernel_size": 3, "padding": "same", "use_bias": False},
    {"layer": "batch_normalization", "training": "is_training"},
    {"layer": "relu"},
    {"layer": "max_pooling2d", "pool_size": 2, "strides": 2},
    {"layer": "flatten"},
    {"layer": "dropout", "rate": DROPOUT_RATE, "training": "is_training"},
    {"layer": "dense", "units": 64, "activation": "relu"},
    {"layer": "dense", "units": 10, "name": "logits"},
]


def cnn(images, is_training):
    """The model, as TF1 code writes it. Returns the logits."""
    with tf.compat.v1.variable_scope('model'):
        net = tf.compat.v1.layers.conv2d(images, 16, 3, padding='same', activation=tf.nn.relu)
        net = tf.compat.v1.layers.max_pooling2d(net, 2, 2)
        net = tf.compat.v1.layers.conv2d(net, 32, 3, padding='same', use_bias=False)
        net = tf.compat.v1.layers.batch_normalization(net, training=is_training)
        net = tf.nn.relu(net)
        net = tf.compat.v1.layers.max_pooling2d(net, 2, 2)
        net = tf.compat.v1.layers.flatten(net)
        net = tf.compat.v1.layers.dropout(net, rate=DROPOUT_RATE, training=is_training)
        net = tf.compat.v1.layers.dense(net, 64, activation=tf.nn.relu)
        logits = tf.compat.v1.layers.dense(net, 10, name='logits')
    return logits


def load_data():
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = (digits.images.astype(np.float32) / 16.0)[..., np.newaxis]
    labels = digits.target.astype(np.int32)
    return ((images[:-TEST_SIZE], labels[:-TEST_SIZE]),
            (images[-TEST_SIZE:], labels[-TEST_SIZE:]))


def main():
    import sklearn

    out = golden_dir(AREA)
    ckpt_dir = os.path.join(out, "checkpoint")
    shutil.rmtree(ckpt_dir, ignore_errors=True)
    os.makedirs(ckpt_dir)

    (train_x, train_y), (test_x, test_y) = load_data()
    # The compat layers' default initializers (tf_keras GlorotUniform, seed=None) take
    # their seed from Python's `random` through the tf_keras backend, not from the
    # graph seed: seed Python, numpy and TensorFlow as seeds.py does.
    tf.keras.utils.set_random_seed(SEED)
    rng = np.random.RandomState(SEED)

    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.set_random_seed(SEED)
        images = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 1], name='images')
        labels = tf.compat.v1.placeholder(tf.int32, [None], name='labels')
        is_training = tf.compat.v1.placeholder_with_default(False, [], name='is_training')

        logits = cnn(images, is_training)
        # The model's variables, in creation order, before the optimizer adds its own.
        model_vars = tf.compat.v1.global_variables()
        global_step = tf.compat.v1.train.get_or_create_global_step()

        loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits)
        update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = tf.compat.v1.train.AdamOptimizer(LEARNING_RATE).minimize(
                loss, global_step=global_step)
        predictions = tf.argmax(logits, axis=1, output_type=tf.int32)

        saver = tf.compat.v1.train.Saver(var_list=model_vars + [global_step],
                                         save_relative_paths=True)
        config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1,
                                          inter_op_parallelism_threads=1)
        with tf.compat.v1.Session(graph=graph, config=config) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for epoch in range(EPOCHS):
                order = rng.permutation(len(train_x))
                for start in range(0, len(order), BATCH_SIZE):
                    batch = order[start:start + BATCH_SIZE]
                    sess.run(train_op, {images: train_x[batch], labels: train_y[batch],
                                        is_training: True})
            steps = int(sess.run(global_step))
            test_logits, test_pred = sess.run([logits, predictions], {images: test_x})
            train_pred = sess.run(predictions, {images: train_x})
            accuracy = float(np.mean(test_pred == test_y))
            train_accuracy = float(np.mean(train_pred == train_y))
            print(f"  {steps} steps, train accuracy {train_accuracy:.4f}, "
                  f"test accuracy {accuracy:.4f}")
            assert accuracy >= MIN_ACCURACY, f"test accuracy {accuracy} < {MIN_ACCURACY}"
            path = saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=steps,
                              write_meta_graph=False)
            creation_order = [
                {"name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                 "trainable": any(v is t for t in tf.compat.v1.trainable_variables())}
                for v in model_vars]

    prefix = os.path.basename(path)
    reader = tf.train.load_checkpoint(path)
    dtypes = reader.get_variable_to_dtype_map()
    listing = [{"name": n, "shape": list(s), "dtype": dtypes[n].name}
               for n, s in tf.train.list_variables(path)]
    assert sorted([v["name"] for v in creation_order] + ["global_step"]) == \
        [v["name"] for v in listing], listing

    write_npy(os.path.join(out, "test_images.npy"), test_x.astype(np.float32))
    write_npy(os.path.join(out, "test_labels.npy"), test_y.astype(np.int32))
    write_npy(os.path.join(out, "test_logits.npy"), test_logits.astype(np.float32))
    write_json(os.path.join(out, "summary.json"), {
        "model": "DigitsCNN",
        "spec": "specs/DigitsCNN.yaml",
        "dataset": {"source": "sklearn.datasets.load_digits", "images": 1797,
                    "scaling": "pixel / 16.0, float32, NHWC [N, 8, 8, 1]",
                    "split": f"the first {len(train_x)} images train, the last {TEST_SIZE} test"},
        "test_accuracy": accuracy,
        "test_correct": int(np.sum(test_pred == test_y)),
        "test_size": len(test_y),
        "train_accuracy": train_accuracy,
        "checkpoint_prefix": "checkpoint/" + prefix,
        "checkpoint_variables": listing,
        "creation_order": creation_order,
        "inputs": {"images": {"placeholder": "images", "shape": [None, 8, 8, 1], "dtype": "float32"},
                   "training": {"placeholder": "is_training", "dtype": "bool", "default": False}},
        "logits_tensor": logits.name,
        "layers": LAYERS,
        "training": {"seed": SEED, "graph_seed": SEED, "numpy_seed": SEED,
                     "optimizer": "Adam", "learning_rate": LEARNING_RATE,
                     "batch_size": BATCH_SIZE, "epochs": EPOCHS, "steps": steps,
                     "loss": "sparse_softmax_cross_entropy",
                     "update_ops": "batch norm moving averages, control dependency of the train op"},
        "versions": {"tensorflow": tf.__version__, "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__},
    })
    print(f"  {prefix}: {len(listing)} entries, test accuracy {accuracy:.4f}")
