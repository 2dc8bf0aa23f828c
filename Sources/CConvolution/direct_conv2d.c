// Direct 2-D convolution: each output tile of adjacent positions of one row × 16
// channels is accumulated in registers over the filter taps and input channels
// (AVX-512: up to 16 positions, a 16-float register each; AVX2: up to 6, two
// 8-float registers each), reading the zero-padded input image in place. Rows
// are cut into tiles of nearly equal size, so no padding column is computed. No
// column matrix is written and nothing is packed per call but the filter (by
// the caller, once) and one padded image at a time (none without padding).
#include "cconvolution.h"
#include "kernel_support.h"
#include "padded_image.h"

#include <string.h>

#define TILE 6

/// Blocks of 16 output channels, the last one possibly partial.
static size_t blocks_of(const cconv_geometry *g) {
    return ((size_t)g->o + CCONV_BLOCK - 1) / CCONV_BLOCK;
}

size_t cconv_packed_filter_count(const cconv_geometry *g) {
    return blocks_of(g) * (size_t)g->kh * (size_t)g->kw * (size_t)g->c * CCONV_BLOCK;
}

void cconv_pack_filter(const cconv_geometry *g, const float *filter, float *packed) {
    size_t taps = (size_t)g->kh * g->kw * g->c;   // rows of the [taps][o] filter
    for (size_t b = 0; b < blocks_of(g); b++) {
        size_t first = b * CCONV_BLOCK;
        size_t lanes = (size_t)g->o - first < CCONV_BLOCK ? (size_t)g->o - first : CCONV_BLOCK;
        float *dst = packed + b * taps * CCONV_BLOCK;
        for (size_t t = 0; t < taps; t++) {
            memcpy(dst + t * CCONV_BLOCK, filter + t * g->o + first, lanes * sizeof(float));
            if (lanes < CCONV_BLOCK) memset(dst + t * CCONV_BLOCK + lanes, 0, (CCONV_BLOCK - lanes) * sizeof(float));
        }
    }
}

size_t cconv_scratch_count(const cconv_geometry *g) {
    // The padded image, then the epilogue's scales and shifts padded to whole blocks.
    return padded_image_count(g) + 2 * blocks_of(g) * CCONV_BLOCK;
}

/// What one tile walks: taps (i, j) at `row_step`·i + `tap_step`·j floats from
/// the tile's first pixel, `run` contiguous floats each (kw·c when taps of a
/// row are adjacent), the tile's pixels `pixel_step` floats apart.
typedef struct {
    int kh, taps_per_row, run;
    ptrdiff_t row_step, tap_step, pixel_step;
} tile_walk;

/// The tile kernel: `rows` (1...6) adjacent positions of one output row × 16
/// channels (8 when `narrow`: a block of at most 8 channels computes only its
/// first vector), accumulated in registers over every tap; position r's channels
/// go to `out + r·o`, `lanes` of them kept. `rows` and `narrow` are constants
/// after inlining.
static inline __attribute__((always_inline))
void tile(int rows, int narrow, const tile_walk *walk, const float *in, const float *filter,
          const float *scale, const float *shift, int relu, float *out, size_t o, int lanes) {
    vec8 lo[TILE], hi[TILE];
    UNROLLED
    for (int r = 0; r < TILE; r++) { lo[r] = (vec8){0}; hi[r] = (vec8){0}; }
    const ptrdiff_t s = walk->pixel_step;
    const float *f = filter;
    for (int i = 0; i < walk->kh; i++) {
        for (int j = 0; j < walk->taps_per_row; j++) {
            const float *p = in + i * walk->row_step + j * walk->tap_step;
            for (int t = 0; t < walk->run; t++, f += CCONV_BLOCK) {
                vec8 f0 = load8(f), f1 = narrow ? (vec8){0} : load8(f + 8);
                UNROLLED
                for (int r = 0; r < rows; r++) {
                    float x = p[t + r * s];
                    lo[r] += f0 * x;
                    if (!narrow) hi[r] += f1 * x;
                }
            }
        }
    }
    const vec8 s0 = load8(scale), s1 = load8(scale + 8), h0 = load8(shift), h1 = load8(shift + 8);
    UNROLLED
    for (int r = 0; r < rows; r++) {
        vec8 u = lo[r] * s0 + h0, v = hi[r] * s1 + h1;
        if (relu) { u = relu8(u); v = relu8(v); }
        float *dst = out + (size_t)r * o;
        if (lanes == CCONV_BLOCK) {
            store8(dst, u);
            store8(dst + 8, v);
        } else {
            float kept[CCONV_BLOCK];
            store8(kept, u);
            store8(kept + 8, v);
            memcpy(dst, kept, sizeof(float) * (size_t)lanes);
        }
    }
}

