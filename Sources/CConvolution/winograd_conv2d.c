// Winograd convolution F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016): a 3×3 stride-1 convolution as 16 matrix products over the
// channels, one per point of a 4×4 transformed input tile, where the direct kernel
// (direct_conv2d.c) does 36 multiply-adds a channel pair for each 2×2 block of outputs.
//
// Tiles are taken in blocks (over all images): the block's input tiles are transformed
// into 16 matrices [tiles × c], each multiplied by its transformed filter [c × o] on the
// small-GEMM kernel (small_gemm.c: AVX-512 tiles of 16 rows × 16 channels), and the 16
// products transformed back with the epilogue while the block is still in cache.
// F(2×2, 3×3) and not F(4×4, 3×3) (36 products for 16 outputs, 2.25× fewer): the larger
// tile's transforms (points ±2) make errors of ~3e-5 on outputs of order 1 with 64
// channels, beyond the 1e-5 the goldens allow; F(2×2)'s are ~2e-6, as the direct kernel's.
#include "cwinograd.h"
#include "csmallgemm.h"
#include "kernel_support.h"

#include <string.h>

#define ALPHA 4                      // input tile side: 2 outputs + 3 taps − 1
#define POINTS (ALPHA * ALPHA)       // products a tile takes
/// Tiles transformed and multiplied together: 16 points × 32 tiles × 64 channels of
/// input and of products, 256 KiB, stay in the 1 MiB L2 beside the filter.
#define BLOCK_TILES 32

int cwino_supports(const cconv_geometry *g) {
    return g->kh == 3 && g->kw == 3 && g->stride_h == 1 && g->stride_w == 1
        && g->dilation_h == 1 && g->dilation_w == 1;
}

/// `count` rounded up to whole groups of 16 channels.
static size_t padded_channels(int count) { return ((size_t)count + 15) / 16 * 16; }

size_t cwino_packed_filter_count(const cconv_geometry *g) {
    return POINTS * csgemm_packed_count(g->c, g->o);
}

