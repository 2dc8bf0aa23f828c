"""Checkpoints as TF1 training loops write them (Tests/Goldens/training_checkpoints/).

A team's real checkpoint is not the model's variables alone: a default
`tf.compat.v1.train.Saver()` saves every global variable, so beside the model it
holds the optimizer's slots (`model/dense/kernel/Adam`, `.../Adam_1`), its other
state (`beta1_power`), `global_step` and the shadows of an
`ExponentialMovingAverage` (`model/dense/kernel/ExponentialMovingAverage`).

The model is Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml, written
here the way TF1 code writes it (graph mode, `variable_scope('model')`, the
functional `tf.compat.v1.layers`, batch norm's update ops run with the train
op). Each case trains it from the same initial values for STEPS steps on seeded
random data with one `tf.compat.v1.train` optimizer (or two, or one and a moving
average), then saves with `Saver()` (default var_list: all global variables) and
`global_step`.

TensorFlow's outputs are computed the way inference code restores: in a fresh
graph holding only the inference model, `Saver()` (its variables by name), and,
where the case keeps moving averages, `Saver(ema.variables_to_restore())`,
whose name map is recorded.

Writes under Tests/Goldens/training_checkpoints/:

    inputs.npy                  float32 [4, 6, 6, 2], the images of every case
    <case>/checkpoint/          model.ckpt-<steps>.index/.data-00000-of-00001 and the
                                `checkpoint` state file (relative paths)
    <case>/outputs.npy          TensorFlow's logits, training=False, raw values restored
    <case>/moving_average_outputs.npy
                                the same with ema.variables_to_restore() (cases with an EMA)
    summary.json                the model's variables (name, shape, dtype, trainable); per
                                case: optimizer code, checkpoint prefix, the training state
                                (every entry that is not a model variable), the
                                variables_to_restore() map; versions
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

AREA = "training_checkpoints"
SPEC = "Tests/ModelSpecCheckpointsTests/Specs/TrainedTinyCNN.yaml"
SEED = 20261130
STEPS = 5
BATCH = 8
EMA_DECAY = 0.7

tf1 = tf.compat.v1
T = tf1.train


def cnn(images, is_training):
    """The model of TrainedTinyCNN.yaml, as TF1 code writes it. Returns the logits."""
    with tf1.variable_scope('model'):
        net = tf1.layers.conv2d(images, 4, 3, padding='same', use_bias=False)
        net = tf1.layers.batch_normalization(net, training=is_training)
        net = tf.nn.relu(net)
        net = tf1.layers.max_pooling2d(net, 2, 2)
        net = tf1.layers.flatten(net)
        net = tf1.layers.dense(net, 5, activation=tf.nn.relu)
        return tf1.layers.dense(net, 3, name='logits')


def minimize(optimizer):
    """One optimizer over every trainable variable."""
    def train(loss, global_step, groups):
        return optimizer(global_step).minimize(loss, global_step=global_step)
    return train


def two_adams(loss, global_step, groups):
    """Two Adam optimizers in one graph (as GANs and two-tower models have), each
    training its own variables: the second's non-slot variables get `_1`."""
    first = T.AdamOptimizer(0.01).minimize(loss, var_list=groups["features"],
                                           global_step=global_step)
    with tf.control_dependencies([first]):  # in a fixed order, for reruns
        return T.AdamOptimizer(0.01).minimize(loss, var_list=groups["head"])


def same_variables_twice(loss, global_step, groups):
    """Adam and Momentum both over every variable: slots Adam, Adam_1 and Momentum;
    then a second Adam over the head only: its slots are Adam_2, Adam_3."""
    # One after the other, so that a rerun updates the shared variables in the same order.
    adam = T.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
    with tf.control_dependencies([adam]):
        momentum = T.MomentumOptimizer(0.01, 0.9).minimize(loss)
    with tf.control_dependencies([momentum]):
        return T.AdamOptimizer(0.01).minimize(loss, var_list=groups["head"])


def with_moving_average(optimizer, name=None):
    """An optimizer, then an ExponentialMovingAverage of the trainable variables,
    updated after each step (as inference-quality training code does)."""
    def train(loss, global_step, groups):
        step = optimizer(global_step).minimize(loss, global_step=global_step)
        ema = T.ExponentialMovingAverage(EMA_DECAY, **({"name": name} if name else {}))
        with tf.control_dependencies([step]):
            return ema.apply(tf1.trainable_variables())
    return train


