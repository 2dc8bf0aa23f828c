"""The digits CNN trained from scratch (Tests/Goldens/digits_scratch/): what TensorFlow reaches.

The model, data split and hyperparameters of oracle/digits.py (Adam 1e-3, batch 32,
30 epochs, sparse softmax cross-entropy, batch norm's update ops with the train op),
from starting weights drawn once by TensorFlow's own initializers and saved. Two
things are made reproducible in Swift as well as here, so that the two trainings
are the same computation:

- the example order: each epoch, a Fisher-Yates shuffle of the previous order
  (position i from the last down to 1 swapped with position next() % (i + 1)),
  driven by one xoshiro256** stream seeded with ORDER_SEED (ModelSpec's
  `SeededGenerator`; the order `modelspec train --shuffle --seed ORDER_SEED` takes);
- dropout's masks: the mask of global step k is ModelSpec's dropout mask for a call
  with seed MASK_SEED + k (one xoshiro256** draw per element, kept when
  (draw >> 40) * 2^-24 >= rate, scaled by 1 / (1 - rate)), fed to TensorFlow in place
  of tf.compat.v1.layers.dropout.

Writes:
    initial/model.ckpt             the starting weights (the model's variables)
    after_steps/model.ckpt         the model's variables after CHECK_STEPS steps
    train_images.u8                the training images, 1437 x 64 bytes, pixel values 0..16 (image = value / 16)
    train_labels.npy               int32 [1437]
    summary.json                   the losses of the first CHECK_STEPS steps, test accuracy reached, settings
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy
from digits import BATCH_SIZE, DROPOUT_RATE, EPOCHS, LEARNING_RATE, SEED, load_data

AREA = "digits_scratch"
ORDER_SEED = 7
MASK_SEED = 1000
CHECK_STEPS = 5
M = (1 << 64) - 1
tf1 = tf.compat.v1


class SeededGenerator:
    """ModelSpec's SeededGenerator: xoshiro256** seeded through SplitMix64."""

    def __init__(self, seed):
        x = seed

        def split_mix():
            nonlocal x
            x = (x + 0x9E3779B97F4A7C15) & M
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            return z ^ (z >> 31)

        self.s = [split_mix() for _ in range(4)]

    def next(self):
        s0, s1, s2, s3 = self.s
        five = (s1 * 5) & M
        result = ((((five << 7) | (five >> 57)) & M) * 9) & M
        t = (s1 << 17) & M
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & M
        self.s = [s0, s1, s2, s3]
        return result


def shuffle(order, generator):
    for i in range(len(order) - 1, 0, -1):
        j = generator.next() % (i + 1)
        order[i], order[j] = order[j], order[i]


def dropout_mask(step, shape):
    generator = SeededGenerator(MASK_SEED + step)
    count = int(np.prod(shape))
    draws = np.array([generator.next() >> 40 for _ in range(count)], dtype=np.float64)
    u = (draws.astype(np.float32) * np.float32(2.0 ** -24)).astype(np.float32)
    scale = np.float32(1 / (1 - float(np.float32(DROPOUT_RATE))))
    return np.where(u >= np.float32(DROPOUT_RATE), scale, np.float32(0)).astype(np.float32).reshape(shape)


def cnn(images, is_training, mask):
    """oracle/digits.py's model, dropout given as a mask."""
    with tf1.variable_scope('model'):
        net = tf1.layers.conv2d(images, 16, 3, padding='same', activation=tf.nn.relu)
        net = tf1.layers.max_pooling2d(net, 2, 2)
        net = tf1.layers.conv2d(net, 32, 3, padding='same', use_bias=False)
        net = tf1.layers.batch_normalization(net, training=is_training)
        net = tf.nn.relu(net)
        net = tf1.layers.max_pooling2d(net, 2, 2)
        net = tf1.layers.flatten(net)
        net = net * mask
        net = tf1.layers.dense(net, 64, activation=tf.nn.relu)
        return tf1.layers.dense(net, 10, name='logits')


