"""Goldens for loops and variants of the spec language (Tests/Goldens/loops/).

Each case is a spec (with the specs it uses) beside the TensorFlow 1 code it
stands for: a Python loop of blocks under `track_tf1_style_variables`, with
`default_name` scopes, scopes named from the index (`"block_%d" % i`), one
scope shared with `AUTO_REUSE`, and blocks whose variant a `bool` chooses
(a projection shortcut or none). cases.json records, for each case, the spec
texts, the parameters, TensorFlow's variables in creation order (name, shape,
value file), the input and TensorFlow's output. The residual case is
specs/ResidualLoop.yaml (with specs/ResidualBlock.yaml), whose generated type
GeneratedModelsTests also runs. Besides it, `random_cases` draws loop counts, starts, scope forms, sizes and
flags with a fixed seed, so that the rule is checked on cases not written by
hand. integer_loop.json: specs/IntegerLoop.yaml's int32 values through a loop
and a conditional, TensorFlow's outputs exact. `formatted_names` records which names formatted from an index
TensorFlow 1 (graph mode) accepts for a scope inside another, a layer and a variable.

The Swift tests (Tests/ModelSpecInterpreterTests/LoopGoldenTests.swift) check
each spec, compare its manifest with TensorFlow's creation order, load
TensorFlow's values by name into the interpreted model and compare its output
within 1e-5.
"""
import os
import shutil

import numpy as np
import tensorflow as tf

from common import ROOT, golden_dir, write_json

v1 = tf.compat.v1
OUT = None
CASES = []


def run(name, specs, model, params, python, inputs):
    """Runs `python(*inputs)` under the shim, recording variables in creation order."""
    tf.keras.backend.clear_session()

    class Case(tf.keras.layers.Layer):
        @v1.keras.utils.track_tf1_style_variables
        def call(self, *args):
            return python(*args)

    created = []

    def creator(next_creator, **kw):
        variable = next_creator(**kw)
        created.append(variable)
        return variable

    layer = Case()
    arrays = [value for _, value in inputs]
    with tf.variable_creator_scope(creator):
        layer(*[tf.constant(a) for a in arrays])
    # Seeded values rather than TensorFlow's initializers, so that the goldens are the same on every run.
    rng = np.random.default_rng(len(CASES))
    for variable in created:
        variable.assign((rng.standard_normal(variable.shape) * 0.5).astype(np.float32))
    output = layer(*[tf.constant(a) for a in arrays])
    assert len(layer.variables) == len({v.name for v in created}), name
    entry = {"name": name, "model": model, "specs": specs, "params": params, "inputs": [], "variables": [],
             "output": f"{name}.y.npy"}
    for key, value in inputs:
        file = f"{name}.{key}.npy"
        np.save(os.path.join(OUT, file), value, allow_pickle=False)
        entry["inputs"].append({"name": key, "file": file})
    seen = set()
    for index, variable in enumerate(created):
        variable_name = variable.name[:-2]
        if variable_name in seen:
            continue
        seen.add(variable_name)
        file = f"{name}.v{index}.npy"
        np.save(os.path.join(OUT, file), variable.numpy().astype(np.float32), allow_pickle=False)
        entry["variables"].append({"name": variable_name, "shape": list(variable.shape), "file": file})
    np.save(os.path.join(OUT, entry["output"]), output.numpy().astype(np.float32), allow_pickle=False)
    CASES.append(entry)


def spec_text(model):
    with open(os.path.join(ROOT, "specs", model + ".yaml")) as f:
        return f.read()


def residual_block(x, filters, project):
    shortcut = x
    if project:
        shortcut = v1.layers.conv2d(x, filters, 1, name="projection")
    y = v1.layers.conv2d(x, filters, 3, padding="same", activation=tf.nn.relu, name="conv1")
    y = v1.layers.conv2d(y, filters, 3, padding="same", name="conv2")
    return tf.nn.relu(y + shortcut)


def residual_loop(blocks):
    def python(images):
        with v1.variable_scope("model"):
            with v1.variable_scope(None, default_name="block"):
                x = residual_block(images, 4, True)
            for _ in range(blocks):
                with v1.variable_scope(None, default_name="block"):
                    x = residual_block(x, 4, False)
            x = tf.reduce_mean(x, axis=[1, 2])
            for i in range(2):
                with v1.variable_scope("unit_%d" % i):
                    x = v1.layers.dense(x, 4, activation=tf.tanh)
            with v1.variable_scope("shared", reuse=v1.AUTO_REUSE):
                for _ in range(2):
                    x = v1.layers.dense(x, 4, name="fc")
        return x
    return python


