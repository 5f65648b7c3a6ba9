/* core/threefry.h - the Threefry-2x32 counter hash (20 rounds) behind every
 * random number, and the order in which MLX lays its outputs out.
 *
 * A stream of W 32-bit words drawn from one key pairs word i with word
 * i + half + odd (half = W / 2, odd = W % 2): both come from one hash of the
 * counter (i, i + half + odd). When W is odd the middle word `half` is the
 * first output of the hash of (half, 0). MLX's CPU RandomBits does exactly
 * this, so the same key gives the same bits for every length. */
#ifndef CMLX_CORE_THREEFRY_H
#define CMLX_CORE_THREEFRY_H

#include <stdint.h>

static inline uint32_t mx_rotl32(uint32_t x, unsigned r) { return (x << r) | (x >> (32u - r)); }

#define MX_THREEFRY_MIX(r)                                                                                             \
    do {                                                                                                               \
        x0 += x1;                                                                                                      \
        x1 = mx_rotl32(x1, r);                                                                                         \
        x1 ^= x0;                                                                                                      \
    } while (0)

/* Hash the counter (c0, c1) under key (k0, k1): 5 groups of 4 rounds, a key
 * injection after each group. */
static inline void mx_threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t *out0, uint32_t *out1) {
    const uint32_t k2 = k0 ^ k1 ^ 0x1BD11BDAu;
    uint32_t x0 = c0 + k0, x1 = c1 + k1;
    MX_THREEFRY_MIX(13);
    MX_THREEFRY_MIX(15);
    MX_THREEFRY_MIX(26);
    MX_THREEFRY_MIX(6);
    x0 += k1;
    x1 += k2 + 1u;
    MX_THREEFRY_MIX(17);
    MX_THREEFRY_MIX(29);
    MX_THREEFRY_MIX(16);
    MX_THREEFRY_MIX(24);
    x0 += k2;
    x1 += k0 + 2u;
    MX_THREEFRY_MIX(13);
    MX_THREEFRY_MIX(15);
    MX_THREEFRY_MIX(26);
    MX_THREEFRY_MIX(6);
    x0 += k0;
    x1 += k1 + 3u;
    MX_THREEFRY_MIX(17);
    MX_THREEFRY_MIX(29);
    MX_THREEFRY_MIX(16);
    MX_THREEFRY_MIX(24);
    x0 += k1;
    x1 += k2 + 4u;
    MX_THREEFRY_MIX(13);
    MX_THREEFRY_MIX(15);
    MX_THREEFRY_MIX(26);
    MX_THREEFRY_MIX(6);
    x0 += k2;
    x1 += k0 + 5u;
    *out0 = x0;
    *out1 = x1;
}

#undef MX_THREEFRY_MIX

/* The whole stream of nwords words of `key` (for short streams: keys and
 * splits). Counters are 32-bit, as in MLX. */
static inline void mx_threefry_stream(const uint32_t key[2], uint32_t *words, int64_t nwords) {
    int64_t half = nwords / 2, skip = half + (nwords & 1);
    for (int64_t i = 0; i < half; i++)
        mx_threefry2x32(key[0], key[1], (uint32_t)i, (uint32_t)(i + skip), &words[i], &words[i + skip]);
    if (nwords & 1) {
        uint32_t unused;
        mx_threefry2x32(key[0], key[1], (uint32_t)half, 0u, &words[half], &unused);
    }
}

#endif
