"""The guide's migration walk and checkpoint conversion (Tests/Goldens/migration/).

The second half of TensorFlow's guide to the shim walks CompatModel ->
PartiallyMigratedModel -> NearlyFullyNativeModel -> FullyNativeModel, checking
with `DeterministicRandomTestTool(mode='num_random_ops')` that every step starts
from the same weights and gives the same outputs and regularization losses.
This area does that walk in TensorFlow (see `walk` for what the tool still does
under TensorFlow 2.21) and writes, for each step:

    <Step>/name_based/model.ckpt.*    what `tf.compat.v1.train.Saver(var_list=layer.weights)`
                                      writes (TensorFlow's variable names)
    <Step>/object_based/ckpt.*        what `tf.train.Checkpoint(model=layer).write` writes
                                      (object paths, the object graph)
    walk.json                         per step: the variables (creation order: name,
                                      object key), the regularization loss, the output
                                      file; the inputs file
    inputs.npy, <Step>/outputs.npy

Every step's checkpoints hold the same values: the walk's starting weights.

Then, when the Swift CLI is built (`.build/debug/modelspec`, or $MODELSPEC_CLI),
it converts CompatModel's name-based checkpoint to every step in both schemes
and FullyNativeModel's object-based checkpoint back to CompatModel's names, and
TensorFlow restores each conversion into a fresh model (`Saver.restore` for
names, `tf.train.Checkpoint(model=layer).read(...).assert_consumed()` for object
paths) and must reproduce the step's outputs; `conversions.json` records each
command and TensorFlow's verdict. The Swift tests (ConversionTests) convert the
same way and compare keys and values with the checkpoints TensorFlow wrote.
"""
import json
import os
import random
import shutil
import subprocess
import tempfile

import numpy as np
import tensorflow as tf

import seeds
from common import ROOT, golden_dir, write_json, write_npy

AREA = "migration"
STEPS = ["CompatModel", "PartiallyMigratedModel", "NearlyFullyNativeModel", "FullyNativeModel"]
CLASSES = {name: getattr(seeds, name) for name in STEPS}
TAKES_TRAINING = {"CompatModel", "PartiallyMigratedModel"}
SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def strip0(name):
    return name.rsplit(":", 1)[0]


def call(step, layer, inputs):
    if step in TAKES_TRAINING:
        return layer(inputs, training=False)
    return layer(inputs)


def fresh(step, inputs):
    """A new, built instance (Keras names as in a fresh process)."""
    tf.keras.backend.clear_session()
    layer = CLASSES[step](10)
    call(step, layer, inputs)
    return layer


def walk(out):
    """The guide's walk. CompatModel is made under the tool, as the guide makes it;
    each later step gets CompatModel's weights (assigned in creation order, the
    map `modelspec migrate` finds) and must give its outputs and regularization
    loss. Under TensorFlow 2.21 the tool alone no longer gives the steps one
    start: tf_keras' native initializers draw their seeds from Python's `random`
    (stateless ops), not from the tool's `get_seed`; `tool_only_losses` records
    what each step gives under the tool alone."""
    steps = {}
    tool_only = {}
    reference = None
    for step in STEPS:
        tf.keras.backend.clear_session()
        random.seed(1234)  # tf_keras seeds Keras layers' initializers from here, not from the tool
        tool = tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode="num_random_ops")
        created = []

        def creator(next_creator, **kw):
            created.append(next_creator(**kw))
            return created[-1]

        with tool.scope(), tf.variable_creator_scope(creator):
            layer = CLASSES[step](10)
            inputs = tf.random.normal(shape=(10, 5, 5, 5))
            call(step, layer, inputs)
            tool_only[step] = float(tf.math.add_n(layer.losses).numpy())
        if reference is None:
            reference = (inputs.numpy(), [v.numpy() for v in created])
            write_npy(os.path.join(out, "inputs.npy"), reference[0])
        np.testing.assert_allclose(inputs.numpy(), reference[0])
        # In creation order, the order `modelspec migrate` matches them in.
        for variable, value in zip(created, reference[1]):
            assert tuple(variable.shape) == value.shape, (step, variable.name, value.shape)
            variable.assign(value)
        output = call(step, layer, inputs)
        loss = tf.math.add_n(layer.losses)
        step_dir = golden_dir(AREA, step)
        write_npy(os.path.join(step_dir, "outputs.npy"), output.numpy())
        # Name-based: a Saver over the layer's weights keys them by variable.name.
        saver = tf.compat.v1.train.Saver(var_list=layer.weights, save_relative_paths=True)
        saver.save(None, os.path.join(step_dir, "name_based", "model.ckpt"), write_meta_graph=False)
        os.remove(os.path.join(step_dir, "name_based", "checkpoint"))
        tf.train.Checkpoint(model=layer).write(os.path.join(step_dir, "object_based", "ckpt"))
        steps[step] = {
            "variables": [{"name": strip0(v.name), "shape": list(v.shape)} for v in layer.weights],
            "regularization_loss": float(loss.numpy()),
            "outputs": f"{step}/outputs.npy",
        }
    losses = {s: steps[s]["regularization_loss"] for s in STEPS}
    assert len(set(losses.values())) == 1, losses
    for step in STEPS[1:]:
        np.testing.assert_allclose(np.load(os.path.join(out, step, "outputs.npy")),
                                   np.load(os.path.join(out, STEPS[0], "outputs.npy")), rtol=1e-6, atol=1e-6)
    write_json(os.path.join(out, "walk.json"), {"steps": STEPS, "inputs": "inputs.npy", "per_step": steps,
                                                "tool_only_losses": tool_only})
    return reference[0]


