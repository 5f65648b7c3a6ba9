/* tests/c/test_random.c - keys, the global key, bits, split, uniform and
 * normal, and the distributions built on them, compared bit for bit with MLX
 * 0.32.4 (CPU).
 *
 * Every expected value below comes from MLX 0.32.4: mx.random.* in Python
 * and, for the 1- and 2-byte widths that Python does not expose,
 * mlx::core::random::bits from the same libmlx. Large outputs are compared
 * through a 64-bit FNV-1a hash of their bytes, computed from MLX's bytes. */
#include <stdlib.h>

#include "check.h"

/* ---- helpers ------------------------------------------------------------------------- */

static mx_array key_of(uint64_t seed) { return mx_random_key(seed); }

/* The array's bytes equal `expected` (nbytes long), dtype and size included. */
static bool bytes_equal(mx_array a, mx_dtype dtype, const void *expected, size_t nbytes) {
    if (mx_array_dtype(a) != dtype || mx_nbytes(a) != nbytes)
        return false;
    const void *p = mx_data(a);
    return p && (nbytes == 0 || memcmp(p, expected, nbytes) == 0);
}

static uint64_t fnv1a(mx_array a) {
    const unsigned char *p = mx_data(a);
    uint64_t h = 0xcbf29ce484222325ull;
    if (!p)
        return 0;
    for (size_t i = 0; i < mx_nbytes(a); i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static size_t hex_to_bytes(const char *hex, unsigned char *out) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

static mx_array f32_array(const float *v, const int64_t *shape, int ndim) {
    return mx_array_from_data(v, shape, ndim, MX_FLOAT32);
}

/* ---- keys and split ------------------------------------------------------------------ */

static void test_key(void) {
    mx_array k0 = key_of(0), k1 = key_of((1ull << 40) + 5), k2 = key_of(UINT64_MAX);
    CHECK_EQ_INT(mx_ndim(k0), 1);
    CHECK_EQ_INT(mx_dim(k0, 0), 2);
    CHECK(bytes_equal(k0, MX_UINT32, (uint32_t[]){0, 0}, 8));
    CHECK(bytes_equal(k1, MX_UINT32, (uint32_t[]){256, 5}, 8));
    CHECK(bytes_equal(k2, MX_UINT32, (uint32_t[]){0xffffffffu, 0xffffffffu}, 8));
    mx_free_n((mx_array[]){k0, k1, k2}, 3);
}

static void test_split(void) {
    mx_array k0 = key_of(0), k7 = key_of(7);
    mx_array s0 = mx_random_split(k0, 2), s7 = mx_random_split(k7, 3), empty = mx_random_split(k0, 0);
    CHECK_EQ_INT(mx_ndim(s7), 2);
    CHECK_EQ_INT(mx_dim(s7, 0), 3);
    CHECK_EQ_INT(mx_dim(s7, 1), 2);
    const uint32_t e0[] = {0xf71f4ea9u, 0x39a405d9u, 0xa20e4081u, 0x4bdfae2fu};
    const uint32_t e7[] = {0x107b9334u, 0x33609431u, 0x71979c42u, 0x61dcd604u, 0xace8297eu, 0x539bb5acu};
    CHECK(bytes_equal(s0, MX_UINT32, e0, sizeof e0));
    CHECK(bytes_equal(s7, MX_UINT32, e7, sizeof e7));
    CHECK_EQ_INT(mx_size(empty), 0);
    CHECK_EQ_INT(mx_dim(empty, 1), 2);
    CHECK_OK(mx_eval1(empty));
    mx_free_n((mx_array[]){k0, k7, s0, s7, empty}, 5);
}

/* A key that is a lazy, strided view: row 2 of split(key(3), 4), as
 * mx.random.split(mx.random.key(3), 4)[2]. */
static void test_lazy_strided_key(void) {
    mx_array k3 = key_of(3);
    mx_array s = mx_random_split(k3, 4);
    mx_array col = mx_transpose(s, NULL, 0); /* (2, 4), strides (1, 2) */
    mx_array row = mx_slice(col, (const int64_t[]){0, 2}, (const int64_t[]){2, 3}, NULL, 2);
    mx_array key = mx_reshape(row, SHAPE(2)); /* not contiguous: a copy or a view of stride 1 */
    mx_array u = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(4), MX_FLOAT32, key);
    const uint32_t e[] = {0x3e09988bu, 0x3e5932acu, 0x3d726f1fu, 0x3f6f4b55u};
    CHECK(bytes_equal(u, MX_FLOAT32, e, sizeof e));
    /* a (2,) view with stride 2: column 0 of the transposed split is row 0 */
    mx_array col0_2d = mx_slice(s, (const int64_t[]){0, 0}, (const int64_t[]){4, 1}, NULL, 2);
    mx_array col0 = mx_reshape(col0_2d, SHAPE(4));
    mx_array firsts = mx_slice(col0, (const int64_t[]){0}, (const int64_t[]){4}, (const int64_t[]){2}, 1);
    mx_array v = mx_random_bits(SHAPE(3), 4, firsts); /* key (s[0][0], s[2][0]) */
    CHECK_OK(mx_eval1(v));
    const uint32_t *ps = mx_data_u32(s);
    mx_array direct_key = mx_array_from_data((uint32_t[]){ps[0], ps[4]}, SHAPE(2), MX_UINT32);
    mx_array w = mx_random_bits(SHAPE(3), 4, direct_key);
    CHECK(bytes_equal(v, MX_UINT32, mx_data(w), 12));
    mx_free_n((mx_array[]){k3, s, col, row, key, u, col0_2d, col0, firsts, v, direct_key, w}, 12);
}

/* ---- bits ---------------------------------------------------------------------------- */

static const struct {
    uint64_t seed;
    int n, width;
    const char *hex; /* MLX's output bytes */
} k_bits_cases[] = {
    {0, 1, 1, "59"},
    {0, 1, 2, "5901"},
    {0, 1, 4, "5901206b"},
    {0, 2, 1, "5901"},
    {0, 2, 2, "5901206b"},
    {0, 2, 4, "8f235f371d15dbcd"},
    {0, 3, 1, "590120"},
    {0, 3, 2, "8f235f371d15"},
    {0, 3, 4, "a94e1ff72cfb8e5081400ea2"},
    {0, 5, 1, "8f235f371d"},
    {0, 5, 2, "a94e1ff72cfb8e508140"},
    {0, 5, 4, "8b77129314078519ec26a664bedfe8e46996b898"},
    {0, 7, 1, "8f235f371d15db"},
    {0, 7, 2, "a94e1ff7d905a43981400ea22fae"},
    {0, 7, 4, "c1fe3f88c01c8359cba4845ad1c4abb876c5db193b7aa3fb2fed0432"},
    {0, 8, 1, "8f235f371d15dbcd"},
    {0, 8, 2, "a94e1ff7d905a43981400ea22faedf4b"},
    {0, 8, 4, "c1fe3f88c01c8359cba4845abf06d3f376c5db193b7aa3fb2fed04320971f2de"},
    {0, 13, 1, "a94e1ff7d905a43981400ea22f"},
    {0, 13, 2, "c1fe3f88c01c8359cba4845ad1c4abb876c5db193b7aa3fb2fed"},
    {0, 13, 4,
     "4d7aefa1341a5d464bcc32fd34532a9c0eb164f8c96faf04e91c3ca5b3b66e11e9a3ab5b7d77ab36b3b19ae89eae65e9b84160e6"},
    {123456789, 1, 1, "a6"},
    {123456789, 1, 2, "a61c"},
    {123456789, 1, 4, "a61c3906"},
    {123456789, 2, 1, "a61c"},
    {123456789, 2, 2, "a61c3906"},
    {123456789, 2, 4, "657c52bf1daecb0e"},
    {123456789, 3, 1, "a61c39"},
    {123456789, 3, 2, "657c52bf1dae"},
    {123456789, 3, 4, "85c84875658add754352b113"},
    {123456789, 5, 1, "657c52bf1d"},
    {123456789, 5, 2, "85c84875658add754352"},
    {123456789, 5, 4, "679a88dc36a244f5e3cba6b8e8f1006967eae3dc"},
    {123456789, 7, 1, "657c52bf1daecb"},
    {123456789, 7, 2, "85c84875fb0612554352b113baf9"},
    {123456789, 7, 4, "495e3022e5da05767a7341fd54b0f09a614c92569c0791569fa7d347"},
    {123456789, 8, 1, "657c52bf1daecb0e"},
    {123456789, 8, 2, "85c84875fb0612554352b113baf95214"},
    {123456789, 8, 4, "495e3022e5da05767a7341fd8bf2927d614c92569c0791569fa7d34730781ba0"},
    {123456789, 13, 1, "85c84875fb0612554352b113ba"},
    {123456789, 13, 2, "495e3022e5da05767a7341fd54b0f09a614c92569c0791569fa7"},
    {123456789, 13, 4,
     "641de56748c81a9c0e8a06f4fe5326a9ed5f28a2ca7328866b71e18da50ec9452e2cb9b2932b6a36477e1911b0999522e786ce61"},
};

static void test_bits_widths(void) {
    for (size_t c = 0; c < sizeof k_bits_cases / sizeof k_bits_cases[0]; c++) {
        unsigned char expected[64];
        size_t n = hex_to_bytes(k_bits_cases[c].hex, expected);
        mx_array k = key_of(k_bits_cases[c].seed);
        mx_array b = mx_random_bits((const int64_t[]){k_bits_cases[c].n}, 1, k_bits_cases[c].width, k);
        mx_dtype dt = k_bits_cases[c].width == 1 ? MX_UINT8 : k_bits_cases[c].width == 2 ? MX_UINT16 : MX_UINT32;
        if (!bytes_equal(b, dt, expected, n)) {
            fprintf(stderr, "  bits case seed %llu n %d width %d differs\n", (unsigned long long)k_bits_cases[c].seed,
                    k_bits_cases[c].n, k_bits_cases[c].width);
            CHECK(false);
        }
        mx_free_n((mx_array[]){k, b}, 2);
    }
}

/* The bits depend only on the total size, not on the shape. */
static void test_bits_shapes(void) {
    mx_array k = key_of(0);
    mx_array flat = mx_random_bits(SHAPE(13), 2, k);
    mx_array grid = mx_random_bits(SHAPE(13, 1), 2, k);
    CHECK_EQ_INT(mx_ndim(grid), 2);
    CHECK(bytes_equal(grid, MX_UINT16, mx_data(flat), 26));
    mx_array scalar = mx_random_bits(NULL, 0, 4, k);
    CHECK_EQ_INT(mx_ndim(scalar), 0);
    CHECK(bytes_equal(scalar, MX_UINT32, (uint32_t[]){0x6b200159u}, 4));
    mx_array empty = mx_random_bits(SHAPE(0, 3), 1, k);
    CHECK_EQ_INT(mx_size(empty), 0);
    CHECK_OK(mx_eval1(empty));
    mx_free_n((mx_array[]){k, flat, grid, scalar, empty}, 5);
}

/* Outputs large enough to run on several threads (bits and split). */
static void test_bits_large(void) {
    mx_array k = key_of(11);
    mx_array b1 = mx_random_bits(SHAPE(100003), 1, k), b2 = mx_random_bits(SHAPE(100003), 2, k);
    mx_array s = mx_random_split(k, 50001);
    CHECK(fnv1a(b1) == 0x46b0448d4a44fedcull);
    CHECK(fnv1a(b2) == 0xd16472f97a8521a4ull);
    CHECK(fnv1a(s) == 0x91c31462132e0a08ull);
    mx_free_n((mx_array[]){k, b1, b2, s}, 4);
}

/* ---- uniform ------------------------------------------------------------------------- */

static void test_uniform_dtypes(void) {
    mx_array k = key_of(5);
    mx_array lo = mx_scalar_f32(-2.5f), hi = mx_scalar_f32(3.75f);
    mx_array u32 = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(7), MX_FLOAT32, k);
    mx_array r32 = mx_random_uniform(lo, hi, SHAPE(7), MX_FLOAT32, k);
    const uint32_t e_u32[] = {0x3e56216bu, 0x3bcb91d2u, 0x3eec7872u, 0x3e9bbc05u,
                              0x3f5f93a5u, 0x3ecf79ccu, 0x3d9a270fu};
    const uint32_t e_r32[] = {0xbf98b5e4u, 0xc01d83d8u, 0x3ec5f0c8u, 0xbf195470u,
                              0x403d56b2u, 0x3d05c9c0u, 0xc001e45fu};
    CHECK(bytes_equal(u32, MX_FLOAT32, e_u32, sizeof e_u32));
    CHECK(bytes_equal(r32, MX_FLOAT32, e_r32, sizeof e_r32));

    mx_array u16 = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(7), MX_FLOAT16, k);
    mx_array r16 = mx_random_uniform(lo, hi, SHAPE(7), MX_FLOAT16, k);
    const uint16_t e_u16[] = {0x32b1, 0x1e5d, 0x3764, 0x34de, 0x3afd, 0x367c, 0x2cd1};
    const uint16_t e_r16[] = {0xbcc6, 0xc0ec, 0x3630, 0xb8ca, 0x41ec, 0x2840, 0xc00f};
    CHECK(bytes_equal(u16, MX_FLOAT16, e_u16, sizeof e_u16));
    CHECK(bytes_equal(r16, MX_FLOAT16, e_r16, sizeof e_r16));

    mx_array ub = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(7), MX_BFLOAT16, k);
    mx_array rb = mx_random_uniform(lo, hi, SHAPE(7), MX_BFLOAT16, k);
    const uint16_t e_ub[] = {0x3e56, 0x3bcc, 0x3eec, 0x3e9c, 0x3f60, 0x3ecf, 0x3d9a};
    const uint16_t e_rb[] = {0xbf99, 0xc01e, 0x3ec0, 0xbf18, 0x403e, 0x3d00, 0xc002};
    CHECK(bytes_equal(ub, MX_BFLOAT16, e_ub, sizeof e_ub));
    CHECK(bytes_equal(rb, MX_BFLOAT16, e_rb, sizeof e_rb));
    /* hi - lo is inexact in the half types: the range is rounded before use */
    mx_array lo2 = mx_scalar_f32(-0.3f), hi2 = mx_scalar_f32(1000.7f);
    mx_array w32 = mx_random_uniform(lo2, hi2, SHAPE(7), MX_FLOAT32, k);
    mx_array w16 = mx_random_uniform(lo2, hi2, SHAPE(7), MX_FLOAT16, k);
    mx_array wb = mx_random_uniform(lo2, hi2, SHAPE(7), MX_BFLOAT16, k);
    const uint32_t e_w32[] = {0x4351055eu, 0x40bd65b2u, 0x43e70257u, 0x43981626u,
                              0x445a7ae1u, 0x43caaa6au, 0x42961714u};
    const uint16_t e_w16[] = {0x5a89, 0x45eb, 0x5f39, 0x5cc1, 0x62d4, 0x5e56, 0x54b0};
    const uint16_t e_wb[] = {0x4351, 0x40bd, 0x43e6, 0x4398, 0x445b, 0x43ca, 0x4295};
    CHECK(bytes_equal(w32, MX_FLOAT32, e_w32, sizeof e_w32));
    CHECK(bytes_equal(w16, MX_FLOAT16, e_w16, sizeof e_w16));
    CHECK(bytes_equal(wb, MX_BFLOAT16, e_wb, sizeof e_wb));
    mx_free_n((mx_array[]){k, lo, hi, u32, r32, u16, r16, ub, rb, lo2, hi2, w32, w16, wb}, 14);
}