def in_variable_scope(scope, train):
    """`minimize` called inside a variable scope: TensorFlow puts the slots and the
    non-slot variables under it (`train/model/dense/kernel/Adam`, `train/beta1_power`)."""
    def wrapped(loss, global_step, groups):
        with tf1.variable_scope(scope):
            return train(loss, global_step, groups)
    return wrapped


# name: (the optimizer code as written in the summary, the train op builder, EMA name or None)
CASES = {
    "adam": ("AdamOptimizer(0.01)", minimize(lambda gs: T.AdamOptimizer(0.01)), None),
    "adam_named": ("AdamOptimizer(0.01, name='MyAdam')",
                   minimize(lambda gs: T.AdamOptimizer(0.01, name='MyAdam')), None),
    "adam_in_scope": ("AdamOptimizer(0.01).minimize in variable_scope('train')",
                      in_variable_scope("train", minimize(lambda gs: T.AdamOptimizer(0.01))), None),
    "momentum": ("MomentumOptimizer(0.01, 0.9, use_nesterov=True)",
                 minimize(lambda gs: T.MomentumOptimizer(0.01, 0.9, use_nesterov=True)), None),
    "momentum_named": ("MomentumOptimizer(0.01, 0.9, name='Heavy')",
                       minimize(lambda gs: T.MomentumOptimizer(0.01, 0.9, name='Heavy')), None),
    "rmsprop": ("RMSPropOptimizer(0.01)", minimize(lambda gs: T.RMSPropOptimizer(0.01)), None),
    "rmsprop_centered": ("RMSPropOptimizer(0.01, momentum=0.9, centered=True)",
                         minimize(lambda gs: T.RMSPropOptimizer(0.01, momentum=0.9, centered=True)), None),
    "adagrad": ("AdagradOptimizer(0.05)", minimize(lambda gs: T.AdagradOptimizer(0.05)), None),
    "adagrad_da": ("AdagradDAOptimizer(0.05, global_step)",
                   minimize(lambda gs: T.AdagradDAOptimizer(0.05, global_step=gs)), None),
    "adadelta": ("AdadeltaOptimizer(1.0)", minimize(lambda gs: T.AdadeltaOptimizer(1.0)), None),
    "ftrl": ("FtrlOptimizer(0.05)", minimize(lambda gs: T.FtrlOptimizer(0.05)), None),
    "ftrl_slot_names": ("FtrlOptimizer(0.05, accum_name='acc', linear_name='lin')",
                        minimize(lambda gs: T.FtrlOptimizer(0.05, accum_name='acc', linear_name='lin')), None),
    "proximal_adagrad": ("ProximalAdagradOptimizer(0.05)",
                         minimize(lambda gs: T.ProximalAdagradOptimizer(0.05)), None),
    "proximal_gradient_descent": ("ProximalGradientDescentOptimizer(0.05)",
                                  minimize(lambda gs: T.ProximalGradientDescentOptimizer(0.05)), None),
    "gradient_descent_ema": (f"GradientDescentOptimizer(0.05) + ExponentialMovingAverage({EMA_DECAY})",
                             with_moving_average(lambda gs: T.GradientDescentOptimizer(0.05)),
                             "ExponentialMovingAverage"),
    "adam_ema": (f"AdamOptimizer(0.01) + ExponentialMovingAverage({EMA_DECAY})",
                 with_moving_average(lambda gs: T.AdamOptimizer(0.01)), "ExponentialMovingAverage"),
    "two_adams": ("AdamOptimizer(0.01) on the convolution and batch norm, another on the dense layers",
                  two_adams, None),
    "same_variables_twice": ("AdamOptimizer and MomentumOptimizer on every variable, "
                             "another AdamOptimizer on the dense layers", same_variables_twice, None),
}


def data():
    rng = np.random.RandomState(SEED)
    train_x = rng.uniform(-1, 1, size=(BATCH * STEPS, 6, 6, 2)).astype(np.float32)
    train_y = rng.randint(0, 3, size=(BATCH * STEPS,)).astype(np.int32)
    test_x = rng.uniform(-1, 1, size=(4, 6, 6, 2)).astype(np.float32)
    return train_x, train_y, test_x


def session(graph):
    config = tf1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    return tf1.Session(graph=graph, config=config)


