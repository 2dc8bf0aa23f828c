"""Goldens for Keras's `recurrent_dropout` in training (Tests/Goldens/recurrent_dropout/).

tf_keras 2 runs a recurrent layer with `recurrent_dropout` step by step with the cell's
`implementation=1` (never the fused path): DropoutRNNCellMixin draws, once per call, one mask
of the previous output per gate (`rec_dp_mask`: 4 for an LSTM, 3 for a GRU, 1 for a
SimpleRNN) and with `dropout` one mask of the input per gate (`dp_mask`), and the cell reuses
them at every step. TensorFlow's random draws cannot be reproduced in Swift, so each case
fixes the masks: the fixture draws them with numpy (kept elements 1/(1-rate), dropped 0) and
makes them the factories of the cell's mask caches (`_dropout_mask_cache`,
`_recurrent_dropout_mask_cache`, which the cell calls on the first step), then calls the layer with training=True
under a tf.GradientTape. The loss is sum_k sum(y_k * w_k) over the output and the final state.

cases.json lists, per case:

| key | meaning |
| --- | --- |
| `kind`, `arguments` | the Keras layer and its arguments |
| `x`, `initial_state` | the input and the initial state (Keras's order), files |
| `input_masks`, `state_masks` | the masks, one file per gate (input masks empty without `dropout`) |
| `variables` | `[{"name", "file", "gradient"}]`: kernel, recurrent_kernel, bias |
| `outputs` | `[{"file", "weights"}]`: the output, then the final state |
| `x_gradient`, `initial_state_gradients` | tf.GradientTape's gradients of the loss |

The Swift test is Tests/ModelSpecRuntimeTests/RecurrentDropoutGoldenTests.swift.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from tf_keras.src import backend as keras_backend

from common import golden_dir, write_json, write_npy
from recurrent import KERAS
from rnn_gradients import f32, output_weights

AREA = "recurrent_dropout"
OUT = None
CASES = []


def save(name, array):
    write_npy(os.path.join(OUT, name), np.asarray(array, dtype=np.float32))
    return name


def masks(rng, count, shape, rate):
    if rate == 0:
        return []
    return [((rng.uniform(size=shape) >= rate) / (1 - rate)).astype(np.float32) for _ in range(count)]


def fixed_masks(values):
    """A mask factory returning `values` in training (a list per gate, or the one mask when count
    is 1), ones otherwise, as the cell's own (`_generate_dropout_mask`)."""
    def factory(inputs, training, count=1):
        tensors = [keras_backend.in_train_phase(lambda v=v: tf.constant(v), tf.ones_like(inputs), training=training)
                   for v in values]
        return tensors if count > 1 else tensors[0]
    return factory


def case(name, kind, arguments, states=0, seed=0, batch=2, time=4, features=3):
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    layer = KERAS[kind](**arguments)
    units = arguments["units"]
    gates = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind]
    x = f32(rng, batch, time, features)
    initial = [f32(rng, batch, units, scale=0.5) for _ in range(states)]
    layer(x, initial_state=[tf.constant(s) for s in initial] if states else None)
    variables = []
    for v in layer.weights:
        value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
        v.assign(value)
        variables.append((v.name[:-2].split("/")[-1], value, v))
    input_masks = masks(rng, gates, (batch, features), arguments.get("dropout", 0))
    state_masks = masks(rng, gates, (batch, units), arguments["recurrent_dropout"])
    cell = layer.cell
    assert getattr(cell, "implementation", 1) == 1, "recurrent_dropout runs the cell's implementation 1"
    if input_masks:
        cell._dropout_mask_cache.default_factory = fixed_masks(input_masks)
    cell._recurrent_dropout_mask_cache.default_factory = fixed_masks(state_masks)
    xt, st = tf.constant(x), [tf.constant(s) for s in initial]
    with tf.GradientTape() as tape:
        tape.watch([xt] + st)
        result = layer(xt, initial_state=st if states else None, training=True)
        result = result if isinstance(result, (list, tuple)) else [result]
        weights = [output_weights(y.shape.as_list(), k) for k, y in enumerate(result)]
        loss = tf.add_n([tf.reduce_sum(y * w) for y, w in zip(result, weights)])
    grads = tape.gradient(loss, [xt] + st + [v for _, _, v in variables])
    # The masks were used: the same call without them differs.
    plain = layer(xt, initial_state=st if states else None, training=False)
    plain = plain if isinstance(plain, (list, tuple)) else [plain]
    assert not np.allclose(plain[0].numpy(), result[0].numpy()), f"{name}: the masks changed nothing"
    CASES.append({
        "name": name, "kind": kind, "arguments": arguments,
        "x": save(f"{name}.x.npy", x),
        "initial_state": [save(f"{name}.initial{i}.npy", s) for i, s in enumerate(initial)],
        "input_masks": [save(f"{name}.input_mask{k}.npy", m) for k, m in enumerate(input_masks)],
        "state_masks": [save(f"{name}.state_mask{k}.npy", m) for k, m in enumerate(state_masks)],
        "variables": [{"name": n, "file": save(f"{name}.{n}.npy", value), "gradient": save(f"{name}.{n}.grad.npy", g)}
                      for (n, value, _), g in zip(variables, grads[1 + states:])],
        "outputs": [{"file": save(f"{name}.out{k}.npy", y), "weights": save(f"{name}.w{k}.npy", w)}
                    for k, (y, w) in enumerate(zip(result, weights))],
        "x_gradient": save(f"{name}.x.grad.npy", grads[0]),
        "initial_state_gradients": [save(f"{name}.initial{i}.grad.npy", g) for i, g in enumerate(grads[1:1 + states])],
    })


def main():
    global OUT
    OUT = golden_dir(AREA)
    shutil.rmtree(OUT)
    os.makedirs(OUT)
    CASES.clear()
    case("simple_rnn_both", "SimpleRNN",
         {"units": 3, "dropout": 0.3, "recurrent_dropout": 0.4, "return_sequences": True, "return_state": True},
         states=1, seed=61)
    case("gru_reset_after", "GRU", {"units": 3, "recurrent_dropout": 0.5, "return_sequences": True, "return_state": True},
         seed=62)
    case("gru_reset_before_both", "GRU",
         {"units": 3, "dropout": 0.25, "recurrent_dropout": 0.5, "reset_after": False, "return_sequences": True},
         states=1, seed=63)
    case("lstm_both", "LSTM",
         {"units": 3, "dropout": 0.3, "recurrent_dropout": 0.5, "return_sequences": True, "return_state": True},
         states=2, seed=64)
    case("lstm_recurrent_last", "LSTM", {"units": 4, "recurrent_dropout": 0.3, "go_backwards": True}, seed=65)
    write_json(os.path.join(OUT, "cases.json"), {"tensorflow": tf.__version__, "cases": CASES})
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"  {len(CASES)} cases, {total / 1024:.0f} KiB")
