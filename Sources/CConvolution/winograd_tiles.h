// The vector parts of the Winograd convolution (winograd_conv2d.c), written once
// for a vector of WT_LANES floats: included once per width with
//   WT_VEC      the vector type (vec16 or vec8, kernel_support.h),
//   WT_LANES    its floats (16 or 8),
//   WT_NAME(x)  the name of x for this width,
//   WT_TARGET   the target attribute of its functions,
//   WT_RELU(u)  the ReLU that keeps NaN for this type,
//   WT_MAX(d, v) the pooling's maximum that keeps NaN for this type.
// Channels go WT_LANES at a time; a partial last group is read and written lane by lane.

/// The first `lanes` floats at `p`, zeros after them.
static inline __attribute__((always_inline)) WT_TARGET
void WT_NAME(load_lanes)(WT_VEC *v, const float *p, size_t lanes) {
    if (lanes == WT_LANES) {
        *v = *(const WT_VEC *)p;
    } else {
        float kept[WT_LANES] = {0};
        memcpy(kept, p, lanes * sizeof(float));
        *v = *(const WT_VEC *)kept;
    }
}

/// Transforms input tiles `t0 ..< t1` (numbered over all images, row by row) into
/// `v`: point ξ of tile t at `v[ξ·plane + (t − t0)·cp + channel]`, channels beyond
/// `c` zero.
static WT_TARGET
void WT_NAME(input_tiles)(const cconv_geometry *g, const float *input, size_t t0, size_t t1,
                          float *v, size_t plane, size_t cp) {
    const size_t c = (size_t)g->c, h = (size_t)g->h, w = (size_t)g->w;
    const size_t tw = ((size_t)g->ow + 1) / 2, per_image = tw * (((size_t)g->oh + 1) / 2);
    for (size_t t = t0; t < t1; t++) {
        const size_t b = t / per_image, ty = t % per_image / tw, tx = t % per_image % tw;
        const ptrdiff_t y0 = (ptrdiff_t)(2 * ty) - g->pad_top, x0 = (ptrdiff_t)(2 * tx) - g->pad_left;
        const float *image = input + b * h * w * c;
        const int inside = y0 >= 0 && x0 >= 0 && (size_t)y0 + ALPHA <= h && (size_t)x0 + ALPHA <= w;
        float *dst = v + (t - t0) * cp;
        for (size_t ch = 0; ch < c; ch += WT_LANES) {
            const size_t lanes = c - ch < WT_LANES ? c - ch : WT_LANES;
            WT_VEC d[ALPHA][ALPHA];
            if (inside && lanes == WT_LANES) {
                const float *p = image + ((size_t)y0 * w + (size_t)x0) * c + ch;
                UNROLLED
                for (int i = 0; i < ALPHA; i++) {
                    UNROLLED
                    for (int j = 0; j < ALPHA; j++) d[i][j] = *(const WT_VEC *)(p + ((size_t)i * w + (size_t)j) * c);
                }
            } else {
                // A tile over the border (zeros outside the image) or a partial channel group.
                for (int i = 0; i < ALPHA; i++) {
                    for (int j = 0; j < ALPHA; j++) {
                        const ptrdiff_t y = y0 + i, x = x0 + j;
                        if (y < 0 || x < 0 || (size_t)y >= h || (size_t)x >= w) {
                            d[i][j] = (WT_VEC){0};
                        } else {
                            WT_NAME(load_lanes)(&d[i][j], image + ((size_t)y * w + (size_t)x) * c + ch, lanes);
                        }
                    }
                }
            }
            // Bᵀ·d·B, Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]: down the columns, then along the rows.
            WT_VEC s[ALPHA][ALPHA];
            UNROLLED
            for (int j = 0; j < ALPHA; j++) {
                s[0][j] = d[0][j] - d[2][j];
                s[1][j] = d[1][j] + d[2][j];
                s[2][j] = d[2][j] - d[1][j];
                s[3][j] = d[1][j] - d[3][j];
            }
            UNROLLED
            for (int i = 0; i < ALPHA; i++) {
                float *row = dst + (size_t)(i * ALPHA) * plane + ch;
                *(WT_VEC *)(row) = s[i][0] - s[i][2];
                *(WT_VEC *)(row + plane) = s[i][1] + s[i][2];
                *(WT_VEC *)(row + 2 * plane) = s[i][2] - s[i][1];
                *(WT_VEC *)(row + 3 * plane) = s[i][1] - s[i][3];
            }
        }
    }
}

