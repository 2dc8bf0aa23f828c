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

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void adam_avx512(size_t n, const float *g, float *m, float *v, float *x,
                        float beta1, float beta2, float alpha, float epsilon) {
    const vec16 a = (vec16){0} + (1 - beta1), b = (vec16){0} + (1 - beta2);
    const vec16 al = (vec16){0} + alpha, ep = (vec16){0} + epsilon;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        vec16 gi = load16(g + i), mi = load16(m + i), vi = load16(v + i);
        mi = mi + (gi - mi) * a;
        vi = vi + (gi * gi - vi) * b;
        store16(m + i, mi);
        store16(v + i, vi);
        store16(x + i, load16(x + i) - (mi * al) / (__builtin_elementwise_sqrt(vi) + ep));
    }
    adam_range(i, n, g, m, v, x, beta1, beta2, alpha, epsilon);
}

__attribute__((target("avx2,fma")))
static void adam_avx2(size_t n, const float *g, float *m, float *v, float *x,
                      float beta1, float beta2, float alpha, float epsilon) {
    const vec8 a = (vec8){0} + (1 - beta1), b = (vec8){0} + (1 - beta2);
    const vec8 al = (vec8){0} + alpha, ep = (vec8){0} + epsilon;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        vec8 gi = load8(g + i), mi = load8(m + i), vi = load8(v + i);
        mi = mi + (gi - mi) * a;
        vi = vi + (gi * gi - vi) * b;
        store8(m + i, mi);
        store8(v + i, vi);
        store8(x + i, load8(x + i) - (mi * al) / (__builtin_elementwise_sqrt(vi) + ep));
    }
    adam_range(i, n, g, m, v, x, beta1, beta2, alpha, epsilon);
}
#endif

void coptimizer_adam(size_t n, const float *g, float *m, float *v, float *x,
                     float beta1, float beta2, float alpha, float epsilon) {
#if defined(__x86_64__)
    if (cpu_has_avx512()) { adam_avx512(n, g, m, v, x, beta1, beta2, alpha, epsilon); return; }
    if (cpu_has_avx2_fma()) { adam_avx2(n, g, m, v, x, beta1, beta2, alpha, epsilon); return; }
#endif
    adam_range(0, n, g, m, v, x, beta1, beta2, alpha, epsilon);
}
