// The gradient of max pooling, NHWC: each output's gradient goes to the first
// position of its window (row by row) that holds the window's maximum (NaN
// matching NaN), as TensorFlow's MaxPoolGrad. Channels 8 at a time: per vector, a
// mask of the channels not yet given their gradient is narrowed at each window
// position, without a branch per channel.
#include "cpooling.h"
#include "kernel_support.h"

#include <string.h>

/// Lanes where `v` is the maximum `y`: equal, or both NaN.
#define holds_max8(v, y) (((v) == (y)) | (((v) != (v)) & ((y) != (y))))

static inline int holds_max(float v, float y) { return v == y || (v != v && y != y); }

static inline __attribute__((always_inline))
void run_all(const cpool_geometry *g, const float *input, const float *output, const float *gradient, float *result) {
    const long c = g->c;
    memset(result, 0, sizeof(float) * (size_t)g->n * (size_t)g->h * (size_t)g->w * (size_t)c);
    for (long b = 0; b < g->n; b++) {
        const float *image = input + b * (long)g->h * g->w * c;
        float *image_result = result + b * (long)g->h * g->w * c;
        for (long y = 0; y < g->oh; y++) {
            long y0 = y * g->stride_h - g->pad_top;
            long y_lo = y0 < 0 ? 0 : y0, y_hi = y0 + g->window_h < g->h ? y0 + g->window_h : g->h;
            for (long x = 0; x < g->ow; x++, output += c, gradient += c) {
                long x0 = x * g->stride_w - g->pad_left;
                long x_lo = x0 < 0 ? 0 : x0, x_hi = x0 + g->window_w < g->w ? x0 + g->window_w : g->w;
                long k = 0;
                for (; k + 8 <= c; k += 8) {
                    const vec8 m = load8(output + k), d = load8(gradient + k);
                    ivec8 open = ~(ivec8){0};   // channels still waiting for their position
                    for (long iy = y_lo; iy < y_hi; iy++)
                        for (long ix = x_lo; ix < x_hi; ix++) {
                            const long at = (iy * g->w + ix) * c + k;
                            const vec8 v = load8(image + at);
                            const ivec8 take = holds_max8(v, m) & open;
                            store8(image_result + at, load8(image_result + at) + (vec8)((ivec8)d & take));
                            open &= ~take;
                        }
                }
                for (; k < c; k++) {
                    int open = 1;
                    for (long iy = y_lo; iy < y_hi && open; iy++)
                        for (long ix = x_lo; ix < x_hi && open; ix++) {
                            const long at = (iy * g->w + ix) * c + k;
                            if (holds_max(image[at], output[k])) {
                                image_result[at] += gradient[k];
                                open = 0;
                            }
                        }
                }
            }
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static void run_avx2(const cpool_geometry *g, const float *input, const float *output, const float *gradient,
                     float *result) {
    run_all(g, input, output, gradient, result);
}
#endif

static void run_portable(const cpool_geometry *g, const float *input, const float *output, const float *gradient,
                         float *result) {
    run_all(g, input, output, gradient, result);
}

void cpool_max2d_backward(const cpool_geometry *g, const float *input, const float *output, const float *gradient,
                          float *result) {
#if defined(__x86_64__)
    if (cpu_has_avx2_fma()) {
        run_avx2(g, input, output, gradient, result);
        return;
    }
#endif
    run_portable(g, input, output, gradient, result);
}
