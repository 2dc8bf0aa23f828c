// The filter gradient of a 2-D convolution on the forward kernel's register
// tiles, with no window matrix:
//
//     dW[i][j][q][k] = Σ over images and output positions of
//                      padded input at the position's tap (i, j), channel q × dy[k]
//
// dW's rows (i, j, q) are walked in runs of rows adjacent in the padded image
// (kw·c rows of one filter row when taps are adjacent, else c rows of one tap);
// a tile is up to 16 rows of a run × 16 output channels (AVX-512: one 16-float
// register a row; AVX2: up to 6 rows, two 8-float registers each), accumulated
// in registers over every output position of an image: per position, one load
// of 16 channels of dy and one multiply-add per row by the input value
// broadcast. The zero-padded image and dy's image stay in L2 while every tile
// walks them; tiles add into a block-padded copy of dW, written out at the end.
#include "cconvolution.h"
#include "kernel_support.h"
#include "padded_image.h"

#include <string.h>

#define TILE 6

static size_t blocks_of(const cconv_geometry *g) {
    return ((size_t)g->o + CCONV_BLOCK - 1) / CCONV_BLOCK;
}

/// Rows of dW: kh·kw·c.
static size_t rows_of(const cconv_geometry *g) {
    return (size_t)g->kh * g->kw * g->c;
}

/// Floats between two positions of dy as the tiles read it: o itself when it is whole blocks
/// (dy read in place), else whole blocks (dy copied with zeros after each position's channels).
static size_t gradient_stride(const cconv_geometry *g) {
    return g->o % CCONV_BLOCK == 0 ? (size_t)g->o : blocks_of(g) * CCONV_BLOCK;
}

size_t cconv_filter_gradient_scratch_count(const cconv_geometry *g) {
    size_t copy = g->o % CCONV_BLOCK == 0 ? 0 : (size_t)g->oh * g->ow * gradient_stride(g);
    return padded_image_count(g) + rows_of(g) * blocks_of(g) * CCONV_BLOCK + copy;
}

/// What one tile walks: the output positions of an image, `oh` rows of `ow`; position (y, x)'s
/// input values at `x_row`·y + `x_pixel`·x floats from the tile's first row in the padded image,
/// its dy (16 channels of one block) at (y·ow + x)·`dy_pixel` floats from the block's first.
typedef struct {
    int oh, ow;
    ptrdiff_t x_row, x_pixel, dy_pixel;
} gradient_walk;

/// The AVX2 (or portable) tile: `rows` (1...6) rows of dW × 16 channels (8 when `narrow`), their
/// sums over the image's positions added to `acc` (rows `acc_stride` floats apart).
static inline __attribute__((always_inline))
void tile(int rows, int narrow, const gradient_walk *walk, const float *x, const float *dy,
          float *acc, size_t acc_stride) {
    vec8 lo[TILE], hi[TILE];
    UNROLLED
    for (int r = 0; r < TILE; r++) { lo[r] = (vec8){0}; hi[r] = (vec8){0}; }
    for (int y = 0; y < walk->oh; y++) {
        const float *xr = x + y * walk->x_row, *dr = dy + (ptrdiff_t)y * walk->ow * walk->dy_pixel;
        for (int q = 0; q < walk->ow; q++) {
            const float *p = xr + q * walk->x_pixel, *d = dr + q * walk->dy_pixel;
            vec8 d0 = load8(d), d1 = narrow ? (vec8){0} : load8(d + 8);
            UNROLLED
            for (int r = 0; r < rows; r++) {
                lo[r] += d0 * p[r];
                if (!narrow) hi[r] += d1 * p[r];
            }
        }
    }
    UNROLLED
    for (int r = 0; r < rows; r++) {
        float *a = acc + (size_t)r * acc_stride;
        store8(a, load8(a) + lo[r]);
        if (!narrow) store8(a + 8, load8(a + 8) + hi[r]);
    }
}

#define TILE_CASE(n, narrow) case n: tile(n, narrow, walk, x, dy, acc, acc_stride); break;

