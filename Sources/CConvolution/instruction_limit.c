// Which vector instructions the kernels may use, per thread: all the CPU has unless a
// test asks for a narrower path (`ckernels_limit_instructions`).
#include "ckernels.h"
#include "kernel_support.h"

static _Thread_local int limit = CKERNELS_AVX512;

void ckernels_limit_instructions(int level) { limit = level; }

int ckernels_instruction_limit(void) { return limit; }

int ckernels_instructions_in_use(void) {
#if defined(__x86_64__)
    if (cpu_has_avx512()) return CKERNELS_AVX512;
    if (cpu_has_avx2_fma()) return CKERNELS_AVX2;
#endif
    return CKERNELS_PORTABLE;
}
