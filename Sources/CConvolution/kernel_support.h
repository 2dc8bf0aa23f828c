// What the kernels of this target share: 8-float vectors (AVX registers when
// compiled for AVX2, pairs of SSE registers otherwise), the ReLU that keeps NaN,
// and the one-time check for AVX2 + FMA.
#ifndef CCONVOLUTION_KERNEL_SUPPORT_H
#define CCONVOLUTION_KERNEL_SUPPORT_H

typedef float vec8 __attribute__((vector_size(32), aligned(4)));
typedef int ivec8 __attribute__((vector_size(32), aligned(4)));

#define load8(p) (*(const vec8 *)(p))
#define store8(p, v) (*(vec8 *)(p) = (v))

/// max(u, 0) that keeps NaN, as the runtime's `relu` (and TensorFlow's).
#define relu8(u) ((vec8)((ivec8)(u) & (((u) > (vec8){0}) | ((u) != (u)))))

#if defined(__x86_64__)
/// Whether the CPU has AVX2 and FMA (asked once).
static inline int cpu_has_avx2_fma(void) {
    static int has = -1;
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return has;
}
#endif

#endif
