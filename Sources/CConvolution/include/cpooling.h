#ifndef CPOOLING_H
#define CPOOLING_H

/// The sizes of one 2-D max pooling over NHWC tensors, checked by the caller
/// (the runtime's `maxPool2d`).
typedef struct {
    int n, h, w, c;                 ///< input: images, height, width, channels
    int oh, ow;                     ///< output height and width
    int window_h, window_w, stride_h, stride_w;
    int pad_top, pad_left;          ///< positions before the first row and column (ignored, as −∞)
} cpool_geometry;

/// The maximum of each window, channels 8 at a time (AVX2 when the CPU has
/// it), each output written once; NaN wins as in TensorFlow.
void cpool_max2d(const cpool_geometry *g, const float *input, float *output);

/// The gradient of `cpool_max2d` into `result` (the input's shape, overwritten): each output's
/// `gradient` added at the first position of its window, row by row, holding the maximum
/// `output` (NaN matching NaN), as TensorFlow's MaxPoolGrad; channels 8 at a time.
void cpool_max2d_backward(const cpool_geometry *g, const float *input, const float *output, const float *gradient,
                          float *result);

#endif