/// Transforms the products of tiles `t0 ..< t1` (point ξ of tile t at
/// `m[ξ·plane + (t − t0)·kp + channel]`) back into 2×2 outputs with the epilogue
/// (`scales`, `shifts`: `kp` floats), writing only outputs inside the image; channels
/// beyond `o` (never written by the products) are not read. With `pool` (2×2 windows,
/// stride 2, `cwino_supports_pooling`), each tile's outputs inside the image are one window:
/// their maximum, in the pooling kernel's order, is written to the pooled output instead
/// (tiles outside it, a VALID pooling's odd last row or column, write nothing).
static WT_TARGET
void WT_NAME(output_tiles)(const cconv_geometry *g, const cpool_geometry *pool, const float *m, size_t t0, size_t t1,
                           size_t plane, size_t kp, const float *scales, const float *shifts, int relu, float *output) {
    const size_t o = (size_t)g->o, oh = (size_t)g->oh, ow = (size_t)g->ow;
    const size_t tw = (ow + 1) / 2, per_image = tw * ((oh + 1) / 2);
    for (size_t t = t0; t < t1; t++) {
        const size_t b = t / per_image, y0 = 2 * (t % per_image / tw), x0 = 2 * (t % per_image % tw);
        const size_t rows = oh - y0 < 2 ? 1 : 2, cols = ow - x0 < 2 ? 1 : 2;
        const float *src = m + (t - t0) * kp;
        float *out;
        if (pool) {
            if (y0 / 2 >= (size_t)pool->oh || x0 / 2 >= (size_t)pool->ow) continue;
            out = output + ((b * (size_t)pool->oh + y0 / 2) * (size_t)pool->ow + x0 / 2) * o;
        } else {
            out = output + ((b * oh + y0) * ow + x0) * o;
        }
        for (size_t k = 0; k < o; k += WT_LANES) {
            const size_t lanes = o - k < WT_LANES ? o - k : WT_LANES;
            WT_VEC p[ALPHA][ALPHA];
            UNROLLED
            for (int i = 0; i < ALPHA; i++) {
                UNROLLED
                for (int j = 0; j < ALPHA; j++) WT_NAME(load_lanes)(&p[i][j], src + (size_t)(i * ALPHA + j) * plane + k, lanes);
            }
            // Aᵀ·p·A, Aᵀ = [1 1 1 0; 0 1 −1 −1].
            WT_VEC s[2][ALPHA];
            UNROLLED
            for (int j = 0; j < ALPHA; j++) {
                s[0][j] = p[0][j] + p[1][j] + p[2][j];
                s[1][j] = p[1][j] - p[2][j] - p[3][j];
            }
            const WT_VEC scale = *(const WT_VEC *)(scales + k), shift = *(const WT_VEC *)(shifts + k);
            WT_VEC y[2][2];
            UNROLLED
            for (int i = 0; i < 2; i++) {
                y[i][0] = (s[i][0] + s[i][1] + s[i][2]) * scale + shift;
                y[i][1] = (s[i][1] - s[i][2] - s[i][3]) * scale + shift;
                if (relu) { y[i][0] = WT_RELU(y[i][0]); y[i][1] = WT_RELU(y[i][1]); }
            }
            if (pool) {
                // The window's outputs row by row, as the pooling kernel reads them.
                WT_VEC most = y[0][0];
                if (cols == 2) most = WT_MAX(most, y[0][1]);
                if (rows == 2) {
                    most = WT_MAX(most, y[1][0]);
                    if (cols == 2) most = WT_MAX(most, y[1][1]);
                }
                if (lanes == WT_LANES) {
                    *(WT_VEC *)(out + k) = most;
                } else {
                    float kept[WT_LANES];
                    *(WT_VEC *)kept = most;
                    memcpy(out + k, kept, lanes * sizeof(float));
                }
            } else if (rows == 2 && cols == 2 && lanes == WT_LANES) {
                UNROLLED
                for (int i = 0; i < 2; i++) {
                    *(WT_VEC *)(out + i * ow * o + k) = y[i][0];
                    *(WT_VEC *)(out + (i * ow + 1) * o + k) = y[i][1];
                }
            } else {
                for (size_t i = 0; i < rows; i++) {
                    for (size_t j = 0; j < cols; j++) {
                        float kept[WT_LANES];
                        *(WT_VEC *)kept = y[i][j];
                        memcpy(out + (i * ow + j) * o + k, kept, lanes * sizeof(float));
                    }
                }
            }
        }
    }
}
