"""Goldens for TF1 variable naming corner cases (Tests/Goldens/naming/<case>.json).

Each case is a tiny shim layer (`call` decorated with
`tf.compat.v1.keras.utils.track_tf1_style_variables`) whose call body does one
thing. We record, for the eager shim:

  description, python (the call body source; init_python when the case sets
  attributes in __init__), input_shape,
  creation_order   [{"name", "shape", "dtype", "trainable"}] for the first call
                   (tf.variable_creator_scope around construction + first call)
  weights          names in layer.weights order after the first call
  second_call_new_variables  names created by a second identical call
  second_call_error          exception of the second call, or null
  weights_after_second_call  layer.weights after the second call
  error            "<exception type>: <message>" of the first call, or null
  graph_mode       the same body run twice in a TF1 graph (tf.Graph() +
                   tf.compat.v1): {"creation_order", "error",
                   "second_call_new_variables", "second_call_error"}, or null
                   where the body cannot run in a graph (nested Keras/shim layers).

Every case is run right after tf.keras.backend.clear_session(), which resets
the eager default graph and with it the variable-scope counters
(_VariableScopeStore.variable_scopes_count) and Keras' name counters.
"""
import inspect
import os
import re
import textwrap
import types

import tensorflow as tf

from common import golden_dir, write_json

v1 = tf.compat.v1
track = v1.keras.utils.track_tf1_style_variables


def strip0(name):
    return name.rsplit(":", 1)[0] if ":" in name else name


def describe_error(e):
    """'<type>: <message>' with Keras' call wrapper and TF's trace removed."""
    msg = str(e)
    m = re.match(r"Exception encountered when calling layer .*?\.\n\n(.*?)(\n\nCall arguments received.*)?$",
                 msg, re.S)
    if m:
        msg = m.group(1)
    for cut in ("Originally defined at", "originally defined at"):
        if cut in msg:
            msg = msg[:msg.index(cut)]
    return f"{type(e).__name__}: {msg.strip()}"


def var_entry(v):
    return {"name": strip0(v.name), "shape": list(v.shape), "dtype": v.dtype.base_dtype.name,
            "trainable": bool(v.trainable)}


class NamingLayer(tf.keras.layers.Layer):
    """The shim layer every case runs in: call(inputs) = body(self, inputs)."""

    def __init__(self, body, init=None, **kwargs):
        super().__init__(**kwargs)
        self._body_fn = body
        if init is not None:
            init(self)

    @track
    def call(self, inputs):
        return self._body_fn(self, inputs)


class InnerShim(tf.keras.layers.Layer):
    """A nested shim layer used by several cases."""

    @track
    def call(self, inputs):
        with v1.variable_scope('inner'):
            return v1.layers.dense(inputs, 2)


class InnerAutoDense(tf.keras.layers.Layer):
    """A nested shim layer whose call has an auto-named dense and no scope."""

    @track
    def call(self, inputs):
        return v1.layers.dense(inputs, 4)


def record_scope(scope_name):
    """Record a variable_scope to make sure future ones get incremented."""
    with v1.variable_scope(scope_name):
        pass


CASES = []


def case(name, description, input_shape=(2, 3), init=None, graph=True, custom=None):
    def deco(fn):
        CASES.append(dict(name=name, description=description, body=fn,
                          input_shape=list(input_shape), init=init, graph=graph,
                          custom=custom))
        return fn
    return deco


# ---------------------------------------------------------------- the cases

@case("get_variable_at_top_level",
      "get_variable outside any variable_scope: the name is used as is.")
def body_get_variable_at_top_level(self, inputs):
    w = v1.get_variable('w', [3])
    return inputs * w


@case("reenter_scope",
      "The same variable_scope('a') entered twice in one call, creating a "
      "different variable in each entry.")
def body_reenter_scope(self, inputs):
    with v1.variable_scope('a'):
        v1.get_variable('v1', [3])
    with v1.variable_scope('a'):
        v1.get_variable('v2', [3])
    return inputs


