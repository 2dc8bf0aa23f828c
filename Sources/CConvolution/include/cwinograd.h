#ifndef CWINOGRAD_H
#define CWINOGRAD_H

#include <stddef.h>

#include "cconvolution.h"

/// Whether `cwino_run` computes this convolution: a 3×3 filter, stride 1 and no
/// dilation, any padding and channel counts.
int cwino_supports(const cconv_geometry *g);

/// Floats a transformed filter takes: 16 matrices `c × o` (one per point of the
/// 4×4 transformed tile), each packed as `csgemm_pack` packs (panels of 16 output
/// channels, the last zero-padded).
size_t cwino_packed_filter_count(const cconv_geometry *g);

/// Transforms an HWIO 3×3 filter `[3][3][c][o]` into the Winograd domain
/// (`G·g·Gᵀ` for each input and output channel, in double, rounded once) and
/// packs it. Done once per filter, not per call.
void cwino_pack_filter(const cconv_geometry *g, const float *filter, float *packed);

/// Floats of scratch `cwino_run` needs: one block of transformed input tiles and
/// of their products, and the per-channel epilogue values.
size_t cwino_scratch_count(const cconv_geometry *g);

/// The same convolution as `cconv_run` (same epilogue: `act(Σ · scale[k] + shift[k])`,
/// `scale`/`shift` NULL for 1/0, `relu` != 0 clamps at 0 keeping NaN) by Winograd's
/// F(2×2, 3×3): each 2×2 block of outputs from a 4×4 input tile with 16
/// multiplications a channel pair instead of 36. Blocks of tiles are transformed
/// (`Bᵀ·d·B`), multiplied point by point as 16 matrix products over the channels
/// (`csgemm_run` against the packed filter) and transformed back (`Aᵀ·m·A`) with
/// the epilogue, while the block is in cache. Rounding differs from the direct
/// kernel's by a few units in the last place of the largest term; an infinite
/// input can make NaN in the other outputs of its tile. Requires `cwino_supports(g)`;
/// `packed_filter` from `cwino_pack_filter`, `scratch` of `cwino_scratch_count(g)` floats.
/// AVX-512, AVX2 + FMA or portable vector code as `cconv_run` chooses.
void cwino_run(const cconv_geometry *g, const float *input, const float *packed_filter,
               const float *scale, const float *shift, int relu, float *scratch, float *output);

/// Whether `cwino_run_pooled` takes this pooling of the convolution's output: 2×2 windows,
/// stride 2, none before the first row and column (each window one output tile, TensorFlow's
/// VALID and SAME alike).
int cwino_supports_pooling(const cpool_geometry *pool);

/// `cwino_run` followed by `cpool_max2d` of its output (`pool` as `cconv_run_pooled` takes it,
/// `cwino_supports_pooling(pool)`): each tile's 2×2 outputs, after the epilogue, are one pooling
/// window, their maximum taken in registers in the pooling kernel's order (NaN kept as it keeps
/// it) and stored, so the result is the unfused pair's bit for bit. Scratch as `cwino_run`'s.
void cwino_run_pooled(const cconv_geometry *g, const cpool_geometry *pool, const float *input,
                      const float *packed_filter, const float *scale, const float *shift, int relu,
                      float *scratch, float *output);

#endif
