"""Goldens for recurrent models (Tests/Goldens/recurrent/): TF1 cells run by
dynamic_rnn, static_rnn and bidirectional_dynamic_rnn, and the Keras recurrent
layers, each beside the spec that stands for it.

Each case is a directory with case.json and .npy files:

| key | meaning |
| --- | --- |
| `spec` | the spec (YAML text) that stands for the TensorFlow code of `source` |
| `source` | the TensorFlow code the case ran (for reading) |
| `config` | the cell and loop as data, for the runtime's own tests |
| `inputs` | `[{"name", "file", "dtype"}]` in the spec's input order |
| `variables` | `[{"name", "shape", "file", "object_path"}]` in creation order (the decoder: `layer.weights` order, `config.variables_order`); `name` is TensorFlow's variable name without `:0`; `object_path` the TF2 checkpoint key (Keras layers) |
| `outputs` | `[{"name", "file"}]` in the spec's output order: the outputs, then the final states flattened as `tf.nest.flatten` orders them (an LSTM state: `c`, then `h`) |

Variables hold seeded uniform values in [-0.5, 0.5) (not the initializers'), so
biases and peepholes count. Shapes are small (batch 3, time 5) to keep the files
at a few KB.
"""
import os
import shutil
import textwrap

import numpy as np
import tensorflow as tf

from common import golden_dir, write_json, write_npy
from seeds import BahdanauAttention  # seed 004's, as the seeds' goldens run it

v1 = tf.compat.v1
AREA = "recurrent"
CASES = []