/* low (3,) broadcast along rows; low transposed (strided) with high (2, 1). */
static void test_uniform_broadcast_bounds(void) {
    mx_array k5 = key_of(5), k9 = key_of(9);
    mx_array lo = f32_array((const float[]){-1.0f, 0.5f, 10.0f}, SHAPE(3));
    mx_array hi = mx_scalar_f32(20.0f);
    mx_array base = f32_array((const float[]){0, 1, 2, 3, 4, 5}, SHAPE(3, 2));
    mx_array lo_t = mx_transpose(base, NULL, 0); /* (2, 3), strides (1, 2) */
    mx_array hi_col = f32_array((const float[]){1.0f, 100.0f}, SHAPE(2, 1));
    static const uint32_t e_rows[3][6] = {
        {0x4155f6a8u, 0x41626173u, 0x418897bau, 0x4160b165u, 0x3fe25a91u, 0x417dc3a2u},
        {0x4ab0, 0x4b12, 0x4c45, 0x4b05, 0x3f13, 0x4bee},
        {0x4156, 0x4162, 0x4188, 0x4160, 0x3fe2, 0x417e}};
    static const uint32_t e_strided[3][6] = {
        {0x3edfcecdu, 0x3fdf3e21u, 0x400425d6u, 0x423a7e4fu, 0x4217e980u, 0x4243154eu},
        {0x36fe, 0x3efa, 0x4021, 0x51d4, 0x50bf, 0x5219},
        {0x3ee0, 0x3fdf, 0x4004, 0x423b, 0x4218, 0x4243}};
    const mx_dtype dtypes[3] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
    for (int d = 0; d < 3; d++) {
        mx_array a = mx_random_uniform(lo, hi, SHAPE(2, 3), dtypes[d], k5);
        mx_array b = mx_random_uniform(lo_t, hi_col, SHAPE(2, 3), dtypes[d], k9);
        CHECK_EQ_INT(mx_array_dtype(a), dtypes[d]);
        CHECK_EQ_INT(mx_array_dtype(b), dtypes[d]);
        const void *pa = mx_data(a), *pb = mx_data(b);
        CHECK(pa && pb);
        for (int i = 0; pa && pb && i < 6; i++) { /* bit patterns, widened */
            uint32_t got_a = d == 0 ? ((const uint32_t *)pa)[i] : ((const uint16_t *)pa)[i];
            uint32_t got_b = d == 0 ? ((const uint32_t *)pb)[i] : ((const uint16_t *)pb)[i];
            CHECK_EQ_INT(got_a, e_rows[d][i]);
            CHECK_EQ_INT(got_b, e_strided[d][i]);
        }
        mx_free_n((mx_array[]){a, b}, 2);
    }
    mx_free_n((mx_array[]){k5, k9, lo, hi, base, lo_t, hi_col}, 7);
}

