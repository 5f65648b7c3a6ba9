/* core/dtype.c - dtype names, sizes and MLX's promotion table. */
#include <stdbool.h>
#include <stddef.h>

#include "cmlx/array.h"

static const char *const k_names[MX_DTYPE_COUNT] = {
    "bool",  "uint8", "uint16",  "uint32",  "uint64",  "int8",     "int16",
    "int32", "int64", "float16", "float32", "float64", "bfloat16", "complex64",
};
static const size_t k_sizes[MX_DTYPE_COUNT] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 2, 8};

const char *mx_dtype_name(mx_dtype dtype) {
    return (unsigned)dtype < MX_DTYPE_COUNT ? k_names[dtype] : "invalid dtype";
}

size_t mx_dtype_size(mx_dtype dtype) { return (unsigned)dtype < MX_DTYPE_COUNT ? k_sizes[dtype] : 0; }

bool mx_dtype_is_float(mx_dtype d) { return d == MX_FLOAT16 || d == MX_FLOAT32 || d == MX_FLOAT64 || d == MX_BFLOAT16; }

bool mx_dtype_is_integer(mx_dtype d) { return d >= MX_UINT8 && d <= MX_INT64; }

bool mx_dtype_is_signed(mx_dtype d) {
    return (d >= MX_INT8 && d <= MX_INT64) || mx_dtype_is_float(d) || d == MX_COMPLEX64;
}

/* Read off MLX 0.32 by adding zero arrays of every pair of dtypes. */
// clang-format off
#define B MX_BOOL
#define U8 MX_UINT8
#define U16 MX_UINT16
#define U32 MX_UINT32
#define U64 MX_UINT64
#define I8 MX_INT8
#define I16 MX_INT16
#define I32 MX_INT32
#define I64 MX_INT64
#define F16 MX_FLOAT16
#define F32 MX_FLOAT32
#define F64 MX_FLOAT64
#define BF MX_BFLOAT16
#define C64 MX_COMPLEX64
static const mx_dtype k_promote[MX_DTYPE_COUNT][MX_DTYPE_COUNT] = {
    /*        bool  u8   u16  u32  u64  i8   i16  i32  i64  f16  f32  f64  bf16 c64 */
    /*bool*/ {B,    U8,  U16, U32, U64, I8,  I16, I32, I64, F16, F32, F64, BF,  C64},
    /*u8  */ {U8,   U8,  U16, U32, U64, I16, I16, I32, I64, F16, F32, F64, BF,  C64},
    /*u16 */ {U16,  U16, U16, U32, U64, I32, I32, I32, I64, F16, F32, F64, BF,  C64},
    /*u32 */ {U32,  U32, U32, U32, U64, I64, I64, I64, I64, F16, F32, F64, BF,  C64},
    /*u64 */ {U64,  U64, U64, U64, U64, F32, F32, F32, F32, F16, F32, F64, BF,  C64},
    /*i8  */ {I8,   I16, I32, I64, F32, I8,  I16, I32, I64, F16, F32, F64, BF,  C64},
    /*i16 */ {I16,  I16, I32, I64, F32, I16, I16, I32, I64, F16, F32, F64, BF,  C64},
    /*i32 */ {I32,  I32, I32, I64, F32, I32, I32, I32, I64, F16, F32, F64, BF,  C64},
    /*i64 */ {I64,  I64, I64, I64, F32, I64, I64, I64, I64, F16, F32, F64, BF,  C64},
    /*f16 */ {F16,  F16, F16, F16, F16, F16, F16, F16, F16, F16, F32, F64, F32, C64},
    /*f32 */ {F32,  F32, F32, F32, F32, F32, F32, F32, F32, F32, F32, F64, F32, C64},
    /*f64 */ {F64,  F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, F64, C64},
    /*bf16*/ {BF,   BF,  BF,  BF,  BF,  BF,  BF,  BF,  BF,  F32, F32, F64, BF,  C64},
    /*c64 */ {C64,  C64, C64, C64, C64, C64, C64, C64, C64, C64, C64, C64, C64, C64},
};
// clang-format on

mx_dtype mx_promote_types(mx_dtype a, mx_dtype b) {
    if ((unsigned)a >= MX_DTYPE_COUNT || (unsigned)b >= MX_DTYPE_COUNT)
        return MX_DTYPE_COUNT;
    return k_promote[a][b];
}