@case("reenter_scope_same_variable",
      "variable_scope('a') entered twice, get_variable('v') in both, no reuse: "
      "the shim shares silently (AUTO_REUSE); TF1 graph mode raises.")
def body_reenter_scope_same_variable(self, inputs):
    with v1.variable_scope('a'):
        x = v1.get_variable('v', [3])
    with v1.variable_scope('a'):
        y = v1.get_variable('v', [3])
    return inputs * x * y


@case("default_name_twice",
      "variable_scope(None, default_name='block') twice at the top level of the "
      "call (block, block_1). The top-level counters are never reset, so a "
      "second call gets block_2, block_3 (new variables).")
def body_default_name_twice(self, inputs):
    with v1.variable_scope(None, default_name='block'):
        v1.get_variable('w', [1])
    with v1.variable_scope(None, default_name='block'):
        v1.get_variable('w', [1])
    return inputs


@case("default_name_twice_in_named_scope",
      "default_name='block' twice inside variable_scope('outer'): outer/block, "
      "outer/block_1; closing 'outer' resets the counters of its subscopes, so "
      "a second call reuses them.")
def body_default_name_twice_in_named_scope(self, inputs):
    with v1.variable_scope('outer'):
        with v1.variable_scope(None, default_name='block'):
            v1.get_variable('w', [1])
        with v1.variable_scope(None, default_name='block'):
            v1.get_variable('w', [1])
    return inputs


@case("default_name_after_explicit_names",
      "Uniquification counts every opening of a scope name, explicit or not: "
      "explicit 'block_1' first, then default 'block' three times -> block, "
      "block_2, block_3 (block_1 is skipped because it was opened).")
def body_default_name_after_explicit_names(self, inputs):
    with v1.variable_scope('m'):
        with v1.variable_scope('block_1'):
            v1.get_variable('w', [1])
        for _ in range(3):
            with v1.variable_scope(None, default_name='block'):
                v1.get_variable('w', [1])
    return inputs


@case("three_nested_scopes", "variable_scope a/b/c then get_variable('w').")
def body_three_nested_scopes(self, inputs):
    with v1.variable_scope('a'):
        with v1.variable_scope('b'):
            with v1.variable_scope('c'):
                w = v1.get_variable('w', [3])
    return inputs * w


@case("explicit_layer_name_twice_no_reuse",
      "tf.compat.v1.layers.dense(..., name='fc') twice in scope 'model' without "
      "reuse (same input, same units). The functional form passes "
      "_scope=name, so both enter 'model/fc' directly (no uniquification).")
def body_explicit_layer_name_twice_no_reuse(self, inputs):
    with v1.variable_scope('model'):
        a = v1.layers.dense(inputs, 4, name='fc')
        b = v1.layers.dense(inputs, 4, name='fc')
    return a + b


@case("explicit_layer_name_twice_with_reuse",
      "dense(name='fc') then dense(name='fc', reuse=True): shared in both modes.")
def body_explicit_layer_name_twice_with_reuse(self, inputs):
    with v1.variable_scope('model'):
        a = v1.layers.dense(inputs, 4, name='fc')
        b = v1.layers.dense(inputs, 4, name='fc', reuse=True)
    return a + b


@case("explicit_layer_name_twice_shape_mismatch",
      "dense(name='fc') twice where the second sees another input width: the "
      "shim tries to share model/fc/kernel and fails on the shape.")
def body_explicit_layer_name_twice_shape_mismatch(self, inputs):
    with v1.variable_scope('model'):
        a = v1.layers.dense(inputs, 4, name='fc')
        b = v1.layers.dense(a, 4, name='fc')
    return b


@case("oo_layer_explicit_name_twice",
      "Two tf.compat.v1.layers.Dense(4, name='fc') objects called in scope "
      "'model'. Object layers get no _scope, so the name is a default_name and "
      "is uniquified: model/fc, model/fc_1.")
