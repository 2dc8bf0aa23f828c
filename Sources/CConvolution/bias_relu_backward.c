// The backward pass of the bias and ReLU fused into a convolution or dense layer's
// forward pass: the ReLU's mask and the bias's sums in one pass over the gradient.
#include "cactivations.h"
#include "kernel_support.h"

#include <stdlib.h>
#include <string.h>

static inline __attribute__((always_inline))
void run_all(size_t rows, size_t c, const float *g, const float *y, int relu, float *out, double *sums) {
    if (sums) memset(sums, 0, c * sizeof(double));
    for (size_t r = 0; r < rows; r++) {
        const float *gr = g + r * c, *yr = y + r * c;
        float *o = out + r * c;
        if (relu) {
            for (size_t j = 0; j < c; j++) o[j] = gr[j] * (yr[j] > 0 ? 1.0f : 0.0f);
        } else if (o != gr) {
            memcpy(o, gr, c * sizeof(float));
        }
        if (sums) for (size_t j = 0; j < c; j++) sums[j] += (double)o[j];
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx2,fma")))
static void run_avx512(size_t rows, size_t c, const float *g, const float *y, int relu, float *out, double *sums) {
    run_all(rows, c, g, y, relu, out, sums);
}

__attribute__((target("avx2,fma")))
static void run_avx2(size_t rows, size_t c, const float *g, const float *y, int relu, float *out, double *sums) {
    run_all(rows, c, g, y, relu, out, sums);
}
#endif

void cbias_relu_backward(size_t rows, size_t c, const float *g, const float *y, int relu, float *out,
                         float *bias_gradient) {
    double *sums = bias_gradient ? malloc((c ? c : 1) * sizeof(double)) : NULL;
    if (bias_gradient && !sums) abort();
#if defined(__x86_64__)
    if (cpu_has_avx512()) run_avx512(rows, c, g, y, relu, out, sums);
    else if (cpu_has_avx2_fma()) run_avx2(rows, c, g, y, relu, out, sums);
    else
#endif
    run_all(rows, c, g, y, relu, out, sums);
    if (bias_gradient) {
        for (size_t j = 0; j < c; j++) bias_gradient[j] = (float)sums[j];
        free(sums);
    }
}
