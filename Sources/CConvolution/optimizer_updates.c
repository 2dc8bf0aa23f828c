// Optimizer updates over whole variables, vectorized: the square root and the division
// of Adam's step are what a scalar loop waits on.
#include "coptimizers.h"
#include "kernel_support.h"

#include <math.h>

// Each multiply and add rounded on its own, as TensorFlow's kernel and the Swift loops do.
#if defined(__clang__)
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif

static inline __attribute__((always_inline))
void adam_range(size_t start, size_t end, const float *g, float *m, float *v, float *x,
                float beta1, float beta2, float alpha, float epsilon) {
    const float a = 1 - beta1, b = 1 - beta2;
    for (size_t i = start; i < end; i++) {
        m[i] = m[i] + (g[i] - m[i]) * a;
        v[i] = v[i] + (g[i] * g[i] - v[i]) * b;
        x[i] = x[i] - (m[i] * alpha) / (sqrtf(v[i]) + epsilon);
    }
}

/// Adam's update `width` floats at a time (vectors `vec`), the remainder by `adam_range`,
/// compiled for one instruction set.
#define ADAM_FOR(suffix, isa, vec, width, load, store)                                             \
    __attribute__((target(isa)))                                                                  \
    static void adam_##suffix(size_t n, const float *g, float *m, float *v, float *x,             \
                              float beta1, float beta2, float alpha, float epsilon) {             \
        const vec a = (vec){0} + (1 - beta1), b = (vec){0} + (1 - beta2);                         \
        const vec al = (vec){0} + alpha, ep = (vec){0} + epsilon;                                 \
        size_t i = 0;                                                                             \
        for (; i + width <= n; i += width) {                                                      \
            vec gi = load(g + i), mi = load(m + i), vi = load(v + i);                             \
            mi = mi + (gi - mi) * a;                                                              \
            vi = vi + (gi * gi - vi) * b;                                                         \
            store(m + i, mi);                                                                     \
            store(v + i, vi);                                                                     \
            store(x + i, load(x + i) - (mi * al) / (__builtin_elementwise_sqrt(vi) + ep));        \
        }                                                                                         \
        adam_range(i, n, g, m, v, x, beta1, beta2, alpha, epsilon);                               \
    }

#if defined(__x86_64__)
ADAM_FOR(avx512, "avx512f,avx2,fma", vec16, 16, load16, store16)
ADAM_FOR(avx2, "avx2,fma", vec8, 8, load8, store8)
#endif

void coptimizer_adam(size_t n, const float *g, float *m, float *v, float *x,
                     float beta1, float beta2, float alpha, float epsilon) {
#if defined(__x86_64__)
    if (cpu_has_avx512()) { adam_avx512(n, g, m, v, x, beta1, beta2, alpha, epsilon); return; }
    if (cpu_has_avx2_fma()) { adam_avx2(n, g, m, v, x, beta1, beta2, alpha, epsilon); return; }
#endif
    adam_range(0, n, g, m, v, x, beta1, beta2, alpha, epsilon);
}
