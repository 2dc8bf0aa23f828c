// What the kernels of this target share: 8-float vectors (AVX registers when
// compiled for AVX2, pairs of SSE registers otherwise), 16-float vectors (AVX-512
// registers), the ReLU that keeps NaN, and the one-time checks for AVX2 + FMA
// and AVX-512F.
#ifndef CCONVOLUTION_KERNEL_SUPPORT_H
#define CCONVOLUTION_KERNEL_SUPPORT_H

#include "ckernels.h"

typedef float vec8 __attribute__((vector_size(32), aligned(4)));
typedef int ivec8 __attribute__((vector_size(32), aligned(4)));

#define load8(p) (*(const vec8 *)(p))
#define store8(p, v) (*(vec8 *)(p) = (v))

/// max(u, 0) that keeps NaN, as the runtime's `relu` (and TensorFlow's).
#define relu8(u) ((vec8)((ivec8)(u) & (((u) > (vec8){0}) | ((u) != (u)))))

/// d where d ≥ v, v where v > d or v is NaN (so a NaN, once taken, stays): TensorFlow's max
/// pooling, a window's values taken in order.
#define max_keep_nan8(d, v) ((vec8)(((ivec8)(v) & (((v) > (d)) | ((v) != (v)))) | \
                                    ((ivec8)(d) & ~(((v) > (d)) | ((v) != (v))))))

/// 16-float vectors: one AVX-512 register, used only in functions compiled for AVX-512F.
typedef float vec16 __attribute__((vector_size(64), aligned(4)));
typedef int ivec16 __attribute__((vector_size(64), aligned(4)));

#define load16(p) (*(const vec16 *)(p))
#define store16(p, v) (*(vec16 *)(p) = (v))
#define relu16(u) ((vec16)((ivec16)(u) & (((u) > (vec16){0}) | ((u) != (u)))))
#define max_keep_nan16(d, v) ((vec16)(((ivec16)(v) & (((v) > (d)) | ((v) != (v)))) | \
                                      ((ivec16)(d) & ~(((v) > (d)) | ((v) != (v))))))

/// Stores the first `lanes` (1...16) floats of `u` at `dst`.
#define store16_lanes(dst, u, lanes) do {                          \
        if ((lanes) == 16) {                                       \
            store16(dst, u);                                       \
        } else {                                                   \
            float kept_[16];                                       \
            store16(kept_, u);                                     \
            memcpy(dst, kept_, sizeof(float) * (size_t)(lanes));  \
        }                                                          \
    } while (0)

/// Unrolls the loop that follows completely (its count is a constant after inlining), so a
/// tile's accumulators stay in registers at -O2 too.
#if defined(__clang__)
#define UNROLLED _Pragma("clang loop unroll(full)")
#else
#define UNROLLED _Pragma("GCC unroll 16")
#endif

/// Positions (rows) one AVX-512 tile holds at most: an accumulator register each, of 32.
#define WIDE_TILE 16

#if defined(__x86_64__)
/// Whether the kernels may use AVX2 and FMA: the CPU has them (asked once) and the thread's limit allows them.
static inline int cpu_has_avx2_fma(void) {
    static int has = -1;
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return has && ckernels_instruction_limit() >= CKERNELS_AVX2;
}

/// Whether the kernels may use AVX-512F (besides AVX2 and FMA), as `cpu_has_avx2_fma`.
static inline int cpu_has_avx512(void) {
    static int has = -1;
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx512f");
    }
    return has && cpu_has_avx2_fma() && ckernels_instruction_limit() >= CKERNELS_AVX512;
}
#endif

#endif
