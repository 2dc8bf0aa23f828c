// The LSTM gate pass (clstm_gates): the input projection added, the gates' activations
// and the new cell and hidden state in one pass over a sequence's row, 16 or 8 floats at a
// time where the Swift loop it replaces was vectorised 4 wide; its backward rule
// (clstm_gates_backward) the same way; and, for one sequence, the step with the state's
// product fused in (clstm_row_step), the gate pass run on each block of it in registers.
#include "crecurrent.h"
#include "csmallgemm.h"
#include "kernel_support.h"

#include <string.h>

// Values equal to the Swift gate pass's: no contraction into fused multiply-adds.
#pragma clang fp contract(off)

/// Per vector type (V, its integer type IV, W lanes): eˣ as `fastExp`, sigmoid as
/// `vectorSigmoid`, tanh as `rationalTanh`, and the step over W columns from `k`.
#define GATE_KERNELS(SUFFIX, V, IV, W, TARGET)                                                      \
static inline __attribute__((always_inline, TARGET))                                                \
V select_##SUFFIX(IV mask, V a, V b) { return (V)((mask & (IV)a) | (~mask & (IV)b)); }             \
                                                                                                    \
static inline __attribute__((always_inline, TARGET))                                                \
V exp_##SUFFIX(V input) {                                                                           \
    const V overflow = (V){0} + 88.72283905206835f;                                                 \
    V x0 = select_##SUFFIX(input > (V){0} + -104.0f, input, (V){0} + -104.0f);                     \
    x0 = select_##SUFFIX(x0 < overflow, x0, overflow);                                              \
    const V magic = (V){0} + 0x1.8p23f;                                                             \
    V shifted = x0 * 1.44269504088896341f + magic;                                                  \
    IV n = (IV)shifted - 0x4B400000;                                                                \
    V fx = shifted - magic;                                                                         \
    V x = x0 - fx * 0.693359375f;                                                                   \
    x = x - fx * -2.12194440e-4f;                                                                   \
    V z = x * x;                                                                                    \
    V y = (V){0} + 1.9875691500e-4f;                                                                \
    y = y * x + 1.3981999507e-3f;                                                                   \
    y = y * x + 8.3334519073e-3f;                                                                   \
    y = y * x + 4.1665795894e-2f;                                                                   \
    y = y * x + 1.6666665459e-1f;                                                                   \
    y = y * x + 5.0000001201e-1f;                                                                   \
    y = y * z + x + 1.0f;                                                                           \
    IV n1 = n >> 1, n2 = n - n1;                                                                    \
    V s1 = (V)((n1 + 127) << 23), s2 = (V)((n2 + 127) << 23);                                       \
    V r = y * s1 * s2;                                                                              \
    r = select_##SUFFIX(input > overflow, (V){0} + __builtin_inff(), r);                            \
    return select_##SUFFIX(input != input, input, r);                                               \
}                                                                                                   \
                                                                                                    \
static inline __attribute__((always_inline, TARGET))                                                \
V sigmoid_##SUFFIX(V x) { return 1.0f / (1.0f + exp_##SUFFIX(-x)); }                               \
                                                                                                    \
static inline __attribute__((always_inline, TARGET))                                                \
V tanh_##SUFFIX(V input) {                                                                          \
    const V clamp = (V){0} + 7.90531110763549805f;                                                  \
    V x = select_##SUFFIX(input > -clamp, input, -clamp);                                           \
    x = select_##SUFFIX(x < clamp, x, clamp);                                                       \
    V x2 = x * x;                                                                                   \
    V p = (V){0} + -2.76076847742355e-16f;                                                          \
    p = p * x2 + 2.00018790482477e-13f;                                                             \
    p = p * x2 + -8.60467152213735e-11f;                                                            \
    p = p * x2 + 5.12229709037114e-08f;                                                             \
    p = p * x2 + 1.48572235717979e-05f;                                                             \
    p = p * x2 + 6.37261928875436e-04f;                                                             \
    p = p * x2 + 4.89352455891786e-03f;                                                             \
    p = p * x;                                                                                      \
    V q = (V){0} + 1.19825839466702e-06f;                                                           \
    q = q * x2 + 1.18534705686654e-04f;                                                             \
    q = q * x2 + 2.26843463243900e-03f;                                                             \
    q = q * x2 + 4.89352518554385e-03f;                                                             \
    IV small = (IV)((V)((IV)input & 0x7FFFFFFF) < 0.0004f);                                         \
    V r = p / q;                                                                                    \
    return select_##SUFFIX(input != input, input, select_##SUFFIX(small, input, r));                \
}                                                                                                   \
                                                                                                    \