def cli():
    path = os.environ.get("MODELSPEC_CLI", os.path.join(ROOT, ".build", "debug", "modelspec"))
    return path if os.path.exists(path) else None


def restore_and_check(step, scheme, prefix, inputs, expected):
    """TensorFlow restores a converted checkpoint into a fresh `step`; its outputs."""
    layer = fresh(step, tf.constant(inputs))
    if scheme == "name-based":
        saver = tf.compat.v1.train.Saver(var_list=layer.weights)
        saver.restore(None, prefix)
        how = "tf.compat.v1.train.Saver(var_list=layer.weights).restore"
    else:
        status = tf.train.Checkpoint(model=layer).read(prefix)
        status.assert_consumed()
        how = "tf.train.Checkpoint(model=layer).read(...).assert_consumed()"
    got = call(step, layer, tf.constant(inputs)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    return how, float(np.max(np.abs(got - expected)))


def conversions(out, inputs):
    binary = cli()
    if binary is None:
        print("  (no Swift CLI built: conversions not verified; run `swift build --product modelspec` first)")
        return
    compat = os.path.join(out, "CompatModel", "name_based", "model.ckpt")
    fully = os.path.join(out, "FullyNativeModel", "object_based", "ckpt")
    spec = lambda s: os.path.join(ROOT, "specs", s + ".yaml")
    cases = []
    for step in STEPS:
        for scheme in ("name-based", "object-based"):
            cases.append((step, scheme, compat, "CompatModel", []))
    cases.append(("CompatModel", "name-based", fully, "FullyNativeModel", ["--object-root", "model"]))
    cases.append(("PartiallyMigratedModel", "object-based", fully, "FullyNativeModel", ["--object-root", "model"]))
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, (step, scheme, source, source_spec, extra) in enumerate(cases):
            prefix = os.path.join(tmp, f"c{index}", "ckpt")
            os.makedirs(os.path.dirname(prefix))
            args = ["convert", spec(step), source, "--from", spec(source_spec), "--to", scheme, "-o", prefix]
            if scheme == "object-based":
                args += ["--output-object-root", "model"]
            args += extra
            result = subprocess.run([binary] + args, capture_output=True, text=True)
            assert result.returncode == 0, (args, result.stdout, result.stderr)
            expected = np.load(os.path.join(out, step, "outputs.npy"))
            how, diff = restore_and_check(step, scheme, prefix, inputs, expected)
            rel = lambda p: os.path.relpath(p, ROOT)
            records.append({
                "command": ["modelspec", "convert", rel(spec(step)), rel(source), "--from", rel(spec(source_spec)),
                            "--to", scheme, "-o", "OUT"] + (["--output-object-root", "model"] if scheme == "object-based" else []) + extra,
                "step": step, "scheme": scheme,
                "keys": sorted(k for k, _ in tf.train.list_variables(prefix)),
                "restored_by": how, "max_abs_output_difference": diff,
            })
            print(f"  TensorFlow restored {step} ({scheme}) converted from {source_spec}")
    write_json(os.path.join(out, "conversions.json"), {"chain": records, "seeds": seed_conversions(binary)})


# Seed models converted to both schemes of themselves (beyond the chain): compat
# layer objects kept as attributes, templates, a nested shim layer, batch norm,
# functional compat layers, native layers beside compat ones.
SEED_CONVERSIONS = ["OOStyleCompatModel", "CompatV1TemplateScaleByY", "WrappedDenseLayer", "CompatV1BatchNorm",
                    "FunctionalStyleCompatModel", "PartiallyNativeKerasLayersModel", "WrappedDoubleDenseLayer",
                    "CompatV1LayerModel", "BahdanauAttention", "NestedModel"]


class StoredLayers(tf.keras.layers.Layer):
    """Tests/ModelSpecCheckpointsTests/Specs/StoredLayers.yaml: get_or_create_layer
    layers in a variable scope (a bare Dense) and outside one (a Dense in a
    functional model, as the guide makes them)."""

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, inputs):
        with tf.compat.v1.variable_scope("outer"):
            out = tf.compat.v1.layers.dense(inputs, 4)
            proj = tf.compat.v1.keras.utils.get_or_create_layer("inner", lambda: tf.keras.layers.Dense(3, name="proj"))
            out = proj(out)

        def head():
            inp = tf.keras.Input(shape=(3,))
            return tf.keras.Model(inputs=inp, outputs=tf.keras.layers.Dense(2, name="logits")(inp))
        return tf.compat.v1.keras.utils.get_or_create_layer("head", head)(out)


