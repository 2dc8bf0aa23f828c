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

/// One step of one sequence (batch 1) of the cell `clstm_gates` computes, with the state's
/// product fused in: `h_prev · packed` (`packed`: the `k × 4·units` state kernel packed by
/// `csgemm_pack`) is accumulated per block of the four gates' columns in registers and the gate
/// pass run on it there, so the product is never stored. The values are `csgemm_run`'s product
/// followed by `clstm_gates`, bit for bit (the same sums in the same order). `backwards` != 0
/// takes the blocks from the last to the first (each output's sum unchanged): a loop that
/// alternates keeps the kernel's most recently read part in cache for the next step.
/// `c` may be `c_prev` (updated in place); `h` must not overlap `h_prev`. `pre` as in
/// `clstm_gates`. Needs `units` and the gate offsets to be multiples of 16 (panels of
/// `CSGEMM_PANEL` columns): returns 0 without writing anything otherwise, 1 when done.
int clstm_row_step(int units, int k, const float *h_prev, const float *packed, const float *x, int i, int j, int f,
                   int o, float forget_bias, const float *c_prev, float *c, float *h, float *pre, int backwards);

#endif
