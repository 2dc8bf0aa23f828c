// The zero-padded input image the direct convolution kernels read (the forward
// pass and the filter gradient): its sizes, and one image copied into its interior.
#ifndef CCONVOLUTION_PADDED_IMAGE_H
#define CCONVOLUTION_PADDED_IMAGE_H

#include "cconvolution.h"

#include <string.h>

/// Rows the windows of every output row span, padding included.
static inline size_t padded_height(const cconv_geometry *g) {
    return (size_t)(g->oh - 1) * g->stride_h + (size_t)(g->kh - 1) * g->dilation_h + 1;
}

/// Columns the windows of every output column span, padding included.
static inline size_t padded_width(const cconv_geometry *g) {
    return (size_t)(g->ow - 1) * g->stride_w + (size_t)(g->kw - 1) * g->dilation_w + 1;
}

static inline size_t padded_image_count(const cconv_geometry *g) {
    return padded_height(g) * padded_width(g) * (size_t)g->c;
}

/// Whether the windows read the image where it is: no padding to add.
static inline int image_in_place(const cconv_geometry *g) {
    return g->pad_top == 0 && g->pad_left == 0 && padded_width(g) == (size_t)g->w && padded_height(g) <= (size_t)g->h;
}

/// Copies one image into the interior of the padded image (borders stay zero).
static inline void pad_image(const cconv_geometry *g, const float *image, size_t wp, float *padded) {
    size_t hp = padded_height(g);
    size_t c = (size_t)g->c;
    for (size_t y = 0; y < (size_t)g->h; y++) {
        size_t py = y + (size_t)g->pad_top;
        if (py >= hp) break;
        if ((size_t)g->pad_left >= wp) break;
        size_t count = (size_t)g->w;
        if ((size_t)g->pad_left + count > wp) count = wp - (size_t)g->pad_left;
        memcpy(padded + (py * wp + (size_t)g->pad_left) * c, image + y * (size_t)g->w * c, count * c * sizeof(float));
    }
}

#endif