class BareInner(tf.keras.layers.Layer):
    """Tests/ModelSpecCheckpointsTests/Specs/BareLayers/BareInner.yaml: a shim layer
    nested in BareLayers, with a bare get_or_create_layer layer in a scope."""

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, inputs):
        with tf.compat.v1.variable_scope("in"):
            return tf.compat.v1.keras.utils.get_or_create_layer("p", lambda: tf.keras.layers.Dense(3, name="p"))(inputs)


class BareLayers(tf.keras.layers.Layer):
    """Tests/ModelSpecCheckpointsTests/Specs/BareLayers/BareLayers.yaml: TensorFlow's
    variable names of get_or_create_layer layers in a model with a Keras name:
    bare layers in a scope (auto-named after a compat layer took `dense`, and in
    `default_name` scopes), in a name scope, in a nested shim layer, outside any
    scope, and a layer of a Keras model made in a scope."""

    def __init__(self):
        super().__init__(name="bare_model")
        self.inner = BareInner()

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, inputs):
        get = tf.compat.v1.keras.utils.get_or_create_layer
        with tf.compat.v1.variable_scope("pre"):
            out = tf.compat.v1.layers.dense(inputs, 4)
        with tf.compat.v1.variable_scope("outer"):
            out = get("a", lambda: tf.keras.layers.Dense(3))(out)
            out = self.inner(out)

            def model():
                inp = tf.keras.Input(shape=(3,))
                return tf.keras.Model(inputs=inp, outputs=tf.keras.layers.Dense(3)(inp))
            with tf.compat.v1.variable_scope(None, default_name="block"):
                out = get("c", lambda: tf.keras.layers.Dense(3, name="q"))(out)
                out = get("b", model)(out)
            with tf.compat.v1.variable_scope(None, default_name="block"):
                out = get("d", lambda: tf.keras.layers.Dense(3, name="r"))(out)
        with tf.name_scope("ns"):
            out = get("e", lambda: tf.keras.layers.Dense(3, name="s"))(out)
        return get("f", lambda: tf.keras.layers.Dense(2))(out)


def saver_checkpoint(folder, layer):
    """What `tf.compat.v1.train.Saver(var_list=layer.weights)` writes (keys: TensorFlow's
    variable names) and those names in `layer.weights` order."""
    tf.compat.v1.train.Saver(var_list=layer.weights).save(None, os.path.join(folder, "name_based", "model.ckpt"),
                                                         write_meta_graph=False, write_state=False)
    write_json(os.path.join(folder, "variables.json"), [strip0(w.name) for w in layer.weights])


def bare_layers():
    """BareLayers called twice as TensorFlow names it: its Saver and object-based
    checkpoints, inputs and outputs; the Swift tests load both with no renames."""
    folder = golden_dir(AREA, "BareLayers")
    tf.keras.backend.clear_session()
    layer = BareLayers()
    inputs = np.random.RandomState(8).normal(size=(2, 5)).astype(np.float32)
    layer(tf.constant(inputs))
    outputs = layer(tf.constant(inputs)).numpy()
    write_npy(os.path.join(folder, "inputs.npy"), inputs)
    write_npy(os.path.join(folder, "outputs.npy"), outputs)
    saver_checkpoint(folder, layer)
    tf.train.Checkpoint(model=layer).write(os.path.join(folder, "object_based", "ckpt"))
    print("  BareLayers: " + ", ".join(strip0(w.name) for w in layer.weights))


