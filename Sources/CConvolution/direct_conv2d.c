// Direct 2-D convolution: each output tile of 6 positions × 16 channels is
// accumulated in twelve 8-float registers over the filter taps and input
// channels, reading the (zero-padded) input image in place. No column matrix
// is written and nothing is packed per call but the filter (by the caller,
// once) and one padded image at a time.
#include "cconvolution.h"
#include "kernel_support.h"

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

/// Whether output positions can be walked as one flat run over the padded
/// image (stride 1 both ways): position (y, x) is padded pixel y·wp + x.
static int is_flat(const cconv_geometry *g) { return g->stride_h == 1 && g->stride_w == 1; }

static size_t padded_height(const cconv_geometry *g) {
    return (size_t)(g->oh - 1) * g->stride_h + (size_t)(g->kh - 1) * g->dilation_h + 1;
}

static size_t padded_width(const cconv_geometry *g) {
    if (is_flat(g)) return (size_t)(g->ow - 1) + (size_t)(g->kw - 1) * g->dilation_w + 1;
    // Row tiles of TILE positions: the last tile may run past ow.
    size_t tiles = ((size_t)g->ow + TILE - 1) / TILE;
    return (tiles * TILE - 1) * g->stride_w + (size_t)(g->kw - 1) * g->dilation_w + 1;
}

static size_t padded_image_count(const cconv_geometry *g) {
    // TILE pixels of slack: the last flat tile reads past the last row.
    return (padded_height(g) * padded_width(g) + TILE) * (size_t)g->c;
}

size_t cconv_scratch_count(const cconv_geometry *g) {
    // The padded image, then the epilogue's scales and shifts padded to whole blocks.
    return padded_image_count(g) + 2 * blocks_of(g) * CCONV_BLOCK;
}

/// What one tile walks: taps (i, j) at `row_step`·i + `tap_step`·j floats from
/// the tile's first pixel, `run` contiguous floats each (kw·c when taps of a
/// row are adjacent), TILE pixels `pixel_step` floats apart.
typedef struct {
    int kh, taps_per_row, run;
    ptrdiff_t row_step, tap_step, pixel_step;
} tile_walk;

/// The tile kernel: 6 positions × 16 channels. `out[r]` is where position r's
/// 16 channels go (NULL: not an output position); `lanes` of them are kept.
static inline __attribute__((always_inline))
void tile_6x16(const tile_walk *walk, const float *in, const float *filter,
               const float *scale, const float *shift, int relu, float *const out[TILE], int lanes) {
    vec8 a0 = {0}, b0 = {0}, a1 = {0}, b1 = {0}, a2 = {0}, b2 = {0};
    vec8 a3 = {0}, b3 = {0}, a4 = {0}, b4 = {0}, a5 = {0}, b5 = {0};
    const ptrdiff_t s = walk->pixel_step;
    const float *f = filter;
    for (int i = 0; i < walk->kh; i++) {
        for (int j = 0; j < walk->taps_per_row; j++) {
            const float *p = in + i * walk->row_step + j * walk->tap_step;
            for (int t = 0; t < walk->run; t++, f += CCONV_BLOCK) {
                vec8 f0 = load8(f), f1 = load8(f + 8);
                float x;
                x = p[t];         a0 += f0 * x; b0 += f1 * x;
                x = p[t + s];     a1 += f0 * x; b1 += f1 * x;
                x = p[t + 2 * s]; a2 += f0 * x; b2 += f1 * x;
                x = p[t + 3 * s]; a3 += f0 * x; b3 += f1 * x;
                x = p[t + 4 * s]; a4 += f0 * x; b4 += f1 * x;
                x = p[t + 5 * s]; a5 += f0 * x; b5 += f1 * x;
            }
        }
    }
    const vec8 s0 = load8(scale), s1 = load8(scale + 8), h0 = load8(shift), h1 = load8(shift + 8);
    vec8 lo[TILE] = {a0, a1, a2, a3, a4, a5}, hi[TILE] = {b0, b1, b2, b3, b4, b5};
    for (int r = 0; r < TILE; r++) {
        if (!out[r]) continue;
        vec8 u = lo[r] * s0 + h0, v = hi[r] * s1 + h1;
        if (relu) { u = relu8(u); v = relu8(v); }
        if (lanes == CCONV_BLOCK) {
            store8(out[r], u);
            store8(out[r] + 8, v);
        } else {
            float kept[CCONV_BLOCK];
            store8(kept, u);
            store8(kept + 8, v);
            memcpy(out[r], kept, sizeof(float) * (size_t)lanes);
        }
    }
}