#if defined(__x86_64__)
/// The AVX-512 tile: `rows` (1...WIDE_TILE, a constant after inlining) adjacent positions of
/// one output row × one block of 16 channels, one 16-float register each (32 registers
/// hold a whole row of 14 or 16 positions, where AVX2's 16 hold 6).
static inline __attribute__((always_inline, target("avx512f")))
void tile_wide(int rows, const tile_walk *walk, const float *in, const float *filter,
               const float *scale, const float *shift, int relu, float *out, size_t o, int lanes) {
    vec16 acc[WIDE_TILE];
    UNROLLED
    for (int r = 0; r < WIDE_TILE; r++) acc[r] = (vec16){0};
    const ptrdiff_t s = walk->pixel_step;
    const float *f = filter;
    for (int i = 0; i < walk->kh; i++) {
        for (int j = 0; j < walk->taps_per_row; j++) {
            const float *p = in + i * walk->row_step + j * walk->tap_step;
            for (int t = 0; t < walk->run; t++, f += CCONV_BLOCK) {
                vec16 w = load16(f);
                UNROLLED
                for (int r = 0; r < rows; r++) acc[r] += w * p[t + r * s];
            }
        }
    }
    const vec16 sc = load16(scale), sh = load16(shift);
    UNROLLED
    for (int r = 0; r < rows; r++) {
        vec16 u = acc[r] * sc + sh;
        if (relu) u = relu16(u);
        store16_lanes(out + (size_t)r * o, u, lanes);
    }
}

#define WIDE_CASE(n) case n: tile_wide(n, walk, in, filter, scale, shift, relu, out, o, lanes); break;

static inline __attribute__((always_inline, target("avx512f")))
void any_wide_tile(size_t rows, const tile_walk *walk, const float *in, const float *filter,
                   const float *scale, const float *shift, int relu, float *out, size_t o, int lanes) {
    switch (rows) {
    WIDE_CASE(16) WIDE_CASE(15) WIDE_CASE(14) WIDE_CASE(13) WIDE_CASE(12) WIDE_CASE(11) WIDE_CASE(10) WIDE_CASE(9)
    WIDE_CASE(8) WIDE_CASE(7) WIDE_CASE(6) WIDE_CASE(5) WIDE_CASE(4) WIDE_CASE(3) WIDE_CASE(2)
    default: tile_wide(1, walk, in, filter, scale, shift, relu, out, o, lanes); break;
    }
}
#endif

#define TILE_CASE(n, narrow) case n: tile(n, narrow, walk, in, filter, scale, shift, relu, out, o, lanes); break;

/// `rows` (any count 1...6) positions of a block, on the kernel made for that count.
static inline __attribute__((always_inline))
void tile_of_rows(int narrow, size_t rows, const tile_walk *walk, const float *in, const float *filter,
                  const float *scale, const float *shift, int relu, float *out, size_t o, int lanes) {
    switch (rows) {
    TILE_CASE(6, narrow) TILE_CASE(5, narrow) TILE_CASE(4, narrow) TILE_CASE(3, narrow) TILE_CASE(2, narrow)
    default: tile(1, narrow, walk, in, filter, scale, shift, relu, out, o, lanes); break;
    }
}