def train_case(name, build_train, ckpt_dir, train_x, train_y):
    """Trains the model with the case's optimizer(s) and saves with Saver()."""
    tf.keras.utils.set_random_seed(SEED)
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(SEED)
        images = tf1.placeholder(tf.float32, [None, 6, 6, 2], name='images')
        labels = tf1.placeholder(tf.int32, [None], name='labels')
        is_training = tf1.placeholder_with_default(False, [], name='is_training')
        logits = cnn(images, is_training)
        model_vars = tf1.global_variables()
        trainable = set(v.ref() for v in tf1.trainable_variables())
        groups = {"features": [v for v in tf1.trainable_variables() if "dense" not in v.op.name
                               and "logits" not in v.op.name],
                  "head": [v for v in tf1.trainable_variables() if "dense" in v.op.name
                           or "logits" in v.op.name]}
        global_step = T.get_or_create_global_step()
        loss = tf1.losses.sparse_softmax_cross_entropy(labels, logits)
        with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            train_op = build_train(loss, global_step, groups)
        saver = T.Saver(save_relative_paths=True)  # every global variable, as training code saves
        with session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            for step in range(STEPS):
                batch = slice(step * BATCH, (step + 1) * BATCH)
                sess.run(train_op, {images: train_x[batch], labels: train_y[batch], is_training: True})
            steps = int(sess.run(global_step))
            path = saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=steps,
                              write_meta_graph=False)
        variables = [{"name": v.op.name, "shape": v.shape.as_list(), "dtype": v.dtype.base_dtype.name,
                      "trainable": v.ref() in trainable} for v in model_vars]
    return path, variables


def inference(path, test_x, ema_name):
    """TensorFlow's logits from the checkpoint, restored as inference code restores:
    a fresh graph with only the model, Saver() by name, or
    Saver(ema.variables_to_restore()). Returns the logits and the name map."""
    graph = tf.Graph()
    with graph.as_default():
        images = tf1.placeholder(tf.float32, [None, 6, 6, 2], name='images')
        logits = cnn(images, False)
        if ema_name:
            ema = T.ExponentialMovingAverage(EMA_DECAY, name=ema_name)
            var_list = ema.variables_to_restore()
            name_map = {v.op.name: key for key, v in sorted(var_list.items())}
        else:
            var_list, name_map = None, None
        saver = T.Saver(var_list=var_list)
        with session(graph) as sess:
            saver.restore(sess, path)
            return sess.run(logits, {images: test_x}), name_map


def main():
    out = golden_dir(AREA)
    train_x, train_y, test_x = data()
    write_npy(os.path.join(out, "inputs.npy"), test_x)
    cases, model_variables = [], None
    for name, (code, build_train, ema_name) in CASES.items():
        case_dir = golden_dir(AREA, name)
        ckpt_dir = os.path.join(case_dir, "checkpoint")
        shutil.rmtree(ckpt_dir, ignore_errors=True)
        os.makedirs(ckpt_dir)
        path, variables = train_case(name, build_train, ckpt_dir, train_x, train_y)

        entries = [n for n, _ in tf.train.list_variables(path)]
        model_names = {v["name"] for v in variables}
        assert model_names <= set(entries), (name, model_names)
        assert model_variables in (None, variables), name
        model_variables = variables

        outputs, _ = inference(path, test_x, None)
        write_npy(os.path.join(case_dir, "outputs.npy"), outputs.astype(np.float32))
        case = {
            "name": name,
            "optimizer": code,
            "prefix": f"{name}/checkpoint/" + os.path.basename(path),
            "checkpoint": f"{name}/checkpoint",
            "outputs": f"{name}/outputs.npy",
            "training_state": sorted(n for n in entries if n not in model_names),
        }
        if ema_name:
            averaged, name_map = inference(path, test_x, ema_name)
            assert not np.allclose(averaged, outputs), "the moving averages should differ from the raw values"
            write_npy(os.path.join(case_dir, "moving_average_outputs.npy"), averaged.astype(np.float32))
            case["moving_average_name"] = ema_name
            case["moving_average_outputs"] = f"{name}/moving_average_outputs.npy"
            # Model variable -> the checkpoint key ema.variables_to_restore() restores it from.
            case["variables_to_restore"] = name_map
        cases.append(case)
        print(f"  {name}: {len(entries)} entries, {len(case['training_state'])} training state")

    write_json(os.path.join(out, "summary.json"), {
        "model": "TrainedTinyCNN",
        "spec": SPEC,
        "inputs": "inputs.npy",
        "model_variables": model_variables,
        "training": {"seed": SEED, "steps": STEPS, "batch_size": BATCH, "ema_decay": EMA_DECAY,
                     "loss": "sparse_softmax_cross_entropy",
                     "saver": "tf.compat.v1.train.Saver() (every global variable), global_step=steps"},
        "cases": cases,
        "versions": {"tensorflow": tf.__version__, "numpy": np.__version__},
    })
