#!/usr/bin/env python3
"""ONNX Runtime's side of the benchmarks (docs/performance.md).

The same models as specs/BenchMLP.yaml, BenchCNNSmall.yaml, BenchCNNBN.yaml,
CompatV1LayerModel.yaml and BenchLSTM.yaml, built as ONNX graphs with the `onnx`
package from the weights the Swift side sends (its variables, by their
TensorFlow names), and run by `onnxruntime` with all graph optimizations and the
thread counts asked for (intra-op N, inter-op 1, sequential execution). The
graphs take the same NHWC input as the Swift models: a Transpose to NCHW comes
first, as a TensorFlow converter writes it, and the dense kernel after a flatten
has its rows permuted from NHWC to NCHW order (what such a converter's optimizer
does), so the graph computes the same function as the spec. The LSTM is ONNX's
LSTM operator, time-major between two Transposes, with TensorFlow's kernel split
into its input and state rows and its gates reordered (i, j, f, o to i, o, f, c).

    python Benchmarks/onnx_bench.py --serve
        answers one JSON request a line on stdin (what modelspec-bench sends):
        {"cmd": "info"} -> {"onnxruntime_version": ..., "onnx_version": ...}
        {"cmd": "load", "model": "mlp", "batch": 16, "threads": 1, "dir": D}
            D holds weights.json ({name: {"file": F, "shape": [...]}}, F raw
            little-endian float32) and input.bin/input.json (the input and its
            shape); builds the graph and a session, runs it once on the input
            and writes the output to D/output.bin -> {"shape": [...], "path": ...}
        {"cmd": "time", "model": "mlp", "batch": 16, "threads": 1, "seconds": 0.3, "min_runs": 3}
            -> {"times": [seconds, ...]}
"""

import json
import os
import sys
import time

import bench_server
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


class Graph:
    """Nodes and initializers of one graph under construction."""

    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, array, prefix="w"):
        name = self.name(prefix)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def op(self, op_type, inputs, **attributes):
        out = self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attributes))
        return out

    def conv(self, x, scope, pads, activation=True, bias=True):
        """A TF conv2d (HWIO kernel) on NCHW data; `pads` [top, left, bottom, right]."""
        kernel = self.weights[f"{scope}/kernel"].transpose(3, 2, 0, 1)  # HWIO -> OIHW
        inputs = [x, self.const(kernel)]
        if bias:
            inputs.append(self.const(self.weights[f"{scope}/bias"]))
        y = self.op("Conv", inputs, kernel_shape=list(kernel.shape[2:]), pads=[pads[0], pads[1], pads[2], pads[3]])
        return self.op("Relu", [y]) if activation else y

    def dense(self, x, scope, activation, nchw_from=None):
        """A TF dense layer; `nchw_from` (C, H, W) permutes the kernel's rows from NHWC to NCHW order."""
        kernel = self.weights[f"{scope}/kernel"]
        if nchw_from is not None:
            c, h, w = nchw_from
            kernel = kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(c * h * w, -1)
        y = self.op("Gemm", [x, self.const(kernel), self.const(self.weights[f"{scope}/bias"])])
        return self.op("Relu", [y]) if activation else y

    def lstm(self, x, scope, forget_bias=1.0):
        """A TF1 LSTMCell (no peepholes, no projection) over time-major `x` [time, batch, in]:
        ONNX's LSTM with the kernel [in + units, 4·units] of gates i, j, f, o split into W
        (input rows) and R (state rows), reordered to ONNX's i, o, f, c, transposed to
        [1, 4·units, in]; forget_bias added to f's bias, as the cell adds it. Y is
        [time, 1, batch, units]: the direction axis squeezed out."""
        kernel, bias = self.weights[f"{scope}/kernel"], self.weights[f"{scope}/bias"].copy()
        units = kernel.shape[1] // 4
        bias[2 * units:3 * units] += forget_bias
        i, j, f, o = (np.s_[k * units:(k + 1) * units] for k in range(4))
        order = lambda m: np.concatenate([m[..., i], m[..., o], m[..., f], m[..., j]], axis=-1)
        inputs = kernel.shape[0] - units
        w = order(kernel[:inputs]).T[None]
        r = order(kernel[inputs:]).T[None]
        b = np.concatenate([order(bias), np.zeros(4 * units, np.float32)])[None]
        y = self.op("LSTM", [x, self.const(w), self.const(r), self.const(b)], hidden_size=units)
        return self.op("Squeeze", [y, self.const_ints([1])])

    def const_ints(self, values):
        name = self.name("i")
        self.initializers.append(numpy_helper.from_array(np.asarray(values, dtype=np.int64), name))
        return name

    def model(self, input_shape, output, output_shape):
        if isinstance(output_shape, int):
            output_shape = [input_shape[0], output_shape]
        graph = helper.make_graph(
            self.nodes, "bench",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_shape)],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, output_shape)],
            self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def mlp(w, batch):
    g = Graph(w)
    x = g.dense("x", "model/dense", True)
    x = g.dense(x, "model/dense_1", True)
    return g.model([batch, 784], g.dense(x, "model/dense_2", False), 10)


