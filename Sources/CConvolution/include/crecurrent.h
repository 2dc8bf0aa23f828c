#ifndef CRECURRENT_H
#define CRECURRENT_H

/// One LSTM step's gate pass for one sequence, without peepholes or a cell clip, with
/// sigmoid gates and tanh: the state's product `product` plus the step's input
/// projection `x` (both the `g` gate columns, `i`, `j`, `f`, `o` starting at the given
/// offsets, `units` each), then
/// `c = σ(f + forget_bias)·c_prev + σ(i)·tanh(j)` and `h = σ(o)·tanh(c)`.
/// `pre` (NULL: not written) receives the gates' sums before their activations, as the
/// backward pass reads them. sigmoid is `1 / (1 + exp(−x))` with Cephes' `expf`, tanh
/// Eigen's rational `ptanh_float`: the runtime's `fastExp` and `rationalTanh`,
/// operation for operation (no fused multiply-adds), so the values are the Swift
/// gate pass's bit for bit; NaN stays NaN. AVX-512 or AVX2 when the CPU has them
/// (checked once, within `ckernels_limit_instructions`), portable vector code otherwise.
void clstm_gates(int units, const float *x, const float *product, int i, int j, int f, int o,
                 float forget_bias, const float *c_prev, float *c, float *h, float *pre);

/// The backward rule of `clstm_gates` for one sequence's step: from the gates' inputs `pre`
/// (as `clstm_gates` wrote them, `forget_bias` included), the new cell state `c`, the
/// previous `c_prev` and the gradients `dh` of `h` and `dc` of `c`, writes the gradient of
/// the previous cell state `dc_prev` and of each gate's input into `dgates` (the gate
/// columns at `i`, `j`, `f`, `o`). The activations are recomputed with `clstm_gates`'
/// functions; derivatives as TensorFlow's kernels take them from the values
/// (σ' = y(1−y), tanh' = 1−y²).
void clstm_gates_backward(int units, const float *pre, const float *c, const float *c_prev, const float *dh,
                          const float *dc, int i, int j, int f, int o, float *dc_prev, float *dgates);

#endif