def main():
    out = golden_dir(AREA)
    for entry in os.listdir(out):
        path = os.path.join(out, entry)
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    (train_x, train_y), (test_x, test_y) = load_data()
    pixels = np.rint(train_x[..., 0] * 16).astype(np.uint8)
    assert np.array_equal(pixels.astype(np.float32) / 16.0, train_x[..., 0])
    pixels.tofile(os.path.join(out, "train_images.u8"))
    write_npy(os.path.join(out, "train_labels.npy"), train_y.astype(np.int32))

    tf.keras.utils.set_random_seed(SEED)
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(SEED)
        images = tf1.placeholder(tf.float32, [None, 8, 8, 1], name='images')
        labels = tf1.placeholder(tf.int32, [None], name='labels')
        mask = tf1.placeholder(tf.float32, [None, 128], name='mask')
        is_training = tf1.placeholder_with_default(False, [], name='is_training')
        logits = cnn(images, is_training, mask)
        model_vars = tf1.global_variables()
        global_step = tf1.train.get_or_create_global_step()
        loss = tf1.losses.sparse_softmax_cross_entropy(labels, logits)
        with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            train_op = tf1.train.AdamOptimizer(LEARNING_RATE).minimize(loss, global_step=global_step)
        predictions = tf.argmax(logits, axis=1, output_type=tf.int32)
        saver = tf1.train.Saver(var_list=model_vars)
        config = tf1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        with tf1.Session(graph=graph, config=config) as sess:
            sess.run(tf1.global_variables_initializer())
            saver.save(sess, os.path.join(out, "initial", "model.ckpt"), write_meta_graph=False, write_state=False)
            order = list(range(len(train_x)))
            generator = SeededGenerator(ORDER_SEED)
            step = 0
            first_losses = []
            epoch_losses = []
            for epoch in range(EPOCHS):
                shuffle(order, generator)
                total, batches = 0.0, 0
                for start in range(0, len(order), BATCH_SIZE):
                    batch = order[start:start + BATCH_SIZE]
                    value, _ = sess.run([loss, train_op], {images: train_x[batch], labels: train_y[batch],
                                                           mask: dropout_mask(step, (len(batch), 128)),
                                                           is_training: True})
                    if step < CHECK_STEPS:
                        first_losses.append(float(value))
                    step += 1
                    total += float(value)
                    batches += 1
                    if step == CHECK_STEPS:
                        saver.save(sess, os.path.join(out, "after_steps", "model.ckpt"),
                                   write_meta_graph=False, write_state=False)
                epoch_losses.append(total / batches)
            ones = np.ones((len(test_x), 128), dtype=np.float32)
            test_pred = sess.run(predictions, {images: test_x, mask: ones})
            correct = int(np.sum(test_pred == test_y))
    accuracy = correct / len(test_y)
    print(f"  from scratch: {step} steps, test accuracy {accuracy:.4f} ({correct}/{len(test_y)}), "
          f"epoch losses {epoch_losses[0]:.4f} .. {epoch_losses[-1]:.4f}")
    write_json(os.path.join(out, "summary.json"), {
        "spec": "specs/DigitsCNN.yaml", "initial": "initial/model.ckpt", "after_steps": "after_steps/model.ckpt",
        "train_images": {"file": "train_images.u8", "count": len(train_x), "layout": "uint8 [N, 8, 8], image = value / 16"},
        "test": "Tests/Goldens/digits/test_images.npy, test_labels.npy",
        "optimizer": "Adam", "learning_rate": LEARNING_RATE, "batch_size": BATCH_SIZE, "epochs": EPOCHS, "steps": step,
        "dropout_rate": DROPOUT_RATE, "order_seed": ORDER_SEED, "mask_seed": MASK_SEED,
        "check_steps": CHECK_STEPS, "check_losses": first_losses, "epoch_losses": epoch_losses,
        "test_correct": correct, "test_size": len(test_y), "test_accuracy": accuracy, "tensorflow": tf.__version__})
