// Matrix products with few rows (a dense layer at a small batch) against a
// right-hand matrix packed once into panels of 16 columns: the panels are
// streamed contiguously, where a BLAS GEMM packs the whole matrix on every
// call and a GEMV reads it row by row.
#include "csmallgemm.h"
#include "kernel_support.h"

#include <string.h>

#define ROWS 6

static size_t panels_of(int n) { return ((size_t)n + CSGEMM_PANEL - 1) / CSGEMM_PANEL; }

size_t csgemm_packed_count(int k, int n) {
    return panels_of(n) * (size_t)k * CSGEMM_PANEL;
}

void csgemm_pack(int k, int n, const float *b, int ldb, float *packed) {
    for (size_t p = 0; p < panels_of(n); p++) {
        size_t first = p * CSGEMM_PANEL;
        size_t lanes = (size_t)n - first < CSGEMM_PANEL ? (size_t)n - first : CSGEMM_PANEL;
        float *dst = packed + p * (size_t)k * CSGEMM_PANEL;
        for (size_t t = 0; t < (size_t)k; t++) {
            memcpy(dst + t * CSGEMM_PANEL, b + t * (size_t)ldb + first, lanes * sizeof(float));
            if (lanes < CSGEMM_PANEL) memset(dst + t * CSGEMM_PANEL + lanes, 0, (CSGEMM_PANEL - lanes) * sizeof(float));
        }
    }
}

/// Stores one row's 16 accumulated columns with the bias and activation.
static inline __attribute__((always_inline))
void store_row(const vec8 *u_, const vec8 *v_, const float *h, int relu, float *out, int lanes) {
    vec8 u = *u_ + load8(h), v = *v_ + load8(h + 8);
    if (relu) { u = relu8(u); v = relu8(v); }
    if (lanes == CSGEMM_PANEL) {
        store8(out, u);
        store8(out + 8, v);
    } else {
        float kept[CSGEMM_PANEL];
        store8(kept, u);
        store8(kept + 8, v);
        memcpy(out, kept, sizeof(float) * (size_t)lanes);
    }
}

/// Adds line `t` of the panel, times each row's `t`-th value, to `rows` rows' 16 columns.
static inline __attribute__((always_inline))
void add_line(int rows, int t, const float *a, int lda, const float *panel, vec8 *lo, vec8 *hi) {
    const float *f = panel + (size_t)t * CSGEMM_PANEL;
    vec8 f0 = load8(f), f1 = load8(f + 8);
    UNROLLED
    for (int r = 0; r < rows; r++) {
        float x = a[(size_t)r * lda + t];
        lo[r] += f0 * x; hi[r] += f1 * x;
    }
}

/// `rows` rows × 16 columns summed over every other k from `first` (0: the even k, 1: the odd).
static inline __attribute__((always_inline))
void every_other_k(int rows, int first, int k, const float *a, int lda, const float *panel, vec8 *lo, vec8 *hi) {
    UNROLLED
    for (int r = 0; r < ROWS; r++) { lo[r] = (vec8){0}; hi[r] = (vec8){0}; }
    for (int t = first; t < k; t += 2) add_line(rows, t, a, lda, panel, lo, hi);
}

