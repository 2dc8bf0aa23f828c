#ifndef CSMALLGEMM_H
#define CSMALLGEMM_H

#include <stddef.h>

/// Columns per panel of a packed right-hand matrix (two 8-float vectors).
#define CSGEMM_PANEL 16

/// Floats a packed `k × n` matrix takes: ceil(n / 16) panels of `[k][16]`,
/// the last panel zero-padded.
size_t csgemm_packed_count(int k, int n);

/// Packs a row-major `k × n` matrix `b` (leading dimension `ldb`) into panels
/// of 16 columns, each `k` rows of 16 contiguous floats: what `csgemm_run`
/// streams. Done once per weight matrix, not per call.
void csgemm_pack(int k, int n, const float *b, int ldb, float *packed);

/// `c = act(a · b + bias)` for a row-major `m × k` matrix `a` (leading
/// dimension `lda`) and `b` packed by `csgemm_pack`; `c` is `m × n` with
/// leading dimension `ldc`. `bias` (NULL: 0) has `n` floats; `relu` != 0
/// clamps at 0 (keeping NaN). For each panel, tiles of rows × 16 columns are
/// accumulated in registers over all of `k` (up to 16 rows with AVX-512, 6 with
/// AVX2; one row takes four panels at a time with AVX-512, two with AVX2), so the
/// panel is read from memory once and from cache for the other rows. Uses AVX-512
/// when the CPU has it and there is 1 row or 3 rows or more, else AVX2 and FMA
/// when it has them (checked once), portable vector code otherwise. On each of
/// those paths every row is the same sums in the same order, whatever the number
/// of rows or the row's place in a tile: the even `k` in one chain of
/// multiply-adds, the odd `k` in another, the two added, then the bias; so a row
/// computed alone or with others, on any thread split, has the same bits.
void csgemm_run(int m, int n, int k, const float *a, int lda, const float *packed,
                const float *bias, int relu, float *c, int ldc);

#endif
