"""Goldens for TF1's DropoutWrapper masks (Tests/Goldens/rnn_wrappers/), with the
noise injected: TensorFlow draws a variational DropoutWrapper's noise once, when the
wrapper is made (`_recurrent_input_noise`, `_recurrent_state_noise`,
`_recurrent_output_noise`, each `[1, width]`); each case replaces those tensors by
constants from a seeded generator before the loop is built, so the masks are known
(`floor(keep + noise) / keep`) and the outputs exact.

Each case is a directory with case.json and .npy files, as Tests/Goldens/recurrent's
(`spec`, `source`, `config`, `inputs`, `variables`, `outputs`) and `noise`:
`[{"wrapper", "part", "index", "file"}]`, the `wrapper`-th DropoutWrapper (depth first,
outer before inner, the forward cell's before the backward cell's), its `input`,
`state` or `output`, the index in the wrapped cell's flattened state (0 otherwise).
"""
import os
import shutil

import numpy as np
import tensorflow as tf

import recurrent
from common import golden_dir, write_json, write_npy

v1 = tf.compat.v1
AREA = "rnn_wrappers"
CASES = []


def dropout_wrappers(cell, found):
    """The DropoutWrappers in `cell`, depth first, outer before inner."""
    if isinstance(cell, v1.nn.rnn_cell.DropoutWrapper):
        found.append(cell)
    inner = getattr(cell, "cell", None)
    if inner is not None:
        dropout_wrappers(inner, found)
    for c in getattr(cell, "_cells", []):
        dropout_wrappers(c, found)
    return found


def inject_noise(cells, rng):
    """Replaces each wrapper's noise tensors by constants; returns [(wrapper, part, index, array)]."""
    noise = []
    for w_index, wrapper in enumerate(w for c in cells for w in dropout_wrappers(c, [])):
        for part in ("input", "state", "output"):
            attribute = f"_recurrent_{part}_noise"
            current = getattr(wrapper, attribute)
            if current is None:
                continue
            flat = tf.nest.flatten(current)
            arrays = [rng.uniform(0, 1, t.shape.as_list()).astype(np.float32) for t in flat]
            setattr(wrapper, attribute, tf.nest.pack_sequence_as(current, [tf.constant(a) for a in arrays]))
            noise += [(w_index, part, i, a) for i, a in enumerate(arrays)]
    return noise


def noise_case(name, api, cell, batch=3, time=5, features=4, lengths=None, seed=0):
    rng = np.random.default_rng(seed)
    x = recurrent.f32(rng, batch, time, features)
    feeds = {"x": x}
    if lengths is not None:
        feeds["lengths"] = np.array(lengths, dtype=np.int32)
    noise = []

    def build(p):
        kwargs = {"dtype": tf.float32}
        if "lengths" in p:
            kwargs["sequence_length"] = p["lengths"]
        if api == "bidirectional_dynamic_rnn":
            fw, bw = recurrent.make_cell(cell[0]), recurrent.make_cell(cell[1])
            noise.extend(inject_noise([fw, bw], rng))
            (out_fw, out_bw), (st_fw, st_bw) = v1.nn.bidirectional_dynamic_rnn(fw, bw, p["x"], **kwargs)
            return dict([("output_fw", out_fw), ("output_bw", out_bw)] + recurrent.flat_state("state_fw", st_fw)
                        + recurrent.flat_state("state_bw", st_bw))
        rnn_cell = recurrent.make_cell(cell)
        noise.extend(inject_noise([rnn_cell], rng))
        outputs, state = v1.nn.dynamic_rnn(rnn_cell, p["x"], **kwargs)
        return dict([("outputs", outputs)] + recurrent.flat_state("state", state))

    variables, results = recurrent.run_graph(build, feeds, seed + 100)
    out = golden_dir(AREA, name)
    entry = {"name": name, "source": f"{api}({cell}, x, sequence_length={lengths}) with each DropoutWrapper's noise replaced",
             "spec": recurrent.tf1_spec(name, api, cell, features, False, lengths is not None, [], None, list(results)),
             "config": {"api": api, "cell": cell, "sequence_length": lengths is not None},
             "inputs": [], "variables": [], "outputs": [], "noise": []}
    for key, value in [("x", x)] + ([("lengths", feeds["lengths"])] if lengths is not None else []):
        write_npy(os.path.join(out, f"in_{key}.npy"), value)
        entry["inputs"].append({"name": key, "file": f"in_{key}.npy", "dtype": str(value.dtype)})
    for i, (var_name, value) in enumerate(variables):
        write_npy(os.path.join(out, f"var_{i}.npy"), value)
        entry["variables"].append({"name": var_name, "shape": list(value.shape), "file": f"var_{i}.npy"})
    for key, value in results.items():
        write_npy(os.path.join(out, f"out_{key}.npy"), np.asarray(value, dtype=np.float32))
        entry["outputs"].append({"name": key, "file": f"out_{key}.npy"})
    for w, part, index, value in noise:
        file = f"noise_{w}_{part}_{index}.npy"
        write_npy(os.path.join(out, file), value)
        entry["noise"].append({"wrapper": w, "part": part, "index": index, "file": file})
    write_json(os.path.join(out, "case.json"), entry)
    CASES.append(name)


