"""TensorFlow's starting weights under DeterministicRandomTestTool (Tests/Goldens/starting_weights/).

`tf.compat.v1.keras.utils.DeterministicRandomTestTool` patches
`random_seed.get_seed` so that every random op asking for seeds gets
`(42, operation seed)`: the count of random ops so far in `num_random_ops` mode,
always 0 in `constant` mode (where it also resets the global seed, which drops
TensorFlow's cached kernels, so each op starts its stream afresh). The ops
themselves stay the stateful kernels (RandomUniform, RandomStandardNormal,
TruncatedNormal on Philox). This area records, in both modes:

    ops/<mode>/<i>.npy      a sequence of raw random ops (ops.json says which)
    <Case>/<mode>/<i>.npy   the variables of a case in creation order (when TensorFlow
                            gives them twice alike), made under the
                            tool right after an input drawn inside it (as the guide
                            does: `inputs = tf.random.normal(...)` takes operation seed 0)
    cases.json              per case: spec, input shape, variables (name, shape), and
                            whether TensorFlow 2.21 gives the same weights in two runs
                            (`deterministic`): get_variable's tf.compat.v1
                            initializers do; Keras layers (tf.compat.v1.layers and
                            native) draw their seeds from Python's `random`, not
                            from the tool, and do not.
    fresh_processes.json    the guide's FullyNativeModel and CompatModel made under the
                            tool in two fresh Python processes: the Keras kernels differ
                            from run to run (tf_keras seeds each initializer with
                            `random.randint(1, 1e9)`, a stateless op on `[seed, 0]`;
                            the tool patches neither), so no value ModelSpec could give
                            would be TensorFlow's.
"""
import json
import os
import random
import shutil
import subprocess
import sys

import numpy as np
import tensorflow as tf

import seeds
from common import golden_dir, write_json, write_npy

AREA = "starting_weights"
MODES = ["constant", "num_random_ops"]

OPS = [
    ("normal", [10], {}),
    ("uniform", [7], {"minval": -1.0, "maxval": 1.0}),
    ("truncated_normal", [13], {"mean": 0.5, "stddev": 2.0}),
    ("uniform", [5], {}),
    ("normal", [3], {"mean": 1.0, "stddev": 0.1}),
    ("truncated_normal", [600], {}),
]


def run_op(kind, shape, args):
    if kind == "normal":
        return tf.random.normal(shape, **args)
    if kind == "uniform":
        return tf.random.uniform(shape, **args)
    return tf.random.truncated_normal(shape, **args)


class StartingWeights(tf.keras.layers.Layer):
    """Tests/ModelSpecCheckpointsTests/Specs/StartingWeights.yaml in TensorFlow."""

    @tf.compat.v1.keras.utils.track_tf1_style_variables
    def call(self, inputs):
        v1 = tf.compat.v1
        with v1.variable_scope("block"):
            default = v1.get_variable("default", [6, 5])
            v1.get_variable("glorot_normal", [3, 3, 6, 4], initializer=v1.glorot_normal_initializer())
            v1.get_variable("normal", [7], initializer=v1.random_normal_initializer(mean=0.5, stddev=0.1))
            v1.get_variable("truncated", [6, 9], initializer=v1.truncated_normal_initializer(mean=-1.0, stddev=2.0))
            v1.get_variable("constant", [2], initializer=v1.constant_initializer(1.5))
            v1.get_variable("uniform", [5, 3], initializer=v1.random_uniform_initializer(minval=-0.3, maxval=0.7))
            v1.get_variable("unit", [], initializer=v1.random_uniform_initializer())
            v1.get_variable("ones", [3], initializer=v1.ones_initializer())
            v1.get_variable("scalar_glorot", [])
            v1.get_variable("he_normal", [4, 5], initializer=v1.initializers.he_normal())
            v1.get_variable("lecun_uniform", [2, 3, 4], initializer=v1.initializers.lecun_uniform())
            v1.get_variable("scaled", [3, 4], initializer=v1.variance_scaling_initializer(
                scale=0.5, mode="fan_avg", distribution="untruncated_normal"))
            v1.get_variable("orthogonal_tall", [9, 4], initializer=v1.orthogonal_initializer())
            v1.get_variable("orthogonal_wide", [2, 3, 7], initializer=v1.orthogonal_initializer(gain=2.0))
            v1.get_variable("orthogonal_square", [16, 16], initializer=v1.orthogonal_initializer())
            v1.get_variable("identity", [3, 4], initializer=v1.initializers.identity(gain=0.5))
            return tf.linalg.matmul(inputs, default)