def f32(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def write_case(name, spec, source, config, inputs, variables, outputs):
    """inputs: [(name, array)]; variables: [(name, array, object_path)]; outputs: [(name, array)]."""
    out = golden_dir(AREA, name)
    entry = {"name": name, "spec": textwrap.dedent(spec).strip() + "\n", "source": textwrap.dedent(source).strip(),
             "config": config, "inputs": [], "variables": [], "outputs": []}
    for key, value in inputs:
        value = np.asarray(value)
        value = value.astype(np.int32) if value.dtype.kind in "iu" else value.astype(np.float32)
        write_npy(os.path.join(out, f"in_{key}.npy"), value)
        entry["inputs"].append({"name": key, "file": f"in_{key}.npy", "dtype": str(value.dtype)})
    for i, (var_name, value, object_path) in enumerate(variables):
        write_npy(os.path.join(out, f"var_{i}.npy"), np.asarray(value, dtype=np.float32))
        entry["variables"].append({"name": var_name, "shape": list(np.shape(value)), "file": f"var_{i}.npy",
                                   "object_path": object_path})
    for key, value in outputs:
        write_npy(os.path.join(out, f"out_{key}.npy"), np.asarray(value, dtype=np.float32))
        entry["outputs"].append({"name": key, "file": f"out_{key}.npy"})
    write_json(os.path.join(out, "case.json"), entry)
    CASES.append(name)


def run_graph(build, feeds, seed):
    """Builds a TF1 graph (build(placeholders) -> {name: tensor}), gives every variable
    seeded values, runs it. Returns ([(name, value)] in creation order, {name: value})."""
    rng = np.random.default_rng(seed)
    graph = tf.Graph()
    with graph.as_default():
        placeholders = {k: v1.placeholder(tf.as_dtype(v.dtype), v.shape, name=k) for k, v in feeds.items()}
        fetches = build(placeholders)
        variables = v1.global_variables()
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            values = []
            for v in variables:
                value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
                v.load(value, session)
                values.append((v.name[:-2], value))
            results = session.run(fetches, {placeholders[k]: v for k, v in feeds.items()})
    return values, results


def flat_state(prefix, state):
    """[(name, tensor)] of a state in tf.nest.flatten order: LSTM states as c, h."""
    if isinstance(state, v1.nn.rnn_cell.LSTMStateTuple):
        return [(f"{prefix}_c", state.c), (f"{prefix}_h", state.h)]
    if isinstance(state, (tuple, list)):
        return [item for i, s in enumerate(state) for item in flat_state(f"{prefix}_{i}", s)]
    return [(prefix, state)]


CELLS = {
    "BasicRNNCell": lambda c: v1.nn.rnn_cell.BasicRNNCell(**c),
    "BasicLSTMCell": lambda c: v1.nn.rnn_cell.BasicLSTMCell(**c),
    "LSTMCell": lambda c: v1.nn.rnn_cell.LSTMCell(**c),
    "GRUCell": lambda c: v1.nn.rnn_cell.GRUCell(**c),
}


WRAPPERS = {
    "DropoutWrapper": v1.nn.rnn_cell.DropoutWrapper,
    "ResidualWrapper": v1.nn.rnn_cell.ResidualWrapper,
    "DeviceWrapper": v1.nn.rnn_cell.DeviceWrapper,
}


def make_cell(config):
    """A cell from {"MultiRNNCell": [cells]}, {"LSTMCell": {arguments}} or a wrapper,
    {"DropoutWrapper": {"cell": {...}, "output_keep_prob": 1.0}}."""
    (kind, arguments), = config.items()
    if kind == "MultiRNNCell":
        return v1.nn.rnn_cell.MultiRNNCell([make_cell(c) for c in arguments])
    if kind in WRAPPERS:
        arguments = dict(arguments)
        inner = make_cell(arguments.pop("cell"))
        if arguments.get("dtype") == "float32":
            arguments["dtype"] = tf.float32
        return WRAPPERS[kind](inner, **arguments)
    return CELLS[kind](dict(arguments))


def yaml_cell(config):
    """The spec's spelling of a cell configuration (flow YAML)."""
    (kind, arguments), = config.items()
    if kind == "MultiRNNCell":
        return "{MultiRNNCell: [" + ", ".join(yaml_cell(c) for c in arguments) + "]}"
    return "{" + kind + ": {" + ", ".join(f"{k}: {yaml_cell(v) if k == 'cell' else yaml_value(v)}"
                                          for k, v in arguments.items()) + "}}"


def yaml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and ":" in value:
        return '"' + value + '"'
    return str(value)


def tf1_case(name, api, cell, batch=3, time=5, features=4, time_major=False, lengths=None,
             initial_state=False, seed=0, scope=None):
    """dynamic_rnn / static_rnn of `cell`, or bidirectional_dynamic_rnn of cell = (fw, bw)."""
    rng = np.random.default_rng(seed)
    x = f32(rng, *((time, batch, features) if time_major else (batch, time, features)))
    feeds = {"x": x}
    if lengths is not None:
        feeds["lengths"] = np.array(lengths, dtype=np.int32)
    state_inputs = []

    def build(p):
        nonlocal state_inputs
        kwargs = {"dtype": tf.float32}
        if "lengths" in p:
            kwargs["sequence_length"] = p["lengths"]
        if scope:
            kwargs["scope"] = scope
        if api == "bidirectional_dynamic_rnn":
            fw, bw = make_cell(cell[0]), make_cell(cell[1])
            (out_fw, out_bw), (st_fw, st_bw) = v1.nn.bidirectional_dynamic_rnn(
                fw, bw, p["x"], time_major=time_major, **kwargs)
            return dict([("output_fw", out_fw), ("output_bw", out_bw)] + flat_state("state_fw", st_fw)
                        + flat_state("state_bw", st_bw))
        rnn_cell = make_cell(cell)
        if initial_state:
            zero = rnn_cell.zero_state(batch, tf.float32)
            flat = tf.nest.flatten(zero)
            names = [n for n, _ in flat_state("initial", zero)]
            values = [f32(rng, *t.shape.as_list(), scale=0.5) for t in flat]
            state_inputs = list(zip(names, values))
            kwargs["initial_state"] = tf.nest.pack_sequence_as(zero, [tf.constant(v) for v in values])
        if api == "dynamic_rnn":
            outputs, state = v1.nn.dynamic_rnn(rnn_cell, p["x"], time_major=time_major, **kwargs)
        else:
            steps = tf.unstack(p["x"], axis=0 if time_major else 1)
            outputs, state = v1.nn.static_rnn(rnn_cell, steps, **kwargs)
            outputs = tf.stack(outputs, axis=0 if time_major else 1)
        return dict([("outputs", outputs)] + flat_state("state", state))

    variables, results = run_graph(build, feeds, seed + 100)
    inputs = [("x", x)] + ([("lengths", feeds["lengths"])] if lengths is not None else []) + state_inputs
    outputs = list(results.items())
    names = [n for n, _ in outputs]
    spec = tf1_spec(name, api, cell, features, time_major, lengths is not None,
                    [(n, v.shape[1]) for n, v in state_inputs], scope, names)
    config = {"api": api, "cell": cell, "time_major": time_major, "sequence_length": lengths is not None,
              "initial_state": [n for n, _ in state_inputs], "scope": scope}
    source = f"{api}({cell}, x, time_major={time_major}, sequence_length={lengths}, initial_state={initial_state})"
    write_case(name, spec, source, config, inputs, [(n, v, None) for n, v in variables], outputs)


def tf1_spec(name, api, cell, features, time_major, has_lengths, state_inputs, scope, output_names):
    """The spec of a TF1 loop over input x (and lengths, and initial states [(name, width)])."""
    shape = "[time, batch, %d]" % features if time_major else "[batch, time, %d]" % features
    lines = [f"  x: {shape}"]
    if has_lengths:
        lines.append("  lengths: {shape: [batch], dtype: int32}")
    for state_name, width in state_inputs:
        lines.append(f"  {state_name}: [batch, {width}]")
    arguments = []
    if api == "bidirectional_dynamic_rnn":
        arguments += [f"cell_fw: {yaml_cell(cell[0])}", f"cell_bw: {yaml_cell(cell[1])}"]
    else:
        arguments.append(f"cell: {yaml_cell(cell)}")
    arguments.append("input: x")
    if has_lengths:
        arguments.append("sequence_length: lengths")
    if time_major:
        arguments.append("time_major: true")
    if state_inputs:
        arguments.append("initial_state: [" + ", ".join(n for n, _ in state_inputs) + "]")
    if scope:
        arguments.append(f"scope: {scope}")
    return (f"spec: 1\nmodel: {camel(name)}\ninputs:\n" + "\n".join(lines) + "\nforward:\n"
            + f"  - {api}:\n" + "".join(f"      {a}\n" for a in arguments)
            + f"    as: [{', '.join(output_names)}]\noutputs: [{', '.join(output_names)}]\n")


def camel(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def tf1_cases():
    tf1_case("basic_rnn", "dynamic_rnn", {"BasicRNNCell": {"num_units": 5}}, seed=1)
    tf1_case("basic_rnn_relu_lengths", "dynamic_rnn", {"BasicRNNCell": {"num_units": 3, "activation": "relu"}},
             lengths=[5, 2, 0], seed=2)
    tf1_case("basic_lstm_lengths", "dynamic_rnn", {"BasicLSTMCell": {"num_units": 4, "forget_bias": 0.5}},
             lengths=[5, 2, 3], seed=3)
    tf1_case("lstm_cell", "dynamic_rnn", {"LSTMCell": {"num_units": 4}}, initial_state=True, seed=4)
    tf1_case("lstm_peepholes_projection_time_major", "dynamic_rnn",
             {"LSTMCell": {"num_units": 6, "use_peepholes": True, "num_proj": 3, "cell_clip": 0.4,
                           "forget_bias": 2.0}},
             time_major=True, lengths=[4, 5, 1], seed=5)
    tf1_case("lstm_proj_clip", "dynamic_rnn",
             {"LSTMCell": {"num_units": 5, "num_proj": 4, "proj_clip": 0.3}}, seed=6)
    tf1_case("gru_initial_state", "dynamic_rnn", {"GRUCell": {"num_units": 4}}, initial_state=True,
             lengths=[3, 5, 2], seed=7)
    tf1_case("multi_rnn", "dynamic_rnn",
             {"MultiRNNCell": [{"LSTMCell": {"num_units": 5, "use_peepholes": True}}, {"GRUCell": {"num_units": 3}},
                               {"BasicLSTMCell": {"num_units": 2}}]},
             lengths=[2, 5, 4], initial_state=True, seed=8, scope="encoder")
    tf1_case("static_rnn_lstm", "static_rnn", {"BasicLSTMCell": {"num_units": 3}}, lengths=[5, 1, 3], seed=9)
    tf1_case("static_rnn_gru_time_major", "static_rnn", {"GRUCell": {"num_units": 3}}, time_major=True, seed=10)
    tf1_case("bidirectional_lengths", "bidirectional_dynamic_rnn",
             ({"LSTMCell": {"num_units": 3}}, {"GRUCell": {"num_units": 4}}), lengths=[5, 3, 1], seed=11)
    tf1_case("bidirectional_time_major", "bidirectional_dynamic_rnn",
             ({"BasicRNNCell": {"num_units": 2}},
              {"MultiRNNCell": [{"BasicLSTMCell": {"num_units": 3}}, {"BasicLSTMCell": {"num_units": 2}}]}),
             time_major=True, seed=12)
    # Cell wrappers (tf.compat.v1.nn.rnn_cell): no scope of their own; keep probabilities of 1.0 drop nothing.
    tf1_case("wrapper_multi_rnn", "dynamic_rnn",
             {"MultiRNNCell": [{"ResidualWrapper": {"cell": {"LSTMCell": {"num_units": 4, "use_peepholes": True}}}},
                               {"DeviceWrapper": {"cell": {"GRUCell": {"num_units": 3}}, "device": "/cpu:0"}},
                               {"DropoutWrapper": {"cell": {"ResidualWrapper": {"cell": {"BasicRNNCell": {"num_units": 3}}}},
                                                   "input_keep_prob": 1.0, "output_keep_prob": 1.0,
                                                   "state_keep_prob": 1.0}}]},
             lengths=[2, 5, 4], initial_state=True, seed=13, scope="encoder")
    tf1_case("wrapper_residual_bidirectional", "bidirectional_dynamic_rnn",
             ({"ResidualWrapper": {"cell": {"GRUCell": {"num_units": 4}}}},
              {"DropoutWrapper": {"cell": {"ResidualWrapper": {"cell": {"LSTMCell": {"num_units": 4}}}},
                                  "output_keep_prob": 1.0, "variational_recurrent": True, "dtype": "float32"}}),
             lengths=[5, 3, 1], seed=14)
    tf1_case("wrapper_residual_around_multi_static", "static_rnn",
             {"ResidualWrapper": {"cell": {"MultiRNNCell": [{"BasicLSTMCell": {"num_units": 5}},
                                                            {"GRUCell": {"num_units": 4}}]}}},
             time_major=True, lengths=[3, 5, 0], seed=15)


class KerasCase(tf.keras.Model):
    """A model holding one Keras recurrent layer (and an Embedding before it), called
    on x (float features or int ids) and optional initial states."""

    def __init__(self, layer, embedding=None, **kwargs):
        super().__init__(**kwargs)
        if embedding is not None:
            self.embedding = embedding
        self.rnn = layer

    def call(self, x, states=None):
        if hasattr(self, "embedding"):
            x = self.embedding(x)
        return self.rnn(x, initial_state=states) if states else self.rnn(x)


KERAS = {"SimpleRNN": tf.keras.layers.SimpleRNN, "GRU": tf.keras.layers.GRU, "LSTM": tf.keras.layers.LSTM}


def object_paths(model):
    """Variable name -> TF2 checkpoint key (less /.ATTRIBUTES/VARIABLE_VALUE)."""
    paths = {}
    for key, _ in tf.train.list_variables(tf.train.Checkpoint(root=model).write("/tmp/modelspec_recurrent/ckpt")):
        if key.endswith("/.ATTRIBUTES/VARIABLE_VALUE"):
            paths[key[:-len("/.ATTRIBUTES/VARIABLE_VALUE")]] = True
    return paths


def assign_random(rng, weights):
    """Gives each (variable, object path) values in [-0.5, 0.5), in order: the golden's variables."""
    variables = []
    for v, path in weights:
        value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
        v.assign(value)
        variables.append((v.name[:-2], value, path))
    return variables


def keras_case(name, kind, arguments, states=0, ids=None, embedding=None, seed=0, batch=3, time=5, features=4):
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    layer = KERAS[kind](**arguments)
    emb = tf.keras.layers.Embedding(**embedding) if embedding else None
    model = KerasCase(layer, emb, name=name)
    x = np.array(ids, dtype=np.int32) if ids is not None else f32(rng, batch, time, features)
    units = arguments["units"]
    state_values = [f32(rng, x.shape[0], units, scale=0.5) for _ in range(states)]
    model(x, [tf.constant(s) for s in state_values] if states else None)
    paths = object_paths(model)

    def path(v):
        # The object path: the attribute (embedding, rnn), `cell` for a recurrent layer's weights.
        leaf = v.name[:-2].split("/")[-1]
        owner = "embedding" if emb is not None and any(v is w for w in emb.weights) else "rnn"
        return next(p for p in paths if p.split("/")[-1] == leaf and p.split("/")[0] == owner)

    variables = assign_random(rng, [(v, path(v)) for v in model.weights])
    result = model(x, [tf.constant(s) for s in state_values] if states else None)
    result = result if isinstance(result, (list, tuple)) else [result]
    names = ["outputs"] + [f"state_{i}" for i in range(len(result) - 1)]
    state_names = [f"initial_{i}" for i in range(states)]
    inputs = [("x", x)] + list(zip(state_names, state_values))
    lines = ["  x: {shape: [batch, time], dtype: int32}" if ids is not None else f"  x: [batch, time, {features}]"]
    lines += [f"  {n}: [batch, {units}]" for n in state_names]
    layer_lines = []
    if embedding:
        layer_lines.append("  embedding: {Embedding: {" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in embedding.items()) + "}}")
    layer_lines.append(f"  rnn: {{{kind}: {{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in arguments.items()) + "}}")
    steps = []
    if embedding:
        steps.append("  - embedding: x")
        operand = "_"
    else:
        operand = "x"
    call = f"  - rnn: [{', '.join([operand] + state_names)}]" if states else f"  - rnn: {operand}"
    steps.append(call)
    steps.append(f"    as: [{', '.join(names)}]")
    spec = (f"spec: 1\nmodel: {camel(name)}\nname: {name}\nstyle: native\ninputs:\n" + "\n".join(lines)
            + "\nlayers:\n" + "\n".join(layer_lines) + "\nforward:\n" + "\n".join(steps)
            + f"\noutputs: [{', '.join(names)}]\n")
    config = {"api": "keras", "layer": kind, "arguments": arguments, "embedding": embedding,
              "initial_state": state_names}
    source = f"{kind}(**{arguments})(x, initial_state=states)"
    write_case(name, spec, source, config, inputs, variables, list(zip(names, [r.numpy() for r in result])))


