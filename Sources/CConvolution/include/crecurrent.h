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

#endif