static void test_uniform_shapes(void) {
    mx_array k = key_of(5);
    mx_array s = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, NULL, 0, MX_FLOAT32, k);
    CHECK_EQ_INT(mx_ndim(s), 0);
    CHECK(bytes_equal(s, MX_FLOAT32, (uint32_t[]){0x3f226426u}, 4));
    mx_array e = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(4, 0), MX_FLOAT16, k);
    CHECK_EQ_INT(mx_size(e), 0);
    CHECK_OK(mx_eval1(e));
    /* bounds of size 1 along an empty axis broadcast fine */
    mx_array lo = mx_zeros(SHAPE(1, 1), MX_FLOAT32);
    mx_array e2 = mx_random_uniform(lo, MX_NULL_ARRAY, SHAPE(0, 3), MX_FLOAT32, k);
    CHECK_OK(mx_eval1(e2));
    mx_free_n((mx_array[]){k, s, e, lo, e2}, 5);
}

static void test_uniform_large(void) {
    mx_array k = key_of(11);
    mx_array lo = mx_scalar_i32(-1), hi = mx_scalar_i32(2); /* int bounds become float32 */
    mx_array a = mx_random_uniform(lo, hi, SHAPE(1001, 37), MX_FLOAT32, k);
    mx_array b = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(40001), MX_FLOAT16, k);
    CHECK(fnv1a(a) == 0x53dbac5beba0fd74ull);
    CHECK(fnv1a(b) == 0x3ab616d1b77fa2a9ull);
    /* every value in [low, high) */
    const float *p = mx_data_f32(a);
    bool in_range = p != NULL;
    for (int64_t i = 0; p && i < mx_size(a); i++)
        in_range = in_range && p[i] >= -1.0f && p[i] < 2.0f;
    CHECK(in_range);
    mx_free_n((mx_array[]){k, lo, hi, a, b}, 5);
}