/// One AVX2 (or portable) tile: blocks of 8 channels or fewer compute one vector a position.
static inline __attribute__((always_inline))
void any_tile(size_t rows, const tile_walk *walk, const float *in, const float *filter,
              const float *scale, const float *shift, int relu, float *out, size_t o, int lanes) {
    if (lanes <= 8) tile_of_rows(1, rows, walk, in, filter, scale, shift, relu, out, o, lanes);
    else tile_of_rows(0, rows, walk, in, filter, scale, shift, relu, out, o, lanes);
}

/// A tile kernel for any count of positions (`any_tile`, `any_wide_tile`).
typedef void (*tile_function)(size_t rows, const tile_walk *walk, const float *in, const float *filter,
                              const float *scale, const float *shift, int relu, float *out, size_t o, int lanes);

/// What every output row of one convolution shares.
typedef struct {
    const tile_walk *walk;
    size_t tiles, blocks, block_floats, o, ow;
    size_t row_step, column_step;          ///< floats of padded input between output rows, columns
    const float *packed_filter, *scales, *shifts;
    int relu;
} row_job;

/// Output row `y` of one image (`padded`: its padded input) into `out_row`, tile by tile.
static inline __attribute__((always_inline))
void conv_row(tile_function any_tile_of, const row_job *r, const float *padded, size_t y, float *out_row) {
    const float *row = padded + y * r->row_step;
    for (size_t t = 0; t < r->tiles; t++) {
        const size_t x0 = r->ow * t / r->tiles, count = r->ow * (t + 1) / r->tiles - x0;
        const float *in = row + x0 * r->column_step;
        float *out = out_row + x0 * r->o;
        for (size_t k = 0; k < r->blocks; k++) {
            const size_t first = k * CCONV_BLOCK;
            const int lanes = (int)(r->o - first < CCONV_BLOCK ? r->o - first : CCONV_BLOCK);
            any_tile_of(count, r->walk, in, r->packed_filter + k * r->block_floats, r->scales + first, r->shifts + first,
                        r->relu, out + first, r->o, lanes);
        }
    }
}

/// The band of output rows one pooled row's windows span (`pool`'s rows `first ..< first + rows`
/// of the convolution's output), as a pooling of its own: one image, one pooled row, the
/// window's rows before the band counted as padding.
static cpool_geometry band_pooling(const cpool_geometry *pool, int first, int rows, int window_top) {
    cpool_geometry band = *pool;
    band.n = 1;
    band.h = rows;
    band.oh = 1;
    band.pad_top = first - window_top;
    return band;
}

