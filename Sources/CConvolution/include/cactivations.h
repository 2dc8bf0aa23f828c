#ifndef CACTIVATIONS_H
#define CACTIVATIONS_H

#include <stddef.h>

/// The backward pass of a bias added and a ReLU (or none) applied after a product, over `rows`
/// rows of `c` channels, in one pass: `out = relu ? g·(y > 0 ? 1 : 0) : g` (`y` the forward output;
/// as TensorFlow's ReluGrad, a NaN or infinite g times 0 stays NaN), and `bias_gradient[j] = Σ out[r][j]` summed in double precision (NULL: not
/// wanted). `out` may be `g`.
void cbias_relu_backward(size_t rows, size_t c, const float *g, const float *y, int relu, float *out,
                         float *bias_gradient);

#endif