/* ---- normal -------------------------------------------------------------------------- */

static void test_normal_dtypes(void) {
    mx_array k5 = key_of(5), kb = key_of((1ull << 40) + 5);
    static const uint32_t e32[3][5] = {{0x3ef5cd37u, 0x3f06336fu, 0xbf0014fau, 0x3f12705au, 0xbfc1c250u},
                                       {0x3fcf5cd3u, 0x3fd0c66eu, 0x3faffd61u, 0x3fd24e0bu, 0x3f8f8f6cu},
                                       {0xc0156d63u, 0x3ff07cd6u, 0x401a309au, 0xbf0fb395u, 0xbfbe90aau}};
    static const uint16_t e16[3][5] = {{0x37ae, 0x3831, 0xb800, 0x3894, 0xbe0e},
                                       {0x3e7b, 0x3e86, 0x3d80, 0x3e92, 0x3c7c},
                                       {0xc0ab, 0x3f85, 0x40d2, 0xb87e, 0xbdf5}};
    static const uint16_t ebf[3][5] = {{0x3ef6, 0x3f06, 0xbf00, 0x3f12, 0xbfc2},
                                       {0x3fcf, 0x3fd1, 0x3fb0, 0x3fd2, 0x3f90},
                                       {0xc015, 0x3ff0, 0x401b, 0xbf0f, 0xbfbe}};
    static const uint64_t e64[3][5] = {{0x3fdeb9a6f1c1755bull, 0x3fe0c66dea1c6f8aull, 0xbfe0029f4aa35570ull,
                                        0x3fe24e0b3faf4222ull, 0xbff8384a0ed7db38ull},
                                       {0x3ff9eb9a6f1c1756ull, 0x3ffa18cdbd438df1ull, 0x3ff5ffac16ab9552ull,
                                        0x3ffa49c167f5e844ull, 0x3ff1f1ed7c4a0932ull},
                                       {0xc002adac8b337966ull, 0x3ffe0f9af17c6124ull, 0x400346133b45adfeull,
                                        0xbfe1f6729ecdaaafull, 0xbff7d2155f3e116eull}};
    static const uint32_t ec64[3][10] = {{0xbf07d6cau, 0x3e930f2fu, 0x3efb5e91u, 0x3fb1fde8u, 0x3eccd941u, 0x3e126f9au,
                                          0x3e4fa928u, 0xbf70782bu, 0x3f437a69u, 0xbebdac74u},
                                         {0x3faf0527u, 0x3d930f2fu, 0x3fcfb5e9u, 0x3eb1fde8u, 0x3fcccd94u, 0x3d126f9au,
                                          0x3fc67d49u, 0xbe70782bu, 0x3fd86f4du, 0xbdbdac74u},
                                         {0xc044b7cfu, 0xbf7f36aau, 0xc087f5f0u, 0x40452436u, 0xc00ef258u, 0x3e76690cu,
                                          0xbe7a23a0u, 0x4055f2b1u, 0xbff17ac1u, 0x3ebdbb33u}};
    const double locs[3] = {0.0, 1.5, -0.1}, scales[3] = {1.0, 0.25, 3.3};
    for (int c = 0; c < 3; c++) {
        mx_array k = c == 2 ? kb : k5;
        mx_array a = mx_random_normal(SHAPE(5), MX_FLOAT32, locs[c], scales[c], k);
        mx_array b = mx_random_normal(SHAPE(5), MX_FLOAT16, locs[c], scales[c], k);
        mx_array d = mx_random_normal(SHAPE(5), MX_BFLOAT16, locs[c], scales[c], k);
        mx_array f = mx_random_normal(SHAPE(5), MX_FLOAT64, locs[c], scales[c], k);
        mx_array z = mx_random_normal(SHAPE(5), MX_COMPLEX64, locs[c], scales[c], k);
        CHECK(bytes_equal(a, MX_FLOAT32, e32[c], sizeof e32[c]));
        CHECK(bytes_equal(b, MX_FLOAT16, e16[c], sizeof e16[c]));
        CHECK(bytes_equal(d, MX_BFLOAT16, ebf[c], sizeof ebf[c]));
        CHECK(bytes_equal(f, MX_FLOAT64, e64[c], sizeof e64[c]));
        CHECK(bytes_equal(z, MX_COMPLEX64, ec64[c], sizeof ec64[c]));
        if (g_checks_failed_in_test)
            fprintf(stderr, "  normal case %d\n", c);
        mx_free_n((mx_array[]){a, b, d, f, z}, 5);
    }
    mx_array s = mx_random_normal(NULL, 0, MX_FLOAT32, 0.0, 1.0, k5);
    CHECK_EQ_INT(mx_ndim(s), 0);
    CHECK(bytes_equal(s, MX_FLOAT32, (uint32_t[]){0x3eafce73u}, 4));
    mx_array e = mx_random_normal(SHAPE(0), MX_COMPLEX64, 0.0, 1.0, k5);
    CHECK_EQ_INT(mx_size(e), 0);
    CHECK_OK(mx_eval1(e));
    mx_free_n((mx_array[]){k5, kb, s, e}, 4);
}