def keras_cases():
    keras_case("keras_simple_rnn", "SimpleRNN", {"units": 3, "return_sequences": True}, seed=21)
    keras_case("keras_simple_rnn_state", "SimpleRNN", {"units": 3, "return_state": True, "activation": "relu"},
               states=1, seed=22)
    keras_case("keras_gru", "GRU", {"units": 4, "return_sequences": True, "return_state": True}, seed=23)
    keras_case("keras_gru_initial_state", "GRU", {"units": 4, "return_state": True}, states=1, seed=24)
    keras_case("keras_gru_reset_before", "GRU", {"units": 3, "reset_after": False, "return_sequences": True},
               states=1, seed=25)
    keras_case("keras_gru_no_bias", "GRU", {"units": 3, "use_bias": False}, seed=26)
    keras_case("keras_lstm", "LSTM", {"units": 4, "return_sequences": True, "return_state": True}, seed=27)
    keras_case("keras_lstm_initial_state", "LSTM", {"units": 3, "return_state": True}, states=2, seed=28)
    ids = [[3, 1, 4, 1, 5], [9, 2, 6, 0, 0], [5, 0, 0, 0, 0]]
    keras_case("keras_embedding_lstm", "LSTM", {"units": 3, "return_sequences": True},
               ids=ids, embedding={"input_dim": 10, "output_dim": 4}, seed=29)
    keras_case("keras_embedding_mask_gru", "GRU", {"units": 3, "return_sequences": True, "return_state": True},
               ids=ids, embedding={"input_dim": 10, "output_dim": 4, "mask_zero": True}, seed=30)
    keras_case("keras_embedding_mask_lstm", "LSTM", {"units": 2, "return_state": True},
               ids=ids, embedding={"input_dim": 10, "output_dim": 3, "mask_zero": True}, seed=31)
    # go_backwards: the steps read last to first, the outputs in that order (the mask reversed with them).
    keras_case("keras_lstm_go_backwards", "LSTM",
               {"units": 3, "return_sequences": True, "return_state": True, "go_backwards": True}, seed=32)
    keras_case("keras_simple_rnn_go_backwards_state", "SimpleRNN", {"units": 3, "go_backwards": True},
               states=1, seed=33)
    keras_case("keras_gru_go_backwards", "GRU",
               {"units": 3, "return_sequences": True, "reset_after": False, "go_backwards": True}, seed=34)
    keras_case("keras_embedding_mask_gru_go_backwards", "GRU",
               {"units": 3, "return_sequences": True, "return_state": True, "go_backwards": True},
               ids=ids, embedding={"input_dim": 10, "output_dim": 4, "mask_zero": True}, seed=35)
    # dropout and recurrent_dropout: the identity at inference (the model is called with training unset).
    keras_case("keras_lstm_dropout_inference", "LSTM",
               {"units": 3, "return_sequences": True, "dropout": 0.3, "recurrent_dropout": 0.2}, seed=38)
    keras_case("keras_gru_dropout_inference", "GRU", {"units": 3, "return_state": True, "dropout": 0.5}, seed=39)
    # Masks between layers as Keras hands them on: through Dense, LayerNormalization, Dropout and a
    # recurrent layer's sequence; dropped by an operation and by a layer without masking (Conv1D).
    chain_case("keras_mask_chain", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 4, "mask_zero": True}),
        ("proj", "Dense", {"units": 3}),
        ("gru", "GRU", {"units": 3, "return_sequences": True}),
        ("norm", "LayerNormalization", {}),
        ("drop", "Dropout", {"rate": 0.5}),
        ("lstm", "LSTM", {"units": 2, "return_state": True}),
    ], seed=40)
    chain_case("keras_mask_go_backwards_chain", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}),
        ("rnn", "SimpleRNN", {"units": 3, "return_sequences": True, "go_backwards": True}),
        ("gru", "GRU", {"units": 2, "return_sequences": True}),
    ], seed=41)
    chain_case("keras_mask_dropped_by_op", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}),
        ("op:multiply", None, 2.0),
        ("gru", "GRU", {"units": 2, "return_sequences": True}),
    ], seed=42)
    # An operation returning its input itself keeps the mask: tf.cast to the input's dtype returns the
    # tensor it was given (_keras_mask and all); tf.identity makes a new tensor, without one.
    chain_case("keras_mask_kept_by_same_dtype_cast", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}),
        ("op:cast", None, "float32"),
        ("gru", "GRU", {"units": 2, "return_sequences": True}),
    ], seed=44)
    chain_case("keras_mask_dropped_by_identity", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}),
        ("op:identity", None, None),
        ("gru", "GRU", {"units": 2, "return_sequences": True}),
    ], seed=45)
    chain_case("keras_mask_dropped_by_conv1d", ids, [
        ("embedding", "Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}),
        ("conv", "Conv1D", {"filters": 3, "kernel_size": 1}),
        ("lstm", "LSTM", {"units": 2, "return_sequences": True}),
    ], seed=43)
    stateful_case("keras_stateful_gru", "GRU", {"units": 3, "return_sequences": True, "return_state": True}, seed=36)
    stateful_case("keras_stateful_lstm", "LSTM", {"units": 2, "return_state": True, "go_backwards": True}, seed=37)


# The operations a chain may hold between its layers ("op:<name>", None, argument): TensorFlow's call
# and the spec's step.
CHAIN_OPS = {
    "multiply": (lambda x, c: x * c, lambda c: f"multiply: [_, {c}]"),
    "cast": (lambda x, dtype: tf.cast(x, dtype), lambda dtype: f"cast: {{input: _, dtype: {dtype}}}"),
    "identity": (lambda x, _: tf.identity(x), lambda _: "identity: _"),
}


class ChainCase(tf.keras.Model):
    """Layers called one after the other (attributes set in call order, so that `weights`
    lists them in creation order); ("op:multiply", None, c) multiplies by c in between,
    and so on for the operations of CHAIN_OPS."""

    def __init__(self, chain, **kwargs):
        super().__init__(**kwargs)
        self.chain = []
        for attribute, kind, arguments in chain:
            if kind is not None:
                setattr(self, attribute, getattr(tf.keras.layers, kind)(**arguments))
            self.chain.append((attribute, kind, arguments))

    def call(self, x):
        for attribute, kind, arguments in self.chain:
            x = CHAIN_OPS[attribute[3:]][0](x, arguments) if kind is None else getattr(self, attribute)(x)
        return x


def chain_case(name, ids, chain, seed):
    """A model of Keras layers in a chain on int ids, as a native spec; the outputs of the last."""
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    model = ChainCase(chain, name=name)
    x = np.array(ids, dtype=np.int32)
    model(x)
    paths = object_paths(model)
    weights = []
    for attribute, kind, _ in chain:
        for v in getattr(model, attribute).weights if kind is not None else []:
            leaf = v.name[:-2].split("/")[-1]
            path = f"{attribute}/cell/{leaf}" if kind in KERAS else f"{attribute}/{leaf}"
            assert path in paths, (path, sorted(paths))
            weights.append((v, path))
    variables = assign_random(rng, weights)
    assert [v[0] for v in variables] == [v.name[:-2] for v in model.weights]
    result = model(x)
    result = result if isinstance(result, (list, tuple)) else [result]
    names = ["outputs"] + [f"state_{i}" for i in range(len(result) - 1)]
    layer_lines, steps = [], []
    for attribute, kind, arguments in chain:
        if kind is None:
            steps.append("  - " + CHAIN_OPS[attribute[3:]][1](arguments))
            continue
        layer_lines.append(f"  {attribute}: {{{kind}: {{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in arguments.items()) + "}}")
        steps.append(f"  - {attribute}: {'x' if not steps else '_'}")
    steps.append(f"    as: [{', '.join(names)}]")
    spec = (f"spec: 1\nmodel: {camel(name)}\nname: {name}\nstyle: native\ninputs:\n"
            "  x: {shape: [batch, time], dtype: int32}\nlayers:\n" + "\n".join(layer_lines)
            + "\nforward:\n" + "\n".join(steps) + f"\noutputs: [{', '.join(names)}]\n")
    config = {"api": "keras_chain", "chain": [[a, k, v] for a, k, v in chain]}
    source = " -> ".join(f"{k or a}({v})" for a, k, v in chain)
    write_case(name, spec, source, config, [("x", x)], variables, list(zip(names, [r.numpy() for r in result])))