def stored_layers(binary):
    """StoredLayers' object-based checkpoint as TensorFlow writes it; the CLI
    converts it to both schemes of the spec (and the name-based one back), and
    TensorFlow restores the object-based ones (`assert_consumed()`) and gives
    the same outputs. The Swift tests load TensorFlow's checkpoint with no renames."""
    folder = golden_dir(AREA, "StoredLayers")
    tf.keras.backend.clear_session()
    layer = StoredLayers()
    inputs = np.random.RandomState(7).normal(size=(3, 5)).astype(np.float32)
    outputs = layer(tf.constant(inputs)).numpy()
    source = os.path.join(folder, "object_based", "ckpt")
    tf.train.Checkpoint(model=layer).write(source)
    saver_checkpoint(folder, layer)
    write_npy(os.path.join(folder, "inputs.npy"), inputs)
    write_npy(os.path.join(folder, "outputs.npy"), outputs)
    spec = os.path.join(ROOT, "Tests", "ModelSpecCheckpointsTests", "Specs", "StoredLayers.yaml")
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        steps = [("object-based", source, ["--object-root", "model", "--output-object-root", "model"]),
                 ("name-based", source, ["--object-root", "model"]),
                 ("object-based", os.path.join(tmp, "1", "ckpt"), ["--output-object-root", "model"])]
        for index, (scheme, src, extra) in enumerate(steps):
            prefix = os.path.join(tmp, str(index), "ckpt")
            args = ["convert", spec, src, "--to", scheme, "-o", prefix] + extra
            result = subprocess.run([binary] + args, capture_output=True, text=True)
            assert result.returncode == 0, (args, result.stdout, result.stderr)
            keys = sorted(k for k, _ in tf.train.list_variables(prefix))
            if scheme == "object-based":
                tf.keras.backend.clear_session()
                fresh_layer = StoredLayers()
                fresh_layer(tf.constant(inputs))
                tf.train.Checkpoint(model=fresh_layer).read(prefix).assert_consumed()
                np.testing.assert_array_equal(fresh_layer(tf.constant(inputs)).numpy(), outputs)
                assert keys == sorted(k for k, _ in tf.train.list_variables(source)), keys
            records.append({"scheme": scheme, "from": "TensorFlow's object-based checkpoint" if index < 2
                            else "the name-based conversion", "keys": keys})
            print(f"  StoredLayers: {scheme} conversion" + (" restored by TensorFlow" if scheme == "object-based" else ""))
    write_json(os.path.join(folder, "conversions.json"), records)


def seed_instance(model):
    case = next(c for c in seeds.CASES if c["model"] == model)
    layer = case["cls"](**case["params"])
    if model == "WrappedDenseLayer":
        # The spec names the nested shim layer `dense_layer`; the guide's class keeps it as `_dense_layer`.
        layer.dense_layer = layer._dense_layer
    return layer


def seed_conversions(binary):
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in SEED_CONVERSIONS:
            seed_dir = os.path.join(ROOT, "Tests", "Goldens", "seeds", model)
            with open(os.path.join(seed_dir, "case.json")) as f:
                case = json.load(f)
            inputs = [np.load(os.path.join(seed_dir, i["file"])) for i in case["inputs"]]
            with open(os.path.join(ROOT, "Tests", "Goldens", "seeds_checkpoints", model, "checkpoint.json")) as f:
                outputs = [np.load(os.path.join(seed_dir, o)) for o in json.load(f)["outputs"]]
            source = os.path.join(ROOT, "Tests", "Goldens", "seeds_checkpoints", model, "checkpoint", "model.ckpt")
            for scheme in ("name-based", "object-based"):
                prefix = os.path.join(tmp, model, scheme, "ckpt")
                args = ["convert", os.path.join(ROOT, "specs", model + ".yaml"), source, "--to", scheme, "-o", prefix]
                if scheme == "object-based":
                    args += ["--output-object-root", "model"]
                result = subprocess.run([binary] + args, capture_output=True, text=True)
                assert result.returncode == 0, (args, result.stdout, result.stderr)
                tf.keras.backend.clear_session()
                layer = seed_instance(model)
                layer(*[tf.constant(x) for x in inputs], **case["call_kwargs"])
                if scheme == "name-based":
                    tf.compat.v1.train.Saver(var_list=layer.weights).restore(None, prefix)
                else:
                    tf.train.Checkpoint(model=layer).read(prefix).assert_consumed()
                got = layer(*[tf.constant(x) for x in inputs], **case["call_kwargs"])
                got = list(got) if isinstance(got, (tuple, list)) else [got]
                for g, e in zip(got, outputs):
                    np.testing.assert_allclose(np.array(g), e, rtol=1e-5, atol=1e-5)
                records.append({"model": model, "scheme": scheme,
                                "keys": sorted(k for k, _ in tf.train.list_variables(prefix))})
                print(f"  TensorFlow restored {model} ({scheme}) converted from its Saver checkpoint")
    return records