def body_oo_layer_explicit_name_twice(self, inputs):
    with v1.variable_scope('model'):
        a = v1.layers.Dense(4, name='fc')(inputs)
        b = v1.layers.Dense(4, name='fc')(inputs)
    return a + b


@case("reuse_true_missing",
      "variable_scope('a', reuse=True) + get_variable('v') that does not exist. "
      "In eager every VariableScope has reuse=AUTO_REUSE and get_variable "
      "passes reuse=False, so the shim creates it; TF1 raises.")
def body_reuse_true_missing(self, inputs):
    with v1.variable_scope('a', reuse=True):
        w = v1.get_variable('v', [3])
    return inputs * w


@case("reuse_auto",
      "variable_scope('a', reuse=AUTO_REUSE) twice with get_variable('v'): one "
      "variable in both modes.")
def body_reuse_auto(self, inputs):
    with v1.variable_scope('a', reuse=v1.AUTO_REUSE):
        x = v1.get_variable('v', [3])
    with v1.variable_scope('a', reuse=v1.AUTO_REUSE):
        y = v1.get_variable('v', [3])
    return inputs * x * y


@case("reuse_true_existing",
      "get_variable('a/v') then reuse=True scope and get_variable('v') again: shared.")
def body_reuse_true_existing(self, inputs):
    with v1.variable_scope('a'):
        x = v1.get_variable('v', [3])
    with v1.variable_scope('a', reuse=True):
        y = v1.get_variable('v', [3])
    return inputs * x * y


@case("reuse_shape_mismatch",
      "Sharing a/v created with shape [3] as shape [4] (reuse=True): ValueError "
      "in both modes.")
def body_reuse_shape_mismatch(self, inputs):
    with v1.variable_scope('a'):
        v1.get_variable('v', [3])
    with v1.variable_scope('a', reuse=True):
        v1.get_variable('v', [4])
    return inputs


@case("reuse_dtype_mismatch",
      "Sharing a/v created as float32 as float64: ValueError in both modes.")
def body_reuse_dtype_mismatch(self, inputs):
    with v1.variable_scope('a'):
        v1.get_variable('v', [3])
    with v1.variable_scope('a', reuse=True):
        v1.get_variable('v', [3], dtype=tf.float64)
    return inputs


@case("reuse_inherited_by_subscopes",
      "reuse=True on 'a' is inherited by 'a/b' (TF1: a/b/v must exist).")
def body_reuse_inherited_by_subscopes(self, inputs):
    with v1.variable_scope('a'):
        with v1.variable_scope('b'):
            v1.get_variable('v', [3])
    with v1.variable_scope('a', reuse=True):
        with v1.variable_scope('b'):
            v1.get_variable('v', [3])
        with v1.variable_scope('c'):
            v1.get_variable('v', [3])
    return inputs


@case("name_scope",
      "tf.compat.v1.name_scope around get_variable and around an auto-named "
      "dense: neither name changes (only variable scopes prefix get_variable). "
      "Inside variable_scope('vs') a name_scope('ns2') does not add 'ns2'.")
def body_name_scope(self, inputs):
    with v1.name_scope('ns'):
        w = v1.get_variable('v', [3])
        out = v1.layers.dense(inputs * w, 2)
    with v1.variable_scope('vs'):
        with v1.name_scope('ns2'):
            u = v1.get_variable('w', [2])
            out = v1.layers.dense(out * u, 2)
    return out


@case("layers_without_variables_between_dense",
      "In scope 'model': dense, max_pooling2d, flatten, dropout, dense. "
      "Variable-less layers open their own default-name scopes "
      "(max_pooling2d, flatten, dropout) and do not touch the 'dense' counter: "
      "the second dense is dense_1.",
      input_shape=(2, 4, 4, 3))
def body_layers_without_variables_between_dense(self, inputs):
    with v1.variable_scope('model'):
        out = v1.layers.dense(inputs, 3)
        out = v1.layers.max_pooling2d(out, 2, 2)
        out = v1.layers.flatten(out)
        out = v1.layers.dropout(out)
        out = v1.layers.dense(out, 2)
    return out


