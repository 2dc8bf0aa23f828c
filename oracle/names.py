"""Which names TensorFlow 1 accepts for a variable scope, a variable
(`get_variable`) and a layer (`tf.compat.v1.layers.dense(name=...)`), at the
top level of a graph and inside a scope: the rule ModelSpec's checker follows
so that a spec TensorFlow would refuse is a located error (oracle/README.md,
"Names TensorFlow refuses").

TensorFlow 1 here is graph mode (`tf.Graph().as_default()`), where
`Graph.name_scope` checks each scope name against `_VALID_SCOPE_NAME_REGEX`
(inside another scope) or `_VALID_OP_NAME_REGEX` (at the top level), and
`get_variable` opens a name scope with the variable's full name.

    TF_USE_LEGACY_KERAS=1 .venv-tf/bin/python oracle/make_goldens.py names

Writes Tests/Goldens/names/names.json: for each name, whether each use is accepted.
"""
import os

import tensorflow as tf

from common import golden_dir, write_json

v1 = tf.compat.v1

NAMES = [
    "a", "A1", "0a", ".a", "_a", "-a", "/a", "\\a", ">a",
    "a/b", "a-b", "a.b", "a>b", "a\\b", "a_b", "a//b", "a/", ".", "..",
    "a b", " a", "a ", "a\nb", "a\n", "a\tb", "a:b", "a@b", "a#b", "a,b", "a+b", "a(b)", "a'b", 'a"b',
    "a$b", "a%b", "a*b", "a=b", "a[b]", "a{b}", "a|b", "a~b", "a!b", "a?b", "a;b", "a<b", "a^b", "a&b",
    "\u00e9", "a\u00e9", "a\u0000b", "a\u2028b",
]


def accepted(build):
    graph = tf.Graph()
    with graph.as_default():
        try:
            build()
            return True
        except ValueError:
            return False


def in_outer(build):
    def nested():
        with v1.variable_scope("outer"):
            build()
    return nested


def scope(name):
    def build():
        with v1.variable_scope(name):
            v1.get_variable("v", [1])
    return build


def variable(name):
    return lambda: v1.get_variable(name, [1])


def layer(name):
    return lambda: v1.layers.dense(v1.placeholder(tf.float32, [1, 2]), 1, name=name)


def main():
    cases = []
    for name in NAMES:
        cases.append({
            "name": name,
            "scope": accepted(scope(name)),
            "scope_nested": accepted(in_outer(scope(name))),
            "variable": accepted(variable(name)),
            "variable_nested": accepted(in_outer(variable(name))),
            "layer": accepted(layer(name)),
            "layer_nested": accepted(in_outer(layer(name))),
        })
    write_json(os.path.join(golden_dir("names"), "names.json"), {
        "note": "Whether TensorFlow 1 (graph mode) accepts each name for a variable_scope, a get_variable "
                "and a tf.compat.v1.layers.dense, at the top level and inside variable_scope('outer').",
        "tensorflow": tf.__version__,
        "cases": cases,
    })
    print(f"wrote Tests/Goldens/names/names.json ({len(cases)} names)")


if __name__ == "__main__":
    main()