def residual_cases():
    rng = np.random.default_rng(13)
    images = rng.standard_normal((2, 5, 5, 3)).astype(np.float32)
    specs = {"ResidualLoop.yaml": spec_text("ResidualLoop"), "ResidualBlock.yaml": spec_text("ResidualBlock")}
    run("residual_loop", specs, "ResidualLoop", {}, residual_loop(3), [("images", images)])
    run("residual_loop_one_block", specs, "ResidualLoop", {"blocks": 1}, residual_loop(1), [("images", images)])


def loop_variants(stages, units, gate, skip_head):
    def python(x):
        with v1.variable_scope("net"):
            h = tf.identity(x)
            for s in range(1, 1 + stages):
                for u in range(2):
                    with v1.variable_scope("stage%d_unit%d" % (s, u)):
                        h = v1.layers.dense(h, units, activation=tf.tanh) + h
                if gate:
                    with v1.variable_scope("gate", reuse=v1.AUTO_REUSE):
                        h = v1.layers.dense(h, units, activation=tf.sigmoid) * h
            if not skip_head:
                with v1.variable_scope("head"):
                    h = v1.layers.dense(h, 2)
            return h * 0.5
    return python


def variant_cases():
    """specs/LoopVariants.yaml: nested loops, a conditional block, a negated flag; with its defaults and others."""
    rng = np.random.default_rng(17)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    specs = {"LoopVariants.yaml": spec_text("LoopVariants")}
    run("loop_variants", specs, "LoopVariants", {}, loop_variants(2, 3, True, False), [("x", x)])
    run("loop_variants_ungated_headless", specs, "LoopVariants", {"stages": 1, "gate": False, "skip_head": True},
        loop_variants(1, 3, False, True), [("x", x)])


SCOPES = {
    "default_name": ("scope: {default_name: layer}", lambda i: v1.variable_scope(None, default_name="layer")),
    "formatted": ('scope: "layer_{i}"', lambda i: v1.variable_scope("layer_%d" % i)),
    "formatted_twice": ('scope: "l{i}x{i}"', lambda i: v1.variable_scope("l%dx%d" % (i, i))),
    "shared": ("scope: shared\n            reuse: auto", lambda i: v1.variable_scope("shared", reuse=v1.AUTO_REUSE)),
}


def random_cases():
    """Loops drawn with a fixed seed: count, start, scope form, width, and the flag of a variant."""
    rng = np.random.default_rng(2026)
    for number in range(8):
        count = int(rng.integers(1, 5))
        start = int(rng.choice([0, 1, 3]))
        form = sorted(SCOPES)[number % len(SCOPES)]
        units = int(rng.integers(2, 6))
        halve = bool(rng.integers(0, 2))
        negated = bool(rng.integers(0, 2))
        scope_text, scope = SCOPES[form]
        condition = ("not $halve" if negated else "$halve")
        spec = f"""spec: 1
model: LoopCase
params:
  count: {{type: Int, default: 1}}
  halve: {{type: Bool, default: false}}
inputs:
  x: [batch, {units}]
forward:
  - scope: net
    do:
      - identity: x
        as: h
      - repeat: {{count: $count, index: i, start: {start}}}
        do:
          - {scope_text}
            do:
              - dense: {{input: h, units: {units}, activation: tanh}}
              - multiply: [_, 0.5]
                if: {condition}
              - add: [_, h]
                as: h
      - multiply: [h, 2.0]
"""

        def python(x, count=count, start=start, scope=scope, units=units, halve=halve, negated=negated):
            with v1.variable_scope("net"):
                h = tf.identity(x)
                for i in range(start, start + count):
                    with scope(i):
                        y = v1.layers.dense(h, units, activation=tf.tanh)
                        if halve != negated:
                            y = y * 0.5
                        h = y + h
                return h * 2.0

        x = rng.standard_normal((3, units)).astype(np.float32)
        run(f"random_{number}_{form}_count{count}_start{start}", {"LoopCase.yaml": spec}, "LoopCase",
            {"count": count, "halve": halve}, python, [("x", x)])