@case("auto_named_layer_outside_scope",
      "An auto-named dense at the top level of the call (no variable_scope). "
      "The counter of the top-level name 'dense' is never reset, so each call "
      "creates new variables (dense, then dense_1 on the second call).")
def body_auto_named_layer_outside_scope(self, inputs):
    return v1.layers.dense(inputs, 2)


@case("conv_then_dense_counters",
      "conv2d, dense, conv2d, dense in scope 'model': counters are per base "
      "name: conv2d, dense, conv2d_1, dense_1.",
      input_shape=(2, 5, 5, 3))
def body_conv_then_dense_counters(self, inputs):
    with v1.variable_scope('model'):
        out = v1.layers.conv2d(inputs, 3, 3)
        out = v1.layers.dense(out, 3)
        out = v1.layers.conv2d(out, 2, 2)
        out = v1.layers.dense(out, 2)
    return out


@case("shim_layer_called_twice",
      "A typical shim body (named scope, get_variable, auto-named dense) called "
      "twice: the second call creates nothing.")
def body_shim_layer_called_twice(self, inputs):
    with v1.variable_scope('model'):
        w = v1.get_variable('scale', [3], initializer=v1.ones_initializer())
        out = v1.layers.dense(inputs * w, 2)
        out = v1.layers.dense(out, 2)
    return out


def init_two_instances(self):
    self.first = InnerShim()
    self.second = InnerShim()


@case("two_instances_of_one_model",
      "Two instances of the same shim layer class (InnerShim: scope 'inner', "
      "auto-named dense) held by an outer shim layer and called in scope "
      "'model'. Each instance has its own _EagerVariableStore, so both create "
      "a variable named model/inner/dense/kernel: two distinct variables with "
      "the same name, both in outer.weights.",
      init=init_two_instances, graph=False)
def body_two_instances_of_one_model(self, inputs):
    with v1.variable_scope('model'):
        a = self.first(inputs)
        b = self.second(inputs)
    return a + b


def custom_two_top_level_instances(record):
    """Two top-level InnerShim instances, each called once."""
    created = []

    def creator(next_creator, **kw):
        v = next_creator(**kw)
        created.append(v)
        return v

    out = []
    tf.keras.backend.clear_session()
    with tf.variable_creator_scope(creator):
        layers = [InnerShim(), InnerShim()]
        x = tf.ones([2, 3])
        for layer in layers:
            layer(x)
    for layer in layers:
        out.append({"layer_name": layer.name,
                    "weights": [strip0(v.name) for v in layer.weights]})
    record["top_level_instances"] = out
    record["top_level_instances_creation_order"] = [var_entry(v) for v in created]
    record["top_level_instances_note"] = (
        "Two separate top-level InnerShim instances: each gets inner/dense/* "
        "(the 'inner' scope closes and resets the dense counter), distinct "
        "variables with equal names; the Keras layer names differ (inner_shim, "
        "inner_shim_1) but do not prefix get_variable names.")


CASES[-1]["custom"] = custom_two_top_level_instances


def init_nested_shim(self):
    self.inner = InnerShim()


@case("nested_shim_layer_in_scope",
      "Outer scope 'outer' + nested shim layer attribute (InnerShim: scope "
      "'inner', dense): outer/inner/dense/*. The nested layer's variables are "
      "in its own store but their names continue the outer variable scope.",
      init=init_nested_shim, graph=False)
def body_nested_shim_layer_in_scope(self, inputs):
    with v1.variable_scope('outer'):
        return self.inner(inputs)


def init_nested_auto(self):
    self.inner = InnerAutoDense()


@case("nested_shim_layer_continues_outer_counters",
      "Outer: in scope 'outer' an auto-named dense, then a nested shim layer "
      "whose call has an auto-named dense without a scope. The variable-scope "
      "counters are global (not per store): the nested dense is outer/dense_1.",
      init=init_nested_auto, graph=False)
