#ifndef COPTIMIZERS_H
#define COPTIMIZERS_H

#include <stddef.h>

/// TF1 Adam's dense update (`ApplyAdam`) of `n` elements, in TensorFlow's order of operations:
///
///     m += (g − m)·(1 − beta1);  v += (g² − v)·(1 − beta2);  x −= (m·alpha) / (√v + epsilon)
///
/// each operation rounded on its own (no fused multiply-add), so the result is the scalar
/// loop's bit for bit; 16 elements at a time with AVX-512, 8 with AVX (chosen at run time).
void coptimizer_adam(size_t n, const float *g, float *m, float *v, float *x,
                     float beta1, float beta2, float alpha, float epsilon);

#endif