def formatted_layer_cases():
    """Layers and variables named from the index: dense(name="fc_%d" % i), get_variable("scale_%d" % i), and a
    layer named from two nested indices (specs/NamedLoop.yaml)."""
    rng = np.random.default_rng(41)
    specs = {"NamedLoop.yaml": spec_text("NamedLoop")}

    def python(x, count):
        with v1.variable_scope("net"):
            h = tf.identity(x)
            for i in range(1, 1 + count):
                y = v1.layers.dense(h, 4, activation=tf.tanh, name="fc_%d" % i)
                s = v1.get_variable("scale_%d" % i, [4])
                h = y * s + h
            for i in range(2):
                for j in range(2):
                    h = v1.layers.dense(h, 4, name="d%dx%d" % (i, j))
            return h

    x = rng.standard_normal((2, 4)).astype(np.float32)
    run("formatted_layer_names", specs, "NamedLoop", {}, lambda x: python(x, 3), [("x", x)])
    run("formatted_layer_names_count2", specs, "NamedLoop", {"count": 2}, lambda x: python(x, 2), [("x", x)])


FORMATS = ["block_{i}", "block {i}", "{i}", "b:{i}", "blk-{i}.x", "b\u00e9{i}", "{i}_b", "b>{i}"]


def formatted_names():
    """For each format, whether TensorFlow 1 (graph mode) accepts the name it gives at index 0 for a scope inside
    another, for a layer's name and for a variable's name."""
    def accepts(make):
        graph = tf.Graph()
        with graph.as_default():
            try:
                with v1.variable_scope("outer"):
                    make()
                return True
            except ValueError:
                return False

    result = []
    for form in FORMATS:
        text = form.replace("{i}", "0")

        def scope():
            with v1.variable_scope(text):
                v1.get_variable("v", [1])

        result.append({"format": form, "accepted": accepts(scope),
                       "layer_accepted": accepts(lambda: v1.layers.dense(tf.zeros([2, 3]), 3, name=text)),
                       "variable_accepted": accepts(lambda: v1.get_variable(text, [1]))})
    return result


def integer_loop():
    """specs/IntegerLoop.yaml: int32 values through a Python loop and a Python `if`, as TensorFlow
    computes them (int32 arithmetic throughout); integer_loop.json records the inputs and, per
    parameter set, TensorFlow's outputs and their dtypes (JSON integers: exact)."""
    x = np.array([[0, 3, 1, 2], [5, 1, 2, 0]], np.float32)
    ids = np.array([7, -2], np.int32)

    def python(x, ids, steps, double):
        best = tf.argmax(x, axis=1, output_type=tf.int32)
        for _ in range(steps):
            ids = tf.add(ids, 1)
            best = tf.add(best, ids)
        if double:
            best = tf.multiply(best, 2)
        return ids, best

    class Case(tf.keras.layers.Layer):
        def __init__(self, steps, double):
            super().__init__()
            self.steps, self.double = steps, double

        @v1.keras.utils.track_tf1_style_variables
        def call(self, x, ids):
            return python(x, ids, self.steps, self.double)

    cases = []
    for params in [{}, {"steps": 2, "double": False}, {"steps": 1, "double": True}]:
        steps, double = params.get("steps", 3), params.get("double", True)
        out_ids, out_best = Case(steps, double)(tf.constant(x), tf.constant(ids))
        assert out_ids.dtype == tf.int32 and out_best.dtype == tf.int32
        cases.append({"params": params, "ids": out_ids.numpy().tolist(), "best": out_best.numpy().tolist(),
                      "dtypes": [out_ids.dtype.name, out_best.dtype.name]})
    return {"x": x.tolist(), "ids": ids.tolist(), "cases": cases}


def main():
    global OUT
    OUT = golden_dir("loops")
    shutil.rmtree(OUT)
    os.makedirs(OUT)
    residual_cases()
    variant_cases()
    random_cases()
    formatted_layer_cases()
    write_json(os.path.join(OUT, "cases.json"), {"cases": CASES, "formatted_names": formatted_names()})
    write_json(os.path.join(OUT, "integer_loop.json"), integer_loop())
    print(f"wrote {len(CASES)} loop cases")