/// `rows` (1...6, a constant after inlining) rows × 16 columns over all of k. Every row, in
/// every tile and on every path (the one-row kernels, the AVX-512 tiles, `clstm_row_step`), is
/// the same sums in the same order: the even k in one chain of multiply-adds, the odd k in
/// another, the two added, then the bias. So a row's bits do not depend on the rows beside it,
/// how many there are, or how a job is split across threads.
static inline __attribute__((always_inline))
void tile(int rows, int k, const float *a, int lda, const float *panel, const float *h, int relu,
          float *c, int ldc, int lanes) {
    vec8 lo[ROWS], hi[ROWS];
    if (rows <= 2) {
        // Too few rows for independent multiply-add chains to hide the latency: the even
        // and odd chains side by side, two panel lines a step.
        vec8 lo2[2] = {{0}, {0}}, hi2[2] = {{0}, {0}};
        UNROLLED
        for (int r = 0; r < ROWS; r++) { lo[r] = (vec8){0}; hi[r] = (vec8){0}; }
        int t = 0;
        for (; t + 1 < k; t += 2) {
            const float *f = panel + (size_t)t * CSGEMM_PANEL;
            vec8 f0 = load8(f), f1 = load8(f + 8), g0 = load8(f + 16), g1 = load8(f + 24);
            UNROLLED
            for (int r = 0; r < rows; r++) {
                float x = a[(size_t)r * lda + t], y = a[(size_t)r * lda + t + 1];
                lo[r] += f0 * x; hi[r] += f1 * x;
                lo2[r] += g0 * y; hi2[r] += g1 * y;
            }
        }
        if (t < k) add_line(rows, t, a, lda, panel, lo, hi);
        UNROLLED
        for (int r = 0; r < rows; r++) { lo[r] += lo2[r]; hi[r] += hi2[r]; }
    } else {
        // Both chains of every row would take twice the registers: the even k over the
        // whole panel first, then the odd k (each panel line is still read once a tile).
        // The even sums wait in memory: left to the compiler, they crowded the odd pass's 12
        // accumulators in the 16 AVX2 registers and one chain went through the stack every
        // step (6 rows 1.9x slower in a C harness).
        float even[ROWS][CSGEMM_PANEL];
        every_other_k(rows, 0, k, a, lda, panel, lo, hi);
        UNROLLED
        for (int r = 0; r < rows; r++) { store8(even[r], lo[r]); store8(even[r] + 8, hi[r]); }
        __asm__ volatile("" : : "r"(even) : "memory");
        every_other_k(rows, 1, k, a, lda, panel, lo, hi);
        UNROLLED
        for (int r = 0; r < rows; r++) { lo[r] = load8(even[r]) + lo[r]; hi[r] = load8(even[r] + 8) + hi[r]; }
    }
    UNROLLED
    for (int r = 0; r < rows; r++) store_row(&lo[r], &hi[r], h, relu, c + (size_t)r * ldc, lanes);
}


/// One row against two panels at once (32 columns): two streams in flight, and k
/// split in two halves' chains, to keep more loads outstanding at batch 1.
static inline __attribute__((always_inline))
void row_two_panels(int k, const float *a, const float *p0, const float *p1, const float *h0,
                    const float *h1, int relu, float *c0, float *c1, int lanes1) {
    vec8 a0 = {0}, a1 = {0}, b0 = {0}, b1 = {0}, c0v = {0}, c1v = {0}, d0 = {0}, d1 = {0};
    int t = 0;
    for (; t + 1 < k; t += 2) {
        const float *f = p0 + (size_t)t * CSGEMM_PANEL, *g = p1 + (size_t)t * CSGEMM_PANEL;
        float x = a[t], y = a[t + 1];
        a0 += load8(f) * x; a1 += load8(f + 8) * x; c0v += load8(f + 16) * y; c1v += load8(f + 24) * y;
        b0 += load8(g) * x; b1 += load8(g + 8) * x; d0 += load8(g + 16) * y; d1 += load8(g + 24) * y;
    }
    for (; t < k; t++) {
        const float *f = p0 + (size_t)t * CSGEMM_PANEL, *g = p1 + (size_t)t * CSGEMM_PANEL;
        float x = a[t];
        a0 += load8(f) * x; a1 += load8(f + 8) * x;
        b0 += load8(g) * x; b1 += load8(g + 8) * x;
    }
    a0 += c0v; a1 += c1v; b0 += d0; b1 += d1;
    store_row(&a0, &a1, h0, relu, c0, CSGEMM_PANEL);
    store_row(&b0, &b1, h1, relu, c1, lanes1);
}

