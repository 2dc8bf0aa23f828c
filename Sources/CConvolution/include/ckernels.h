#ifndef CKERNELS_H
#define CKERNELS_H

/// The widest vector instructions the kernels (convolution, small GEMM, pooling) use.
enum { CKERNELS_PORTABLE = 0, CKERNELS_AVX2 = 1, CKERNELS_AVX512 = 2 };

/// Limits the calling thread's kernels to `level` (a `CKERNELS_` value) so that tests
/// reach every path on any CPU; what the CPU lacks is never used. Default: `CKERNELS_AVX512`.
void ckernels_limit_instructions(int level);

/// The calling thread's limit.
int ckernels_instruction_limit(void);

/// The widest instructions the kernels use on the calling thread: what the CPU has, within its limit.
int ckernels_instructions_in_use(void);

#endif