def stateful_case(name, kind, arguments, seed, batch=2, time=4, features=3):
    """A `stateful=True` layer called three times: on x_0, on x_1 (from x_0's final state),
    then after `reset_states()` on x_2 (from zeros again). The outputs of each call are
    `<output>_<call>`; the spec is one call, the test calls it as the case says."""
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    arguments = dict(arguments, stateful=True)
    model = KerasCase(KERAS[kind](**arguments), name=name)
    xs = [f32(rng, batch, time, features) for _ in range(3)]
    model(xs[0])
    paths = object_paths(model)
    variables = assign_random(rng, [(v, next(p for p in paths if p.split("/")[-1] == v.name[:-2].split("/")[-1]))
                                    for v in model.weights])
    model.rnn.reset_states()
    outputs = []
    for call, x in enumerate(xs):
        if call == 2:
            model.rnn.reset_states()
        result = model(x)
        result = result if isinstance(result, (list, tuple)) else [result]
        names = ["outputs"] + [f"state_{i}" for i in range(len(result) - 1)]
        outputs += [(f"{n}_{call}", r.numpy()) for n, r in zip(names, result)]
    spec = (f"spec: 1\nmodel: {camel(name)}\nname: {name}\nstyle: native\ninputs:\n  x: [{batch}, time, {features}]\n"
            + "layers:\n" + f"  rnn: {{{kind}: {{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in arguments.items()) + "}}\n"
            + f"forward:\n  - rnn: x\n    as: [{', '.join(names)}]\noutputs: [{', '.join(names)}]\n")
    config = {"api": "keras", "layer": kind, "arguments": arguments, "embedding": None, "initial_state": [],
              "calls": ["x_0", "x_1", "reset", "x_2"]}
    source = f"{kind}(**{arguments}): call(x_0), call(x_1), reset_states(), call(x_2)"
    write_case(name, spec, source, config, [(f"x_{i}", x) for i, x in enumerate(xs)], variables, outputs)