static inline __attribute__((always_inline))
void run_all(int wide, tile_function any_tile_of, const cconv_geometry *g, const cpool_geometry *pool,
             const float *input, const float *packed_filter, const float *scale, const float *shift, int relu,
             float *scratch, float *output) {
    const size_t c = (size_t)g->c, o = (size_t)g->o, ow = (size_t)g->ow;
    const size_t wp = padded_width(g);
    const size_t blocks = blocks_of(g);
    const size_t block_floats = (size_t)g->kh * g->kw * c * CCONV_BLOCK;
    // Without padding to add, the image is read where it is; otherwise it is copied into
    // the zero-bordered scratch image, whose borders are cleared once.
    const int in_place = image_in_place(g);
    if (!in_place) memset(scratch, 0, padded_image_count(g) * sizeof(float));

    tile_walk walk;
    walk.kh = g->kh;
    walk.row_step = (ptrdiff_t)((size_t)g->dilation_h * wp * c);
    if (g->dilation_w == 1) {
        walk.taps_per_row = 1;
        walk.run = g->kw * g->c;
        walk.tap_step = 0;
    } else {
        walk.taps_per_row = g->kw;
        walk.run = g->c;
        walk.tap_step = (ptrdiff_t)((size_t)g->dilation_w * c);
    }
    walk.pixel_step = (ptrdiff_t)((size_t)g->stride_w * c);

    // Epilogue vectors of every block, padded to 16 lanes, after the padded image; then, when
    // pooled, the band of output rows.
    float *scales = scratch + padded_image_count(g), *shifts = scales + blocks * CCONV_BLOCK;
    float *band = shifts + blocks * CCONV_BLOCK;
    for (size_t k = 0; k < blocks * CCONV_BLOCK; k++) {
        scales[k] = k < o ? (scale ? scale[k] : 1.0f) : 0.0f;
        shifts[k] = k < o ? (shift ? shift[k] : 0.0f) : 0.0f;
    }

    // Each output row in tiles of nearly equal size (14 = 5 + 5 + 4, not 6 + 6 + 2): tiles stay
    // within a row, so no padding column is computed, and no tile is too short to keep the
    // multiply-adds busy.
    const size_t most = wide ? WIDE_TILE : TILE;
    const row_job rows = {&walk, (ow + most - 1) / most, blocks, block_floats, o, ow, (size_t)g->stride_h * wp * c,
                          (size_t)g->stride_w * c, packed_filter, scales, shifts, relu};
    for (size_t b = 0; b < (size_t)g->n; b++) {
        const float *image = input + b * (size_t)g->h * g->w * c;
        if (!in_place) pad_image(g, image, wp, scratch);
        const float *padded = in_place ? image : scratch;
        if (!pool) {
            float *image_out = output + b * (size_t)g->oh * ow * o;
            for (size_t y = 0; y < (size_t)g->oh; y++) conv_row(any_tile_of, &rows, padded, y, image_out + y * ow * o);
            continue;
        }
        // Pooled: the rows each pooled row's windows span are computed into the band (in cache)
        // and pooled from there by the pooling kernel, so the values and their order are those
        // of the convolution's output pooled on its own.
        float *pooled = output + b * (size_t)pool->oh * pool->ow * o;
        for (int py = 0; py < pool->oh; py++) {
            const int top = py * pool->stride_h - pool->pad_top;
            const int first = top < 0 ? 0 : top, end = top + pool->window_h < g->oh ? top + pool->window_h : g->oh;
            for (int y = first; y < end; y++) conv_row(any_tile_of, &rows, padded, (size_t)y, band + (size_t)(y - first) * ow * o);
            cpool_geometry window_rows = band_pooling(pool, first, end - first, top);
            cpool_max2d(&window_rows, band, pooled + (size_t)py * pool->ow * o);
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void run_avx512(const cconv_geometry *g, const cpool_geometry *pool, const float *input, const float *packed_filter,
                       const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_all(1, any_wide_tile, g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}

__attribute__((target("avx2,fma")))
static void run_avx2(const cconv_geometry *g, const cpool_geometry *pool, const float *input, const float *packed_filter,
                     const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_all(0, any_tile, g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}
#endif

static void run_portable(const cconv_geometry *g, const cpool_geometry *pool, const float *input, const float *packed_filter,
                         const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_all(0, any_tile, g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}

static void run_any(const cconv_geometry *g, const cpool_geometry *pool, const float *input, const float *packed_filter,
                    const float *scale, const float *shift, int relu, float *scratch, float *output) {
    if (g->n <= 0 || g->oh <= 0 || g->ow <= 0 || g->o <= 0) return;
    if (pool && (pool->oh <= 0 || pool->ow <= 0)) return;
#if defined(__x86_64__)
    if (g->o > 8 && cpu_has_avx512()) {
        // (Up to 8 channels the AVX2 kernel computes one 8-float vector a position, half the work.)
        run_avx512(g, pool, input, packed_filter, scale, shift, relu, scratch, output);
        return;
    }
    if (cpu_has_avx2_fma()) {
        run_avx2(g, pool, input, packed_filter, scale, shift, relu, scratch, output);
        return;
    }
#endif
    run_portable(g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}

void cconv_run(const cconv_geometry *g, const float *input, const float *packed_filter,
               const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_any(g, NULL, input, packed_filter, scale, shift, relu, scratch, output);
}

size_t cconv_pooled_scratch_count(const cconv_geometry *g, const cpool_geometry *pool) {
    return cconv_scratch_count(g) + (size_t)pool->window_h * g->ow * g->o;
}

void cconv_run_pooled(const cconv_geometry *g, const cpool_geometry *pool, const float *input,
                      const float *packed_filter, const float *scale, const float *shift, int relu,
                      float *scratch, float *output) {
    run_any(g, pool, input, packed_filter, scale, shift, relu, scratch, output);
}