def body_nested_shim_layer_continues_outer_counters(self, inputs):
    with v1.variable_scope('outer'):
        out = v1.layers.dense(inputs, 3)
        out = self.inner(out)
    return out


def init_template(self):
    def scale(x):
        w = v1.get_variable('w', [3], initializer=v1.ones_initializer())
        return x * w
    self.scale = v1.make_template('scale', scale)


@case("template_called_twice",
      "make_template('scale', fn) created in __init__, called twice in scope "
      "'model': one variable model/scale/w.",
      init=init_template)
def body_template_called_twice(self, inputs):
    with v1.variable_scope('model'):
        out = self.scale(inputs)
        out = self.scale(out)
    return out


@case("template_in_two_scopes",
      "The same template called in scope 'a' then in scope 'b': the template "
      "captures its scope on the first call (a/scale), the second call reuses "
      "a/scale/w.",
      init=init_template)
def body_template_in_two_scopes(self, inputs):
    with v1.variable_scope('a'):
        out = self.scale(inputs)
    with v1.variable_scope('b'):
        out = self.scale(out)
    return out


def init_get_or_create(self):
    def build():
        return tf.keras.layers.Dense(3, name='d')
    self.build_sub = build


@case("get_or_create_layer_twice",
      "get_or_create_layer('sub', build) twice in scope 'model' (same object, "
      "built once), then get_or_create_layer('other', build) (a second layer). "
      "The Keras Dense's variables are named by name scopes: "
      "'<outer layer name>/model/d/kernel'; the second layer is also named "
      "'d' by its builder, so its variables get the same names.",
      init=init_get_or_create, graph=False)
def body_get_or_create_layer_twice(self, inputs):
    with v1.variable_scope('model'):
        a = v1.keras.utils.get_or_create_layer('sub', self.build_sub)
        b = v1.keras.utils.get_or_create_layer('sub', self.build_sub)
        assert a is b
        out = a(inputs)
        out = b(out)
        c = v1.keras.utils.get_or_create_layer('other', self.build_sub)
        out = c(out)
    return out


@case("record_scope_then_layer",
      "In scope 'model': record_scope('dense') then an auto-named dense -> "
      "dense_1; then record_scope('conv2d_1') only (not 'conv2d'): the next "
      "conv2d is conv2d, the one after skips conv2d_1 and is conv2d_2.",
      input_shape=(2, 6, 6, 3))
def body_record_scope_then_layer(self, inputs):
    with v1.variable_scope('model'):
        record_scope('dense')
        out = v1.layers.dense(inputs, 3)
        record_scope('conv2d_1')
        out = v1.layers.conv2d(out, 3, 2)
        out = v1.layers.conv2d(out, 3, 2)
    return out


@case("batch_norm_names_and_order",
      "Two batch_normalization layers in scope 'model' (training=False): "
      "gamma, beta, moving_mean, moving_variance created in that order; "
      "layer.weights lists trainable ones sorted (beta, gamma) then "
      "non-trainable ones sorted.",
      input_shape=(2, 3))
def body_batch_norm_names_and_order(self, inputs):
    with v1.variable_scope('model'):
        out = v1.layers.batch_normalization(inputs, training=False)
        out = v1.layers.batch_normalization(out, training=False, center=False)
    return out


@case("dense_with_explicit_name_inside_default_name_scope",
      "In scope 'model': default_name='block' twice, each with dense(name='fc'): "
      "model/block/fc, model/block_1/fc.")
def body_dense_with_explicit_name_inside_default_name_scope(self, inputs):
    with v1.variable_scope('model'):
        with v1.variable_scope(None, default_name='block'):
            out = v1.layers.dense(inputs, 3, name='fc')
        with v1.variable_scope(None, default_name='block'):
            out = v1.layers.dense(out, 3, name='fc')
    return out


@case("scope_with_trailing_reentry_and_layer_counter",
      "Enter 'model' twice with an auto-named dense in each (same input): "
      "closing 'model' resets the counters of model/*, so both are "
      "model/dense; the shim shares them silently, TF1 graph mode raises "
      "'already exists'.")