class Decoder(tf.keras.Model):
    """Seed 004, as written there."""

    def __init__(self, vocab_size, embedding_dim, dec_units, batch_sz):
        super(Decoder, self).__init__()
        self.batch_sz = batch_sz
        self.dec_units = dec_units
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(self.dec_units, return_sequences=True, return_state=True,
                                       recurrent_initializer='glorot_uniform')
        self.fc = tf.keras.layers.Dense(vocab_size)
        self.attention = BahdanauAttention(self.dec_units)

    def call(self, x, hidden, enc_output):
        context_vector, attention_weights = self.attention(hidden, enc_output)
        x = self.embedding(x)
        x = tf.concat([tf.expand_dims(context_vector, 1), x], axis=-1)
        output, state = self.gru(x)
        output = tf.reshape(output, (-1, output.shape[2]))
        x = self.fc(output)
        return x, state, attention_weights


def seed_decoder_variables(decoder, rng):
    """Gives a built Decoder's variables seeded uniform values in [-0.5, 0.5), in `weights`
    order; returns [(TensorFlow name, object path, value)]."""
    owners = [("attention/W1", decoder.attention.W1), ("attention/W2", decoder.attention.W2),
              ("attention/V", decoder.attention.V), ("embedding", decoder.embedding), ("gru/cell", decoder.gru),
              ("fc", decoder.fc)]
    variables = []
    for v in decoder.weights:
        value = rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)
        v.assign(value)
        owner = next(path for path, layer in owners if any(v is w for w in layer.weights))
        variables.append((v.name[:-2], owner + "/" + v.name[:-2].split("/")[-1], value))
    return variables