# ---------------------------------------------------------------------------
# Training state: a tf.compat.v1.train optimizer's slots and own variables
# converted with the model (`convert --training-state`).

TRAIN_STEPS, MORE_STEPS = 3, 2


def loss_of(step, layer, inputs):
    return tf.reduce_mean(tf.square(call(step, layer, inputs))) + tf.math.add_n(layer.losses)


def train(step, layer, optimizer, inputs, steps, global_step=None):
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = loss_of(step, layer, inputs)
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables), global_step=global_step)


def tf1_adam():
    return tf.compat.v1.train.AdamOptimizer(0.01)


def created_in_order(step, inputs):
    """A fresh, built `step` and its variables in creation order (the order
    `modelspec migrate` pairs them in)."""
    tf.keras.backend.clear_session()
    created = []

    def creator(next_creator, **kw):
        created.append(next_creator(**kw))
        return created[-1]

    with tf.variable_creator_scope(creator):
        layer = CLASSES[step](10)
        call(step, layer, inputs)
    return layer, created


def model_and_optimizer(step, inputs):
    """A fresh `step` (and its variables in creation order) with a TF1 Adam whose
    slots and beta powers exist (zero): what a restore fills, before any update."""
    layer, created = created_in_order(step, inputs)
    optimizer = tf1_adam()
    optimizer._create_slots(layer.trainable_variables)
    return layer, created, optimizer


def slot_values(created, optimizer):
    """Per variable in creation order, its m and v; then beta1_power, beta2_power."""
    values = [optimizer.get_slot(v, s).numpy() for v in created for s in ("m", "v")]
    return values + [v.numpy() for v in optimizer._non_slot_variables()]


