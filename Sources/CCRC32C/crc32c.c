// CRC-32C with the CPU's instruction: three independent streams over
// consecutive thirds of each large block, combined with carry-less-free shift
// tables (zeros operator), so the 3-cycle latency of `crc32` overlaps.
#include "ccrc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define CRC_TARGET __attribute__((target("sse4.2")))
#define CRC8(c, v) ((uint32_t)_mm_crc32_u8((c), (v)))
#define CRC64(c, v) ((uint32_t)_mm_crc32_u64((c), (v)))
#define HAVE_HW 1
#elif defined(__aarch64__)
#include <arm_acle.h>
#define CRC_TARGET __attribute__((target("+crc")))
#define CRC8(c, v) __crc32cb((c), (v))
#define CRC64(c, v) __crc32cd((c), (v))
#define HAVE_HW 1
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#else
#define HAVE_HW 0
#endif

#if HAVE_HW

// Multiplying a CRC state by x^(8·n) modulo the polynomial, as four 256-entry
// tables per shift amount (the "zeros operator" of zlib's crc32_combine).
#define POLY 0x82F63B78u

static uint32_t gf2_multiply(uint32_t a, uint32_t b) {
    // Reflected GF(2) product of a and b modulo POLY.
    uint32_t product = 0;
    for (int i = 0; i < 32; i++) {
        if (a & 0x80000000u) product ^= b;
        a <<= 1;
        b = (b >> 1) ^ ((b & 1) ? POLY : 0);
    }
    return product;
}

// x^(8·n) in the reflected representation.
static uint32_t x_power_bytes(size_t n) {
    uint32_t result = 0x80000000u;     // x^0
    uint32_t square = 0x00800000u;     // x^8
    while (n) {
        if (n & 1) result = gf2_multiply(result, square);
        square = gf2_multiply(square, square);
        n >>= 1;
    }
    return result;
}

enum { BLOCK = 8192 / 3 / 8 * 8 };   // bytes per stream per block (a multiple of 8)

static uint32_t shift_table[4][256];
static uint32_t shift_table2[4][256];
static int tables_ready;

static void make_table(uint32_t table[4][256], size_t bytes) {
    uint32_t power = x_power_bytes(bytes);
    for (int k = 0; k < 4; k++) {
        for (uint32_t i = 0; i < 256; i++) {
            table[k][i] = gf2_multiply(i << (8 * k), power);
        }
    }
}

static inline uint32_t shift(uint32_t table[4][256], uint32_t crc) {
    return table[0][crc & 0xFF] ^ table[1][(crc >> 8) & 0xFF] ^ table[2][(crc >> 16) & 0xFF] ^ table[3][crc >> 24];
}

static int hardware;

__attribute__((constructor)) static void ccrc32c_init(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    hardware = __builtin_cpu_supports("sse4.2");
#elif defined(__aarch64__) && defined(__linux__)
    hardware = (getauxval(AT_HWCAP) & (1 << 7)) != 0;   // HWCAP_CRC32
#endif
    if (hardware) {
        make_table(shift_table, BLOCK);
        make_table(shift_table2, 2 * BLOCK);
        tables_ready = 1;
    }
}

int ccrc32c_hardware_available(void) { return hardware && tables_ready; }

CRC_TARGET uint32_t ccrc32c_extend_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    while (count > 0 && ((uintptr_t)p & 7)) {
        crc = CRC8(crc, *p++);
        count--;
    }
    // Three streams: a, b, c over [0, BLOCK), [BLOCK, 2·BLOCK), [2·BLOCK, 3·BLOCK).
    while (count >= 3 * BLOCK) {
        uint64_t a = crc, b = 0, c = 0;
        const unsigned char *end = p + BLOCK;
        do {
            uint64_t va, vb, vc;
            memcpy(&va, p, 8);
            memcpy(&vb, p + BLOCK, 8);
            memcpy(&vc, p + 2 * BLOCK, 8);
            a = CRC64(a, va);
            b = CRC64(b, vb);
            c = CRC64(c, vc);
            p += 8;
        } while (p < end);
        // crc(a‖b‖c) = a·x^(16·BLOCK) ⊕ b·x^(8·BLOCK) ⊕ c (states, no complements inside).
        crc = shift(shift_table2, (uint32_t)a) ^ shift(shift_table, (uint32_t)b) ^ (uint32_t)c;
        p += 2 * BLOCK;
        count -= 3 * BLOCK;
    }
    uint64_t c64 = crc;
    while (count >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c64 = CRC64(c64, v);
        p += 8;
        count -= 8;
    }
    crc = (uint32_t)c64;
    while (count > 0) {
        crc = CRC8(crc, *p++);
        count--;
    }
    return crc;
}

#else

int ccrc32c_hardware_available(void) { return 0; }

uint32_t ccrc32c_extend_hardware(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes; (void)count;
    return crc;
}

#endif
