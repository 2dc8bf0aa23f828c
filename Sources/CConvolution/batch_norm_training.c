// Batch normalization in training, channels last: the moments, the normalization and the
// sums its gradient needs, each in one pass over the rows with the channels in vectors
// (accumulated in double precision, as the runtime's reductions), instead of a pass per
// broadcast operation.
#include "cnormalization.h"
#include "kernel_support.h"

#include <stdlib.h>
#include <string.h>

// Each product and sum rounded on its own, as the operations this replaces.
#if defined(__clang__)
#pragma clang fp contract(off)
#else
#pragma GCC optimize("fp-contract=off")
#endif

/// Per-channel double sums of `rows` rows: `term(r, j)` added to `sums[j]`.
#define CHANNEL_SUMS(sums, term) do {                                      \
        memset(sums, 0, c * sizeof(double));                               \
        for (size_t r = 0; r < rows; r++)                                  \
            for (size_t j = 0; j < c; j++) sums[j] += (double)(term);      \
    } while (0)

static inline __attribute__((always_inline))
void moments(size_t rows, size_t c, const float *x, float *mean, float *variance, double *sums) {
    CHANNEL_SUMS(sums, x[r * c + j]);
    for (size_t j = 0; j < c; j++) mean[j] = (float)(sums[j] / (double)rows);
    CHANNEL_SUMS(sums, (x[r * c + j] - mean[j]) * (x[r * c + j] - mean[j]));
    for (size_t j = 0; j < c; j++) variance[j] = (float)(sums[j] / (double)rows);
}

static inline __attribute__((always_inline))
void affine(size_t rows, size_t c, const float *a, const float *pa, const float *b, const float *center,
            const float *pb, const float *shift, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const float *ar = a + r * c, *br = b ? b + r * c : NULL;
        float *o = out + r * c;
        if (br) {
            for (size_t j = 0; j < c; j++) o[j] = ar[j] * pa[j] + (br[j] - center[j]) * pb[j] + shift[j];
        } else {
            for (size_t j = 0; j < c; j++) o[j] = ar[j] * pa[j] + shift[j];
        }
    }
}

static inline __attribute__((always_inline))
void gradient_sums(size_t rows, size_t c, const float *x, const float *g, const float *mean, double *sum_g, double *sum_gx) {
    CHANNEL_SUMS(sum_g, g[r * c + j]);
    CHANNEL_SUMS(sum_gx, g[r * c + j] * (x[r * c + j] - mean[j]));
}

/// The three passes compiled for one instruction set (`suffix`, `isa`).
#define PASSES_FOR(suffix, isa)                                                                            \
    __attribute__((target(isa)))                                                                          \
    static void moments_##suffix(size_t rows, size_t c, const float *x, float *mean, float *variance,     \
                                 double *sums) {                                                          \
        moments(rows, c, x, mean, variance, sums);                                                        \
    }                                                                                                     \
    __attribute__((target(isa)))                                                                          \
    static void affine_##suffix(size_t rows, size_t c, const float *a, const float *pa, const float *b,   \
                                const float *center, const float *pb, const float *shift, float *out) {   \
        affine(rows, c, a, pa, b, center, pb, shift, out);                                                \
    }                                                                                                     \
    __attribute__((target(isa)))                                                                          \
    static void gradient_sums_##suffix(size_t rows, size_t c, const float *x, const float *g,             \
                                       const float *mean, double *sum_g, double *sum_gx) {                \
        gradient_sums(rows, c, x, g, mean, sum_g, sum_gx);                                                \
    }

#if defined(__x86_64__)
PASSES_FOR(avx512, "avx512f,avx2,fma")
PASSES_FOR(avx2, "avx2,fma")
#endif

void cnorm_moments(size_t rows, size_t c, const float *x, float *mean, float *variance) {
    double *sums = malloc((c ? c : 1) * sizeof(double));
    if (!sums) abort();
#if defined(__x86_64__)
    if (cpu_has_avx512()) moments_avx512(rows, c, x, mean, variance, sums);
    else if (cpu_has_avx2_fma()) moments_avx2(rows, c, x, mean, variance, sums);
    else
#endif
    moments(rows, c, x, mean, variance, sums);
    free(sums);
}

void cnorm_affine(size_t rows, size_t c, const float *a, const float *pa, const float *b, const float *center,
                  const float *pb, const float *shift, float *out) {
#if defined(__x86_64__)
    if (cpu_has_avx512()) { affine_avx512(rows, c, a, pa, b, center, pb, shift, out); return; }
    if (cpu_has_avx2_fma()) { affine_avx2(rows, c, a, pa, b, center, pb, shift, out); return; }
#endif
    affine(rows, c, a, pa, b, center, pb, shift, out);
}

void cnorm_gradient_sums(size_t rows, size_t c, const float *x, const float *g, const float *mean,
                         double *sum_g, double *sum_gx) {
#if defined(__x86_64__)
    if (cpu_has_avx512()) { gradient_sums_avx512(rows, c, x, g, mean, sum_g, sum_gx); return; }
    if (cpu_has_avx2_fma()) { gradient_sums_avx2(rows, c, x, g, mean, sum_g, sum_gx); return; }
#endif
    gradient_sums(rows, c, x, g, mean, sum_g, sum_gx);
}