def training_state(out, inputs):
    """CompatModel trained TRAIN_STEPS steps with `tf.compat.v1.train.AdamOptimizer`
    (eager, as TF2 runs TF1 code), saved by a TF1 Saver with its slots, beta
    powers and global_step (`training/name_based/model.ckpt`); then trained
    MORE_STEPS more: the reference. Each conversion of that checkpoint
    (`convert --training-state`) is restored by TensorFlow into the step with a
    fresh Adam (`tf.train.Checkpoint(model=layer, optimizer=adam).read(...)
    .assert_consumed()`, or a Saver over the weights, slots and beta powers),
    must hold the same slot values, and trained MORE_STEPS more must end where
    CompatModel did. TensorFlow's own object-based checkpoint of the restored
    FullyNativeModel (`training/FullyNativeModel/object_based/ckpt`) is the key
    layout the Swift tests compare with."""
    binary = cli()
    inputs = tf.constant(inputs)
    folder = golden_dir(AREA, "training")
    layer, created = created_in_order("CompatModel", inputs)
    reader = tf.train.load_checkpoint(os.path.join(out, "CompatModel", "name_based", "model.ckpt"))
    for variable in layer.weights:
        variable.assign(reader.get_tensor(strip0(variable.name)))
    optimizer = tf1_adam()
    global_step = tf.compat.v1.train.get_or_create_global_step()
    train("CompatModel", layer, optimizer, inputs, TRAIN_STEPS, global_step)
    source = os.path.join(folder, "name_based", "model.ckpt")
    saved = layer.weights + optimizer.variables() + [global_step]
    tf.compat.v1.train.Saver(var_list=saved, save_relative_paths=True).save(None, source, write_meta_graph=False)
    os.remove(os.path.join(folder, "name_based", "checkpoint"))
    source_slots = slot_values(created, optimizer)
    train("CompatModel", layer, optimizer, inputs, MORE_STEPS)
    reference = [v.numpy() for v in created]
    if binary is None:
        print("  (no Swift CLI built: training-state conversions not verified)")
        return []
    spec = lambda s: os.path.join(ROOT, "specs", s + ".yaml")
    rel = lambda p: os.path.relpath(p, ROOT)
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        def convert(step, scheme, source_path, source_spec, extra, name):
            prefix = os.path.join(tmp, name, "ckpt")
            args = ["convert", spec(step), source_path, "--from", spec(source_spec), "--to", scheme,
                    "--training-state", "-o", prefix] + extra
            result = subprocess.run([binary] + args, capture_output=True, text=True)
            assert result.returncode == 0, (args, result.stdout, result.stderr)
            return prefix, args, result

        def restore(step, scheme, prefix):
            layer, created, optimizer = model_and_optimizer(step, inputs)
            if scheme == "object-based":
                tf.train.Checkpoint(model=layer, optimizer=optimizer).read(prefix).assert_consumed()
                how = "tf.train.Checkpoint(model=layer, optimizer=adam).read(...).assert_consumed()"
            else:
                tf.compat.v1.train.Saver(var_list=layer.weights + optimizer.variables()).restore(None, prefix)
                how = "tf.compat.v1.train.Saver(var_list=layer.weights + adam.variables()).restore"
            return layer, created, optimizer, how

        def check(step, scheme, prefix, args, result, note):
            layer, created, optimizer, how = restore(step, scheme, prefix)
            got_slots = slot_values(created, optimizer)
            assert len(got_slots) == len(source_slots)
            for got, want in zip(got_slots, source_slots):
                np.testing.assert_array_equal(got, want)
            train(step, layer, optimizer, inputs, MORE_STEPS)
            diff = max(float(np.max(np.abs(v.numpy() - r))) for v, r in zip(created, reference))
            assert diff <= 1e-6, (step, scheme, diff)
            records.append({
                "command": ["modelspec"] + ["OUT" if a == prefix else "IN" if a.startswith(tmp) else
                                            rel(a) if os.path.isabs(a) else a for a in args],
                "step": step, "scheme": scheme, "note": note,
                "keys": sorted(k for k, _ in tf.train.list_variables(prefix)),
                "stderr": result.stderr.strip().splitlines(),
                "restored_by": how, "slots_equal": True,
                "max_abs_weight_difference_after_more_steps": diff,
            })
            print(f"  TensorFlow restored {step} ({scheme}) with Adam's slots and trained on: {diff}")

        root = ["--output-object-root", "model"]
        for step in STEPS:
            for scheme in ("name-based", "object-based"):
                prefix, args, result = convert(step, scheme, source, "CompatModel",
                                               root if scheme == "object-based" else [], f"{step}-{scheme}")
                check(step, scheme, prefix, args, result, "from CompatModel's TF1 training checkpoint")
                if step == "FullyNativeModel" and scheme == "object-based":
                    native = prefix
                    # What TensorFlow itself writes for the restored model and optimizer.
                    mine = os.path.join(folder, "FullyNativeModel", "object_based", "ckpt")
                    layer, _, optimizer, _ = restore(step, scheme, prefix)
                    tf.train.Checkpoint(model=layer, optimizer=optimizer).write(mine)
                    assert sorted(k for k, _ in tf.train.list_variables(mine)) == records[-1]["keys"]
        # And back: the native object-based training checkpoint to TF1 names.
        prefix, args, result = convert("CompatModel", "name-based", native, "FullyNativeModel",
                                       ["--object-root", "model"], "back")
        check("CompatModel", "name-based", prefix, args, result, "FullyNativeModel's object-based conversion, back to TF1 names")
        back = tf.train.load_checkpoint(prefix)
        original = tf.train.load_checkpoint(source)
        kept = [k for k, _ in tf.train.list_variables(source) if k != "global_step"]
        assert sorted(k for k, _ in tf.train.list_variables(prefix)) == sorted(kept)
        for key in kept:
            np.testing.assert_array_equal(back.get_tensor(key), original.get_tensor(key))
        print("  round trip: TF1 names -> object paths -> TF1 names gives the original tensors (global_step left out)")
    return records


def main():
    out = os.path.join(os.path.dirname(golden_dir(AREA)), AREA)
    shutil.rmtree(out)
    out = golden_dir(AREA)
    inputs = walk(out)
    conversions(out, inputs)
    records = training_state(out, inputs)
    write_json(os.path.join(out, "training", "conversions.json"), records)
    bare_layers()
    if cli() is not None:
        stored_layers(cli())
