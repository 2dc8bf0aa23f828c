#ifndef CCONVOLUTION_H
#define CCONVOLUTION_H

#include <stddef.h>

// Dense layers: the same register tiles over weights packed once.
#include "csmallgemm.h"
// Max pooling, channels in vectors.
#include "cpooling.h"
// Which vector instructions the kernels use.
#include "ckernels.h"
// Optimizer updates over whole variables.
#include "coptimizers.h"
// Batch normalization in training.
#include "cnormalization.h"
// The backward pass of a fused bias and ReLU.
#include "cactivations.h"

/// The sizes of one 2-D convolution: NHWC input, HWIO filter, NHWC output,
/// already checked by the caller (the runtime's `conv2d`).
typedef struct {
    int n, h, w, c;               ///< input: images, height, width, channels
    int kh, kw, o;                ///< filter height and width, output channels
    int oh, ow;                   ///< output height and width
    int pad_top, pad_left;        ///< zeros before the first row and column
    int stride_h, stride_w;
    int dilation_h, dilation_w;
} cconv_geometry;

/// Output channels per block of a packed filter (two 8-float vectors).
#define CCONV_BLOCK 16

/// Floats a packed filter takes: ceil(o / 16) blocks of [kh][kw·c][16],
/// the last block zero-padded.
size_t cconv_packed_filter_count(const cconv_geometry *g);

/// Packs an HWIO filter `[kh][kw][c][o]` into blocks of 16 output channels.
void cconv_pack_filter(const cconv_geometry *g, const float *filter, float *packed);

/// Floats of scratch `cconv_run` needs: one zero-padded input image and the
/// per-channel epilogue values.
size_t cconv_scratch_count(const cconv_geometry *g);

/// Direct convolution with a fused epilogue, no im2col:
///
///     output[b][y][x][k] = act(Σ input·filter · scale[k] + shift[k])
///
/// `scale` (NULL: 1) and `shift` (NULL: 0) are per output channel: a bias, or a
/// batch normalization folded into the convolution; `relu` != 0 clamps at 0.
/// Uses AVX-512 when the CPU has it and there are more than 8 output channels,
/// else AVX2 and FMA when it has them (checked once), portable vector code otherwise. `scratch` holds `cconv_scratch_count(g)` floats.
void cconv_run(const cconv_geometry *g, const float *input, const float *packed_filter,
               const float *scale, const float *shift, int relu, float *scratch, float *output);

/// Floats of scratch `cconv_run_pooled` needs: `cconv_scratch_count(g)` and one band of output
/// rows (a pooling window's height).
size_t cconv_pooled_scratch_count(const cconv_geometry *g, const cpool_geometry *pool);

/// `cconv_run` followed by `cpool_max2d` of its output, in one pass: `pool` is the pooling of the
/// convolution's output (`n`, `h`, `w`, `c` its sizes, `output` the pooled `[n][pool.oh][pool.ow][o]`).
/// The output rows one pooled row's windows span are computed into a band of `scratch` and
/// pooled from there by `cpool_max2d`, so the convolution's whole output is never written and the
/// result is the unfused pair's bit for bit (the same values, maxima taken in the same order,
/// NaN as `cpool_max2d` keeps it). Output rows no window reads are not computed; rows two
/// windows share (a stride below the window) are computed for each. `scratch` holds
/// `cconv_pooled_scratch_count(g, pool)` floats.
void cconv_run_pooled(const cconv_geometry *g, const cpool_geometry *pool, const float *input,
                      const float *packed_filter, const float *scale, const float *shift, int relu,
                      float *scratch, float *output);

/// Floats of scratch `cconv_filter_gradient` needs: one zero-padded input image, the sums with
/// output channels padded to blocks of 16, and (when o is not whole blocks) one image of the
/// output gradient so padded.
size_t cconv_filter_gradient_scratch_count(const cconv_geometry *g);

/// The convolution's filter gradient, HWIO `[kh][kw][c][o]` (overwritten), from its input and
/// the gradient of its output (NHWC, `[n][oh][ow][o]`):
///
///     filter_gradient[i][j][q][k] = Σ over b, y, x of padded input[b][y·sh + i·dh][x·sw + j·dw][q]
///                                                   · gradient[b][y][x][k]
///
/// on the forward kernel's register tiles (AVX-512, AVX2 + FMA or portable, chosen as
/// `cconv_run` chooses), with no window matrix. `scratch` holds
/// `cconv_filter_gradient_scratch_count(g)` floats.
void cconv_filter_gradient(const cconv_geometry *g, const float *input, const float *gradient,
                           float *scratch, float *filter_gradient);

#endif