CASES = [
    dict(case="StartingWeights", spec="Tests/ModelSpecCheckpointsTests/Specs/StartingWeights.yaml",
         make=lambda: StartingWeights(), input=[4, 6]),
    dict(case="DenseLayer", spec="specs/DenseLayer.yaml", make=lambda: seeds.DenseLayer(10), input=[4, 20]),
    dict(case="NestedLayer", spec="specs/NestedLayer.yaml", make=lambda: seeds.NestedLayer(10), input=[4, 4]),
    dict(case="WrappedDoubleDenseLayerGetVariable", spec="specs/WrappedDoubleDenseLayerGetVariable.yaml",
         make=lambda: seeds.WrappedDoubleDenseLayerGetVariable(10), input=[4, 20]),
] + [dict(case=step, spec=f"specs/{step}.yaml", make=(lambda s=step: getattr(seeds, s)(10)), input=[10, 5, 5, 5])
     for step in ["CompatModel", "PartiallyMigratedModel", "NearlyFullyNativeModel", "FullyNativeModel"]]


def weights_under_tool(case, mode, python_seed):
    tf.keras.backend.clear_session()
    random.seed(python_seed)  # tf_keras draws Keras initializers' seeds from here
    created = []

    def creator(next_creator, **kw):
        created.append(next_creator(**kw))
        return created[-1]

    tool = tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode=mode)
    with tool.scope(), tf.variable_creator_scope(creator):
        layer = case["make"]()
        inputs = tf.random.normal(case["input"])
        layer(inputs)
    weight_ids = {id(v) for v in layer.weights}
    return inputs.numpy(), [v for v in created if id(v) in weight_ids]


# Run in a fresh interpreter: the guide's FullyNativeModel and CompatModel made under
# the tool (Python's `random` left as the interpreter seeds it), their first kernel values.
FRESH_PROCESS = """
import json, sys
import tensorflow as tf
sys.path.insert(0, {oracle!r})
import seeds
values = {{}}
for step in ["FullyNativeModel", "CompatModel"]:
    tf.keras.backend.clear_session()
    with tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode="num_random_ops").scope():
        layer = getattr(seeds, step)(10)
        inputs = tf.random.normal((2, 5, 5, 5))
        layer(inputs, training=False) if step == "CompatModel" else layer(inputs)
    values[step] = {{v.name: v.numpy().ravel()[:4].tolist() for v in layer.weights}}
print(json.dumps(values))
"""


def fresh_process_runs():
    """Two fresh Python processes make the guide's models under the tool, as a user
    runs the guide twice: the Keras layers' kernels differ (TensorFlow itself does not
    fix them), their zero biases agree."""
    code = FRESH_PROCESS.format(oracle=os.path.dirname(os.path.abspath(__file__)))
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      check=True).stdout.strip().splitlines()[-1]) for _ in range(2)]
    record = {}
    for step in runs[0]:
        record[step] = {name: {"first_values_run_1": runs[0][step][name], "first_values_run_2": runs[1][step][name],
                               "same": runs[0][step][name] == runs[1][step][name]} for name in runs[0][step]}
        kernels = [v for n, v in record[step].items() if "kernel" in n]
        assert kernels and not any(v["same"] for v in kernels), (step, record[step])
    return record


def main():
    out = os.path.join(os.path.dirname(golden_dir(AREA)), AREA)
    shutil.rmtree(out)
    out = golden_dir(AREA)
    for mode in MODES:
        tf.keras.backend.clear_session()
        tool = tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode=mode)
        with tool.scope():
            values = [run_op(*op).numpy() for op in OPS]
        for index, value in enumerate(values):
            write_npy(os.path.join(golden_dir(AREA, "ops", mode), f"{index}.npy"), value)
    cases = []
    for case in CASES:
        record = {"case": case["case"], "spec": case["spec"], "input": case["input"], "modes": {}}
        for mode in MODES:
            inputs, variables = weights_under_tool(case, mode, 1)
            _, again = weights_under_tool(case, mode, 2)
            same = [bool(np.array_equal(a.numpy(), b.numpy())) for a, b in zip(variables, again)]
            if all(same):  # weights TensorFlow does not reproduce itself are no golden
                folder = golden_dir(AREA, case["case"], mode)
                write_npy(os.path.join(folder, "inputs.npy"), inputs)
                for index, variable in enumerate(variables):
                    write_npy(os.path.join(folder, f"{index}.npy"), variable.numpy())
            record["modes"][mode] = {
                "variables": [{"name": v.name.rsplit(":", 1)[0], "shape": list(v.shape),
                               "deterministic": s} for v, s in zip(variables, same)],
            }
        cases.append(record)
    write_json(os.path.join(out, "ops.json"), [{"op": k, "shape": s, "args": a} for k, s, a in OPS])
    write_json(os.path.join(out, "cases.json"), cases)
    write_json(os.path.join(out, "fresh_processes.json"), fresh_process_runs())