void cwino_pack_filter(const cconv_geometry *g, const float *filter, float *packed) {
    // G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]; U = G·f·Gᵀ for each channel pair, written straight
    // into csgemm_pack's layout: point ξ's matrix, panel k/16, row c, lane k%16.
    static const double G[ALPHA][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    const size_t c = (size_t)g->c, o = (size_t)g->o, matrix = csgemm_packed_count(g->c, g->o);
    memset(packed, 0, cwino_packed_filter_count(g) * sizeof(float));
    for (size_t q = 0; q < c; q++) {
        for (size_t k = 0; k < o; k++) {
            double f[3][3], gf[ALPHA][3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) f[i][j] = filter[(((size_t)i * 3 + (size_t)j) * c + q) * o + k];
            for (int a = 0; a < ALPHA; a++)
                for (int j = 0; j < 3; j++) gf[a][j] = G[a][0] * f[0][j] + G[a][1] * f[1][j] + G[a][2] * f[2][j];
            for (int a = 0; a < ALPHA; a++) {
                for (int b = 0; b < ALPHA; b++) {
                    const double u = gf[a][0] * G[b][0] + gf[a][1] * G[b][1] + gf[a][2] * G[b][2];
                    packed[(size_t)(a * ALPHA + b) * matrix + (k / CSGEMM_PANEL) * c * CSGEMM_PANEL
                           + q * CSGEMM_PANEL + k % CSGEMM_PANEL] = (float)u;
                }
            }
        }
    }
}

size_t cwino_scratch_count(const cconv_geometry *g) {
    // Transformed inputs, products, then the epilogue's scales and shifts.
    return POINTS * (BLOCK_TILES * (padded_channels(g->c) + padded_channels(g->o)) + 32) + 2 * padded_channels(g->o);
}

#if defined(__x86_64__)
#define WT_VEC vec16
#define WT_LANES 16
#define WT_NAME(x) x##_avx512
#define WT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define WT_RELU relu16
#define WT_MAX max_keep_nan16
#include "winograd_tiles.h"
#undef WT_VEC
#undef WT_LANES
#undef WT_NAME
#undef WT_TARGET
#undef WT_RELU
#undef WT_MAX

#define WT_VEC vec8
#define WT_LANES 8
#define WT_NAME(x) x##_avx2
#define WT_TARGET __attribute__((target("avx2,fma")))
#define WT_RELU relu8
#define WT_MAX max_keep_nan8
#include "winograd_tiles.h"
#undef WT_VEC
#undef WT_LANES
#undef WT_NAME
#undef WT_TARGET
#undef WT_RELU
#undef WT_MAX
#endif

#define WT_VEC vec8
#define WT_LANES 8
#define WT_NAME(x) x##_portable
#define WT_TARGET
#define WT_RELU relu8
#define WT_MAX max_keep_nan8
#include "winograd_tiles.h"

typedef void (*input_function)(const cconv_geometry *, const float *, size_t, size_t, float *, size_t, size_t);
typedef void (*output_function)(const cconv_geometry *, const cpool_geometry *, const float *, size_t, size_t, size_t,
                                 size_t, const float *, const float *, int, float *);

int cwino_supports_pooling(const cpool_geometry *pool) {
    return pool->window_h == 2 && pool->window_w == 2 && pool->stride_h == 2 && pool->stride_w == 2
        && pool->pad_top == 0 && pool->pad_left == 0;
}

static void run_any(const cconv_geometry *g, const cpool_geometry *pool, const float *input, const float *packed_filter,
                    const float *scale, const float *shift, int relu, float *scratch, float *output) {
    if (g->n <= 0 || g->oh <= 0 || g->ow <= 0 || g->o <= 0) return;
    if (pool && (pool->oh <= 0 || pool->ow <= 0)) return;
    input_function transform_input = input_tiles_portable;
    output_function transform_output = output_tiles_portable;
#if defined(__x86_64__)
    if (cpu_has_avx512()) {
        transform_input = input_tiles_avx512;
        transform_output = output_tiles_avx512;
    } else if (cpu_has_avx2_fma()) {
        transform_input = input_tiles_avx2;
        transform_output = output_tiles_avx2;
    }
#endif
    const size_t cp = padded_channels(g->c), kp = padded_channels(g->o);
    // Points' matrices a cache line more apart than their size: 32 tiles × 64 channels is
    // 8 KiB, and 16 addresses a multiple of 4 KiB apart would share one set of the 8-way L1.
    const size_t in_plane = BLOCK_TILES * cp + 16, out_plane = BLOCK_TILES * kp + 16;
    float *v = scratch, *m = v + POINTS * in_plane;
    float *scales = m + POINTS * out_plane, *shifts = scales + kp;
    for (size_t k = 0; k < kp; k++) {
        scales[k] = k < (size_t)g->o ? (scale ? scale[k] : 1.0f) : 0.0f;
        shifts[k] = k < (size_t)g->o ? (shift ? shift[k] : 0.0f) : 0.0f;
    }

    const size_t matrix = csgemm_packed_count(g->c, g->o);
    const size_t total = (size_t)g->n * (((size_t)g->oh + 1) / 2) * (((size_t)g->ow + 1) / 2);
    // Blocks of nearly equal size (49 tiles: 24 + 25, not 32 + 17).
    const size_t blocks = (total + BLOCK_TILES - 1) / BLOCK_TILES;
    for (size_t block = 0; block < blocks; block++) {
        const size_t t0 = total * block / blocks, t1 = total * (block + 1) / blocks;
        transform_input(g, input, t0, t1, v, in_plane, cp);
        for (size_t point = 0; point < POINTS; point++)
            csgemm_run((int)(t1 - t0), g->o, g->c, v + point * in_plane, (int)cp, packed_filter + point * matrix,
                       NULL, 0, m + point * out_plane, (int)kp);
        transform_output(g, pool, m, t0, t1, out_plane, kp, scales, shifts, relu, output);
    }
}

void cwino_run(const cconv_geometry *g, const float *input, const float *packed_filter,
               const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_any(g, NULL, input, packed_filter, scale, shift, relu, scratch, output);
}

void cwino_run_pooled(const cconv_geometry *g, const cpool_geometry *pool, const float *input,
                      const float *packed_filter, const float *scale, const float *shift, int relu,
                      float *scratch, float *output) {
    run_any(g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}