static void test_normal_large(void) {
    mx_array k = key_of(11);
    mx_array a = mx_random_normal(SHAPE(99999), MX_FLOAT32, 0.0, 1.0, k);
    mx_array b = mx_random_normal(SHAPE(3, 12345), MX_BFLOAT16, 0.0, 1.0, k);
    mx_array c = mx_random_normal(SHAPE(20001), MX_COMPLEX64, 0.0, 1.0, k);
    mx_array d = mx_random_normal(SHAPE(30001), MX_FLOAT64, 2.0, 0.5, k);
    CHECK(fnv1a(a) == 0xacd68b8b644ba953ull);
    CHECK(fnv1a(b) == 0x5ec71fb60207341cull);
    CHECK(fnv1a(c) == 0x54c407d0795b9e9full);
    CHECK(fnv1a(d) == 0xbdebe678eed9887full);
    /* a sanity check of the distribution: mean ~ 0, variance ~ 1 */
    const float *p = mx_data_f32(a);
    double sum = 0, sq = 0;
    for (int64_t i = 0; p && i < mx_size(a); i++) {
        sum += p[i];
        sq += (double)p[i] * p[i];
    }
    CHECK(p && fabs(sum / 99999) < 0.02 && fabs(sq / 99999 - 1.0) < 0.02);
    mx_free_n((mx_array[]){k, a, b, c, d}, 5);
}