/// Copies image `b` into the interior of the padded image (borders stay zero).
static void pad_image(const cconv_geometry *g, const float *image, size_t wp, float *padded) {
    size_t hp = padded_height(g);
    size_t c = (size_t)g->c;
    for (size_t y = 0; y < (size_t)g->h; y++) {
        size_t py = y + (size_t)g->pad_top;
        if (py >= hp) break;
        size_t count = (size_t)g->w;
        if ((size_t)g->pad_left + count > wp) count = wp - (size_t)g->pad_left;
        memcpy(padded + (py * wp + (size_t)g->pad_left) * c, image + y * (size_t)g->w * c, count * c * sizeof(float));
    }
}

static inline __attribute__((always_inline))
void run_all(const cconv_geometry *g, const float *input, const float *packed_filter,
             const float *scale, const float *shift, int relu, float *scratch, float *output) {
    const size_t c = (size_t)g->c, o = (size_t)g->o;
    const size_t wp = padded_width(g);
    const size_t blocks = blocks_of(g);
    const size_t block_floats = (size_t)g->kh * g->kw * c * CCONV_BLOCK;
    memset(scratch, 0, padded_image_count(g) * sizeof(float));

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

    // Epilogue vectors of every block, padded to 16 lanes, after the padded image.
    float *scales = scratch + padded_image_count(g), *shifts = scales + blocks * CCONV_BLOCK;
    for (size_t k = 0; k < blocks * CCONV_BLOCK; k++) {
        scales[k] = k < o ? (scale ? scale[k] : 1.0f) : 0.0f;
        shifts[k] = k < o ? (shift ? shift[k] : 0.0f) : 0.0f;
    }

    for (size_t b = 0; b < (size_t)g->n; b++) {
        pad_image(g, input + b * (size_t)g->h * g->w * c, wp, scratch);
        float *image_out = output + b * (size_t)g->oh * g->ow * o;
        if (is_flat(g)) {
            // Positions q = y·wp + x over the padded image; x ≥ ow are not outputs.
            const size_t last = (size_t)(g->oh - 1) * wp + (size_t)g->ow - 1;
            for (size_t q = 0; q <= last; q += TILE) {
                float *out[TILE];
                int any = 0;
                size_t y = q / wp, x = q % wp;
                for (int r = 0; r < TILE; r++, x++) {
                    if (x == wp) { x = 0; y++; }
                    out[r] = (q + r <= last && x < (size_t)g->ow) ? image_out + (y * g->ow + x) * o : NULL;
                    any |= out[r] != NULL;
                }
                if (!any) continue;
                for (size_t k = 0; k < blocks; k++) {
                    float *shifted[TILE];
                    for (int r = 0; r < TILE; r++) shifted[r] = out[r] ? out[r] + k * CCONV_BLOCK : NULL;
                    int lanes = (int)(o - k * CCONV_BLOCK < CCONV_BLOCK ? o - k * CCONV_BLOCK : CCONV_BLOCK);
                    tile_6x16(&walk, scratch + q * c, packed_filter + k * block_floats,
                              scales + k * CCONV_BLOCK, shifts + k * CCONV_BLOCK, relu, shifted, lanes);
                }
            }
        } else {
            for (size_t y = 0; y < (size_t)g->oh; y++) {
                const float *row = scratch + y * (size_t)g->stride_h * wp * c;
                for (size_t x0 = 0; x0 < (size_t)g->ow; x0 += TILE) {
                    for (size_t k = 0; k < blocks; k++) {
                        float *out[TILE];
                        for (int r = 0; r < TILE; r++) {
                            out[r] = x0 + r < (size_t)g->ow ? image_out + (y * g->ow + x0 + r) * o + k * CCONV_BLOCK : NULL;
                        }
                        int lanes = (int)(o - k * CCONV_BLOCK < CCONV_BLOCK ? o - k * CCONV_BLOCK : CCONV_BLOCK);
                        tile_6x16(&walk, row + x0 * (size_t)g->stride_w * c, packed_filter + k * block_floats,
                                  scales + k * CCONV_BLOCK, shifts + k * CCONV_BLOCK, relu, out, lanes);
                    }
                }
            }
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void run_avx2(const cconv_geometry *g, const float *input, const float *packed_filter,
                     const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_all(g, input, packed_filter, scale, shift, relu, scratch, output);
}
#endif

static void run_portable(const cconv_geometry *g, const float *input, const float *packed_filter,
                         const float *scale, const float *shift, int relu, float *scratch, float *output) {
    run_all(g, input, packed_filter, scale, shift, relu, scratch, output);
}

void cconv_run(const cconv_geometry *g, const float *input, const float *packed_filter,
               const float *scale, const float *shift, int relu, float *scratch, float *output) {
    if (g->n <= 0 || g->oh <= 0 || g->ow <= 0 || g->o <= 0) return;
#if defined(__x86_64__)
    if (cpu_has_avx2_fma()) {
        run_avx2(g, input, packed_filter, scale, shift, relu, scratch, output);
        return;
    }
#endif
    run_portable(g, input, packed_filter, scale, shift, relu, scratch, output);
}