def decoder_case(steps=4, seed=40):
    """specs/Decoder.yaml: one call, and greedy decoding for `steps` steps from token 1,
    carrying the state (the tutorial's evaluate loop, with argmax)."""
    tf.keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    decoder = Decoder(20, 8, 16, 3)
    x = np.array([[1], [4], [7]], dtype=np.int32)
    hidden = f32(rng, 3, 16, scale=0.5)
    enc_output = f32(rng, 3, 7, 16)
    decoder(x, hidden, enc_output)
    variables = [(name, value, path) for name, path, value in seed_decoder_variables(decoder, rng)]
    logits, state, weights = decoder(x, hidden, enc_output)
    tokens, token, h = [], x, hidden
    for _ in range(steps):
        step_logits, h, _ = decoder(token, h, enc_output)
        token = tf.expand_dims(tf.argmax(step_logits, axis=1, output_type=tf.int32), 1).numpy()
        tokens.append(token[:, 0])
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "specs", "Decoder.yaml")) as f:
        spec = f.read()
    write_case("decoder", spec, "Decoder(20, 8, 16, 3)(x, hidden, enc_output); then greedy steps",
               {"api": "spec", "spec_file": "Decoder", "greedy_steps": steps, "variables_order": "weights"},
               [("x", x), ("hidden", hidden), ("enc_output", enc_output)], variables,
               [("logits", logits.numpy()), ("state", state.numpy()), ("attention_weights", weights.numpy()),
                ("greedy_tokens", np.stack(tokens, axis=1).astype(np.float32)), ("greedy_state", h.numpy())])


