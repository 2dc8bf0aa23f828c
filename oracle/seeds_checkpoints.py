"""A TensorFlow checkpoint of every seed model (Tests/Goldens/seeds_checkpoints/<Model>/).

Runs after `seeds` (areas run in file-name order) and reads its goldens: for each
seed case it builds the model in TensorFlow as seeds.py does, gives its variables
the golden weights (Tests/Goldens/seeds/<Model>/weights/<i>.npy, by creation
index), checks that TensorFlow then reproduces the golden outputs, and saves the
variables with `tf.compat.v1.train.Saver` (name-based, what a TF1 user has).

The keys are the names ModelSpec's manifest gives the variables
(`modelspec names`), a deliberate choice:

  * variables made through TensorFlow's variable scopes (`get_variable`,
    `tf.compat.v1.layers`, compat layer objects, templates,
    `get_or_create_layer`) are keyed by their TF1 name without `:0`
    (`model/conv2d/kernel`): exactly what `Saver(var_list={name: var})` writes
    for a TF1 model;
  * variables owned by Keras-native layers and `add_weight`/`tf.Variable`
    attributes are keyed by their attribute path below the model
    (`conv_layer/kernel`), the object path a TF2 `tf.train.Checkpoint` uses for
    them, rather than by their Keras `variable.name`, which depends on Keras'
    process-wide layer-name counters.

So one Saver checkpoint per seed loads by name, strictly, with no mapping
options. (TF2 object-based checkpoints add `/.ATTRIBUTES/VARIABLE_VALUE` and
an object root to those paths, and key shim variables as
`_tf1_style_var_store/_vars/model.Sdense.Skernel`; ModelSpec's NameMapping
reads both forms, tested on the checkpoints fixtures.)

Each folder has
    checkpoint/       model.ckpt.index, model.ckpt.data-00000-of-00001 and the
                      `checkpoint` state file (relative path)
    object_checkpoint/  the same weights as `tf.train.Checkpoint(model=layer).write`
                      writes them (TF2 object-based keys), where TensorFlow can
    checkpoint.json   {"model", "prefix", "variables": [{"key", "tf_name",
                      "creation_index", "shape", "dtype"}], "inputs": [files],
                      "outputs": [files]}: the golden inputs (in the seeds
                      folder) and the outputs TensorFlow computes with these
                      weights (ComputeSum: its second-call output, since the
                      golden weights hold its total after the first call).
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf
from tensorflow.python.ops import template as template_lib

import seeds
from common import golden_dir, write_json

AREA = "seeds_checkpoints"


def shim_and_template_variables(layer):
    """Identity set of the variables named by TF1 scopes: those in any shim store
    (`_vars`, and the weights of `get_or_create_layer` layers in `_layers`) or
    owned by a `make_template` template, anywhere below `layer`."""
    found = {}
    seen = set()

    def visit(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        store = getattr(obj, "_tf1_style_var_store", None)
        if store is not None:
            for v in store._vars.values():
                found[id(v)] = v
            for sub in store._layers.values():
                for v in sub.weights:
                    found[id(v)] = v
        if isinstance(obj, template_lib.Template):
            for v in obj.variables:
                found[id(v)] = v
        for value in list(vars(obj).values()):
            if isinstance(value, (tf.Module, template_lib.Template)):
                visit(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, (tf.Module, template_lib.Template)):
                        visit(item)

    visit(layer)
    return found


def attribute_paths(layer):
    """Identity map variable -> attribute path below `layer`, breadth-first over
    the attributes that hold layers, modules or variables (shim stores skipped)."""
    paths = {}
    queue = [(layer, "")]
    seen = {id(layer)}
    while queue:
        obj, prefix = queue.pop(0)
        for name, value in vars(obj).items():
            if name == "_tf1_style_var_store":
                continue
            if isinstance(value, tf.Variable):
                paths.setdefault(id(value), prefix + name)
            elif isinstance(value, tf.Module) and id(value) not in seen:
                seen.add(id(value))
                queue.append((value, prefix + name + "/"))
    return paths


def run_case(case):
    model = case["model"]
    seed_dir = os.path.join(golden_dir("seeds"), model)
    with open(os.path.join(seed_dir, "case.json")) as f:
        case_json = json.load(f)
    out_dir = os.path.join(golden_dir(AREA), model)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)

    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(1234)
    input_files = [i["file"] for i in case_json["inputs"]]
    inputs = [np.load(os.path.join(seed_dir, f)) for f in input_files]
    kwargs = case_json["call_kwargs"]

    created = []

    def creator(next_creator, **kw):
        v = next_creator(**kw)
        created.append(v)
        return v

    with tf.variable_creator_scope(creator):
        layer = case["cls"](**case["params"])
        layer(*[tf.constant(x) for x in inputs], **kwargs)
    weight_ids = {id(v) for v in layer.weights}
    created = [v for v in created if id(v) in weight_ids]
    assert len(created) == len(case_json["weights"]), model

    # The golden weights, by creation index.
    for entry in case_json["weights"]:
        v = created[entry["index"]]
        assert seeds.strip0(v.name) == entry["name"], (model, v.name, entry["name"])
        v.assign(np.load(os.path.join(seed_dir, entry["file"])).reshape(v.shape))

    # The keys: ModelSpec's manifest names.
    scoped = shim_and_template_variables(layer)
    attributes = attribute_paths(layer)
    variables = []
    var_list = {}
    for i, v in enumerate(created):
        key = seeds.strip0(v.name) if id(v) in scoped else attributes[id(v)]
        assert key not in var_list, (model, key)
        var_list[key] = v
        variables.append({"key": key, "tf_name": seeds.strip0(v.name), "creation_index": i,
                          "shape": list(v.shape), "dtype": v.dtype.name})

    # TensorFlow with these weights reproduces the golden outputs.
    outs = layer(*[tf.constant(x) for x in inputs], **kwargs)
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    golden_outputs = [o["file"] for o in case_json.get("second_call_outputs", case_json["outputs"])]
    for o, f in zip(outs, golden_outputs):
        np.testing.assert_allclose(np.array(o), np.load(os.path.join(seed_dir, f)), rtol=1e-6, atol=1e-6)
    if "second_call_outputs" in case_json:
        # ComputeSum's call added to its total; save the value the golden weights hold.
        for entry in case_json["weights"]:
            created[entry["index"]].assign(np.load(os.path.join(seed_dir, entry["file"])).reshape(
                created[entry["index"]].shape))

    ckpt_dir = os.path.join(out_dir, "checkpoint")
    os.makedirs(ckpt_dir)
    saver = tf.compat.v1.train.Saver(var_list=var_list, save_relative_paths=True)
    prefix = saver.save(None, os.path.join(ckpt_dir, "model.ckpt"), write_meta_graph=False)
    listed = dict(tf.train.list_variables(prefix))
    assert sorted(listed) == sorted(var_list), (model, listed)
    reader = tf.train.load_checkpoint(prefix)
    for key, v in var_list.items():
        np.testing.assert_array_equal(reader.get_tensor(key), v.numpy())

    # Where native variables make TensorFlow's names differ from those keys: the
    # checkpoint a plain `Saver(var_list=layer.weights)` writes, keyed by TensorFlow's
    # variable names (Keras names: `fully_native_model/conv2d/kernel`); not where
    # two variables share a name (SimpleDense), which Saver refuses.
    tf_names = [seeds.strip0(v.name) for v in created]
    tf_name_prefix = None
    if tf_names != [v["key"] for v in variables] and len(set(tf_names)) == len(tf_names):
        tf_saver = tf.compat.v1.train.Saver(var_list=list(created), save_relative_paths=True)
        tf_name_prefix = tf_saver.save(None, os.path.join(out_dir, "tf_name_checkpoint", "model.ckpt"),
                                       write_meta_graph=False)
        assert sorted(dict(tf.train.list_variables(tf_name_prefix))) == sorted(tf_names), model

    # The same weights in a TF2 object-based checkpoint, as `tf.train.Checkpoint(model=layer)`
    # writes it (where TensorFlow can: not SimpleDense, whose unnamed add_weight fails).
    object_keys = None
    try:
        object_prefix = tf.train.Checkpoint(model=layer).write(
            os.path.join(out_dir, "object_checkpoint", "ckpt"))
        object_keys = [n for n, _ in tf.train.list_variables(object_prefix)]
    except Exception as e:  # noqa: BLE001  (recorded)
        shutil.rmtree(os.path.join(out_dir, "object_checkpoint"), ignore_errors=True)
        object_error = f"{type(e).__name__}: {e}"

    write_json(os.path.join(out_dir, "checkpoint.json"), {
        "model": model,
        "prefix": "checkpoint/model.ckpt",
        "variables": variables,
        "inputs": input_files,
        "outputs": golden_outputs,
        "tf_name_prefix": os.path.relpath(tf_name_prefix, out_dir) if tf_name_prefix else None,
        "object_prefix": os.path.relpath(object_prefix, out_dir) if object_keys is not None else None,
        "object_keys": object_keys if object_keys is not None else object_error,
        "note": "Keys are ModelSpec's manifest names (TF1 names for scope-named variables, "
                "attribute paths for native ones); inputs and outputs are files of "
                "Tests/Goldens/seeds/" + model + "/.",
    })
    print(f"  {model}: {[v['key'] for v in variables]}")


def main():
    for case in seeds.CASES:
        run_case(case)


if __name__ == "__main__":
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    main()