static inline __attribute__((always_inline))
void tile_of_rows(int narrow, size_t rows, const gradient_walk *walk, const float *x, const float *dy,
                  float *acc, size_t acc_stride) {
    switch (rows) {
    TILE_CASE(6, narrow) TILE_CASE(5, narrow) TILE_CASE(4, narrow) TILE_CASE(3, narrow) TILE_CASE(2, narrow)
    default: tile(1, narrow, walk, x, dy, acc, acc_stride); break;
    }
}

/// One AVX2 (or portable) tile of any row count; blocks of 8 channels or fewer compute one vector a row.
static inline __attribute__((always_inline))
void any_tile(size_t rows, int lanes, const gradient_walk *walk, const float *x, const float *dy,
              float *acc, size_t acc_stride) {
    if (lanes <= 8) tile_of_rows(1, rows, walk, x, dy, acc, acc_stride);
    else tile_of_rows(0, rows, walk, x, dy, acc, acc_stride);
}

#if defined(__x86_64__)
/// The AVX-512 tile: `rows` (1...16) rows of dW × one block of 16 channels, a register each.
static inline __attribute__((always_inline, target("avx512f")))
void tile_wide(int rows, const gradient_walk *walk, const float *x, const float *dy, float *acc, size_t acc_stride) {
    vec16 a[WIDE_TILE];
    UNROLLED
    for (int r = 0; r < WIDE_TILE; r++) a[r] = (vec16){0};
    for (int y = 0; y < walk->oh; y++) {
        const float *xr = x + y * walk->x_row, *dr = dy + (ptrdiff_t)y * walk->ow * walk->dy_pixel;
        for (int q = 0; q < walk->ow; q++) {
            const float *p = xr + q * walk->x_pixel;
            vec16 d = load16(dr + q * walk->dy_pixel);
            UNROLLED
            for (int r = 0; r < rows; r++) a[r] += d * p[r];
        }
    }
    UNROLLED
    for (int r = 0; r < rows; r++) {
        float *dst = acc + (size_t)r * acc_stride;
        store16(dst, load16(dst) + a[r]);
    }
}

#define WIDE_CASE(n) case n: tile_wide(n, walk, x, dy, acc, acc_stride); break;

static inline __attribute__((always_inline, target("avx512f")))
void any_wide_tile(size_t rows, int lanes, const gradient_walk *walk, const float *x, const float *dy,
                   float *acc, size_t acc_stride) {
    (void)lanes;
    switch (rows) {
    WIDE_CASE(16) WIDE_CASE(15) WIDE_CASE(14) WIDE_CASE(13) WIDE_CASE(12) WIDE_CASE(11) WIDE_CASE(10) WIDE_CASE(9)
    WIDE_CASE(8) WIDE_CASE(7) WIDE_CASE(6) WIDE_CASE(5) WIDE_CASE(4) WIDE_CASE(3) WIDE_CASE(2)
    default: tile_wide(1, walk, x, dy, acc, acc_stride); break;
    }
}
#endif

typedef void (*tile_function)(size_t rows, int lanes, const gradient_walk *walk, const float *x, const float *dy,
                              float *acc, size_t acc_stride);

