"""Checkpoint fixtures for the TensorBundle reader and writer, made with real TensorFlow.

Writes under Tests/Goldens/checkpoints/:

    tf1_saver/          tf.compat.v1.train.Saver, graph mode: a small float32 model,
                        global_step (int64) and variables of other dtypes (float64,
                        int32, bool, string); saved with global_step, so the folder
                        holds a `checkpoint` state file (relative paths).
    tf1_sharded/        Saver(sharded=True) with variables on two CPU devices: two data
                        shards (data-00000-of-00002, data-00001-of-00002).
    tf1_partitioned/    a variable made by get_variable with a partitioner (slices).
    tf2_object/         an object-based tf.train.Checkpoint of a small tf.Module.
    writer_reference/   tensors saved by TensorFlow's SaveV2 op; the Swift writer test
                        writes the same tensors and must produce identical bytes.

Each fixture folder has
    expected.json       {"prefix": ..., "variables": [{"name", "dtype", "shape"}...]}:
                        what tf.train.list_variables lists (sorted by name), with the
                        dtype from the reader's dtype map;
                        "values": {name: file.npy} for float32 tensors and
                        "other_values": {name: nested list} for the other dtypes.
    values/*.npy        the float32 values.

When Tests/Goldens/checkpoints/written_by_swift/ exists (written by the Swift test
`WriterTests` when TENSORBUNDLE_WRITE_FIXTURE=1), this script also reads it back with
TensorFlow and checks every value against written_by_swift/expected.json; it fails
loudly on any difference.
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy

AREA = "checkpoints"


def fresh_dir(name):
    path = golden_dir(AREA, name)
    shutil.rmtree(path)
    os.makedirs(path)
    return path


def value_file_name(name):
    return name.replace("/", "__").replace(".", "_") + ".npy"


def describe(folder, prefix_name, with_values=True):
    """Writes expected.json and values/*.npy for the checkpoint at folder/prefix_name.

    Without with_values, expected.json lists the variables only."""
    prefix = os.path.join(folder, prefix_name)
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    listing = tf.train.list_variables(prefix)
    variables = [{"name": n, "dtype": dtypes[n].name, "shape": list(s)} for n, s in listing]
    values, other = {}, {}
    os.makedirs(os.path.join(folder, "values"), exist_ok=True)
    for n, _ in listing:
        if not with_values:
            continue
        v = reader.get_tensor(n)
        if dtypes[n] == tf.float32:
            f = value_file_name(n)
            write_npy(os.path.join(folder, "values", f), v.astype(np.float32))
            values[n] = f
        elif dtypes[n] == tf.string:
            arr = np.asarray(v, dtype=object)
            if n == "_CHECKPOINTABLE_OBJECT_GRAPH":
                other[n] = {"byte_count": len(arr.item())}
            else:
                other[n] = np.vectorize(lambda b: b.decode("latin-1"), otypes=[object])(arr).tolist() \
                    if arr.ndim else arr.item().decode("latin-1")
        else:
            other[n] = np.asarray(v).tolist()
    write_json(os.path.join(folder, "expected.json"),
               {"prefix": prefix_name, "variables": variables, "values": values,
                "other_values": other})
    shutil.rmtree(os.path.join(folder, "values")) if not values else None
    return listing


def make_tf1_saver():
    folder = fresh_dir("tf1_saver")
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(1)
        x = tf.compat.v1.placeholder(tf.float32, [None, 4])
        with tf.compat.v1.variable_scope("model"):
            # Explicit seeds: the layers' default initializers do not follow the graph seed.
            h = tf.compat.v1.layers.dense(
                x, 8, activation=tf.nn.relu, name="dense",
                kernel_initializer=tf.compat.v1.glorot_uniform_initializer(seed=11),
                bias_initializer=tf.compat.v1.random_uniform_initializer(-0.1, 0.1, seed=12))
            tf.compat.v1.layers.dense(
                h, 3, name="logits",
                kernel_initializer=tf.compat.v1.glorot_uniform_initializer(seed=13))
            tf.compat.v1.get_variable("scale_f64", shape=[2, 2], dtype=tf.float64,
                                      initializer=tf.compat.v1.constant_initializer(1.25))
            tf.compat.v1.get_variable("counts", dtype=tf.int32,
                                      initializer=tf.constant([1, -2, 3], tf.int32))
            tf.compat.v1.get_variable("mask", dtype=tf.bool,
                                      initializer=tf.constant([True, False, True, True]))
            tf.compat.v1.Variable([b"alpha", b"", b"\xff\x00bytes"], dtype=tf.string,
                                  name="vocab")
            tf.compat.v1.Variable(b"scalar string", dtype=tf.string, name="note")
            tf.compat.v1.get_variable("empty", shape=[0, 3], dtype=tf.float32)
        gs = tf.compat.v1.train.get_or_create_global_step()
        inc = tf.compat.v1.assign(gs, 42)
        saver = tf.compat.v1.train.Saver(save_relative_paths=True)
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run(inc)
            saver.save(sess, os.path.join(folder, "model.ckpt"), global_step=42,
                       write_meta_graph=False)
    describe(folder, "model.ckpt-42")


def make_tf1_sharded():
    folder = fresh_dir("tf1_sharded")
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(2)
        with tf.device("/cpu:0"):
            tf.compat.v1.get_variable("encoder/w", shape=[3, 5])
            tf.compat.v1.get_variable("encoder/b", shape=[5])
        with tf.device("/cpu:1"):
            tf.compat.v1.get_variable("decoder/w", shape=[5, 2])
            tf.compat.v1.get_variable("decoder/b", shape=[2])
        saver = tf.compat.v1.train.Saver(sharded=True, save_relative_paths=True)
        config = tf.compat.v1.ConfigProto(device_count={"CPU": 2})
        with tf.compat.v1.Session(graph=g, config=config) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.save(sess, os.path.join(folder, "model.ckpt"), write_meta_graph=False)
    shards = [f for f in os.listdir(folder) if ".data-" in f]
    assert len(shards) > 1, f"expected several shards, got {shards}"
    describe(folder, "model.ckpt")


def make_tf1_partitioned():
    folder = fresh_dir("tf1_partitioned")
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(3)
        with tf.compat.v1.variable_scope("embed"):
            tf.compat.v1.get_variable(
                "table", shape=[10, 4],
                partitioner=tf.compat.v1.fixed_size_partitioner(3))
            tf.compat.v1.get_variable(
                "cols", shape=[2, 6],
                partitioner=tf.compat.v1.fixed_size_partitioner(2, axis=1))
            # Slice offsets >= 64 take multi-byte keys (OrderedCode's signed numbers).
            tf.compat.v1.get_variable(
                "big", shape=[200, 1],
                partitioner=tf.compat.v1.fixed_size_partitioner(2))
        tf.compat.v1.get_variable("bias", shape=[4])
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.save(sess, os.path.join(folder, "model.ckpt"), write_meta_graph=False)
    os.remove(os.path.join(folder, "checkpoint"))
    describe(folder, "model.ckpt")


class Small(tf.Module):
    def __init__(self):
        super().__init__()
        init = tf.random.stateless_normal
        self.conv_layer = tf.Module()
        self.conv_layer.kernel = tf.Variable(init([3, 3, 2, 4], seed=[1, 2]))
        self.conv_layer.bias = tf.Variable(tf.zeros([4]))
        self.head = tf.Module()
        self.head.kernel = tf.Variable(init([4, 2], seed=[3, 4]))
        self.step = tf.Variable(tf.constant(7, tf.int64))


def make_tf2_object():
    folder = fresh_dir("tf2_object")
    ckpt = tf.train.Checkpoint(model=Small())
    path = ckpt.write(os.path.join(folder, "ckpt"))
    describe(folder, os.path.basename(path))


def reference_tensors():
    """The tensors of writer_reference, also built by the Swift writer test."""
    return {
        "a/kernel": np.arange(12, dtype=np.float32).reshape(3, 4) / 8.0 - 0.5,
        "a/bias": np.array([0.5, -1.0, 2.0, 1e-3], dtype=np.float32),
        "global_step": np.array(1234, dtype=np.int64),
        "b/scalar": np.array(3.5, dtype=np.float32),
        "c/f64": np.array([1.0 / 3.0, -2.0], dtype=np.float64),
        "c/i32": np.array([[1, 2], [3, -4]], dtype=np.int32),
        "c/flags": np.array([True, False, True], dtype=np.bool_),
        "c/empty": np.zeros([0, 2], dtype=np.float32),
    }


def make_writer_reference():
    folder = fresh_dir("writer_reference")
    tensors = reference_tensors()
    # Many keys, so the index has several restart points (every 16 keys).
    for i in range(40):
        tensors[f"many/v{i:02d}"] = np.full([2], i, dtype=np.float32)
    names = sorted(tensors)
    tf.raw_ops.SaveV2(prefix=os.path.join(folder, "ref"), tensor_names=names,
                      shape_and_slices=[""] * len(names),
                      tensors=[tf.constant(tensors[n]) for n in names])
    describe(folder, "ref", with_values=False)


def verify_written_by_swift():
    folder = os.path.join(golden_dir(AREA), "written_by_swift")
    expected_path = os.path.join(folder, "expected.json")
    if not os.path.exists(expected_path):
        print("   (no written_by_swift/ fixture; run the Swift writer test with "
              "TENSORBUNDLE_WRITE_FIXTURE=1 to make one)")
        return
    with open(expected_path) as f:
        expected = json.load(f)
    prefix = os.path.join(folder, expected["prefix"])
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    got = sorted(dtypes)
    want = sorted(v["name"] for v in expected["variables"])
    assert got == want, f"written_by_swift: names differ: {got} vs {want}"
    for v in expected["variables"]:
        n = v["name"]
        assert dtypes[n].name == v["dtype"], (n, dtypes[n].name, v["dtype"])
        t = reader.get_tensor(n)
        assert list(np.shape(t)) == v["shape"], (n, np.shape(t), v["shape"])
        want_values = np.array(v["values"]).reshape(v["shape"])
        if v["dtype"] == "string":
            t = np.vectorize(lambda b: b.decode("latin-1"), otypes=[object])(np.asarray(t, dtype=object))
            assert t.tolist() == want_values.tolist(), (n, t, want_values)
        else:
            assert np.array_equal(np.asarray(t), want_values.astype(t.dtype)), (n, t, want_values)
    print(f"   written_by_swift: TensorFlow read {len(want)} tensors back, all equal")


def main():
    make_tf1_saver()
    make_tf1_sharded()
    make_tf1_partitioned()
    make_tf2_object()
    make_writer_reference()
    verify_written_by_swift()