def body_scope_with_trailing_reentry_and_layer_counter(self, inputs):
    with v1.variable_scope('model'):
        a = v1.layers.dense(inputs, 3)
    with v1.variable_scope('model'):
        b = v1.layers.dense(inputs, 3)
    return a + b


@case("variable_scope_object_reentry",
      "Capture `with variable_scope('a') as s`, then re-enter s: at top level "
      "(dense again -> a/dense, shared in the shim) and from inside scope 'b' "
      "(jumps back: a/w, not b/a/w).")
def body_variable_scope_object_reentry(self, inputs):
    with v1.variable_scope('a') as s:
        out = v1.layers.dense(inputs, 3)
    with v1.variable_scope(s):
        out2 = v1.layers.dense(inputs, 3)
    with v1.variable_scope('b'):
        with v1.variable_scope(s):
            w = v1.get_variable('w', [3])
    return out + out2 * w


@case("variable_scope_object_reentry_counters",
      "Re-entering a captured scope object restores the counters on exit to the "
      "state just after entering (not zeroed): inside s, dense then dense_1 "
      "both times; a default_name scope inside s is 'blk' each time.")
def body_variable_scope_object_reentry_counters(self, inputs):
    with v1.variable_scope('a') as s:
        pass
    for _ in range(2):
        with v1.variable_scope(s):
            out = v1.layers.dense(inputs, 3)
            out = v1.layers.dense(out, 3)
            with v1.variable_scope(None, default_name='blk'):
                v1.get_variable('w', [1])
    return out


def init_compat_layer_object(self):
    self.fc = v1.layers.Dense(3)


@case("compat_layer_object_called_in_two_scopes",
      "One tf.compat.v1.layers.Dense object created in __init__, called in "
      "scope 'a' then in scope 'b': it keeps the scope captured on its first "
      "call (a/dense) and reuses its variables.",
      init=init_compat_layer_object)
def body_compat_layer_object_called_in_two_scopes(self, inputs):
    with v1.variable_scope('a'):
        out = self.fc(inputs)
    with v1.variable_scope('b'):
        out = self.fc(out)
    return out


@case("get_variable_default_initializer_and_trainable",
      "get_variable with trainable=False and with an int32 dtype (default "
      "zeros initializer): trainability and dtype recorded; layer.weights "
      "puts non-trainable variables last.")
def body_get_variable_default_initializer_and_trainable(self, inputs):
    with v1.variable_scope('m'):
        v1.get_variable('z_trainable', [3])
        v1.get_variable('a_frozen', [3], trainable=False)
        v1.get_variable('count', [], dtype=tf.int32)
    return inputs


@case("weights_sort_order",
      "Names that sort differently as strings and as numbers: dense, dense_1 .. "
      "dense_10 in scope 'm' (layer.weights sorts the shim store by name, so "
      "dense_10 comes before dense_2), and a scope 'a_b' vs 'a/b' ('/' < '_').")
def body_weights_sort_order(self, inputs):
    out = inputs
    with v1.variable_scope('m'):
        for _ in range(11):
            out = v1.layers.dense(out, 3, use_bias=False)
    with v1.variable_scope('a_b'):
        v1.get_variable('w', [1])
    with v1.variable_scope('a'):
        with v1.variable_scope('b'):
            v1.get_variable('w', [1])
    with v1.variable_scope('B'):
        v1.get_variable('w', [1])
    return out


@case("custom_getter_substitute",
      "variable_scope('model', custom_getter=...) returning a constant for "
      "model/dense/kernel (seed 002): the substituted variable is never created, "
      "the bias is.")
def body_custom_getter_substitute(self, inputs):
    def getter(getter, name, *args, **kwargs):
        if name == 'model/dense/kernel':
            return tf.ones([3, 2])
        return getter(name, *args, **kwargs)
    with v1.variable_scope('model', custom_getter=getter):
        return v1.layers.dense(inputs, 2)