/* The cell from the state's product of each gate (`pi`...) and the input projection `x`. */      \
static inline __attribute__((always_inline, TARGET))                                                \
void cell_##SUFFIX(V pi, V pj, V pf, V po, const float *x, const float *cp, float *cn, float *hn,  \
                   float *pre, int gi, int gj, int gf, int go, float forget_bias) {                 \
    V i = pi + *(const V *)(x + gi);                                                                \
    V j = pj + *(const V *)(x + gj);                                                                \
    V f = pf + *(const V *)(x + gf);                                                                \
    V o = po + *(const V *)(x + go);                                                                \
    if (forget_bias != 0) f = f + forget_bias;                                                      \
    if (pre) {                                                                                      \
        *(V *)(pre + gi) = i; *(V *)(pre + gj) = j; *(V *)(pre + gf) = f; *(V *)(pre + go) = o;    \
    }                                                                                               \
    V c = sigmoid_##SUFFIX(f) * *(const V *)cp + sigmoid_##SUFFIX(i) * tanh_##SUFFIX(j);           \
    *(V *)cn = c;                                                                                   \
    *(V *)hn = tanh_##SUFFIX(c) * sigmoid_##SUFFIX(o);                                              \
}                                                                                                   \
                                                                                                    \
static inline __attribute__((always_inline, TARGET))                                                \
void step_##SUFFIX(const float *x, const float *product, const float *cp, float *cn, float *hn,    \
                   float *pre, int gi, int gj, int gf, int go, float forget_bias) {                 \
    cell_##SUFFIX(*(const V *)(product + gi), *(const V *)(product + gj), *(const V *)(product + gf), \
                  *(const V *)(product + go), x, cp, cn, hn, pre, gi, gj, gf, go, forget_bias);    \
}                                                                                                   \
                                                                                                    \
__attribute__((TARGET))                                                                             \
static void gates_##SUFFIX(int u, const float *x, const float *product, int gi, int gj, int gf,    \
                           int go, float forget_bias, const float *cp, float *cn, float *hn,       \
                           float *pre) {                                                            \
    int k = 0;                                                                                      \
    for (; k + W <= u; k += W)                                                                      \
        step_##SUFFIX(x + k, product + k, cp + k, cn + k, hn + k, pre ? pre + k : NULL,            \
                      gi, gj, gf, go, forget_bias);                                                 \
    if (k < u) {                                                                                    \
        /* The last columns through full vectors: the four gates side by side, W apart. */         \
        const int n = u - k;                                                                        \
        float gx[4 * W] = {0}, gp[4 * W] = {0}, gpre[4 * W], c0[W] = {0}, c1[W], h1[W];            \
        const int from[4] = {gi, gj, gf, go};                                                       \
        for (int g = 0; g < 4; g++) {                                                               \
            memcpy(gx + g * W, x + from[g] + k, sizeof(float) * (size_t)n);                        \
            memcpy(gp + g * W, product + from[g] + k, sizeof(float) * (size_t)n);                  \
        }                                                                                           \
        memcpy(c0, cp + k, sizeof(float) * (size_t)n);                                              \
        step_##SUFFIX(gx, gp, c0, c1, h1, gpre, 0, W, 2 * W, 3 * W, forget_bias);                  \
        memcpy(cn + k, c1, sizeof(float) * (size_t)n);                                              \
        memcpy(hn + k, h1, sizeof(float) * (size_t)n);                                              \
        if (pre)                                                                                    \
            for (int g = 0; g < 4; g++)                                                             \
                memcpy(pre + from[g] + k, gpre + g * W, sizeof(float) * (size_t)n);                \
    }                                                                                               \
}