/* ---- the global key ------------------------------------------------------------------ */

/* As in MLX: mx.random.seed(42); uniform(shape=(5,)); normal((3,));
 * uniform(shape=(2, 2), dtype=float16). */
static void test_global_sequence(void) {
    const uint32_t e_u[] = {0x3e947abfu, 0x3f53d638u, 0x3e6a9d2du, 0x3e905f68u, 0x3f5ea79bu};
    const uint32_t e_n[] = {0x3f2dd527u, 0xbf9c3cccu, 0x3f725b58u};
    const uint16_t e_h[] = {0x3762, 0x3138, 0x3a72, 0x2fdf};
    for (int round = 0; round < 2; round++) { /* seeding again restarts the sequence */
        mx_random_seed(42);
        mx_array u = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(5), MX_FLOAT32, MX_NULL_ARRAY);
        mx_array n = mx_random_normal(SHAPE(3), MX_FLOAT32, 0.0, 1.0, MX_NULL_ARRAY);
        mx_array h = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(2, 2), MX_FLOAT16, MX_NULL_ARRAY);
        CHECK(bytes_equal(u, MX_FLOAT32, e_u, sizeof e_u));
        CHECK(bytes_equal(n, MX_FLOAT32, e_n, sizeof e_n));
        CHECK(bytes_equal(h, MX_FLOAT16, e_h, sizeof e_h));
        mx_free_n((mx_array[]){u, n, h}, 3);
    }
    /* MLX's global key after those three draws is (0x5b9b3e6b, 0x291e7e25):
     * the next draw uses split(that key)[1]. */
    mx_array state = mx_array_from_data((uint32_t[]){0x5b9b3e6bu, 0x291e7e25u}, SHAPE(2), MX_UINT32);
    mx_array halves = mx_random_split(state, 2);
    mx_array row1 = mx_slice(halves, (const int64_t[]){1, 0}, (const int64_t[]){2, 2}, NULL, 2);
    mx_array second = mx_reshape(row1, SHAPE(2));
    mx_array expected = mx_random_bits(SHAPE(9), 2, second);
    mx_array drawn = mx_random_bits(SHAPE(9), 2, MX_NULL_ARRAY);
    CHECK(bytes_equal(drawn, MX_UINT16, mx_data(expected), 18));
    mx_free_n((mx_array[]){state, halves, row1, second, expected, drawn}, 6);
}