class LossInner(tf.keras.layers.Layer):
    """Nested shim layer for regularization_loss_order: a native Dense child
    (kernel constant 3, l2) and its own get_variable (constant 4, l2)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.native_c = tf.keras.layers.Dense(
            2, kernel_initializer=tf.constant_initializer(3.0),
            kernel_regularizer='l2', name='native_c')

    @track
    def call(self, inputs):
        with v1.variable_scope('inner'):
            w = v1.get_variable('w_inner', [3], regularizer=tf.keras.regularizers.L2(),
                                initializer=v1.constant_initializer(4.0))
        return self.native_c(inputs * w)


def init_loss_order(self):
    self.native_a = tf.keras.layers.Dense(
        3, kernel_initializer=tf.constant_initializer(2.0),
        kernel_regularizer='l2', name='native_a')
    self.nested_b = LossInner()


@case("regularization_loss_order",
      "layer.losses order with own shim variables, a native Keras attribute and "
      "a nested shim layer that has its own native child. Each regularized "
      "variable has a distinct constant value so the loss can be traced back "
      "(regularization_losses: [{variable, value}] in layer.losses order). "
      "Expected: the outer layer's own callable losses (its store's regularized "
      "variables in creation order), then each tracked sublayer depth-first "
      "pre-order: native_a, nested_b (its store), native_c.",
      init=init_loss_order, graph=False)
def body_regularization_loss_order(self, inputs):
    with v1.variable_scope('model'):
        w1 = v1.get_variable('w1', [3], regularizer=tf.keras.regularizers.L2(),
                             initializer=v1.constant_initializer(5.0))
        w0 = v1.get_variable('w0', [3], regularizer=tf.keras.regularizers.L2(),
                             initializer=v1.constant_initializer(6.0))
        out = self.native_a(inputs * w1 * w0)
        out = self.nested_b(out)
        out = v1.layers.dense(out, 2, kernel_regularizer='l2',
                              kernel_initializer=v1.constant_initializer(7.0))
    return out


def custom_loss_order(record):
    tf.keras.backend.clear_session()
    layer = NamingLayer(body_regularization_loss_order, init_loss_order)
    layer(tf.ones([2, 3]))
    values = {strip0(v.name): float(0.01 * tf.reduce_sum(tf.square(v))) for v in layer.weights}
    out = []
    for loss in layer.losses:
        value = float(loss)
        match = [n for n, lv in values.items() if abs(lv - value) <= 1e-5 * max(1, value)]
        out.append({"variable": match[0] if len(match) == 1 else match, "value": value})
    record["regularization_losses"] = out
    record["flatten_layers_order"] = [l.name for l in layer._flatten_layers()]


CASES[-1]["custom"] = custom_loss_order


def init_loss_order_dfs(self):
    self.nested_b = LossInner()
    self.native_a = tf.keras.layers.Dense(
        3, kernel_initializer=tf.constant_initializer(2.0),
        kernel_regularizer='l2', name='native_a')


@case("regularization_loss_order_depth_first",
      "Like regularization_loss_order but the nested shim layer (with its "
      "native child native_c) is assigned before native_a: layer.losses and "
      "layer.weights walk the sublayers depth-first pre-order "
      "(outer, loss_inner, native_c, native_a), not breadth-first.",
      init=init_loss_order_dfs, graph=False)
def body_regularization_loss_order_depth_first(self, inputs):
    out = self.nested_b(inputs)
    return self.native_a(out)


def custom_loss_order_dfs(record):
    tf.keras.backend.clear_session()
    layer = NamingLayer(body_regularization_loss_order_depth_first, init_loss_order_dfs)
    layer(tf.ones([2, 3]))
    values = {strip0(v.name): float(0.01 * tf.reduce_sum(tf.square(v))) for v in layer.weights}
    out = []
    for loss in layer.losses:
        value = float(loss)
        match = [n for n, lv in values.items() if abs(lv - value) <= 1e-5 * max(1, value)]
        out.append({"variable": match[0] if len(match) == 1 else match, "value": value})
    record["regularization_losses"] = out
    record["flatten_layers_order"] = [l.name for l in layer._flatten_layers()]


CASES[-1]["custom"] = custom_loss_order_dfs


# ---------------------------------------------------------------- harness

def run_eager(c):
    tf.keras.backend.clear_session()
    tf.random.set_seed(7)
    created = []

    def creator(next_creator, **kw):
        v = next_creator(**kw)
        created.append(v)
        return v

    record = {}
    x = tf.ones(c["input_shape"])
    error = None
    with tf.variable_creator_scope(creator):
        layer = NamingLayer(c["body"], c["init"])
        try:
            layer(x)
        except Exception as e:  # noqa: BLE001 - recorded as the golden
            error = describe_error(e)
    record["creation_order"] = [var_entry(v) for v in created]
    record["weights"] = [strip0(v.name) for v in layer.weights]
    record["error"] = error
    created.clear()
    second_error = None
    with tf.variable_creator_scope(creator):
        try:
            layer(x)
        except Exception as e:  # noqa: BLE001
            second_error = describe_error(e)
    record["second_call_new_variables"] = [strip0(v.name) for v in created]
    record["second_call_error"] = second_error
    record["weights_after_second_call"] = [strip0(v.name) for v in layer.weights]
    names = record["weights"]
    record["duplicate_weight_names"] = sorted({n for n in names if names.count(n) > 1})
    return record


def run_graph(c):
    if not c["graph"]:
        return None
    g = tf.Graph()
    with g.as_default():
        x = tf.ones(c["input_shape"])
        ns = types.SimpleNamespace()
        if c["init"] is not None:
            c["init"](ns)
        error = None
        try:
            c["body"](ns, x)
        except Exception as e:  # noqa: BLE001
            error = describe_error(e)
        first = list(v1.global_variables())
        second_error = None
        try:
            c["body"](ns, x)
        except Exception as e:  # noqa: BLE001
            second_error = describe_error(e)
        after = list(v1.global_variables())
    first_ids = {id(v) for v in first}
    return {
        "creation_order": [var_entry(v) for v in first],
        "error": error,
        "second_call_new_variables": [strip0(v.name) for v in after if id(v) not in first_ids],
        "second_call_error": second_error,
    }


def source_of(fn):
    if fn is None:
        return None
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    lines = src.splitlines(keepends=True)
    # Drop the @case(...) decorator: keep from the def/class line on.
    for i, line in enumerate(lines):
        if line.startswith(("def ", "class ")):
            return "".join(lines[i:])
    return src


def main():
    out_dir = golden_dir("naming")
    for name in os.listdir(out_dir):
        if name.endswith(".json"):
            os.remove(os.path.join(out_dir, name))
    for c in CASES:
        record = {
            "description": c["description"],
            "python": source_of(c["body"]),
            "init_python": source_of(c["init"]),
            "input_shape": c["input_shape"],
        }
        used = (record["python"] or "") + (record["init_python"] or "")
        helpers = [source_of(h) for h in (InnerShim, InnerAutoDense, LossInner, record_scope)
                   if h.__name__ + "(" in used]
        if helpers:
            record["helpers_python"] = "\n".join(helpers)
        record.update(run_eager(c))
        record["graph_mode"] = run_graph(c)
        if c["custom"] is not None:
            c["custom"](record)
        write_json(os.path.join(out_dir, c["name"] + ".json"), record)
        gm = record["graph_mode"]
        print(f"  {c['name']}: {[e['name'] for e in record['creation_order']]}"
              f" err={record['error']} 2nd={record['second_call_new_variables']}"
              f" 2nd_err={record['second_call_error']}"
              + (f"\n      graph: {[e['name'] for e in gm['creation_order']]} err={gm['error']}"
                 f" 2nd={gm['second_call_new_variables']} 2nd_err={gm['second_call_error']}"
                 if gm else ""))


if __name__ == "__main__":
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    main()