def trained_encoder():
    """The model of Tests/ModelSpecCheckpointsTests/Specs/WrappedBiEncoder.yaml, trained 5 steps by
    Adam with keep probability 0.8 and saved by a default Saver (slots and beta powers beside the
    model): `trained_encoder/checkpoint/`, the inputs, and the outputs with keep 1.0 (the
    placeholder's default)."""
    rng = np.random.default_rng(3)
    R = v1.nn.rnn_cell
    batch, time, vocabulary, classes = 4, 7, 20, 3
    out = golden_dir(AREA, "trained_encoder")
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(3)
        ids = v1.placeholder(tf.int32, [None, time], name="ids")
        lengths = v1.placeholder(tf.int32, [None], name="lengths")
        labels = v1.placeholder(tf.int32, [None, time], name="labels")
        keep = v1.placeholder_with_default(1.0, [], name="keep")
        with v1.variable_scope("encoder"):
            table = v1.get_variable("embedding", [vocabulary, 6])
            x = tf.nn.embedding_lookup(table, ids)
            fw = R.MultiRNNCell([R.DropoutWrapper(R.GRUCell(5), output_keep_prob=keep), R.ResidualWrapper(R.GRUCell(5))])
            bw = R.DropoutWrapper(R.LSTMCell(5), input_keep_prob=keep, state_keep_prob=keep)
            (ofw, obw), (sfw, sbw) = v1.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=lengths, dtype=tf.float32)
            h = tf.concat([ofw, obw], axis=-1)
        logits = v1.layers.dense(h, classes, name="projection")
        loss = v1.losses.sparse_softmax_cross_entropy(labels, logits)
        step = v1.train.AdamOptimizer(0.01).minimize(loss)
        saver = v1.train.Saver()
        feeds = {ids: rng.integers(0, vocabulary, (batch, time)).astype(np.int32),
                 lengths: np.array([7, 3, 5, 0], np.int32)}
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            for _ in range(5):
                session.run(step, {**feeds, labels: rng.integers(0, classes, (batch, time)).astype(np.int32), keep: 0.8})
            saver.save(session, os.path.join(out, "checkpoint", "model"), write_meta_graph=False)
            os.remove(os.path.join(out, "checkpoint", "checkpoint"))   # its paths are this machine's; read by prefix
            results = session.run([logits, sfw[0], sfw[1], sbw.c, sbw.h], feeds)
            names = [v.name[:-2] for v in v1.trainable_variables()]
    write_npy(os.path.join(out, "in_ids.npy"), feeds[ids])
    write_npy(os.path.join(out, "in_lengths.npy"), feeds[lengths])
    outputs = ["logits", "state_fw_0", "state_fw_1", "state_bw_c", "state_bw_h"]
    for name, value in zip(outputs, results):
        write_npy(os.path.join(out, f"out_{name}.npy"), np.asarray(value, dtype=np.float32))
    write_json(os.path.join(out, "case.json"), {"variables": names, "outputs": outputs})


def main():
    if os.path.isdir(golden_dir(AREA)):
        shutil.rmtree(golden_dir(AREA))
    variational = {"variational_recurrent": True, "dtype": "float32"}
    noise_case("variational_multi", "dynamic_rnn",
               {"MultiRNNCell": [
                   {"DropoutWrapper": {"cell": {"LSTMCell": {"num_units": 5}}, "input_keep_prob": 0.7,
                                       "state_keep_prob": 0.6, "output_keep_prob": 0.8, "input_size": 4, **variational}},
                   {"DropoutWrapper": {"cell": {"GRUCell": {"num_units": 3}}, "state_keep_prob": 0.5,
                                       "output_keep_prob": 0.9, **variational}}]},
               lengths=[5, 2, 4], seed=1)
    noise_case("variational_around_multi_bidirectional", "bidirectional_dynamic_rnn",
               ({"DropoutWrapper": {"cell": {"MultiRNNCell": [{"LSTMCell": {"num_units": 4}}, {"GRUCell": {"num_units": 3}}]},
                                    "input_keep_prob": 0.8, "state_keep_prob": 0.6, "output_keep_prob": 0.7,
                                    "input_size": 4, **variational}},
                {"ResidualWrapper": {"cell": {"DropoutWrapper": {
                    "cell": {"DropoutWrapper": {"cell": {"BasicLSTMCell": {"num_units": 4}}, "state_keep_prob": 0.5,
                                                **variational}},
                    "state_keep_prob": 0.75, "output_keep_prob": 0.6, **variational}}}}),
               lengths=[4, 5, 1], seed=2)
    trained_encoder()
    total = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(golden_dir(AREA)) for f in files)
    write_json(os.path.join(golden_dir(AREA), "index.json"), {"tensorflow": tf.__version__, "cases": CASES})
    print(f"{AREA}: {len(CASES)} cases, {total / 1024:.0f} KiB")