/// The backward rule of `step_`/`gates_` (clstm_gates_backward), the activations recomputed
/// from the gates' inputs with the same functions.
#define BACKWARD_KERNELS(SUFFIX, V, IV, W, TARGET)                                                  \
static inline __attribute__((always_inline, TARGET))                                                \
void back_step_##SUFFIX(const float *pre, const float *c, const float *cp, const float *dh,        \
                        const float *dc, float *dcp, float *dx, int gi, int gj, int gf, int go) {   \
    V i = sigmoid_##SUFFIX(*(const V *)(pre + gi));                                           \
    V f = sigmoid_##SUFFIX(*(const V *)(pre + gf));                                           \
    V j = tanh_##SUFFIX(*(const V *)(pre + gj));                                              \
    V o = sigmoid_##SUFFIX(*(const V *)(pre + go));                                           \
    V ac = tanh_##SUFFIX(*(const V *)c);                                                      \
    V h = *(const V *)dh;                                                                           \
    V dO = h * ac * (o * (1.0f - o));                                                               \
    V dC = *(const V *)dc + h * o * (1.0f - ac * ac);                                               \
    *(V *)(dx + gi) = dC * j * (i * (1.0f - i));                                                    \
    *(V *)(dx + gf) = dC * *(const V *)cp * (f * (1.0f - f));                                       \
    *(V *)(dx + gj) = dC * i * (1.0f - j * j);                                                      \
    *(V *)(dx + go) = dO;                                                                           \
    *(V *)dcp = dC * f;                                                                             \
}                                                                                                   \
                                                                                                    \
__attribute__((TARGET))                                                                             \
static void backward_##SUFFIX(int u, const float *pre, const float *c, const float *cp,            \
                              const float *dh, const float *dc, int gi, int gj, int gf, int go,     \
                              float *dcp, float *dx) {                                              \
    int k = 0;                                                                                      \
    for (; k + W <= u; k += W)                                                                      \
        back_step_##SUFFIX(pre + k, c + k, cp + k, dh + k, dc + k, dcp + k, dx + k, gi, gj, gf, go); \
    if (k < u) {                                                                                    \
        /* The last columns through full vectors: the four gates side by side, W apart. */         \
        const int n = u - k;                                                                        \
        float gpre[4 * W] = {0}, gdx[4 * W], v[4][W] = {{0}}, out[W];                               \
        const int at[4] = {gi, gj, gf, go};                                                         \
        for (int g = 0; g < 4; g++) memcpy(gpre + g * W, pre + at[g] + k, sizeof(float) * (size_t)n); \
        memcpy(v[0], c + k, sizeof(float) * (size_t)n);                                             \
        memcpy(v[1], cp + k, sizeof(float) * (size_t)n);                                            \
        memcpy(v[2], dh + k, sizeof(float) * (size_t)n);                                            \
        memcpy(v[3], dc + k, sizeof(float) * (size_t)n);                                            \
        back_step_##SUFFIX(gpre, v[0], v[1], v[2], v[3], out, gdx, 0, W, 2 * W, 3 * W);            \
        memcpy(dcp + k, out, sizeof(float) * (size_t)n);                                            \
        for (int g = 0; g < 4; g++) memcpy(dx + at[g] + k, gdx + g * W, sizeof(float) * (size_t)n); \
    }                                                                                               \
}

/// One step of one sequence with the state's product fused in (clstm_row_step): per block of W
/// units, the four gates' W columns of `h_prev · packed` accumulated in registers as
/// `csgemm_run` sums one row (even and odd k in chains of their own, added at the end, then
/// its zero bias; contracted into multiply-adds as there), then `cell_` on them. The blocks
/// run from the first to the last, or from the last to the first when `backwards`.
#define ROW_KERNELS(SUFFIX, V, IV, W, TARGET)                                                       \
__attribute__((TARGET))                                                                             \
static void row_step_##SUFFIX(int u, int k, const float *h_prev, const float *packed, const float *x, \
                              int gi, int gj, int gf, int go, float forget_bias, const float *cp,   \
                              float *cn, float *hn, float *pre, int backwards) {                    \
    _Pragma("clang fp contract(on)")                                                                \
    const int blocks = u / W, at[4] = {gi, gj, gf, go};                                             \
    for (int n = 0; n < blocks; n++) {                                                              \
        const int col = (backwards ? blocks - 1 - n : n) * W;                                       \
        const float *s[4];                                                                          \
        V even[4], odd[4];                                                                          \
        UNROLLED                                                                                    \
        for (int g = 0; g < 4; g++) {                                                               \
            const int column = at[g] + col;                                                         \
            s[g] = packed + (size_t)(column / CSGEMM_PANEL) * (size_t)k * CSGEMM_PANEL              \
                   + column % CSGEMM_PANEL;                                                         \
            even[g] = (V){0};                                                                       \
            odd[g] = (V){0};                                                                        \
        }                                                                                           \
        int t = 0;                                                                                  \
        for (; t + 1 < k; t += 2) {                                                                 \
            const float a = h_prev[t], b = h_prev[t + 1];                                           \
            UNROLLED                                                                                \
            for (int g = 0; g < 4; g++) {                                                           \
                const float *line = s[g] + (size_t)t * CSGEMM_PANEL;                                \
                even[g] += *(const V *)line * a;                                                    \
                odd[g] += *(const V *)(line + CSGEMM_PANEL) * b;                                    \
            }                                                                                       \
        }                                                                                           \
        for (; t < k; t++) {                                                                        \
            UNROLLED                                                                                \
            for (int g = 0; g < 4; g++) even[g] += *(const V *)(s[g] + (size_t)t * CSGEMM_PANEL) * h_prev[t]; \
        }                                                                                           \
        V sum[4];                                                                                   \
        UNROLLED                                                                                    \
        for (int g = 0; g < 4; g++) sum[g] = even[g] + odd[g] + (V){0};                             \
        cell_##SUFFIX(sum[0], sum[1], sum[2], sum[3], x + col, cp + col, cn + col, hn + col,        \
                      pre ? pre + col : NULL, gi, gj, gf, go, forget_bias);                         \
    }                                                                                               \
}

