"""Goldens for gradients through recurrent loops (Tests/Goldens/rnn_gradients/).

Each case is a spec beside the TensorFlow code it stands for (TF1 cells run by
dynamic_rnn, static_rnn and bidirectional_dynamic_rnn; the Keras recurrent
layers; seed 004's decoder), with tf.GradientTape's gradients of
sum_k sum(output_k * w_k) over every output and final state (w_k fixed weights),
or for the decoder of its sparse softmax cross-entropy loss, with respect to
every float input (the sequence, initial states) and every variable.
cases.json lists them:

| key | meaning |
| --- | --- |
| `spec` | the spec (YAML text) |
| `inputs` | `[{"name", "file", "dtype", "gradient"}]`; `gradient` null for integer inputs |
| `variables` | `[{"name", "object_path", "file", "gradient"}]`: TensorFlow's name, the TF2 path (Keras layers) |
| `outputs` | `[{"name", "weights"}]` in the spec's output order; `weights` null where the loss is not a weighted sum |
| `loss` | null, or `{"kind": "sparse_softmax_cross_entropy", "labels": file, "logits": output name}` |

decoder_training.json: the decoder fine-tuned 3 steps by tf.compat.v1.train.MomentumOptimizer
(the losses, the variables before and after).

Shapes are small (batch 2-3, a few steps, a few units) to keep the files small.
The Swift tests (Tests/ModelSpecInterpreterTests/RecurrentGradientGoldenTests.swift)
run each spec through the interpreter under a GradientTape, the variables given as
watched tensors.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy
from recurrent import (Decoder, KerasCase, KERAS, camel, flat_state, make_cell, seed_decoder_variables, tf1_spec,
                       yaml_value)

v1 = tf.compat.v1
AREA = "rnn_gradients"
CASES = []
OUT = None


def f32(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def save(name, array):
    array = np.asarray(array)
    write_npy(os.path.join(OUT, name), array if array.dtype == np.int32 else array.astype(np.float32))
    return name


def output_weights(shape, salt):
    return (0.5 + (np.arange(int(np.prod(shape))).reshape(shape) * 3 + salt) % 7 / 7.0).astype(np.float32)


def weighted_sum(outputs):
    """sum_k sum(y_k * w_k), and the weights."""
    weights = [output_weights(y.shape.as_list(), k) for k, (_, y) in enumerate(outputs)]
    return tf.add_n([tf.reduce_sum(y * w) for (_, y), w in zip(outputs, weights)]), weights


def record(name, spec, inputs, input_grads, variables, variable_grads, outputs, weights, loss=None):
    """inputs: [(name, array)]; variables: [(tf name, object path or None, array)]."""
    entry = {"name": name, "spec": spec, "inputs": [], "variables": [], "outputs": [], "loss": loss}
    for (key, value), grad in zip(inputs, input_grads):
        value = np.asarray(value)
        entry["inputs"].append({"name": key, "file": save(f"{name}.in.{key}.npy", value), "dtype": str(value.dtype),
                                "gradient": None if grad is None else save(f"{name}.in.{key}.grad.npy", grad)})
    for i, ((var_name, path, value), grad) in enumerate(zip(variables, variable_grads)):
        assert grad is not None, f"{name}: no gradient for {var_name}"
        entry["variables"].append({"name": var_name, "object_path": path, "file": save(f"{name}.var{i}.npy", value),
                                   "gradient": save(f"{name}.var{i}.grad.npy", grad)})
    for k, out_name in enumerate(outputs):
        w = weights[k] if weights else None
        entry["outputs"].append({"name": out_name, "weights": None if w is None else save(f"{name}.w{k}.npy", w)})
    CASES.append(entry)


def tf1_case(name, api, cell, batch=2, time=4, features=3, time_major=False, lengths=None, initial_state=False,
             seed=0, scope=None):
    """The TF1 loop, eagerly (the cells name their variables as in a graph), under a
    tf.GradientTape; the variables given seeded values after a first call made them."""
    rng = np.random.default_rng(seed)
    x = f32(rng, *((time, batch, features) if time_major else (batch, time, features)))
    xt = tf.constant(x)
    float_inputs = [("x", x, xt)]
    kwargs = {"dtype": tf.float32, "time_major": time_major} if api != "static_rnn" else {"dtype": tf.float32}
    if lengths is not None:
        kwargs["sequence_length"] = tf.constant(np.array(lengths, np.int32))
    if scope:
        kwargs["scope"] = scope
    if api == "bidirectional_dynamic_rnn":
        cells = [make_cell(cell[0]), make_cell(cell[1])]
    else:
        cells = [make_cell(cell)]
        if initial_state:
            zero = cells[0].zero_state(batch, tf.float32)
            names = [n for n, _ in flat_state("initial", zero)]
            for n, t in zip(names, tf.nest.flatten(zero)):
                value = f32(rng, *t.shape.as_list(), scale=0.5)
                float_inputs.append((n, value, tf.constant(value)))
            kwargs["initial_state"] = tf.nest.pack_sequence_as(zero, [t for _, _, t in float_inputs[1:]])

    def run():
        if api == "bidirectional_dynamic_rnn":
            (out_fw, out_bw), (st_fw, st_bw) = v1.nn.bidirectional_dynamic_rnn(cells[0], cells[1], xt, **kwargs)
            return [("output_fw", out_fw), ("output_bw", out_bw)] + flat_state("state_fw", st_fw) \
                + flat_state("state_bw", st_bw)
        if api == "dynamic_rnn":
            out, state = v1.nn.dynamic_rnn(cells[0], xt, **kwargs)
        else:
            out, state = v1.nn.static_rnn(cells[0], tf.unstack(xt, axis=0 if time_major else 1), **kwargs)
            out = tf.stack(out, axis=0 if time_major else 1)
        return [("outputs", out)] + flat_state("state", state)

    run()
    variables = [v for c in cells for v in c.trainable_variables]
    values = []
    for v in variables:
        value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
        v.assign(value)
        values.append((v.name[:-2], None, value))
    with tf.GradientTape() as tape:
        tape.watch([t for _, _, t in float_inputs])
        outputs = run()
        loss, weights = weighted_sum(outputs)
    grad_values = [g.numpy() for g in tape.gradient(loss, [t for _, _, t in float_inputs] + variables)]
    names = [n for n, _ in outputs]
    spec = tf1_spec(name, api, cell, features, time_major, lengths is not None,
                    [(n, v.shape[1]) for n, v, _ in float_inputs[1:]], scope, names)
    inputs = [(n, v) for n, v, _ in float_inputs]
    input_grads = list(grad_values[:len(inputs)])
    if lengths is not None:
        inputs.insert(1, ("lengths", np.array(lengths, np.int32)))
        input_grads.insert(1, None)
    record(name, spec, inputs, input_grads, values, grad_values[len(float_inputs):], names, weights)


def tf1_cases():
    tf1_case("basic_rnn_initial_state", "dynamic_rnn", {"BasicRNNCell": {"num_units": 3}}, initial_state=True, seed=1)
    tf1_case("basic_lstm_lengths", "dynamic_rnn", {"BasicLSTMCell": {"num_units": 3, "forget_bias": 0.5}},
             lengths=[4, 0], seed=2)
    tf1_case("lstm_peepholes_projection_cell_clip_time_major", "dynamic_rnn",
             {"LSTMCell": {"num_units": 4, "use_peepholes": True, "num_proj": 2, "cell_clip": 0.3, "forget_bias": 2.0}},
             time_major=True, lengths=[3, 4, 1], batch=3, seed=3)
    tf1_case("lstm_proj_clip_initial_state", "dynamic_rnn",
             {"LSTMCell": {"num_units": 3, "num_proj": 2, "proj_clip": 0.2}}, initial_state=True, seed=4)
    tf1_case("gru_initial_state_lengths", "dynamic_rnn", {"GRUCell": {"num_units": 3}}, initial_state=True,
             lengths=[2, 4], seed=5)
    tf1_case("multi_rnn", "dynamic_rnn",
             {"MultiRNNCell": [{"LSTMCell": {"num_units": 3, "use_peepholes": True}}, {"GRUCell": {"num_units": 2}}]},
             lengths=[3, 4], initial_state=True, seed=6, scope="encoder")
    tf1_case("static_rnn_lstm_lengths", "static_rnn", {"BasicLSTMCell": {"num_units": 2}}, lengths=[4, 2], seed=7)
    tf1_case("static_rnn_gru_time_major", "static_rnn", {"GRUCell": {"num_units": 2}}, time_major=True, seed=8)
    tf1_case("bidirectional_lengths", "bidirectional_dynamic_rnn",
             ({"LSTMCell": {"num_units": 2}}, {"GRUCell": {"num_units": 3}}), lengths=[4, 2, 3], batch=3, seed=9)
    tf1_case("bidirectional_multi_time_major", "bidirectional_dynamic_rnn",
             ({"BasicRNNCell": {"num_units": 2}},
              {"MultiRNNCell": [{"BasicLSTMCell": {"num_units": 2}}, {"BasicLSTMCell": {"num_units": 2}}]}),
             time_major=True, seed=10)


def keras_case(name, kind, arguments, states=0, seed=0, batch=2, time=4, features=3):
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    model = KerasCase(KERAS[kind](**arguments), name=name)
    x = f32(rng, batch, time, features)
    units = arguments["units"]
    state_values = [f32(rng, batch, units, scale=0.5) for _ in range(states)]
    model(x, [tf.constant(s) for s in state_values] if states else None)
    variables = []
    for v in model.weights:
        value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
        v.assign(value)
        variables.append((v.name[:-2], "rnn/cell/" + v.name[:-2].split("/")[-1], value))
    xt, st = tf.constant(x), [tf.constant(s) for s in state_values]
    with tf.GradientTape() as tape:
        tape.watch([xt] + st)
        result = model(xt, st if states else None)
        result = result if isinstance(result, (list, tuple)) else [result]
        names = ["outputs"] + [f"state_{i}" for i in range(len(result) - 1)]
        loss, weights = weighted_sum(list(zip(names, result)))
    grads = tape.gradient(loss, [xt] + st + model.weights)
    state_names = [f"initial_{i}" for i in range(states)]
    lines = [f"  x: [batch, time, {features}]"] + [f"  {n}: [batch, {units}]" for n in state_names]
    layer = f"  rnn: {{{kind}: {{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in arguments.items()) + "}}"
    call = f"  - rnn: [{', '.join(['x'] + state_names)}]" if states else "  - rnn: x"
    spec = (f"spec: 1\nmodel: {camel(name)}\nname: {name}\nstyle: native\ninputs:\n" + "\n".join(lines)
            + f"\nlayers:\n{layer}\nforward:\n{call}\n    as: [{', '.join(names)}]\noutputs: [{', '.join(names)}]\n")
    inputs = [("x", x)] + list(zip(state_names, state_values))
    n = len(inputs)
    record(name, spec, inputs, [g.numpy() for g in grads[:n]], variables, [g.numpy() for g in grads[n:]], names, weights)


def keras_cases():
    keras_case("keras_simple_rnn", "SimpleRNN", {"units": 3, "return_sequences": True, "return_state": True},
               states=1, seed=21)
    keras_case("keras_gru_reset_after", "GRU", {"units": 3, "return_sequences": True, "return_state": True}, seed=22)
    keras_case("keras_gru_reset_before_initial_state", "GRU",
               {"units": 2, "reset_after": False, "return_sequences": True}, states=1, seed=23)
    keras_case("keras_gru_no_bias_last", "GRU", {"units": 3, "use_bias": False}, seed=24)
    keras_case("keras_lstm_initial_state", "LSTM", {"units": 3, "return_sequences": True, "return_state": True},
               states=2, seed=25)
    keras_case("keras_lstm_last", "LSTM", {"units": 2}, seed=26)


def decoder_case(seed=50):
    """specs/Decoder.yaml: the gradient of the sparse softmax cross-entropy of its logits
    (tf.compat.v1.losses, the default reduction) with respect to the state, the encoder's
    outputs and every variable (the embedding's made dense)."""
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    decoder = Decoder(20, 8, 16, 3)
    x = np.array([[1], [4], [7]], dtype=np.int32)
    labels = np.array([3, 0, 12], dtype=np.int32)
    hidden, enc_output = f32(rng, 3, 16, scale=0.5), f32(rng, 3, 5, 16)
    decoder(x, hidden, enc_output)
    variables = seed_decoder_variables(decoder, rng)
    ht, et = tf.constant(hidden), tf.constant(enc_output)
    with tf.GradientTape() as tape:
        tape.watch([ht, et])
        logits, _, _ = decoder(x, ht, et)
        loss = v1.losses.sparse_softmax_cross_entropy(labels, logits)
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, [ht, et] + decoder.weights)]
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs", "Decoder.yaml")) as f:
        spec = f.read()
    record("decoder_loss", spec, [("x", x), ("hidden", hidden), ("enc_output", enc_output)], [None] + grads[:2],
           variables, grads[2:], ["logits", "state", "attention_weights"], None,
           loss={"kind": "sparse_softmax_cross_entropy", "labels": save("decoder_loss.labels.npy", labels),
                 "logits": "logits", "value": float(loss.numpy())})