static inline __attribute__((always_inline))
void run_all(int wide, tile_function any_tile_of, const cconv_geometry *g, const float *input,
             const float *gradient, float *scratch, float *filter_gradient) {
    const size_t c = (size_t)g->c, o = (size_t)g->o, blocks = blocks_of(g), rows = rows_of(g);
    const size_t wp = padded_width(g), positions = (size_t)g->oh * g->ow;
    const size_t acc_stride = blocks * CCONV_BLOCK, dy_stride = gradient_stride(g);
    const int in_place = image_in_place(g);
    float *padded = scratch, *acc = scratch + padded_image_count(g), *dy_copy = acc + rows * acc_stride;
    if (!in_place) memset(padded, 0, padded_image_count(g) * sizeof(float));
    memset(acc, 0, rows * acc_stride * sizeof(float));
    if (dy_stride != o) memset(dy_copy, 0, positions * dy_stride * sizeof(float));

    gradient_walk walk = {
        .oh = g->oh, .ow = g->ow,
        .x_row = (ptrdiff_t)((size_t)g->stride_h * wp * c),
        .x_pixel = (ptrdiff_t)((size_t)g->stride_w * c),
        .dy_pixel = (ptrdiff_t)dy_stride,
    };
    // Runs of dW's rows adjacent in the padded image: a filter row's kw·c, or one tap's c.
    const size_t run = g->dilation_w == 1 ? (size_t)g->kw * c : c;
    const size_t runs = rows / (run ? run : 1);
    const size_t most = wide ? WIDE_TILE : TILE, tiles = (run + most - 1) / most;

    for (size_t b = 0; b < (size_t)g->n; b++) {
        const float *image = input + b * (size_t)g->h * g->w * c;
        if (!in_place) pad_image(g, image, wp, padded);
        const float *x_image = in_place ? image : padded;
        const float *dy = gradient + b * positions * o;
        if (dy_stride != o) {
            for (size_t p = 0; p < positions; p++) memcpy(dy_copy + p * dy_stride, dy + p * o, o * sizeof(float));
            dy = dy_copy;
        }
        for (size_t r = 0; r < runs; r++) {
            // Run r: filter row i (and tap j when taps are apart), its first input value.
            const size_t i = g->dilation_w == 1 ? r : r / (size_t)g->kw, j = g->dilation_w == 1 ? 0 : r % (size_t)g->kw;
            const float *x_run = x_image + i * (size_t)g->dilation_h * wp * c + j * (size_t)g->dilation_w * c;
            for (size_t t = 0; t < tiles; t++) {
                // Tiles of nearly equal size (9 = 5 + 4 on AVX2), as the forward kernel's.
                const size_t first = run * t / tiles, count = run * (t + 1) / tiles - first;
                float *acc_rows = acc + (r * run + first) * acc_stride;
                for (size_t k = 0; k < blocks; k++) {
                    int lanes = (int)(o - k * CCONV_BLOCK < CCONV_BLOCK ? o - k * CCONV_BLOCK : CCONV_BLOCK);
                    any_tile_of(count, lanes, &walk, x_run + first, dy + k * CCONV_BLOCK,
                                acc_rows + k * CCONV_BLOCK, acc_stride);
                }
            }
        }
    }
    for (size_t t = 0; t < rows; t++) memcpy(filter_gradient + t * o, acc + t * acc_stride, o * sizeof(float));
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void run_avx512(const cconv_geometry *g, const float *input, const float *gradient, float *scratch, float *out) {
    run_all(1, any_wide_tile, g, input, gradient, scratch, out);
}

__attribute__((target("avx2,fma")))
static void run_avx2(const cconv_geometry *g, const float *input, const float *gradient, float *scratch, float *out) {
    run_all(0, any_tile, g, input, gradient, scratch, out);
}
#endif

static void run_portable(const cconv_geometry *g, const float *input, const float *gradient, float *scratch, float *out) {
    run_all(0, any_tile, g, input, gradient, scratch, out);
}

void cconv_filter_gradient(const cconv_geometry *g, const float *input, const float *gradient,
                           float *scratch, float *filter_gradient) {
    if (rows_of(g) == 0 || g->o <= 0) return;
    if (g->n <= 0 || g->oh <= 0 || g->ow <= 0) {
        memset(filter_gradient, 0, rows_of(g) * (size_t)g->o * sizeof(float));
        return;
    }
#if defined(__x86_64__)
    if (g->o > 8 && cpu_has_avx512()) {
        run_avx512(g, input, gradient, scratch, filter_gradient);
        return;
    }
    if (cpu_has_avx2_fma()) {
        run_avx2(g, input, gradient, scratch, filter_gradient);
        return;
    }
#endif
    run_portable(g, input, gradient, scratch, filter_gradient);
}
