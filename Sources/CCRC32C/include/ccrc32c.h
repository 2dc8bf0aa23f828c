#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction the functions below use
/// (x86-64 SSE4.2 `crc32`, AArch64 CRC extension), checked once at run time.
int ccrc32c_hardware_available(void);

/// Extends an unmasked, uncomplemented CRC-32C state `crc` (the value between
/// the initial and final complement) over `count` bytes with the hardware
/// instruction. Call only when ccrc32c_hardware_available() returns 1.
uint32_t ccrc32c_extend_hardware(uint32_t crc, const void *bytes, size_t count);

#endif