def decoder_training_case(steps=3, seed=51):
    """specs/Decoder.yaml fine-tuned: `steps` steps of tf.compat.v1.train.MomentumOptimizer(0.1, 0.9)
    on its cross-entropy (the same tokens each step, so the embedding's sparse update touches the
    rows a dense one does): the loss before each step and the variables after the last."""
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    decoder = Decoder(20, 8, 16, 3)
    x = np.array([[2], [5], [2]], dtype=np.int32)
    labels = np.array([7, 1, 19], dtype=np.int32)
    hidden, enc_output = f32(rng, 3, 16, scale=0.5), f32(rng, 3, 6, 16)
    decoder(x, hidden, enc_output)
    variables = seed_decoder_variables(decoder, rng)
    optimizer = v1.train.MomentumOptimizer(0.1, 0.9)
    losses = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            logits, _, _ = decoder(x, hidden, enc_output)
            loss = v1.losses.sparse_softmax_cross_entropy(labels, logits)
        grads = tape.gradient(loss, decoder.trainable_variables)
        optimizer.apply_gradients(zip(grads, decoder.trainable_variables))
        losses.append(float(loss.numpy()))
    trained = {v.name[:-2]: v.numpy() for v in decoder.weights}
    entry = {"inputs": [{"name": "x", "file": save("decoder_training.in.x.npy", x)},
                        {"name": "hidden", "file": save("decoder_training.in.hidden.npy", hidden)},
                        {"name": "enc_output", "file": save("decoder_training.in.enc_output.npy", enc_output)}],
             "labels": save("decoder_training.labels.npy", labels), "learning_rate": 0.1, "momentum": 0.9,
             "losses": losses,
             "variables": [{"name": name, "object_path": path, "file": save(f"decoder_training.var{i}.npy", value),
                            "trained": save(f"decoder_training.var{i}.trained.npy", trained[name])}
                           for i, (name, path, value) in enumerate(variables)]}
    write_json(os.path.join(OUT, "decoder_training.json"), entry)


def main():
    global OUT
    OUT = golden_dir(AREA)
    shutil.rmtree(OUT)
    os.makedirs(OUT)
    CASES.clear()
    tf1_cases()
    keras_cases()
    decoder_case()
    decoder_training_case()
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"  {len(CASES)} cases, {total / 1024:.0f} KiB")