def initial_values_case():
    """The starting values Keras gives a recurrent layer's cell (no checkpoint): the bias as made
    (`unit_forget_bias` puts ones on the LSTM's forget gate, the second quarter of [i, f, c, o]) and
    the Gram matrix `R·Rᵀ` of `recurrent_kernel` (`orthogonal`: rows orthonormal, so the identity).
    Random streams differ, so the runtime's test compares these, not the kernels themselves."""
    out = golden_dir(AREA, "keras_initial_values")
    layers = {
        "lstm": tf.keras.layers.LSTM(3),
        "lstm_no_unit_forget_bias": tf.keras.layers.LSTM(3, unit_forget_bias=False),
        "lstm_constant": tf.keras.layers.LSTM(2, bias_initializer=tf.keras.initializers.Constant(0.5)),
        "gru": tf.keras.layers.GRU(4),
        "simple_rnn": tf.keras.layers.SimpleRNN(3),
    }
    entry = {}
    for key, layer in layers.items():
        tf.keras.backend.clear_session()
        layer(np.zeros((1, 2, 5), np.float32))
        cell = layer.cell
        recurrent = cell.recurrent_kernel.numpy()
        write_npy(os.path.join(out, f"{key}_bias.npy"), cell.bias.numpy().astype(np.float32))
        write_npy(os.path.join(out, f"{key}_gram.npy"), (recurrent @ recurrent.T).astype(np.float32))
        entry[key] = {"layer": type(layer).__name__, "config": {k: v for k, v in layer.get_config().items()
                                                               if k in ("units", "unit_forget_bias", "reset_after")},
                      "bias_shape": list(cell.bias.shape), "recurrent_kernel_shape": list(recurrent.shape),
                      "features": 5}
    write_json(os.path.join(out, "case.json"), entry)


def main():
    shutil.rmtree(golden_dir(AREA))
    tf1_cases()
    keras_cases()
    initial_values_case()
    decoder_case()
    total = 0
    for root, _, files in os.walk(golden_dir(AREA)):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    write_json(os.path.join(golden_dir(AREA), "index.json"), {"tensorflow": tf.__version__, "cases": CASES})
    print(f"recurrent: {len(CASES)} cases, {total / 1024:.0f} KiB")