static inline __attribute__((always_inline))
void run_all(int m, int n, int k, const float *a, int lda, const float *packed,
             const float *bias, int relu, float *c, int ldc) {
    size_t p = 0;
    if (m == 1) {
        for (; p + 1 < panels_of(n); p += 2) {
            const size_t first = p * CSGEMM_PANEL;
            const int lanes1 = (int)((size_t)n - first - CSGEMM_PANEL < CSGEMM_PANEL ? (size_t)n - first - CSGEMM_PANEL : CSGEMM_PANEL);
            float h[2 * CSGEMM_PANEL] = {0};
            if (bias) memcpy(h, bias + first, sizeof(float) * (size_t)(CSGEMM_PANEL + lanes1));
            row_two_panels(k, a, packed + p * (size_t)k * CSGEMM_PANEL, packed + (p + 1) * (size_t)k * CSGEMM_PANEL,
                           h, h + CSGEMM_PANEL, relu, c + first, c + first + CSGEMM_PANEL, lanes1);
        }
    }
    for (; p < panels_of(n); p++) {
        const size_t first = p * CSGEMM_PANEL;
        const int lanes = (int)((size_t)n - first < CSGEMM_PANEL ? (size_t)n - first : CSGEMM_PANEL);
        float h[CSGEMM_PANEL] = {0};
        if (bias) memcpy(h, bias + first, sizeof(float) * (size_t)lanes);
        const float *panel = packed + p * (size_t)k * CSGEMM_PANEL;
        int i = 0;
        for (; i + ROWS <= m; i += ROWS)
            tile(ROWS, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes);
        switch (m - i) {
        case 5: tile(5, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;
        case 4: tile(4, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;
        case 3: tile(3, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;
        case 2: tile(2, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;
        case 1: tile(1, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;
        default: break;
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void run_avx2(int m, int n, int k, const float *a, int lda, const float *packed,
                     const float *bias, int relu, float *c, int ldc) {
    run_all(m, n, k, a, lda, packed, bias, relu, c, ldc);
}
#endif

#if defined(__x86_64__)
/// `rows` rows × 16 columns (one 16-float register a row) summed over every other k from
/// `first`, as `every_other_k`.
static inline __attribute__((always_inline, target("avx512f")))
void every_other_k16(int rows, int first, int k, const float *a, int lda, const float *panel, vec16 *acc) {
    UNROLLED
    for (int r = 0; r < WIDE_TILE; r++) acc[r] = (vec16){0};
    for (int t = first; t < k; t += 2) {
        vec16 f = load16(panel + (size_t)t * CSGEMM_PANEL);
        UNROLLED
        for (int r = 0; r < rows; r++) acc[r] += f * a[(size_t)r * lda + t];
    }
}

/// The AVX-512 tile: `rows` (3...WIDE_TILE, a constant after inlining) rows × the panel's 16
/// columns, one 16-float register a row: the panel is read once for up to 16 rows where the
/// AVX2 tile takes 6. Summed as `tile`: the even k over the panel, then the odd k, added.
static inline __attribute__((always_inline, target("avx512f")))
void tile_wide(int rows, int k, const float *a, int lda, const float *panel, const float *h, int relu,
               float *c, int ldc, int lanes) {
    vec16 even[WIDE_TILE], acc[WIDE_TILE];
    if (rows <= WIDE_TILE / 2) {
        // Both chains of every row fit in the registers: side by side, two panel lines a
        // step, twice the independent chains (a tile of 5 rows is bound by their latency).
        UNROLLED
        for (int r = 0; r < WIDE_TILE; r++) { even[r] = (vec16){0}; acc[r] = (vec16){0}; }
        int t = 0;
        for (; t + 1 < k; t += 2) {
            const vec16 f = load16(panel + (size_t)t * CSGEMM_PANEL), g = load16(panel + (size_t)(t + 1) * CSGEMM_PANEL);
            UNROLLED
            for (int r = 0; r < rows; r++) {
                even[r] += f * a[(size_t)r * lda + t];
                acc[r] += g * a[(size_t)r * lda + t + 1];
            }
        }
        if (t < k) {
            const vec16 f = load16(panel + (size_t)t * CSGEMM_PANEL);
            UNROLLED
            for (int r = 0; r < rows; r++) even[r] += f * a[(size_t)r * lda + t];
        }
    } else {
        every_other_k16(rows, 0, k, a, lda, panel, even);
        every_other_k16(rows, 1, k, a, lda, panel, acc);
    }
    const vec16 bias = load16(h);
    UNROLLED
    for (int r = 0; r < rows; r++) {
        vec16 u = even[r] + acc[r] + bias;
        if (relu) u = relu16(u);
        store16_lanes(c + (size_t)r * ldc, u, lanes);
    }
}

/// Panels one row streams at once with AVX-512 (four 64-byte streams in flight).
#define ROW_PANELS 4

/// Adds the bias and activation to one row's accumulated 16 columns of panel `p` and stores them.
static inline __attribute__((always_inline, target("avx512f")))
void store_row16(vec16 u, size_t p, int n, const float *bias, int relu, float *c) {
    const size_t first = p * CSGEMM_PANEL;
    const int lanes = (int)((size_t)n - first < CSGEMM_PANEL ? (size_t)n - first : CSGEMM_PANEL);
    float h[CSGEMM_PANEL] = {0};
    if (bias) memcpy(h, bias + first, sizeof(float) * (size_t)lanes);
    u += load16(h);
    if (relu) u = relu16(u);
    store16_lanes(c + first, u, lanes);
}

/// One row (batch 1) with AVX-512: `count` (1 or ROW_PANELS, a constant after inlining) panels
/// from panel `p` at once, each 64-byte line of a panel one register read once; even and odd
/// k in chains of their own, summed at the end as in `row_two_panels`.
static inline __attribute__((always_inline, target("avx512f")))
void row_panels(int count, size_t p, int n, int k, const float *a, const float *packed,
                const float *bias, int relu, float *c) {
    const float *s[ROW_PANELS];
    vec16 even[ROW_PANELS], odd[ROW_PANELS];
    UNROLLED
    for (int j = 0; j < ROW_PANELS; j++) {
        s[j] = packed + (p + (size_t)j) * (size_t)k * CSGEMM_PANEL;
        even[j] = (vec16){0};
        odd[j] = (vec16){0};
    }
    int t = 0;
    for (; t + 1 < k; t += 2) {
        const float x = a[t], y = a[t + 1];
        UNROLLED
        for (int j = 0; j < count; j++) {
            const float *f = s[j] + (size_t)t * CSGEMM_PANEL;
            even[j] += load16(f) * x;
            odd[j] += load16(f + CSGEMM_PANEL) * y;
        }
    }
    for (; t < k; t++) {
        UNROLLED
        for (int j = 0; j < count; j++) even[j] += load16(s[j] + (size_t)t * CSGEMM_PANEL) * a[t];
    }
    UNROLLED
    for (int j = 0; j < count; j++) store_row16(even[j] + odd[j], p + (size_t)j, n, bias, relu, c);
}

/// One row: four panels at a time, then the rest one by one (`mlp`'s three layers at batch 1
/// 32.4 → 28.7 µs in a C harness against the AVX2 path's two panels at a time; software
/// prefetch a few lines ahead made it slower).
__attribute__((target("avx512f,avx2,fma")))
static void row_avx512(int n, int k, const float *a, const float *packed, const float *bias, int relu, float *c) {
    size_t p = 0;
    for (; p + ROW_PANELS <= panels_of(n); p += ROW_PANELS) row_panels(ROW_PANELS, p, n, k, a, packed, bias, relu, c);
    for (; p < panels_of(n); p++) row_panels(1, p, n, k, a, packed, bias, relu, c);
}

#define WIDE_CASE(n) case n: tile_wide(n, k, a + (size_t)i * lda, lda, panel, h, relu, c + (size_t)i * ldc + first, ldc, lanes); break;

/// Three rows or more: each panel in tiles of nearly equal size (up to 16 rows; 20 = 10 + 10),
/// each row summed as the AVX2 tiles and the one-row kernels sum it.
__attribute__((target("avx512f,avx2,fma")))
static void run_avx512(int m, int n, int k, const float *a, int lda, const float *packed,
                       const float *bias, int relu, float *c, int ldc) {
    const size_t tiles = ((size_t)m + WIDE_TILE - 1) / WIDE_TILE;
    for (size_t p = 0; p < panels_of(n); p++) {
        const size_t first = p * CSGEMM_PANEL;
        const int lanes = (int)((size_t)n - first < CSGEMM_PANEL ? (size_t)n - first : CSGEMM_PANEL);
        float h[CSGEMM_PANEL] = {0};
        if (bias) memcpy(h, bias + first, sizeof(float) * (size_t)lanes);
        const float *panel = packed + p * (size_t)k * CSGEMM_PANEL;
        for (size_t tile_index = 0; tile_index < tiles; tile_index++) {
            const size_t i = (size_t)m * tile_index / tiles, rows = (size_t)m * (tile_index + 1) / tiles - i;
            switch (rows) {
            WIDE_CASE(16) WIDE_CASE(15) WIDE_CASE(14) WIDE_CASE(13) WIDE_CASE(12) WIDE_CASE(11) WIDE_CASE(10)
            WIDE_CASE(9) WIDE_CASE(8) WIDE_CASE(7) WIDE_CASE(6) WIDE_CASE(5) WIDE_CASE(4)
            default: tile_wide(3, k, a + i * lda, lda, panel, h, relu, c + i * ldc + first, ldc, lanes); break;
            }
        }
    }
}
#endif

static void run_portable(int m, int n, int k, const float *a, int lda, const float *packed,
                         const float *bias, int relu, float *c, int ldc) {
    run_all(m, n, k, a, lda, packed, bias, relu, c, ldc);
}

void csgemm_run(int m, int n, int k, const float *a, int lda, const float *packed,
                const float *bias, int relu, float *c, int ldc) {
    if (m <= 0 || n <= 0) return;
#if defined(__x86_64__)
    if (m == 1 && cpu_has_avx512()) {
        row_avx512(n, k, a, packed, bias, relu, c);
        return;
    }
    if (m >= 3 && cpu_has_avx512()) {
        run_avx512(m, n, k, a, lda, packed, bias, relu, c, ldc);
        return;
    }
    if (cpu_has_avx2_fma()) {
        run_avx2(m, n, k, a, lda, packed, bias, relu, c, ldc);
        return;
    }
#endif
    run_portable(m, n, k, a, lda, packed, bias, relu, c, ldc);
}