def cnn_small(w, batch):
    g = Graph(w)
    x = g.op("Transpose", ["x"], perm=[0, 3, 1, 2])
    x = g.conv(x, "model/conv2d", [1, 1, 1, 1])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.conv(x, "model/conv2d_1", [1, 1, 1, 1])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("Flatten", [x])
    x = g.dense(x, "model/dense", True, nchw_from=(64, 7, 7))
    return g.model([batch, 28, 28, 1], g.dense(x, "model/dense_1", False), 10)


def cnn_bn(w, batch):
    g = Graph(w)
    x = g.op("Transpose", ["x"], perm=[0, 3, 1, 2])
    for scope, bn in [("model/conv2d", "model/batch_normalization"),
                      ("model/conv2d_1", "model/batch_normalization_1"),
                      ("model/conv2d_2", "model/batch_normalization_2")]:
        x = g.conv(x, scope, [1, 1, 1, 1], activation=False, bias=False)
        x = g.op("BatchNormalization",
                 [x] + [g.const(w[f"{bn}/{v}"]) for v in ("gamma", "beta", "moving_mean", "moving_variance")],
                 epsilon=1e-3)
        x = g.op("Relu", [x])
    x = g.op("ReduceMean", [x], axes=[2, 3], keepdims=0)
    return g.model([batch, 32, 32, 3], g.dense(x, "model/dense", False), 10)


def compat_v1_layer(w, batch):
    g = Graph(w)
    x = g.op("Transpose", ["x"], perm=[0, 3, 1, 2])
    x = g.conv(x, "model/conv2d", [0, 0, 0, 0], activation=False)
    x = g.op("Flatten", [x])
    return g.model([batch, 5, 5, 5], g.dense(x, "model/dense", False, nchw_from=(3, 3, 3)), 10)


def lstm(w, batch):
    """BenchLSTM.yaml: dynamic_rnn of a MultiRNNCell of two LSTMCells (256) over [batch, 50, 256];
    its outputs, batch-major. ONNX's LSTM runs time-major, so the input is transposed in and out."""
    g = Graph(w)
    x = g.op("Transpose", ["x"], perm=[1, 0, 2])
    for cell in ("cell_0", "cell_1"):
        x = g.lstm(x, f"rnn/multi_rnn_cell/{cell}/lstm_cell")
    return g.model([batch, 50, 256], g.op("Transpose", [x], perm=[1, 0, 2]), [batch, 50, 256])


MODELS = {"mlp": mlp, "cnn_small": cnn_small, "cnn_bn": cnn_bn, "compat_v1_layer": compat_v1_layer, "lstm": lstm}

_sessions = {}


def session_options(threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads == 1:
        # No thread pool to spin: the caller's thread does all the work.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def load(model, batch, threads, directory):
    with open(os.path.join(directory, "weights.json")) as f:
        index = json.load(f)
    weights = {name: np.fromfile(os.path.join(directory, entry["file"]), dtype="<f4").reshape(entry["shape"])
               for name, entry in index.items()}
    with open(os.path.join(directory, "input.json")) as f:
        shape = json.load(f)["shape"]
    x = np.fromfile(os.path.join(directory, "input.bin"), dtype="<f4").reshape(shape)
    proto = MODELS[model](weights, batch)
    session = ort.InferenceSession(proto.SerializeToString(), session_options(threads),
                                   providers=["CPUExecutionProvider"])
    feed = {"x": x}
    y = session.run(None, feed)[0]
    _sessions[(model, batch, threads)] = (session, feed)
    path = os.path.join(directory, "output.bin")
    np.ascontiguousarray(y, dtype="<f4").tofile(path)
    return {"shape": list(y.shape), "path": path}


def time_runs(model, batch, threads, seconds, min_runs):
    session, feed = _sessions[(model, batch, threads)]
    run = session.run
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run(None, feed)
        times.append(time.perf_counter() - t0)
    return times


def info():
    return {"onnxruntime_version": ort.__version__, "onnx_version": onnx.__version__, "opset": OPSET,
            "inter_op_threads": 1, "graph_optimization": "ORT_ENABLE_ALL"}


def serve():
    bench_server.serve({
        "info": lambda request: info(),
        "load": lambda request: load(request["model"], int(request["batch"]), int(request.get("threads", 1)),
                                     request["dir"]),
        "time": lambda request: {"times": time_runs(request["model"], int(request["batch"]),
                                                    int(request.get("threads", 1)),
                                                    float(request.get("seconds", 0.3)),
                                                    int(request.get("min_runs", 3)))},
    })


if __name__ == "__main__":
    if sys.argv[1:] != ["--serve"]:
        print(__doc__)
        sys.exit(2)
    serve()