#if defined(__x86_64__)
GATE_KERNELS(avx512, vec16, ivec16, 16, target("avx512f,avx2,fma"))
ROW_KERNELS(avx512, vec16, ivec16, 16, target("avx512f,avx2,fma"))
BACKWARD_KERNELS(avx512, vec16, ivec16, 16, target("avx512f,avx2,fma"))
GATE_KERNELS(avx2, vec8, ivec8, 8, target("avx2,fma"))
ROW_KERNELS(avx2, vec8, ivec8, 8, target("avx2,fma"))
BACKWARD_KERNELS(avx2, vec8, ivec8, 8, target("avx2,fma"))
#endif
/// 4-float vectors (SSE registers on x86-64) for CPUs without AVX2.
typedef float vec4 __attribute__((vector_size(16), aligned(4)));
typedef int ivec4 __attribute__((vector_size(16), aligned(4)));
GATE_KERNELS(portable, vec4, ivec4, 4, unused)
ROW_KERNELS(portable, vec4, ivec4, 4, unused)
BACKWARD_KERNELS(portable, vec4, ivec4, 4, unused)

void clstm_gates(int units, const float *x, const float *product, int i, int j, int f, int o,
                 float forget_bias, const float *c_prev, float *c, float *h, float *pre) {
    if (units <= 0) return;
#if defined(__x86_64__)
    if (cpu_has_avx512()) {
        gates_avx512(units, x, product, i, j, f, o, forget_bias, c_prev, c, h, pre);
        return;
    }
    if (cpu_has_avx2_fma()) {
        gates_avx2(units, x, product, i, j, f, o, forget_bias, c_prev, c, h, pre);
        return;
    }
#endif
    gates_portable(units, x, product, i, j, f, o, forget_bias, c_prev, c, h, pre);
}

void clstm_gates_backward(int units, const float *pre, const float *c, const float *c_prev, const float *dh,
                          const float *dc, int i, int j, int f, int o, float *dc_prev, float *dgates) {
    if (units <= 0) return;
#if defined(__x86_64__)
    if (cpu_has_avx512()) {
        backward_avx512(units, pre, c, c_prev, dh, dc, i, j, f, o, dc_prev, dgates);
        return;
    }
    if (cpu_has_avx2_fma()) {
        backward_avx2(units, pre, c, c_prev, dh, dc, i, j, f, o, dc_prev, dgates);
        return;
    }
#endif
    backward_portable(units, pre, c, c_prev, dh, dc, i, j, f, o, dc_prev, dgates);
}

int clstm_row_step(int units, int k, const float *h_prev, const float *packed, const float *x, int i, int j, int f,
                   int o, float forget_bias, const float *c_prev, float *c, float *h, float *pre, int backwards) {
    if (units <= 0 || units % CSGEMM_PANEL || i % CSGEMM_PANEL || j % CSGEMM_PANEL || f % CSGEMM_PANEL
        || o % CSGEMM_PANEL)
        return 0;
#if defined(__x86_64__)
    if (cpu_has_avx512()) {
        row_step_avx512(units, k, h_prev, packed, x, i, j, f, o, forget_bias, c_prev, c, h, pre, backwards);
        return 1;
    }
    if (cpu_has_avx2_fma()) {
        row_step_avx2(units, k, h_prev, packed, x, i, j, f, o, forget_bias, c_prev, c, h, pre, backwards);
        return 1;
    }
#endif
    row_step_portable(units, k, h_prev, packed, x, i, j, f, o, forget_bias, c_prev, c, h, pre, backwards);
    return 1;
}
