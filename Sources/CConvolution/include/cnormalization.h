#ifndef CNORMALIZATION_H
#define CNORMALIZATION_H

#include <stddef.h>

// Batch normalization in training over `rows` rows of `c` channels (NHWC with every axis but the
// channels' flattened into rows): the moments, the normalization and its gradient, each one pass
// over the rows with the channels in vectors, sums in double precision.

/// `mean[j] = Σ x[r][j] / rows`, then `variance[j] = Σ (x[r][j] − mean[j])² / rows` (the
/// difference and its square in float, as `tf.nn.moments`; rows > 0).
void cnorm_moments(size_t rows, size_t c, const float *x, float *mean, float *variance);

/// `out[r][j] = a[r][j]·pa[j] + (b[r][j] − center[j])·pb[j] + shift[j]` (`b` NULL: no second
/// term), each operation rounded on its own: the normalization `x·inv + shift`, and the input
/// gradient.
void cnorm_affine(size_t rows, size_t c, const float *a, const float *pa, const float *b, const float *center,
                  const float *pb, const float *shift, float *out);

/// `sum_g[j] = Σ g[r][j]` and `sum_gx[j] = Σ g[r][j]·(x[r][j] − mean[j])`.
void cnorm_gradient_sums(size_t rows, size_t c, const float *x, const float *g, const float *mean,
                         double *sum_g, double *sum_gx);

#endif