/* MLX's Python functions draw the key before checking their arguments: a
 * failed call still advances the global key. */
static void test_global_key_advances_on_error(void) {
    mx_random_seed(1);
    mx_array bad = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(2), MX_INT32, MX_NULL_ARRAY);
    CHECK_EQ_INT(mx_array_status(bad), MX_ERROR_VALUE);
    mx_array u = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(2), MX_FLOAT32, MX_NULL_ARRAY);
    CHECK(bytes_equal(u, MX_FLOAT32, (uint32_t[]){0x3f37a979u, 0x3f006f29u}, 8));
    mx_free_n((mx_array[]){bad, u}, 2);
}

/* ---- errors -------------------------------------------------------------------------- */

static void check_error(mx_array a, mx_status status, const char *op) {
    CHECK_EQ_INT(mx_array_status(a), status);
    const char *msg = mx_array_error(a);
    CHECK(msg && strstr(msg, op));
    mx_free(a);
}

static void test_errors(void) {
    mx_array k = key_of(0);
    mx_array k_i32 = mx_array_from_data((int32_t[]){1, 2}, SHAPE(2), MX_INT32);
    mx_array k_3 = mx_array_from_data((uint32_t[]){1, 2, 3}, SHAPE(3), MX_UINT32);
    mx_array k_12 = mx_array_from_data((uint32_t[]){1, 2}, SHAPE(1, 2), MX_UINT32);
    mx_array no_key = MX_NULL_ARRAY;
    /* keys */
    check_error(mx_random_split(k_i32, 2), MX_ERROR_VALUE, "split");
    check_error(mx_random_split(k_3, 2), MX_ERROR_VALUE, "split");
    check_error(mx_random_bits(SHAPE(3), 4, k_12), MX_ERROR_VALUE, "bits");
    check_error(mx_random_uniform(no_key, no_key, SHAPE(3), MX_FLOAT32, k_i32), MX_ERROR_VALUE, "uniform");
    check_error(mx_random_normal(SHAPE(3), MX_FLOAT32, 0, 1, k_3), MX_ERROR_VALUE, "normal");
    mx_array freed = key_of(1);
    mx_free(freed);
    check_error(mx_random_normal(SHAPE(3), MX_FLOAT32, 0, 1, freed), MX_ERROR_HANDLE, "normal");
    mx_array bad_key = mx_reshape(k, SHAPE(3)); /* an error array as the key passes its error on */
    check_error(mx_random_bits(SHAPE(3), 4, bad_key), MX_ERROR_VALUE, "reshape");
    /* widths, shapes, counts */
    check_error(mx_random_bits(SHAPE(3), 3, k), MX_ERROR_VALUE, "bits");
    check_error(mx_random_bits(SHAPE(3), 8, k), MX_ERROR_VALUE, "bits");
    check_error(mx_random_bits(SHAPE(2, -1), 4, k), MX_ERROR_VALUE, "bits");
    check_error(mx_random_split(k, -1), MX_ERROR_VALUE, "split");
    check_error(mx_random_normal(SHAPE(-2), MX_FLOAT32, 0, 1, k), MX_ERROR_VALUE, "normal");
    /* dtypes: MLX raises ValueError for non-floating types, RuntimeError
     * ("Unsupported type") for a float64 uniform */
    check_error(mx_random_uniform(no_key, no_key, SHAPE(3), MX_INT32, k), MX_ERROR_VALUE, "uniform");
    check_error(mx_random_uniform(no_key, no_key, SHAPE(3), MX_COMPLEX64, k), MX_ERROR_VALUE, "uniform");
    check_error(mx_random_uniform(no_key, no_key, SHAPE(3), MX_FLOAT64, k), MX_ERROR_UNSUPPORTED, "uniform");
    check_error(mx_random_normal(SHAPE(3), MX_INT32, 0, 1, k), MX_ERROR_VALUE, "normal");
    check_error(mx_random_normal(SHAPE(3), MX_BOOL, 0, 1, k), MX_ERROR_VALUE, "normal");
    check_error(mx_random_normal(SHAPE(3), (mx_dtype)99, 0, 1, k), MX_ERROR_TYPE, "normal");
    /* bounds that do not broadcast to the shape (MLX: ValueError) */
    mx_array lo23 = mx_zeros(SHAPE(2, 3), MX_FLOAT32), lo2 = mx_zeros(SHAPE(2), MX_FLOAT32);
    mx_array hi3 = mx_ones(SHAPE(3), MX_FLOAT32);
    check_error(mx_random_uniform(lo23, no_key, SHAPE(3), MX_FLOAT32, k), MX_ERROR_VALUE, "uniform");
    check_error(mx_random_uniform(lo2, hi3, SHAPE(2, 3), MX_FLOAT32, k), MX_ERROR_VALUE, "uniform");
    check_error(mx_random_uniform(lo23, no_key, SHAPE(4, 3), MX_FLOAT32, k), MX_ERROR_VALUE, "uniform");
    mx_array ok = mx_random_uniform(lo23, hi3, SHAPE(5, 2, 3), MX_FLOAT32, k);
    CHECK_OK(mx_eval1(ok));
    mx_free_n((mx_array[]){k, k_i32, k_3, k_12, bad_key, lo23, lo2, hi3, ok}, 9);
}

