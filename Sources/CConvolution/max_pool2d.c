// Max pooling, NHWC: for each output position the window's maximum is kept in
// vector registers, 8 channels at a time, and stored once.
#include "cpooling.h"
#include "kernel_support.h"

static inline float max_keep_nan(float d, float v) { return v > d || v != v ? v : d; }

static inline __attribute__((always_inline))
void run_all(const cpool_geometry *g, const float *input, float *output) {
    const long c = g->c;
    for (long b = 0; b < g->n; b++) {
        const float *image = input + b * (long)g->h * g->w * c;
        for (long y = 0; y < g->oh; y++) {
            long y0 = y * g->stride_h - g->pad_top;
            long y_lo = y0 < 0 ? 0 : y0, y_hi = y0 + g->window_h < g->h ? y0 + g->window_h : g->h;
            for (long x = 0; x < g->ow; x++, output += c) {
                long x0 = x * g->stride_w - g->pad_left;
                long x_lo = x0 < 0 ? 0 : x0, x_hi = x0 + g->window_w < g->w ? x0 + g->window_w : g->w;
                long k = 0;
                if (y_hi - y_lo == 2 && x_hi - x_lo == 2) {
                    // The common 2×2 window, whole: four loads a vector, in the general loop's order.
                    const float *p = image + (y_lo * g->w + x_lo) * c, *q = p + g->w * c;
                    for (; k + 8 <= c; k += 8) {
                        vec8 m = load8(p + k);
                        m = max_keep_nan8(m, load8(p + c + k));
                        m = max_keep_nan8(m, load8(q + k));
                        m = max_keep_nan8(m, load8(q + c + k));
                        store8(output + k, m);
                    }
                }
                for (; k + 8 <= c; k += 8) {
                    vec8 m = {-__builtin_inff(), -__builtin_inff(), -__builtin_inff(), -__builtin_inff(),
                              -__builtin_inff(), -__builtin_inff(), -__builtin_inff(), -__builtin_inff()};
                    for (long iy = y_lo; iy < y_hi; iy++)
                        for (long ix = x_lo; ix < x_hi; ix++) {
                            vec8 v = load8(image + (iy * g->w + ix) * c + k);
                            m = max_keep_nan8(m, v);
                        }
                    store8(output + k, m);
                }
                for (; k < c; k++) {
                    float m = -__builtin_inff();
                    for (long iy = y_lo; iy < y_hi; iy++)
                        for (long ix = x_lo; ix < x_hi; ix++) m = max_keep_nan(m, image[(iy * g->w + ix) * c + k]);
                    output[k] = m;
                }
            }
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static void run_avx2(const cpool_geometry *g, const float *input, float *output) { run_all(g, input, output); }
#endif

static void run_portable(const cpool_geometry *g, const float *input, float *output) { run_all(g, input, output); }

void cpool_max2d(const cpool_geometry *g, const float *input, float *output) {
#if defined(__x86_64__)
    if (cpu_has_avx2_fma()) {
        run_avx2(g, input, output);
        return;
    }
#endif
    run_portable(g, input, output);
}