/* ---- distributions (random_dist.c): values from MLX 0.32.4 with key(11) ---------------------- */

static void test_distributions(void) {
    mx_array key = key_of(11);
    mx_array r = mx_random_randint(mx_scalar_i32(-7), mx_scalar_i32(7), (int64_t[]){6}, 1, MX_INT32, key);
    CHECK(bytes_equal(r, MX_INT32, (int32_t[]){3, 4, -4, 1, -5, -3}, 24));
    mx_array wrapped = mx_random_randint(mx_scalar_i32(0), mx_scalar_i32(-1), (int64_t[]){3}, 1, MX_UINT8, key);
    CHECK(bytes_equal(wrapped, MX_UINT8, (uint8_t[]){254, 254, 254}, 3));
    float logits[] = {0, 1, 2, 2, 1, 0};
    mx_array lg = f32_array(logits, (int64_t[]){2, 3}, 2);
    mx_array cat = mx_random_categorical_samples(lg, -1, 3, key);
    CHECK(bytes_equal(cat, MX_UINT32, (uint32_t[]){2, 2, 2, 0, 1, 1}, 24));
    float p[] = {0.0f, 0.3f, 0.7f, 1.0f};
    mx_array probs = f32_array(p, (int64_t[]){4}, 1);
    mx_array coin = mx_random_bernoulli(probs, NULL, -1, key);
    CHECK(bytes_equal(coin, MX_BOOL, (bool[]){false, true, true, true}, 4));
    /* errors name the op */
    mx_array bad = mx_random_randint(mx_scalar_i32(0), mx_scalar_i32(5), (int64_t[]){2}, 1, MX_FLOAT32, key);
    CHECK(mx_array_status(bad) == MX_ERROR_VALUE && strstr(mx_array_error(bad), "randint"));
    mx_array bad_axis = mx_random_categorical(lg, 2, key);
    CHECK(mx_array_status(bad_axis) == MX_ERROR_INDEX && strstr(mx_array_error(bad_axis), "categorical"));
    mx_array bad_p = mx_random_bernoulli(mx_scalar_i32(1), NULL, -1, key);
    CHECK(mx_array_status(bad_p) == MX_ERROR_VALUE);
    mx_array shape_mismatch =
        mx_random_randint(f32_array(logits, (int64_t[]){6}, 1), mx_scalar_i32(9), (int64_t[]){2}, 1, MX_INT32, key);
    CHECK(mx_array_status(shape_mismatch) != MX_OK);
    mx_array all[] = {key, r, wrapped, lg, cat, probs, coin, bad, bad_axis, bad_p, shape_mismatch};
    mx_free_n(all, 11);
}

int main(void) {
    RUN(test_key);
    RUN(test_split);
    RUN(test_lazy_strided_key);
    RUN(test_bits_widths);
    RUN(test_bits_shapes);
    RUN(test_bits_large);
    RUN(test_uniform_dtypes);
    RUN(test_uniform_broadcast_bounds);
    RUN(test_uniform_shapes);
    RUN(test_uniform_large);
    RUN(test_normal_dtypes);
    RUN(test_normal_large);
    RUN(test_global_sequence);
    RUN(test_global_key_advances_on_error);
    RUN(test_errors);
    RUN(test_distributions);
    return CHECK_SUMMARY();
}
